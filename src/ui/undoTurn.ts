// Undo of an agent turn in VS Code: every file the turn's accepted edits wrote gets back its exact
// text from before the turn, and files it created are removed (src/chat/agent/undo.ts says what).
// A file already back as it was is left alone; one changed since the turn wrote it (the user typed,
// a later turn edited it) is overwritten only after the user says so.
import * as vscode from 'vscode';
import { bare, checkUndo, type UndoStep } from '../chat/agent/undo';
import { currentText } from '../chat/agent/writeChanges';
import { absOfLabel } from '../context/workspaceTools';
import type { WorkspaceRoot } from '../context/types';

const openDoc = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

/** Restores the files of `steps`; resolves with a sentence saying what was done. */
export async function undoTurnFiles(roots: WorkspaceRoot[], steps: UndoStep[]): Promise<string> {
  const uriOf = (path: string) => vscode.Uri.file(absOfLabel(roots, path));
  const now = (path: string) => {
    const uri = uriOf(path);
    return openDoc(uri)?.getText() ?? currentText(uri.fsPath);
  };
  const todo = steps.filter((s) => bare(now(s.path)) !== bare(s.restore));
  if (!todo.length) return 'Nothing to undo: the files are as they were before the turn.';
  const { safe, changed } = checkUndo(todo, now);
  let chosen = safe;
  if (changed.length) {
    const names = changed.map((s) => s.path).join(', ');
    const overwrite = await vscode.window.showWarningMessage(
      `${names} changed since the agent wrote ${changed.length === 1 ? 'it' : 'them'}.`,
      {
        modal: true,
        detail: 'Overwrite with the text from before the turn? Your later changes to these files are lost.',
      },
      'Overwrite',
    );
    if (overwrite === 'Overwrite') chosen = [...safe, ...changed];
  }
  if (!chosen.length) return 'Nothing was undone.';
  const edit = new vscode.WorkspaceEdit();
  for (const s of chosen) {
    const uri = uriOf(s.path);
    if (s.restore === undefined) {
      edit.deleteFile(uri, { ignoreIfNotExists: true });
      continue;
    }
    const doc = openDoc(uri) ?? (now(s.path) === undefined ? undefined : await vscode.workspace.openTextDocument(uri));
    if (doc)
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), bare(s.restore)!);
    else edit.createFile(uri, { contents: Buffer.from(s.restore), overwrite: true });
  }
  if (!(await vscode.workspace.applyEdit(edit))) return 'VS Code did not apply the undo; nothing was changed.';
  for (const s of chosen) {
    const doc = openDoc(uriOf(s.path));
    if (doc?.isDirty) await doc.save();
    // The exact bytes from before the turn on disk (a byte-order mark, line endings), whatever the editor saved.
    if (s.restore === undefined) continue;
    const bytes = Buffer.from(s.restore, 'utf8');
    const disk = await vscode.workspace.fs.readFile(uriOf(s.path)).then(
      (b) => b,
      () => undefined,
    );
    if (!disk || !Buffer.from(disk).equals(bytes)) await vscode.workspace.fs.writeFile(uriOf(s.path), bytes);
  }
  const restored = chosen.filter((s) => s.restore !== undefined).map((s) => s.path);
  const removed = chosen.filter((s) => s.restore === undefined).map((s) => s.path);
  const kept = changed.filter((s) => !chosen.includes(s)).map((s) => s.path);
  const said = [
    restored.length && `restored ${restored.join(', ')}`,
    removed.length && `removed ${removed.join(', ')}`,
    kept.length && `kept your changes to ${kept.join(', ')}`,
  ]
    .filter(Boolean)
    .join('; ');
  return `${said.charAt(0).toUpperCase()}${said.slice(1)}.`;
}
