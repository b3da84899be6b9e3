// The context engine: turns workspace folders into the repository block and keeps it warm.
// A pack walks the folders (path rules), reads only files whose stat changed since the last pack
// (content-hash token cache, persisted in the cache dir), orders files for the prefix cache (least
// recently changed first), fits them to the budget (whole, outline, or left out with the reason) and
// renders deterministic bytes. `updatesSince` gives what to append after an unchanged prefix. The last
// walk and whether it holds are in scan/walkCache.ts; the files' warm state in read/fileStore.ts; the steps
// of one pack in packWalk.ts.
import type { Entry } from './read/candidates';
import { FileStore } from './read/fileStore';
import type { GitEnv } from './scan/gitConfig';
import { HistoryCache } from './place/gitHistory';
import { ImportResolver } from './place/imports';
import { followUpDelta } from './place/followUp';
import { HeaderCache } from './place/render';
import { packWalked, type Packed } from './packWalk';
import {
  DEFAULT_CONTEXT_SETTINGS,
  type ContextSettings,
  type Pack,
  type PackDelta,
  type PackManifest,
  type PackRequest,
  type WorkspaceRoot,
} from './types';
import { packLabeller, type WalkResult } from './scan/walk';
import { WalkCache } from './scan/walkCache';
import { knowsAll, toolViewOf, type ToolView } from './workspaceTools';
import { SymbolIndex } from './symbolIndex';
import { indexSymbols } from './symbolFiles';
import { nullLogger, type Logger } from '../shared/log';

export interface ContextEngineOptions {
  roots: WorkspaceRoot[];
  settings?: Partial<ContextSettings>;
  /** Where token counts persist between runs; undefined keeps them in memory only. */
  cacheDir?: string;
  logger?: Logger;
  /** Home and XDG config dir for git's global ignore file (defaults from the process environment). */
  gitEnv?: GitEnv;
  /** Worker threads for cold scans (default: cores, at most 4); 0 reads everything inline. */
  workers?: number;
  /** A cold scan reads fewer bytes than this inline, since starting workers would cost more (bytes). */
  workerThresholdBytes?: number;
  /**
   * The caller packs once and exits (the CLI): the first pack starts its worker threads alongside
   * the walk, before the walk tells whether the scan is worth them (stopped at once when not), and
   * does not wait for them to stop.
   */
  oneShot?: boolean;
  /**
   * The calling thread reads as one of the pool's readers while a cold scan runs, instead of one more worker thread
   * (read/sameThread.ts): for a process that only waits meanwhile (the CLI; implied by `oneShot`).
   */
  readHere?: boolean;
  /**
   * May the engine run the git binary (history order, `ls-files` for unusual indexes)? Default true.
   * Pass false for an untrusted workspace: a repository's config can make git run programs.
   */
  allowGit?: boolean;
  /**
   * The caller reports every file change through `invalidate` (a file watcher): a warm pack then
   * re-stats only the invalidated files instead of walking the folders again. Any invalidated path
   * that is not a known file (a folder, a new or ignore file) still triggers a full walk.
   */
  watched?: boolean;
  /** Called with the stats of every pack this engine makes (`pack` and `updatesSince` alike). */
  onPack?: (stats: Pack['stats']) => void;
}

export class ContextEngine {
  private roots: WorkspaceRoot[];
  private settings: ContextSettings;
  private readonly store: FileStore;
  private readonly walks: WalkCache;
  private readonly history: HistoryCache | undefined;
  private readonly log: Logger;
  private lastRequest: PackRequest | undefined;
  private readonly headers = new HeaderCache();
  private resolver: { key: string; resolver: ImportResolver } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly symbolIndex = new SymbolIndex();

  constructor(private readonly options: ContextEngineOptions) {
    this.roots = options.roots;
    this.walks = new WalkCache({
      allowGit: options.allowGit ?? true,
      env: options.gitEnv ?? { home: process.env.HOME, xdgConfigHome: process.env.XDG_CONFIG_HOME },
      watched: !!options.watched,
    });
    this.history = (options.allowGit ?? true) ? new HistoryCache() : undefined;
    this.settings = { ...DEFAULT_CONTEXT_SETTINGS, ...options.settings };
    this.store = new FileStore({
      cacheDir: options.cacheDir,
      roots: options.roots.map((r) => r.path),
      workers: options.workers,
      workerThresholdBytes: options.workerThresholdBytes,
      ...(options.oneShot || options.readHere ? { readHere: true } : {}),
    });
    this.log = options.logger ?? nullLogger;
  }

  /** Replaces the include/exclude patterns and size limit; the next pack applies them. */
  setSettings(settings: Partial<ContextSettings>): void {
    const next = { ...DEFAULT_CONTEXT_SETTINGS, ...settings };
    if (JSON.stringify(next) !== JSON.stringify(this.settings)) this.walks.forget();
    this.settings = next;
  }

  /** Replaces the workspace folders (cached file contents are kept and reused). */
  setRoots(roots: WorkspaceRoot[]): void {
    this.roots = roots;
    this.walks.forget();
  }

  /**
   * The unsaved text of open editors by absolute path, replacing the last set: packs send it instead
   * of what is on disk (a file the walk does not take stays out, whatever its editor holds).
   */
  setUnsaved(texts: ReadonlyMap<string, string>): void {
    this.store.setUnsaved(texts);
  }

  /** Forgets what is known about these paths (files or folders): the next pack reads them again. */
  invalidate(absPaths: readonly string[]): void {
    for (const p of absPaths) this.store.invalidate(p);
    this.walks.invalidate(absPaths);
  }

