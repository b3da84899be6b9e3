// Owns the extension's one ContextEngine: built for the current workspace folders and settings,
// kept warm by a file watcher (engine.invalidate), persisted token counts in the extension's global
// storage. The inspector and the chat take packs from here; nothing else creates an engine.
import * as vscode from 'vscode';
import { ContextEngine } from '../context/engine';
import type { Pack, PackDelta, PackManifest, PackRequest, WorkspaceRoot } from '../context/types';
import { onDidChangeSettings, readContextSettings } from '../config';
import type { Logger } from '../shared/log';
import { workspaceRoots } from './chatController';

export class ContextService implements vscode.Disposable {
  private engine: ContextEngine | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private timer: NodeJS.Timeout | undefined;
  /** Fires (debounced) when workspace files, folders or context settings changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storageDir: string,
    private readonly log: Logger,
  ) {
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
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.engine?.setRoots(workspaceRoots());
        this.fire();
      }),
      onDidChangeSettings(() => {
        this.engine?.setSettings(readContextSettings());
        this.fire();
      }),
      // Packs send what the editors show: an edit or a save changes what the next pack holds.
      vscode.workspace.onDidChangeTextDocument((e) => e.document.uri.scheme === 'file' && e.contentChanges.length > 0 && this.fire()),
      vscode.workspace.onDidSaveTextDocument(() => this.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
      this.changed,
    );
  }

  /** The workspace folders the engine packs (file-scheme folders only). */
  roots(): WorkspaceRoot[] {
    return workspaceRoots();
  }

  /** Packs the workspace (warm after the first call). */
  pack(request: PackRequest, signal?: AbortSignal): Promise<Pack> {
    const engine = this.current();
    engine.setSettings(readContextSettings()); // settings just written may not have raised their event yet
    return engine.pack(request, signal);
  }

  /** What changed since `manifest`, to append after an unchanged repository block. */
  updatesSince(manifest: PackManifest, request?: PackRequest, signal?: AbortSignal): Promise<PackDelta> {
    return this.current().updatesSince(manifest, request, signal);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.engine?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  /** The engine, told the unsaved text of every open editor on a workspace file (what the user sees is what is sent). */
  private current(): ContextEngine {
    this.engine ??= new ContextEngine({
      roots: workspaceRoots(),
      settings: readContextSettings(),
      cacheDir: this.storageDir,
      logger: this.log,
      // A repository's own git config can make git run programs: only in a trusted workspace.
      allowGit: vscode.workspace.isTrusted,
      // The watcher below reports every change, so a warm pack re-reads only what it names.
      watched: true,
    });
    this.engine.setUnsaved(new Map(vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d.getText()])));
    return this.engine;
  }

  private reset(): void {
    this.engine?.dispose();
    this.engine = undefined;
    this.fire();
  }

  private fire(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), 750);
  }
}
