// Apply for code blocks: the proposed text (the block as a whole file, or the file with the block's
// SEARCH/REPLACE edits applied, editBlocks.ts) opens in a diff editor against the target file, and
// nothing changes until the user accepts (✓ in the diff's title bar; a notification says so).
// The proposal is an editable in-memory file: the user may change it, or revert some of its
// changes with the diff's arrows, before accepting, and what the diff then shows is applied.
// Accepting applies one undoable WorkspaceEdit (VS Code's files.autoSave decides whether it is
// saved) and closes the diff; rejecting, closing the diff or ignoring it leaves the file untouched.
import * as vscode from 'vscode';
import { acceptedText, proposedText } from '../protocol/editBlocks';

export const PROPOSAL_SCHEME = 'deepseek-proposal';

interface Proposal {
  data: Uint8Array;
  mtime: number;
  /** The empty left side of a new file's diff. */
  readonly: boolean;
}

/**
 * Holds the proposals shown in diffs (in memory only: an in-memory file system, writable but for the left side of a new
 * file).
 */
export class ProposalProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly files = new Map<string, Proposal>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly registration = vscode.workspace.registerFileSystemProvider(PROPOSAL_SCHEME, this, {
    isCaseSensitive: true,
  });
  private seq = 0;
  private readonly decisions = new Map<string, (accept: boolean) => void>();
  /** Released proposals a document still holds (`release`). */
  private readonly released = new Set<string>();
  private readonly closing = vscode.workspace.onDidCloseTextDocument((d) => {
    const key = d.uri.toString();
    if (this.released.delete(key)) this.files.delete(key);
  });

  /** A proposal holding `text`, named after `target` for the diff title. */
  add(target: vscode.Uri, text: string, readonly = false): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: target.path, query: String(this.seq++) });
    this.files.set(uri.toString(), { data: new TextEncoder().encode(text), mtime: Date.now(), readonly });
    return uri;
  }

  /** The proposal's text as its editor shows it now (the user's changes included, saved or not). */
  textOf(uri: vscode.Uri): string | undefined {
    const key = uri.toString();
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (doc) return doc.getText();
    const file = this.files.get(key);
    return file && new TextDecoder().decode(file.data);
  }

  /**
   * Forgets the proposal once no document holds it: a save still under way (files.autoSave) must
   * find it, or VS Code, failing to save, reopens the proposal as a dirty editor.
   */
  release(uri: vscode.Uri): void {
    const key = uri.toString();
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this.released.add(key);
    else this.files.delete(key);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.file(uri);
    return {
      type: vscode.FileType.File,
      ctime: f.mtime,
      mtime: f.mtime,
      size: f.data.byteLength,
      ...(f.readonly ? { permissions: vscode.FilePermission.Readonly } : {}),
    };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.file(uri).data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const f = this.file(uri);
    if (f.readonly) throw vscode.FileSystemError.NoPermissions(uri);
    Object.assign(f, { data: content, mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined); // changes come from writeFile alone, and are announced there
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private file(uri: vscode.Uri): Proposal {
    const f = this.files.get(uri.toString());
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f;
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
        if (e.closed.some((t) => proposalOf(t) === key)) this.decide(uri, { accept: false });
      });
      this.decisions.set(key, (accept) => {
        closed.dispose();
        resolve(accept);
      });
    });
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `DeepSeek's proposal for ${name}`, cancellable: true },
      (progress, token) => {
        progress.report({
          message:
            "✓ in the diff's title bar applies the right side (edit it first if you like; undoable), ✕ or " +
            'Cancel rejects it.',
        });
        token.onCancellationRequested(() => this.decide(uri, { accept: false }));
        return decided;
      },
    );
    return decided;
  }

  /**
   * Decides the proposal `uri` (default: the one in the active diff): `accept` applies it; false when
   * none awaits a decision (with `explain`, the user is told so: they clicked ✓ or ✕ themselves).
   */
  decide(uri: vscode.Uri | undefined, decision: { accept: boolean; explain?: boolean }): boolean {
    const { accept, explain = false } = decision;
    const key = uri?.toString() ?? proposalOf(vscode.window.tabGroups.activeTabGroup.activeTab);
    const done = key !== undefined ? this.decisions.get(key) : undefined;
    if (!done) {
      // A diff left from before a reload, or decided already.
      if (explain && key !== undefined)
        void vscode.window.showInformationMessage(
          'This proposal is no longer waiting for a decision: use Apply on the answer again.',
        );
      return false;
    }
    this.decisions.delete(key!);
    done(accept);
    return true;
  }

  dispose(): void {
    for (const done of this.decisions.values()) done(false);
    this.decisions.clear();
    this.registration.dispose();
    this.changed.dispose();
    this.closing.dispose();
    this.files.clear();
    this.released.clear();
  }
}

/** The proposal a tab shows (the right side of its diff), as a string; undefined for any other tab. */
function proposalOf(tab: vscode.Tab | undefined): string | undefined {
  const input = tab?.input;
  return input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSAL_SCHEME
    ? input.modified.toString()
    : undefined;
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

/**
 * Shows what `code` proposes for `target` as a diff and applies it only if the user accepts. The
 * diff's title says what the block does to the file (merged: "adds `hello` at the end"; with
 * `replaceAll`, the user's explicit choice: that the whole file is replaced).
 */
export async function proposeChange(
  proposals: ProposalProvider,
  target: vscode.Uri,
  code: string,
  opts: { replaceAll?: boolean } = {},
): Promise<boolean> {
  const name = vscode.workspace.asRelativePath(target);
  const current = await currentText(target);
  const first = proposedText(code, current, opts);
  if (!first.ok) {
    void vscode.window.showWarningMessage(`${name}: ${first.error}`);
    return false;
  }
  const isNew = current === undefined;
  const original = isNew ? proposals.add(target, '', true) : target;
  const proposed = proposals.add(target, first.text);
  try {
    // Awaited from before the diff opens, so its title-bar buttons work at once.
    const decided = proposals.decision(proposed, name);
    // Not a preview: opening another file must not replace (and so reject) a proposal not yet decided.
    await vscode.commands.executeCommand(
      'vscode.diff',
      original,
      proposed,
      `${name} ↔ DeepSeek proposal${isNew ? ' (new file)' : first.how && first.how.kind !== 'whole' ? ` (${first.how.summary})` : ''}`,
      { preview: false },
    );
    if (!(await decided)) return false;
    const now = await currentText(target);
    const result = acceptedText(proposals.textOf(proposed) ?? first.text, first.text, now === current, () =>
      proposedText(code, now, opts),
    );
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
    proposals.decide(proposed, { accept: false }); // still undecided if opening the diff failed
    // Saved before the diff closes (closing an editor with unsaved changes would ask), forgotten after.
    const unsaved = vscode.workspace.textDocuments.find((d) => d.uri.toString() === proposed.toString() && d.isDirty);
    if (unsaved) await unsaved.save();
    await vscode.window.tabGroups.close(
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => proposalOf(t) === proposed.toString()),
    );
    proposals.release(proposed);
    if (isNew) proposals.release(original);
  }
}
