// Apply for code blocks: the proposed text opens in a diff editor against the target file, and
// nothing changes until the user accepts. Accepting applies one undoable WorkspaceEdit to the
// buffer (the user saves it); rejecting, or ignoring the question, leaves the file untouched.
import * as vscode from 'vscode';

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

/** Shows `code` as a diff against `target` and applies it only if the user accepts. */
export async function proposeChange(proposals: ProposalProvider, target: vscode.Uri, code: string): Promise<boolean> {
  const isNew = !(await exists(target));
  const original = isNew ? proposals.add(target, '') : target;
  const proposed = proposals.add(target, code.endsWith('\n') ? code : `${code}\n`);
  const name = vscode.workspace.asRelativePath(target);
  try {
    await vscode.commands.executeCommand('vscode.diff', original, proposed, `${name} ↔ DeepSeek proposal${isNew ? ' (new file)' : ''}`, { preview: true });
    const choice = await vscode.window.showInformationMessage(`Apply DeepSeek's proposal to ${name}?`, { detail: 'The file changes only if you accept; the change can be undone.' }, 'Accept', 'Reject');
    if (choice !== 'Accept') return false;
    const edit = new vscode.WorkspaceEdit();
    const text = proposals.provideTextDocumentContent(proposed);
    if (isNew) {
      edit.createFile(target, { ignoreIfExists: false });
      edit.insert(target, new vscode.Position(0, 0), text);
    } else {
      const doc = await vscode.workspace.openTextDocument(target);
      edit.replace(target, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
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
