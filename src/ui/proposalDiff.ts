// Apply for code blocks: the proposed text (the block as a whole file, or the file with the block's
// SEARCH/REPLACE edits applied, editBlocks.ts) opens in a diff editor against the target file, and
// nothing changes until the user accepts (✓ in the diff's title bar; a notification says so).
// Accepting applies one undoable WorkspaceEdit (VS Code's settings decide whether it is saved)
// and closes the diff; rejecting, closing the diff or ignoring it leaves the file untouched.
import * as vscode from 'vscode';
import { proposedText } from '../protocol/editBlocks';

export const PROPOSAL_SCHEME = 'deepseek-proposal';

/** Serves the proposed texts to the diff editor (read-only virtual documents). */
export class ProposalProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this);
  private seq = 0;
  private readonly decisions = new Map<string, (accept: boolean) => void>();

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

  /**
   * The user's decision on the proposal `uri` shown in a diff: ✓ or ✕ in the diff's title bar
   * (`decide`), Cancel on the notification that waits for it, or closing the diff (a rejection).
   * The notification goes when the decision is made, however it is made.
   */
  decision(uri: vscode.Uri, name: string): Promise<boolean> {
    const key = uri.toString();
    const decided = new Promise<boolean>((resolve) => {
      const closed = vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.some((t) => proposalOf(t) === key)) this.decide(uri, false);
      });
      this.decisions.set(key, (accept) => {
        closed.dispose();
        resolve(accept);
      });
    });
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `DeepSeek's proposal for ${name}`, cancellable: true }, (progress, token) => {
      progress.report({ message: "✓ in the diff's title bar applies it (undoable), ✕ or Cancel rejects it." });
      token.onCancellationRequested(() => this.decide(uri, false));
      return decided;
    });
    return decided;
  }

  /** Decides the proposal `uri` (default: the one in the active diff); false when none awaits a decision. */
  decide(uri: vscode.Uri | undefined, accept: boolean): boolean {
    const key = uri?.toString() ?? proposalOf(vscode.window.tabGroups.activeTabGroup.activeTab);
    const done = key !== undefined ? this.decisions.get(key) : undefined;
    if (!done) return false;
    this.decisions.delete(key!);
    done(accept);
    return true;
  }

  dispose(): void {
    for (const done of this.decisions.values()) done(false);
    this.decisions.clear();
    this.registration.dispose();
    this.texts.clear();
  }
}

/** The proposal a tab shows (the right side of its diff), as a string; undefined for any other tab. */
function proposalOf(tab: vscode.Tab | undefined): string | undefined {
  const input = tab?.input;
  return input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSAL_SCHEME ? input.modified.toString() : undefined;
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
    // Awaited from before the diff opens, so its title-bar buttons work at once.
    const decided = proposals.decision(proposed, name);
    // Not a preview: opening another file must not replace (and so reject) a proposal not yet decided.
    await vscode.commands.executeCommand('vscode.diff', original, proposed, `${name} ↔ DeepSeek proposal${isNew ? ' (new file)' : ''}`, { preview: false });
    if (!(await decided)) return false;
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
    proposals.decide(proposed, false); // still undecided if opening the diff failed
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => proposalOf(t) === proposed.toString()));
    proposals.release(proposed);
    if (isNew) proposals.release(original);
  }
}
