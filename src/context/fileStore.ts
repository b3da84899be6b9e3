// The warm half of the engine: what was read from each file (and under which stat signature), which
// paths were invalidated, and the token cache. Bringing a walk's files up to date reads only files
// whose stat, include state or index entry changed, that were invalidated, or that were modified
// too close to their last read to trust their mtime; large cold scans go to worker threads.
import { processFile, type ProcessJob, type ProcessResult } from './processFile';
import { isWithin } from './paths';
import { TokenCache } from './tokenCache';
import { countTokens } from './tokens';
import type { WalkedFile } from './walk';
import { defaultWorkerCount, defaultWorkerScript, processInWorkers } from './workerPool';

/** A file modified this close to when it was read is read again next time (mtime granularity), in ms. */
const RACY_MS = 2000;

export interface FileState {
  key: string;
  readAt: number;
  mtimeMs: number;
  result: ProcessResult;
  /** Per pack label (it is part of the block): tokens of the tags, and the outline block. */
  label?: string;
  tagTokens?: number;
  outline?: { block: string; tokens: number } | null;
}

export interface FileStoreOptions {
  cacheDir?: string;
  workers?: number;
  workerThresholdBytes?: number;
}

export class FileStore {
  private readonly states = new Map<string, FileState>();
  private readonly stale = new Set<string>();
  private readonly tokenCache: TokenCache;

  constructor(private readonly options: FileStoreOptions) {
    this.tokenCache = TokenCache.inDir(options.cacheDir);
  }

  /** The next refresh reads these paths (files, or everything below folders) again. */
  invalidate(absPath: string): void {
    this.stale.add(absPath);
  }

  /** Paths invalidated since the last refresh. */
  invalidated(): ReadonlySet<string> {
    return this.stale;
  }

  get(abs: string): FileState | undefined {
    return this.states.get(abs);
  }

  /** Tokens of a read file's text, counted now if the read left them for later (tokens). */
  tokensOf(state: FileState): number {
    const r = state.result;
    if (!r.ok) return 0;
    if (r.tokens < 0) {
      r.tokens = this.tokenCache.get(r.hash) ?? countTokens(r.text);
      this.tokenCache.set(r.hash, r.tokens);
    }
    return r.tokens;
  }

  /**
   * Reads what changed among `walked` and forgets files no longer walked. With `count` false, token
   * counts not in the cache are left for `tokensOf` (a repository far over the budget).
   */
  async refresh(walked: WalkedFile[], signal?: AbortSignal, count = true): Promise<{ readFiles: number; readBytes: number; cacheHits: number }> {
    const todo: Array<{ file: WalkedFile; key: string; job: ProcessJob }> = [];
    for (const f of walked) {
      const key = `${f.sig}|${f.forced}|${f.indexOid ?? ''}`;
      const st = this.states.get(f.abs);
      const fresh = st && st.key === key && st.readAt - st.mtimeMs >= RACY_MS && !this.isStale(f.abs);
      if (!fresh) todo.push({ file: f, key, job: { abs: f.abs, rel: f.rel, forced: f.forced, count, ...(f.indexOid ? { indexOid: f.indexOid } : {}) } });
    }
    this.stale.clear();
    const bytes = todo.reduce((n, t) => n + t.file.size, 0);
    const readAt = Date.now();
    const workers = this.options.workers ?? defaultWorkerCount();
    const script = defaultWorkerScript();
    let results: ProcessResult[];
    // Counting dominates reading: without it, starting workers pays off only for much larger scans.
    const threshold = (this.options.workerThresholdBytes ?? 2 << 20) * (count ? 1 : 16);
    if (workers > 0 && script && bytes >= threshold && todo.length > 1) {
      this.tokenCache.save(); // the workers read known counts from the file
      results = await processInWorkers(
        todo.map((t) => t.job),
        todo.map((t) => t.file.size),
        { workers, script, ...(this.tokenCache.file ? { cacheFile: this.tokenCache.file } : {}), ...(signal ? { signal } : {}) },
      );
    } else {
      results = [];
      for (const t of todo) {
        results.push(processFile(t.job, (h) => this.tokenCache.get(h)));
        if (results.length % 200 === 0) signal?.throwIfAborted();
      }
    }
    let cacheHits = 0;
    let readBytes = 0;
    todo.forEach((t, i) => {
      const result = results[i]!;
      readBytes += result.bytes;
      if (result.ok) {
        if (result.cached) cacheHits++;
        else if (result.tokens >= 0) this.tokenCache.set(result.hash, result.tokens);
      }
      this.states.set(t.file.abs, { key: t.key, readAt, mtimeMs: t.file.mtimeMs, result });
    });
    const live = new Set(walked.map((f) => f.abs));
    for (const abs of [...this.states.keys()]) if (!live.has(abs)) this.states.delete(abs);
    return { readFiles: todo.length, readBytes, cacheHits };
  }

  /** Persists new token counts (no-op without a cache dir). */
  save(): void {
    this.tokenCache.save();
  }

  clear(): void {
    this.states.clear();
  }

  private isStale(abs: string): boolean {
    if (!this.stale.size) return false;
    for (const p of this.stale) if (isWithin(abs, p)) return true;
    return false;
  }
}
