// The proposals a review shows (changeReview.ts): each proposed text lives in an in-memory file
// system under its own scheme, so it opens in VS Code's diff editor (one file) or multi-file diff
// editor (several) against the file as it is, is editable there (type in it, or take back one of its
// changes with the diff's arrows), and is forgotten once decided. Nothing here writes a real file.
import * as vscode from 'vscode';

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

  /** True while this window holds proposal `uri` (a diff restored from an earlier window shows one it does not). */
  has(uri: vscode.Uri): boolean {
    return this.files.has(uri.toString());
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

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.closing.dispose();
    this.files.clear();
    this.released.clear();
  }
}

/** The proposals a tab shows: the right side of its diff, or of each file of its multi-file diff. */
export function proposalsIn(tab: vscode.Tab): vscode.Uri[] {
  const input: unknown = tab.input;
  if (input instanceof vscode.TabInputTextDiff)
    return input.modified.scheme === PROPOSAL_SCHEME ? [input.modified] : [];
  const diffs = typeof input === 'object' && input !== null && 'textDiffs' in input ? input.textDiffs : undefined;
  if (!Array.isArray(diffs)) return [];
  return diffs.flatMap((d: { modified?: unknown }) =>
    d.modified instanceof vscode.Uri && d.modified.scheme === PROPOSAL_SCHEME ? [d.modified] : [],
  );
}

/** The proposal a tab shows (the right side of its diff), as a string; undefined for any other tab. */
export function proposalOf(tab: vscode.Tab | undefined): string | undefined {
  const input = tab?.input;
  return input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSAL_SCHEME
    ? input.modified.toString()
    : undefined;
}
