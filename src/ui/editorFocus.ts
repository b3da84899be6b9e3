// Where the user is, for ranking files when the repository does not fit: the active editor and its
// selection, and the other open editors (file tabs only).
import * as vscode from 'vscode';
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
