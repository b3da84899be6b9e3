// Where the user is, for ranking files when the repository does not fit: the active editor and its
// selection, and the other open editors (file tabs only).
import * as vscode from 'vscode';
import { editorNote } from '../chat/prompt';
import type { EditorFocus } from '../context/types';

export function editorFocus(): EditorFocus {
  const focus: EditorFocus = {};
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.uri.scheme === 'file') {
    focus.activeFile = editor.document.uri.fsPath;
    const s = editor.selection;
    if (!s.isEmpty) focus.selection = { startLine: s.start.line + 1, endLine: s.end.line + 1 };
  }
  const open = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri : undefined))
    .filter((u): u is vscode.Uri => u?.scheme === 'file')
    .map((u) => u.fsPath);
  if (open.length) focus.openFiles = [...new Set(open)];
  return focus;
}

/**
 * A workspace file's path as the repository block names it (prefixed with its folder's name in a multi-root workspace).
 */
export const packLabel = (uri: vscode.Uri): string =>
  vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);

/** The lines a selection takes (1-based, inclusive): one that ends at the start of a line does not take that line. */
export function selectedLines(s: vscode.Selection): { startLine: number; endLine: number } {
  return {
    startLine: s.start.line + 1,
    endLine: s.end.character === 0 && s.end.line > s.start.line ? s.end.line : s.end.line + 1,
  };
}

/**
 * Where the user's editor is, for a chat question: the chip's `label` (`src/a.ts:10-20`) and the
 * `note` sent with the question (the file as the repository block names it, and the selected lines
 * or the cursor's line). Undefined unless the editor shows a file of the workspace.
 */
export function editorPlace(editor: vscode.TextEditor | undefined): { label: string; note: string } | undefined {
  const uri = editor?.document.uri;
  if (!editor || uri?.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return undefined;
  const path = packLabel(uri);
  const s = editor.selection;
  const cursor = s.active.line + 1;
  if (s.isEmpty) return { label: `${path}:${cursor}`, note: editorNote(path, cursor) };
  const selection = selectedLines(s);
  const lines =
    selection.startLine === selection.endLine
      ? `${selection.startLine}`
      : `${selection.startLine}-${selection.endLine}`;
  return { label: `${path}:${lines}`, note: editorNote(path, cursor, selection) };
}
