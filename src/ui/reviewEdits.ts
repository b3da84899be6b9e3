// What a change review writes: the accepted files in one undoable WorkspaceEdit, and Undo back to the
// exact bytes from before (a created file removed, a file the user changed since only after asking).
// The review (changeReview.ts) decides when; these say how, and record the outcome in the set.
import * as vscode from 'vscode';
import * as cs from '../chat/changeSet';
import { fullRange, openDoc, readFile, savedNow } from './reviewFiles';
import type { Review } from './reviewTypes';

/** Writes the accepted files in one undoable step, and shows the file when it is one. */
export async function writeAccepted(r: Review): Promise<void> {
  const writes = cs.toApply(r.set);
  const edit = new vscode.WorkspaceEdit();
  const meta = { label: 'DeepSeek: apply the proposal', needsConfirmation: false };
  for (const w of writes) {
    const t = r.targets.get(w.path)!;
    const doc = w.create ? undefined : await vscode.workspace.openTextDocument(t.uri);
    if (doc) edit.replace(t.uri, fullRange(doc), w.text, meta);
    else {
      edit.createFile(t.uri, { ignoreIfExists: false }, meta);
      edit.insert(t.uri, new vscode.Position(0, 0), w.text, meta);
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    cs.markFailed(r.set, 'VS Code could not apply the change; nothing was written.');
    return;
  }
  const after = new Map<string, Uint8Array>();
  for (const w of writes)
    after.set(w.path, cs.bytesOf((await vscode.workspace.openTextDocument(r.targets.get(w.path)!.uri)).getText()));
  const message = r.set.message;
  cs.markApplied(r.set, after);
  if (message) r.set.message = message;
  if (writes.length === 1)
    await vscode.window.showTextDocument(r.targets.get(writes[0]!.path)!.uri, {
      preview: false,
      preserveFocus: !!r.opts.preserveFocus,
      ...(r.opts.beside ? { viewColumn: vscode.ViewColumn.Beside } : {}),
    });
}

/**
 * Undoes the applied set of `r`: each file back to its exact bytes from before, a created file
 * removed; asks first when the user changed one since. 'declined': the user kept the files;
 * 'failed': VS Code refused the edit (the set's message says so); 'undone': the set is marked undone.
 */
export async function undoApplied(r: Review): Promise<'declined' | 'failed' | 'undone'> {
  const now = new Map<string, Uint8Array | undefined>();
  for (const [path, t] of r.targets) now.set(path, (await readFile(t.uri)).bytes);
  const plan = cs.undoPlan(r.set, (p) => now.get(p));
  const changed = plan.filter((s) => s.changedSince).map((s) => s.path);
  if (changed.length) {
    const them = changed.length === 1 ? 'it' : 'them';
    const go = await vscode.window.showWarningMessage(
      `${changed.join(', ')} changed since DeepSeek's change was applied.`,
      {
        modal: true,
        detail: `Undo puts back the text from before the change, and what you changed in ${them} since is lost.`,
      },
      'Undo Anyway',
    );
    if (go !== 'Undo Anyway') return 'declined';
  }
  const edit = new vscode.WorkspaceEdit();
  const meta = { label: 'DeepSeek: undo the applied proposal', needsConfirmation: false };
  for (const s of plan) {
    const t = r.targets.get(s.path)!;
    const text = cs.textOf(s.restore);
    if (text === undefined) {
      // Saved first, so no save of it is left pending once it is gone (the user chose to lose those edits).
      const doc = openDoc(t.uri);
      if (doc?.isDirty) await savedNow(doc);
      edit.deleteFile(t.uri, { ignoreIfNotExists: true }, meta);
    } else if (now.get(s.path) === undefined) {
      edit.createFile(t.uri, { ignoreIfExists: true }, meta);
      edit.insert(t.uri, new vscode.Position(0, 0), text, meta);
    } else edit.replace(t.uri, fullRange(await vscode.workspace.openTextDocument(t.uri)), text, meta);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    r.set.message = 'VS Code could not undo the change; the files are as they were.';
    return 'failed';
  }
  // A file that had no unsaved edits before the change gets its exact bytes back on disk.
  for (const s of plan) {
    const t = r.targets.get(s.path)!;
    if (!s.restore || !t.clean) continue;
    const doc = openDoc(t.uri);
    if (doc) await savedNow(doc);
    const disk = await readFile(t.uri);
    if (!cs.sameBytes(disk.bytes, s.restore)) await vscode.workspace.fs.writeFile(t.uri, s.restore);
  }
  cs.markUndone(r.set);
  const restored = plan.filter((s) => s.restore).map((s) => s.path);
  const removed = plan.filter((s) => !s.restore).map((s) => s.path);
  r.set.message = [
    restored.length ? `${restored.join(', ')} ${restored.length === 1 ? 'is' : 'are'} back as before` : '',
    removed.length ? `${removed.join(', ')} removed` : '',
  ]
    .filter(Boolean)
    .join('; ')
    .concat('.');
  return 'undone';
}