  /**
   * Whether a walk now would find what the last one found: no setting or folder changed since, and every
   * folder, rule file, file and git repository it read has the stat signature (and HEAD) it had. Stats only.
   * Unsaved editor texts (setUnsaved) are not part of it.
   */
  lastWalkHolds(): boolean {
    return this.walks.holds();
  }

  /** Packs the workspace into one repository block within `request.budgetTokens`. */
  pack(request: PackRequest, signal?: AbortSignal): Promise<Pack> {
    return this.run(request, signal).then((r) => r.pack);
  }

  /**
   * What to append after `manifest`'s unchanged prefix (place/followUp.ts): files changed, added and removed since,
   * and, with `request.joinTokens`, the files the question points at that the prefix has only outlined or left out.
   */
  async updatesSince(manifest: PackManifest, request?: PackRequest, signal?: AbortSignal): Promise<PackDelta> {
    const req = request ?? this.lastRequest ?? { budgetTokens: Number.MAX_SAFE_INTEGER };
    const { pack, blocks, entries, ranking } = await this.run(req, signal);
    return followUpDelta({
      manifest,
      request: req,
      pack,
      blocks,
      entries,
      ranking,
      hash: (e, whole) => this.store.hash(e.state, whole),
    });
  }

  /**
   * The workspace as the agent's tools see it (workspaceTools.ts), fresh: files whose stat changed
   * are read again, and the folders walked again when one of `labels` is unknown (created since).
   */
  toolView(labels: string[] = [], signal?: AbortSignal): Promise<ToolView> {
    return this.serially(() => this.makeToolView(labels, signal));
  }

  private async makeToolView(labels: string[], signal?: AbortSignal): Promise<ToolView> {
    const roots = this.roots;
    const labelOf = packLabeller(roots);
    const viewOf = (walked: WalkResult) =>
      toolViewOf({
        roots,
        walked,
        labelOf,
        state: (f) => this.store.get(f.abs),
        sent: (state) => this.store.sent(state),
        unsaved: (abs) => this.store.unsavedText(abs),
      });
    let walked = await this.walk(signal);
    if (!knowsAll(viewOf(walked), labels)) {
      this.walks.forget();
      walked = await this.walk(signal);
    }
    await this.store.refresh(walked.files, {
      prepare: 'read',
      label: labelOf,
      maxFileBytes: this.settings.maxFileBytes,
      ...(signal ? { signal } : {}),
    });
    return viewOf(walked);
  }

  /**
   * The labels of the files a pack may hold (the walk's, with every ignore rule and exclusion applied), as the
   * composer's `@` completes them: the last walk while nothing invalidated it, otherwise a new one. Reads no file.
   */
  listFiles(signal?: AbortSignal): Promise<string[]> {
    return this.serially(async () => {
      const walked = this.walks.current() ?? (await this.walk(signal));
      return walked.files.map(packLabeller(this.roots));
    });
  }

  /**
   * The definitions of the files a pack may hold, indexed for the composer's `@` (symbolIndex.ts, one per engine,
   * updated in place): files read only where changed since (symbolFiles.ts), each file's definitions taken from its
   * term statistics. Waits for a pack that is running.
   */
  symbols(signal?: AbortSignal): Promise<SymbolIndex> {
    return this.serially(async () => {
      const walked = await this.walk(signal);
      await indexSymbols({
        walked,
        store: this.store,
        label: packLabeller(this.roots),
        index: this.symbolIndex,
        maxFileBytes: this.settings.maxFileBytes,
        ...(signal ? { signal } : {}),
      });
      return this.symbolIndex;
    });
  }

  /** Saves the token cache and drops the warm state. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.store.save();
    this.store.clear();
  }

  /** Packs one request at a time, in call order. */
  private run(request: PackRequest, signal?: AbortSignal): Promise<Packed> {
    return this.serially(() => this.doPack(request, signal));
  }

  /** Runs `work` after all asked of the engine before it (packs, tool views, lists, symbols), if not disposed. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.disposed) throw new Error('the context engine was disposed');
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doPack(request: PackRequest, signal?: AbortSignal): Promise<Packed> {
    const t0 = performance.now();
    this.lastRequest = request;
    const roots = this.roots;
    if (this.options.oneShot && this.store.isEmpty()) this.store.startPool(); // they start up while the walk runs
    const walked = await this.walk(signal);
    signal?.throwIfAborted();
    try {
      const done = await packWalked({
        request,
        roots,
        walked,
        store: this.store,
        history: this.history,
        headers: this.headers,
        importResolver: (entries, made) => this.importResolver(entries, made),
        maxFileBytes: this.settings.maxFileBytes,
        log: this.log,
        t0,
        ...(signal ? { signal } : {}),
      });
      this.options.onPack?.(done.pack.stats);
      return done;
    } finally {
      const stopped = this.store.stopPool();
      if (!this.options.oneShot) await stopped;
    }
  }

  /** The workspace's files now (scan/walkCache.ts: the last walk while it holds). */
  private walk(signal?: AbortSignal): Promise<WalkResult> {
    return this.walks.walk({ roots: this.roots, settings: this.settings, ...(signal ? { signal } : {}) });
  }

  /**
   * A resolver over these entries' labels: the last one while the labels are the same (a warm pack re-resolves
   * nothing), else `made` (one that answers for them already), else a new one.
   */
  private importResolver(entries: Entry[], made?: ImportResolver): ImportResolver {
    const key = entries.map((e) => e.label).join('\0');
    if (this.resolver?.key !== key)
      this.resolver = { key, resolver: made ?? new ImportResolver(entries.map((e) => e.label)) };
    return this.resolver.resolver;
  }
}
