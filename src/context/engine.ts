// The context engine: turns workspace folders into the repository block and keeps it warm.
// A pack walks the folders (path rules), reads only files whose stat changed since the last pack
// (content-hash token cache, persisted in the cache dir), orders files for the prefix cache (least
// recently changed first), fits them to the budget (whole, outline, or left out with the reason) and
// renders deterministic bytes. `updatesSince` gives what to append after an unchanged prefix.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { allocate, likelyCounted, mayFit, rankCandidates, type Candidate, type Plan } from './budget';
import { FileStore, type FileState } from './fileStore';
import type { GitEnv } from './gitConfig';
import { HistoryCache, type Recency } from './gitHistory';
import type { GitRepo } from './gitRepo';
import { rawText } from './processFile';
import { fileBlock, PACK_FOOTER, renderHeader, renderUpdate, type TreeEntry } from './render';
import { countTokens } from './tokens';
import { DEFAULT_CONTEXT_SETTINGS, type ContextSettings, type FileReport, type Pack, type PackDelta, type PackManifest, type PackRequest, type Redaction, type WorkspaceRoot } from './types';
import { RepoCache, walkRoots, type WalkResult, type WalkedFile } from './walk';
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
}

/**
 * Bytes per token above which text is rare (code and prose run 2.5-4.5 with DeepSeek's BPE), so
 * bytes / 8 serves as a file's lower bound of tokens. It only steers what to count: the budget is
 * always checked with exact counts.
 */
const MAX_BYTES_PER_TOKEN = 8;

/** Bytes a token, to guess which files the budget will count before counting them (code runs 3-4). */
const GUESS_BYTES_PER_TOKEN = 3.6;

/** One file that can go into the pack, with everything needed to place and render it. */
interface Entry extends Candidate {
  file: WalkedFile;
  state: FileState;
  /** Tokens of the file's tags. */
  tags: number;
}

