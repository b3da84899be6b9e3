// A workspace file as a change review reads and saves it: its exact bytes and the text the editor
// shows (unsaved edits included), and a save that waits for one files.autoSave already started.
// Shared by the review (changeReview.ts) and its writes and undo (reviewEdits.ts).
import * as vscode from 'vscode';
import * as cs from '../chat/changeSet';

/** The whole text of `doc` as a range. */
export const fullRange = (doc: vscode.TextDocument) =>
  new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));

/** The open document of `uri`, if one is open. */
export const openDoc = (uri: vscode.Uri) =>
  vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

/** A workspace file as a change set needs it: its exact bytes (undefined: absent), its text as the editor shows it. */
export async function readFile(
  uri: vscode.Uri,
): Promise<{ bytes: Uint8Array | undefined; text: string | undefined; clean: boolean }> {
  const doc = openDoc(uri);
  if (doc?.isDirty) return { bytes: cs.bytesOf(doc.getText()), text: doc.getText(), clean: false };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { bytes, text: doc ? doc.getText() : cs.textOf(bytes), clean: true };
  } catch {
    return { bytes: undefined, text: undefined, clean: true };
  }
}

/** Longest wait for a save already under way (files.autoSave) to finish (milliseconds). */
const SAVE_WAIT_MS = 10_000;

/** Saves `doc` and waits until it is saved: a save files.autoSave started may still be running. */
export async function savedNow(doc: vscode.TextDocument): Promise<void> {
  if (!doc.isDirty) return;
  if (await doc.save()) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const sub = vscode.workspace.onDidSaveTextDocument((d) => d === doc && done());
    const timer = setTimeout(done, SAVE_WAIT_MS);
    if (!doc.isDirty) done();
  });
}
