// Apply for code blocks: the proposed text (the block as a whole file, or the file with the block's
// SEARCH/REPLACE edits applied, editBlocks.ts) opens in a diff editor against the target file, and
// nothing changes until the user accepts. Accepting applies one undoable WorkspaceEdit to the
// buffer (the user saves it); rejecting, or ignoring the question, leaves the file untouched.
import * as vscode from 'vscode';
import { proposedText } from '../protocol/editBlocks';

export const PROPOSAL_SCHEME = 'deepseek-proposal';

/** Serves the proposed texts to the diff editor (read-only virtual documents). */
export class ProposalProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this);
  private seq = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A virtual document holding `text`, named after `target` for the diff title. */
  add(target: vscode.Uri, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: target.path, query: String(this.seq++) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  release(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The current text of `target` (unsaved edits included), or undefined when it does not exist. */
async function currentText(target: vscode.Uri): Promise<string | undefined> {
  return (await exists(target)) ? (await vscode.workspace.openTextDocument(target)).getText() : undefined;
}

/** Shows what `code` proposes for `target` as a diff and applies it only if the user accepts. */
export async function proposeChange(proposals: ProposalProvider, target: vscode.Uri, code: string): Promise<boolean> {
  const name = vscode.workspace.asRelativePath(target);
  const current = await currentText(target);
  const first = proposedText(code, current);
  if (!first.ok) {
    void vscode.window.showWarningMessage(`${name}: ${first.error}`);
    return false;
  }
  const isNew = current === undefined;
  const original = isNew ? proposals.add(target, '') : target;
  const proposed = proposals.add(target, first.text);
  try {
    await vscode.commands.executeCommand('vscode.diff', original, proposed, `${name} ↔ DeepSeek proposal${isNew ? ' (new file)' : ''}`, { preview: true });
    const choice = await vscode.window.showInformationMessage(`Apply DeepSeek's proposal to ${name}?`, { detail: 'The file changes only if you accept; the change can be undone.' }, 'Accept', 'Reject');
    if (choice !== 'Accept') return false;
    // Edits go onto the text as it is now (the user may have typed meanwhile); a whole file is what the diff showed.
    const now = await currentText(target);
    const result = now === current ? first : proposedText(code, now);
    if (!result.ok) {
      void vscode.window.showWarningMessage(`${name} changed while the proposal was open: ${result.error}`);
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    if (now === undefined) {
      edit.createFile(target, { ignoreIfExists: false });
      edit.insert(target, new vscode.Position(0, 0), result.text);
    } else {
      const doc = await vscode.workspace.openTextDocument(target);
      edit.replace(target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), result.text);
    }
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) await vscode.window.showTextDocument(target, { preview: false });
    else void vscode.window.showErrorMessage(`Could not apply the change to ${name}.`);
    return ok;
  } finally {
    proposals.release(proposed);
    if (isNew) proposals.release(original);
  }
}