/** What `finish` needs to know about the pack being made. */
interface PackRun {
  request: PackRequest;
  /** performance.now() at the start (ms). */
  t0: number;
  roots: WorkspaceRoot[];
  walked: WalkResult;
  read: { readFiles: number; readBytes: number };
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
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly options: ContextEngineOptions) {
    this.roots = options.roots;
    this.repos = new RepoCache(options.allowGit ?? true);
    this.history = (options.allowGit ?? true) ? new HistoryCache() : undefined;
    this.settings = { ...DEFAULT_CONTEXT_SETTINGS, ...options.settings };
    this.store = new FileStore({ cacheDir: options.cacheDir, workers: options.workers, workerThresholdBytes: options.workerThresholdBytes });
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

  /** Forgets what is known about these paths (files or folders): the next pack reads them again. */
  invalidate(absPaths: readonly string[]): void {
    for (const p of absPaths) {
      this.store.invalidate(p);
      if (!this.lastWalk?.byAbs.has(p)) this.walkValid = false;
    }
    if (absPaths.some((p) => /(^|[\\/])(\.gitignore|\.deepseekignore|\.git)([\\/]|$)/.test(p))) this.repos.clear();
  }

  /** Packs the workspace into one repository block within `request.budgetTokens`. */
  pack(request: PackRequest, signal?: AbortSignal): Promise<Pack> {
    return this.run(request, signal).then((r) => r.pack);
  }

  /** Files changed, added and removed since `manifest`, rendered to append after the unchanged prefix. */
  async updatesSince(manifest: PackManifest, request?: PackRequest, signal?: AbortSignal): Promise<PackDelta> {
    const { pack, blocks } = await this.run(request ?? this.lastRequest ?? { budgetTokens: Number.MAX_SAFE_INTEGER }, signal);
    const changed: string[] = [];
    const added: string[] = [];
    const parts: string[] = [];
    const present = new Set<string>();
    for (const f of pack.files) {
      if (f.status === 'excluded' || !f.hash) continue;
      present.add(f.path);
      const before = manifest.files[f.path];
      if (before === f.hash) continue;
      (before === undefined ? added : changed).push(f.path);
    }
    const touched = new Set([...changed, ...added]);
    for (const [label, block] of blocks) if (touched.has(label)) parts.push(block);
    const removed = Object.keys(manifest.files).filter((p) => !present.has(p)).sort();
    const text = renderUpdate(parts, removed);
    const hashes = Object.fromEntries(pack.files.filter((f) => f.hash && touched.has(f.path)).map((f) => [f.path, f.hash!]));
    return { text, tokens: text ? countTokens(text) : 0, changed, added, removed, redactions: pack.redactions.filter((r) => touched.has(r.path)), files: hashes };
  }

  /** Saves the token cache and drops the warm state. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.store.save();
    this.store.clear();
  }

  /** Packs one request at a time, in call order. */
  private run(request: PackRequest, signal?: AbortSignal): Promise<{ pack: Pack; blocks: Map<string, string> }> {
    const run = this.queue.then(() => this.doPack(request, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doPack(request: PackRequest, signal?: AbortSignal): Promise<{ pack: Pack; blocks: Map<string, string> }> {
    if (this.disposed) throw new Error('the context engine was disposed');
    const t0 = performance.now();
    this.lastRequest = request;
    const roots = this.roots;
    // Start the worker threads as soon as the walk finds enough to read: they load while it goes on.
    let toRead = 0;
    const walked = await this.walk(signal, (f) => {
      if (!this.store.isFresh(f) && this.store.wantsWorkers((toRead += f.size))) this.store.startPool();
    });
    signal?.throwIfAborted();
    const multi = roots.length > 1;
    const label = (root: string, rel: string) => (multi ? `${root}/${rel}` : rel);

    const history = this.startHistory(walked.files); // git log runs while the files are read
    try {
      // Far over the budget: count tokens only where the plan needs them (else count all, on the workers).
      const countAll = mayFit(walked.files.reduce((n, f) => n + f.size, 0) / MAX_BYTES_PER_TOKEN, request.budgetTokens);
      const read = await this.store.refresh(walked.files, { prepare: countAll ? 'sent' : 'outline', label: (f) => label(f.root.name, f.rel), ...(signal ? { signal } : {}) });
      const files: FileReport[] = walked.excluded.map((x) => ({ ...x, path: label(x.root, x.path) }));
      const entries: Entry[] = [];
      for (const f of walked.files) {
        const state = this.store.get(f.abs)!;
        const result = state.result;
        const path = label(f.root.name, f.rel);
        if (!result.ok) {
          files.push({ root: f.root.name, path, bytes: result.bytes, tokens: 0, status: 'excluded', reason: result.reason, ...(result.detail ? { detail: result.detail } : {}) });
          continue;
        }
        const store = this.store;
        const tags = store.tagTokens(state, path);
        const bytes = typeof result.raw === 'string' ? Buffer.byteLength(result.raw) : result.raw.byteLength;
        entries.push({
          file: f,
          state,
          tags,
          label: path,
          abs: f.abs,
          bytes,
          text: () => rawText(result),
          tokens: async () => (await store.tokensOf(state)) + tags,
          knownTokens: () => (result.sent && result.sent.tokens >= 0 ? result.sent.tokens + tags : undefined),
          block: () => fileBlock(path, store.sent(state).text),
          minTokens: Math.ceil(bytes / MAX_BYTES_PER_TOKEN) + tags,
          recency: 0,
          changedInGit: !!f.repo?.tracked.size && result.changedInGit,
          outline: () => store.outline(state, path),
        });
      }
      await this.orderByHistory(entries, history);
      let ranked: Entry[] | undefined;
      if (!countAll) {
        ranked = rankCandidates(entries, request) as Entry[];
        await this.countAhead(ranked, request.budgetTokens, signal);
      }
      const plan = await allocate(entries, request, (tree) => this.header(roots, tree), ranked);
      return this.finish({ request, t0, roots, walked, read }, files, entries, plan);
    } finally {
      await this.store.stopPool();
    }
  }

  /**
   * Counts, on the worker threads (when running), the files `allocate` is likely to count, so it
   * finds their counts made instead of counting one after another. A few rounds: each guesses from
   * the bytes per token of the files counted so far.
   */
  private async countAhead(ranked: Entry[], budget: number, signal?: AbortSignal): Promise<void> {
    let bytes = 0;
    let tokens = 0;
    for (let round = 0; round < 3 && this.store.pooled(); round++) {
      const perToken = tokens > 0 ? bytes / tokens : GUESS_BYTES_PER_TOKEN;
      const want = likelyCounted(ranked, budget, (c) => c.bytes / perToken + (c as Entry).tags) as Entry[];
      if (!want.length) return;
      await this.store.prepareWhole(want.map((e) => e.state), signal);
      for (const e of want) {
        bytes += e.bytes;
        tokens += e.knownTokens()! - e.tags;
      }
    }
  }

  /** The pack from a plan: blocks in order, reports, redactions in what is sent, the manifest. */
  private finish(run: PackRun, files: FileReport[], entries: Entry[], plan: Plan): { pack: Pack; blocks: Map<string, string> } {
    const { request, roots, walked, read } = run;
    const blocks = new Map<string, string>();
    const hashes = new Map<string, string>();
    const redactions: Redaction[] = [];
    for (const e of entries) {
      const placed = plan.placed.get(e.label)!;
      const whole = placed.status === 'included';
      const hash = placed.status === 'excluded' ? undefined : this.store.hash(e.state, whole);
      files.push({ root: e.file.root.name, path: e.label, bytes: e.state.result.bytes, tokens: placed.tokens, status: placed.status, ...(hash ? { hash } : {}), ...(whole ? {} : { reason: 'budget' as const }) });
      if (!hash) continue;
      blocks.set(e.label, placed.block);
      hashes.set(e.label, hash);
      const findings = whole ? this.store.sent(e.state).findings : (this.store.outline(e.state, e.label)?.findings ?? []);
      for (const f of findings) redactions.push({ path: e.label, line: f.line, rule: f.rule });
    }
    const text = plan.header + [...blocks.values()].join('') + PACK_FOOTER;
    const tokens = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    const warnings = [...walked.warnings];
    if (tokens > request.budgetTokens) warnings.push(`the repository block needs ${tokens} tokens, over the budget of ${request.budgetTokens}: even the file tree does not fit`);
    // The pack's identity from its parts (header, then each block's path, kind and content hash): the
    // same as hashing the text for telling packs apart, without hashing megabytes on every re-pack.
    const identity = createHash('sha256').update(plan.header);
    for (const l of blocks.keys()) identity.update(`\0${l}\0${plan.placed.get(l)!.status}\0${hashes.get(l)}`);
    const manifest: PackManifest = { hash: identity.digest('hex'), tokens, files: Object.fromEntries([...blocks.keys()].sort().map((l) => [l, hashes.get(l)!])) };
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.store.save();
    const elapsedMs = Math.round(performance.now() - run.t0);
    this.log.debug(`pack: ${walked.files.length} files, read ${read.readFiles} (${read.readBytes} bytes), ${tokens} tokens, ${elapsedMs} ms`);
    return {
      pack: { text, tokens, manifest, roots, files, redactions, warnings, stats: { scannedFiles: walked.files.length, readBytes: read.readBytes, readFiles: read.readFiles, elapsedMs, tokenCacheHits: this.store.takeCacheHits() } },
      blocks,
    };
  }

  /**
   * A full walk, or in watched mode the last one with every known file re-stated. Re-stating all of
   * them (microseconds each) rather than only the invalidated ones catches an edit whose watcher event
   * is still on its way (a save and a command in the same breath); new or deleted files, folders and
   * ignore files still come through `invalidate`, which forces a full walk.
   */
  private async walk(signal: AbortSignal | undefined, onFile: (f: WalkedFile) => void): Promise<WalkResult> {
    if (this.options.watched && this.walkValid && this.lastWalk) {
      const { result } = this.lastWalk;
      let ok = true;
      for (const f of result.files) {
        const st = statOrUndefined(f.abs);
        if (!st || !st.isFile()) {
          ok = false;
          break;
        }
        Object.assign(f, { size: st.size, mtimeMs: st.mtimeMs, sig: `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}` });
      }
      if (ok) return result;
    }
    const result = await walkRoots(this.roots, { settings: this.settings, env: this.gitEnv, repos: this.repos, onFile, ...(signal ? { signal } : {}) });
    this.lastWalk = { result, byAbs: new Map(result.files.map((f) => [f.abs, f])) };
    this.walkValid = true;
    return result;
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

  /** Starts reading git history for every repository the walked files belong to. */
  private startHistory(files: WalkedFile[]): Map<GitRepo, Promise<Recency>> {
    const byRepo = new Map<GitRepo, Promise<Recency>>();
    for (const f of files) if (f.repo?.tracked.size && !byRepo.has(f.repo)) byRepo.set(f.repo, this.history ? this.history.recency(f.repo) : Promise.resolve(new Map()));
    return byRepo;
  }

  /** Orders files least recently changed first (git history); untracked files count as the newest. */
  private async orderByHistory(entries: Entry[], history: Map<GitRepo, Promise<Recency>>): Promise<void> {
    const recencies = new Map<GitRepo, Recency>();
    for (const [repo, p] of history) recencies.set(repo, await p);
    for (const e of entries) {
      const recency = e.file.repo && recencies.get(e.file.repo);
      if (recency) e.recency = e.file.indexOid === undefined ? Number.MAX_SAFE_INTEGER : (recency.get(e.file.repoRel) ?? 0);
    }
    entries.sort((a, b) => a.recency - b.recency || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
