// The context engine: turns workspace folders into the repository block and keeps it warm.
// A pack walks the folders (path rules), reads only files whose stat changed since the last pack
// (content-hash token cache, persisted in the cache dir), orders files for the prefix cache (least
// recently changed first), fits them to the budget (whole, outline, or left out with the reason) and
// renders deterministic bytes. `updatesSince` gives what to append after an unchanged prefix.
import { assemble } from './place/assemble';
import { allocate, mayFit, rankWithReasons, type Ranking } from './place/budget';
import { countAhead, EarlyCount, entryOf, MAX_BYTES_PER_TOKEN, type Entry } from './read/candidates';
import { FileStore, type FileState } from './read/fileStore';
import type { GitEnv } from './scan/gitConfig';
import { HistoryCache, type Recency } from './place/gitHistory';
import type { GitRepo } from './scan/gitRepo';
import { ImportResolver } from './place/imports';
import { signatureOf, stillHolds } from './scan/freshness';
import { statOrUndefined } from './scan/paths';
import { followUpDelta } from './place/followUp';
import { PACK_FOOTER, renderHeader, type TreeEntry } from './place/render';
import { RepoCache } from './scan/repoCache';
import {
  DEFAULT_CONTEXT_SETTINGS,
  type ContextSettings,
  type FileReport,
  type Pack,
  type PackDelta,
  type PackManifest,
  type PackRequest,
  type WorkspaceRoot,
} from './types';
import { walkRoots, type WalkResult, type WalkedFile } from './scan/walk';
import { knowsAll, toolViewOf, type ToolView } from './workspaceTools';
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
  private readonly repos: RepoCache;
  private readonly history: HistoryCache | undefined;
  private readonly log: Logger;
  private readonly gitEnv: GitEnv;
  private lastRequest: PackRequest | undefined;
  /** The last full walk and whether it may be reused (watched mode only). */
  private lastWalk: { result: WalkResult; byAbs: Map<string, WalkedFile> } | undefined;
  private walkValid = false;
  private readonly headers = new Map<string, { text: string; tokens: number }>();
  private resolver: { key: string; resolver: ImportResolver } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: ContextEngineOptions) {
    this.roots = options.roots;
    this.repos = new RepoCache(options.allowGit ?? true);
    this.history = (options.allowGit ?? true) ? new HistoryCache() : undefined;
    this.settings = { ...DEFAULT_CONTEXT_SETTINGS, ...options.settings };
    this.store = new FileStore({
      cacheDir: options.cacheDir,
      workers: options.workers,
      workerThresholdBytes: options.workerThresholdBytes,
    });
    this.log = options.logger ?? nullLogger;
    this.gitEnv = options.gitEnv ?? { home: process.env.HOME, xdgConfigHome: process.env.XDG_CONFIG_HOME };
  }

  /** Replaces the include/exclude patterns and size limit; the next pack applies them. */
  setSettings(settings: Partial<ContextSettings>): void {
    const next = { ...DEFAULT_CONTEXT_SETTINGS, ...settings };
    if (JSON.stringify(next) !== JSON.stringify(this.settings)) this.walkValid = false;
    this.settings = next;
  }

  /** Replaces the workspace folders (cached file contents are kept and reused). */
  setRoots(roots: WorkspaceRoot[]): void {
    this.roots = roots;
    this.walkValid = false;
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
    for (const p of absPaths) {
      this.store.invalidate(p);
      if (!this.lastWalk?.byAbs.has(p)) this.walkValid = false;
    }
    // An ignore or attributes file or git's own state decides which files are in at all, known or not: walk again.
    if (absPaths.some((p) => /(^|[\\/])(\.gitignore|\.gitattributes|\.deepseekignore|\.git)([\\/]|$)/.test(p))) {
      this.repos.clear();
      this.walkValid = false;
    }
  }

  /**
   * Whether a walk now would find what the last one found: no setting or folder changed since, and every
   * folder, rule file, file and git repository it read has the stat signature (and HEAD) it had. Stats only.
   * Unsaved editor texts (setUnsaved) are not part of it.
   */
  lastWalkHolds(): boolean {
    return this.walkValid && !!this.lastWalk && stillHolds(this.lastWalk.result.read) && this.repos.holds();
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
    const run = this.queue.then(() => this.makeToolView(labels, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async makeToolView(labels: string[], signal?: AbortSignal): Promise<ToolView> {
    if (this.disposed) throw new Error('the context engine was disposed');
    const roots = this.roots;
    const labelOf = (f: WalkedFile) => (roots.length > 1 ? `${f.root.name}/${f.rel}` : f.rel);
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
      this.walkValid = false;
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
    const run = this.queue.then(async () => {
      if (this.disposed) throw new Error('the context engine was disposed');
      const roots = this.roots;
      const walked = this.walkValid && this.lastWalk ? this.lastWalk.result : await this.walk(signal);
      return walked.files.map((f) => (roots.length > 1 ? `${f.root.name}/${f.rel}` : f.rel));
    });
    this.queue = run.catch(() => undefined);
    return run;
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
    const run = this.queue.then(() => this.doPack(request, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doPack(request: PackRequest, signal?: AbortSignal): Promise<Packed> {
    if (this.disposed) throw new Error('the context engine was disposed');
    const t0 = performance.now();
    this.lastRequest = request;
    const roots = this.roots;
    if (this.options.oneShot && this.store.isEmpty()) this.store.startPool(); // they start up while the walk runs
    const walked = await this.walk(signal);
    signal?.throwIfAborted();
    const multi = roots.length > 1;
    const labelOf = (f: WalkedFile) => (multi ? `${f.root.name}/${f.rel}` : f.rel);
    const recency = this.recency(walked.files); // git log runs while the files are read
    try {
      // Far over the budget: count tokens only where the plan needs them (else count all, on the workers).
      const countAll = mayFit(walked.files.reduce((n, f) => n + f.size, 0) / MAX_BYTES_PER_TOKEN, request.budgetTokens);
      const pooled = this.store.startPoolFor(walked.files);
      const early =
        !countAll && pooled ? new EarlyCount(this.store, walked.files, labelOf, request, recency, signal) : undefined;
      const read = await this.store.refresh(walked.files, {
        prepare: countAll ? 'sent' : 'outline',
        label: labelOf,
        maxFileBytes: this.settings.maxFileBytes,
        terms: !!(request.question || request.focus?.selection),
        ...(early ? { onRead: (s: FileState[]) => early.onRead(s) } : {}),
        ...(signal ? { signal } : {}),
      });
      await early?.done();
      const excluded: FileReport[] = walked.excluded.map((x) => ({
        ...x,
        path: multi ? `${x.root}/${x.path}` : x.path,
      }));
      const entries: Entry[] = [];
      for (const f of walked.files) {
        const state = this.store.get(f.abs)!;
        const r = state.result;
        if (r.ok) entries.push(entryOf(this.store, f, state, r, labelOf(f)));
        else
          excluded.push({
            root: f.root.name,
            path: labelOf(f),
            bytes: r.bytes,
            tokens: 0,
            status: 'excluded',
            reason: r.reason,
            ...(r.detail ? { detail: r.detail } : {}),
          });
      }
      // Least recently changed first (git history), so an edit invalidates as little of the cached prefix as possible.
      const recencyOf = await recency;
      for (const e of entries) e.recency = recencyOf(e.file);
      entries.sort((a, b) => a.recency - b.recency || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
      let ranking: Ranking | undefined;
      if (!countAll) {
        ranking = rankWithReasons(entries, request, this.importResolver(entries));
        await countAhead(this.store, ranking.order as Entry[], request.budgetTokens, signal);
      }
      const plan = await allocate(
        entries,
        request,
        (tree) => this.header(roots, tree),
        ranking,
        (outlined) =>
          this.store.scanOutlines(
            (outlined as Entry[]).map((e) => ({ state: e.state, label: e.label })),
            signal,
          ),
      );
      this.store.save();
      const stats = {
        scannedFiles: walked.files.length,
        readBytes: read.readBytes,
        readFiles: read.readFiles,
        tokenCacheHits: this.store.takeCacheHits(),
      };
      const done = assemble(
        this.store,
        { request, roots, excluded, entries, warnings: walked.warnings, stats, t0 },
        plan,
      );
      this.log.debug(
        `pack: ${walked.files.length} files, read ${read.readFiles} (${read.readBytes} bytes), ` +
          `${done.pack.tokens} tokens, ${done.pack.stats.elapsedMs} ms`,
      );
      this.options.onPack?.(done.pack.stats);
      return { ...done, entries, ranking: plan.ranking };
    } finally {
      const stopped = this.store.stopPool();
      if (!this.options.oneShot) await stopped;
    }
  }

  /**
   * A full walk, or in watched mode the last one with every known file re-stated. Re-stating all of
   * them (microseconds each) rather than only the invalidated ones catches an edit whose watcher event
   * is still on its way (a save and a command in the same breath); new or deleted files, folders and
   * ignore files still come through `invalidate`, which forces a full walk.
   */
  private async walk(signal?: AbortSignal): Promise<WalkResult> {
    if (this.options.watched && this.walkValid && this.lastWalk) {
      const { result } = this.lastWalk;
      let ok = true;
      for (const f of result.files) {
        const st = statOrUndefined(f.abs);
        if (!st?.isFile()) {
          ok = false;
          break;
        }
        const sig = signatureOf(st);
        Object.assign(f, { size: st.size, mtimeMs: st.mtimeMs, sig });
        result.read.set(f.abs, sig);
      }
      if (ok) return result;
    }
    const result = await walkRoots(this.roots, {
      settings: this.settings,
      env: this.gitEnv,
      repos: this.repos,
      ...(signal ? { signal } : {}),
    });
    this.lastWalk = { result, byAbs: new Map(result.files.map((f) => [f.abs, f])) };
    this.walkValid = true;
    return result;
  }

  /**
   * A resolver over these entries' labels: the last one while the labels are the same (a warm pack re-resolves
   * nothing).
   */
  private importResolver(entries: Entry[]): ImportResolver {
    const key = entries.map((e) => e.label).join('\0');
    if (this.resolver?.key !== key) this.resolver = { key, resolver: new ImportResolver(entries.map((e) => e.label)) };
    return this.resolver.resolver;
  }

  /** The header for `tree` and its tokens (footer included), remembered for the few trees seen lately. */
  private async header(roots: WorkspaceRoot[], tree: TreeEntry[]): Promise<{ text: string; tokens: number }> {
    const key = JSON.stringify(roots) + tree.map((t) => `${t.label}\0${t.status}`).join('\n');
    let hit = this.headers.get(key);
    if (!hit) {
      const text = renderHeader(roots, tree);
      hit = { text, tokens: (await this.store.count([text + PACK_FOOTER]))[0]! };
      if (this.headers.size >= 4) this.headers.delete(this.headers.keys().next().value!);
      this.headers.set(key, hit);
    }
    return hit;
  }

  /**
   * Starts reading git history for every repository the walked files belong to; resolves to each
   * file's recency (higher = changed more recently). Untracked files count as the newest, and so do
   * files staged but never committed when the history read is complete (in a longer history they
   * cannot be told from files older than the window, and count as the oldest).
   */
  private async recency(files: WalkedFile[]): Promise<(f: WalkedFile) => number> {
    const byRepo = new Map<GitRepo, Promise<Recency>>();
    for (const f of files)
      if (f.repo?.tracked.size && !byRepo.has(f.repo))
        byRepo.set(
          f.repo,
          this.history ? this.history.recency(f.repo) : Promise.resolve({ ranks: new Map(), complete: false }),
        );
    const recencies = new Map<GitRepo, Recency>();
    for (const [repo, p] of byRepo) recencies.set(repo, await p);
    return (f) => {
      const recency = f.repo && recencies.get(f.repo);
      if (!recency) return 0;
      const newest = Number.MAX_SAFE_INTEGER;
      return f.indexOid === undefined ? newest : (recency.ranks.get(f.repoRel) ?? (recency.complete ? newest : 0));
    };
  }
}

/** A pack, each placed file's block by label, every readable file and how they were ranked (when they did not fit). */
interface Packed {
  pack: Pack;
  blocks: Map<string, string>;
  entries: Entry[];
  ranking: Ranking | undefined;
}
