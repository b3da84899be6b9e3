// Owns the extension's one ContextEngine: built for the current workspace folders and settings,
// kept warm by a file watcher (engine.invalidate), persisted token counts in the extension's global
// storage. The inspector and the chat take packs from here; nothing else creates an engine. When a
// chat view opens before anything was packed, the workspace is read in the background (`prereadSoon`),
// so the first question finds the engine warm instead of waiting for a cold scan.
import * as vscode from 'vscode';
import { ContextEngine } from '../context/engine';
import type { Pack, PackDelta, PackManifest, PackRequest, WorkspaceRoot } from '../context/types';
import type { SymbolIndex } from '../context/symbolIndex';
import type { ToolView } from '../context/workspaceTools';
import { onDidChangeSettings, questionBudget, readContextSettings } from '../config';
import type { Logger } from '../shared/log';
import { workspaceRoots } from './workspaceGate';

export class ContextService implements vscode.Disposable {
  private engine: ContextEngine | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly packed = new vscode.EventEmitter<Pack['stats']>();
  private timer: NodeJS.Timeout | undefined;
  private watching = false;
  /** A pre-read waiting to start or running. */
  private preread: { timer: NodeJS.Timeout; abort: AbortController } | undefined;
  /** Fires (debounced) when workspace files, folders or context settings changed. */
  readonly onDidChange = this.changed.event;
  /** Fires with the stats of every pack the engine makes (pre-reads included). */
  readonly onDidPack = this.packed.event;

  constructor(
    private readonly storageDir: string,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.engine?.setRoots(workspaceRoots());
        this.fire();
      }),
      onDidChangeSettings(() => {
        this.engine?.setSettings(readContextSettings());
        this.fire();
      }),
      // Packs send what the editors show: an edit or a save changes what the next pack holds.
      vscode.workspace.onDidChangeTextDocument(
        (e) => e.document.uri.scheme === 'file' && e.contentChanges.length > 0 && this.fire(),
      ),
      vscode.workspace.onDidSaveTextDocument(() => this.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
      this.changed,
      this.packed,
    );
  }

  /** The workspace folders the engine packs (file-scheme folders only). */
  roots(): WorkspaceRoot[] {
    return workspaceRoots();
  }

  /** Packs the workspace (warm after the first call). */
  pack(request: PackRequest, signal?: AbortSignal): Promise<Pack> {
    return this.withSettings().pack(request, signal);
  }

  /** The workspace as the agent's tools see it (src/context/workspaceTools.ts), fresh. */
  toolView(labels: string[], signal?: AbortSignal): Promise<ToolView> {
    return this.current().toolView(labels, signal);
  }

  /** The labels of the files a pack may hold (the last walk's while it holds), for the composer's `@`. */
  listFiles(signal?: AbortSignal): Promise<string[]> {
    return this.withSettings().listFiles(signal);
  }

  /** The definitions of the files a pack may hold (src/context/symbolIndex.ts), up to date, for the composer's `@`. */
  symbols(signal?: AbortSignal): Promise<SymbolIndex> {
    return this.withSettings().symbols(signal);
  }

  /** What changed since `manifest`, to append after an unchanged repository block. */
  updatesSince(manifest: PackManifest, request?: PackRequest, signal?: AbortSignal): Promise<PackDelta> {
    return this.current().updatesSince(manifest, request, signal);
  }

  /**
   * Reads the workspace in the background after `delayMs`, unless the engine has packed already: a
   * chat view just opened, so a question is likely, and its pack then re-reads nothing. Only in a
   * trusted workspace with a folder (where questions can be asked); a failure is left to the
   * question's own pack to report.
   */
  prereadSoon(delayMs = 1_000): void {
    if (this.engine || this.preread || !vscode.workspace.isTrusted || !this.roots().length) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      if (this.engine) return void (this.preread = undefined); // something packed meanwhile
      this.pack({ budgetTokens: questionBudget() }, abort.signal)
        .then(
          (p) => this.log.debug(`context pre-read: ${p.stats.readFiles} files in ${p.stats.elapsedMs} ms`),
          (e: Error) => abort.signal.aborted || this.log.debug(`context pre-read failed: ${e.message}`),
        )
        .finally(() => (this.preread = undefined));
    }, delayMs);
    this.preread = { timer, abort };
  }

  /** Drops the engine (and any pre-read): the next pack starts cold. */
  reset(): void {
    this.cancelPreread();
    this.engine?.dispose();
    this.engine = undefined;
    this.fire();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.cancelPreread();
    this.engine?.dispose();
    this.disposables.forEach((d) => void d.dispose());
  }

  /**
   * The engine, told the unsaved text of every open editor on a workspace file (what the user sees is what is sent).
   */
  /**
   * Starts the file watcher the warm engine relies on, once, with the first engine: the extension
   * activates at startup (for its quick fix), and a window that never packs watches nothing.
   */
  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const touched = (uri: vscode.Uri) => {
      if (uri.scheme !== 'file') return;
      this.engine?.invalidate([uri.fsPath]);
      this.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(touched),
      watcher.onDidCreate(touched),
      watcher.onDidDelete(touched),
    );
  }

  /** The engine with the settings as they are now: settings just written may not have raised their event yet. */
  private withSettings(): ContextEngine {
    const engine = this.current();
    engine.setSettings(readContextSettings());
    return engine;
  }

  private current(): ContextEngine {
    this.watch();
    this.engine ??= new ContextEngine({
      roots: workspaceRoots(),
      settings: readContextSettings(),
      cacheDir: this.storageDir,
      logger: this.log,
      // A repository's own git config can make git run programs: only in a trusted workspace.
      allowGit: vscode.workspace.isTrusted,
      // The watcher below reports every change, so a warm pack re-reads only what it names.
      watched: true,
      onPack: (stats) => this.packed.fire(stats),
    });
    this.engine.setUnsaved(
      new Map(
        vscode.workspace.textDocuments
          .filter((d) => d.isDirty && d.uri.scheme === 'file')
          .map((d) => [d.uri.fsPath, d.getText()]),
      ),
    );
    return this.engine;
  }

  private cancelPreread(): void {
    clearTimeout(this.preread?.timer);
    this.preread?.abort.abort();
    this.preread = undefined;
  }

  private fire(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), 750);
  }
}
