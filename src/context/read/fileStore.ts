// The warm half of the engine: what was read from each file (and under which stat signature), which
// paths were invalidated, and the token cache. Bringing a walk's files up to date reads only files
// whose stat, include state or index entry changed, that were invalidated, or that were modified
// too close to their last read to trust their mtime; large cold scans go to worker threads. What a
// file sends (its redacted text and count, its outline) is made the first time a pack needs it,
// here or on the workers, and kept while the file is unchanged: that half is FileOutputs
// (fileOutputs.ts), which this class extends.
import { FileOutputs, type FileState } from './fileOutputs';
import {
  isCounted,
  keptFor,
  processFile,
  tagBlock,
  type Prepare,
  type ProcessedText,
  type ProcessJob,
  type ProcessResult,
} from './processFile';
import { sha256 } from '../../shared/hash';
import { isWithin } from '../scan/paths';
import type { WalkedFile } from '../scan/walk';
import type { Kept } from './tokenCache';
import { defaultWorkerCount, defaultWorkerScript, WorkerPool } from './workerPool';

export type { FileState } from './fileOutputs';

/** A file modified this close to when it was read is read again next time (mtime granularity), in ms. */
const RACY_MS = 2000;
/** New token counts are persisted this long after the pack that made them (ms): once for a burst of packs. */
const SAVE_DELAY_MS = 3000;

export interface FileStoreOptions {
  cacheDir?: string;
  /** The root folders packed (they name the file kept records are in, see tokenCache.ts). */
  roots?: readonly string[];
  workers?: number;
  /** A cold scan reads fewer bytes than this inline, since starting workers would cost more (bytes). */
  workerThresholdBytes?: number;
  /**
   * The caller only waits while the pool works (a one-shot pack): one of the pool's readers runs on this thread
   * (sameThread.ts) instead of a thread of its own.
   */
  readHere?: boolean;
}

export interface RefreshOptions {
  signal?: AbortSignal;
  /** What to make of each file read besides its raw text (see Prepare; 'outline' falls back to 'read' inline). */
  prepare: Prepare;
  /** The pack label of a file (for outlines). */
  label: (f: WalkedFile) => string;
  /** Sees the files read, a batch at a time, as they come from the worker threads. */
  onRead?: (states: FileState[]) => void;
  /** The size limit (bytes) that unsaved editor text is held to, unless an include pattern matched. */
  maxFileBytes?: number;
  /** Make each file's term statistics as it is read (on the workers; a pack with a question ranks by them). */
  terms?: boolean;
  /**
   * Files to read before the others (those likely sent whole: what is made of them after reading, redaction and the
   * exact count, then overlaps the reading of the rest); otherwise the walk's order.
   */
  first?: (f: WalkedFile) => boolean;
}

export class FileStore extends FileOutputs {
  private readonly states = new Map<string, FileState>();
  private readonly stale = new Set<string>();
  /** Unsaved editor text by path, with the key its state is read under. */
  private unsaved = new Map<string, { text: string; key: string }>();
  /** The size limit of the last refresh (part of an unsaved file's key). */
  private maxFileBytes: number | undefined;
  private readonly workers: number;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: FileStoreOptions) {
    super(options.cacheDir, options.roots);
    this.workers = options.workers ?? defaultWorkerCount();
  }

  /** The next refresh reads these paths (files, or everything below folders) again. */
  invalidate(absPath: string): void {
    this.stale.add(absPath);
  }

  /**
   * The unsaved text of open editors by path (replacing the last set): a file with one is read from
   * it instead of the disk, and read again whenever the text changes.
   */
  setUnsaved(texts: ReadonlyMap<string, string>): void {
    const before = this.unsaved;
    this.unsaved = new Map(
      [...texts].map(([abs, text]) => {
        const kept = before.get(abs);
        return [abs, kept?.text === text ? kept : { text, key: `unsaved:${sha256(text)}` }];
      }),
    );
  }

  /** The unsaved editor text of `abs`, if it has one. */
  unsavedText(abs: string): string | undefined {
    return this.unsaved.get(abs)?.text;
  }

  /** True when `abs` is read from unsaved editor text. */
  isUnsaved(abs: string): boolean {
    return this.unsaved.has(abs);
  }

  /** Paths invalidated since the last refresh. */
  invalidated(): ReadonlySet<string> {
    return this.stale;
  }

  get(abs: string): FileState | undefined {
    return this.states.get(abs);
  }

  /**
   * True when `f` needs no read: its stat, include state and index entry are as last read, and it was not invalidated.
   */
  private isFresh(f: WalkedFile): boolean {
    const st = this.states.get(f.abs);
    return !!st && st.key === this.keyOf(f) && st.readAt - st.mtimeMs >= RACY_MS && !this.isStale(f.abs);
  }

  /**
   * Starts the worker threads when reading what changed among `walked` is worth them (and workers
   * are available), else stops threads started ahead; true when they run.
   */
  startPoolFor(walked: WalkedFile[]): boolean {
    const todo = walked.filter((f) => !this.isFresh(f));
    const bytes = todo.reduce((n, f) => n + f.size, 0);
    if (todo.length > 1 && bytes >= (this.options.workerThresholdBytes ?? 2 << 20)) this.startPool();
    else void this.stopPool();
    return this.pool !== undefined;
  }

  /** Starts the worker threads now, if available and not running (a cold scan can start them before its walk). */
  startPool(): void {
    const script = defaultWorkerScript();
    if (this.pool || !script || this.workers <= 0) return;
    this.tokenCache.save(); // the workers read known counts from the file
    this.pool = new WorkerPool({
      workers: this.workers,
      script,
      ...(this.tokenCache.file ? { cacheFile: this.tokenCache.file } : {}),
      ...(this.options.readHere ? { sameThread: this.tokenCache } : {}),
    });
  }

  /** True when nothing has been read yet (the next refresh is a cold scan). */
  isEmpty(): boolean {
    return this.states.size === 0;
  }

  /** True while worker threads are running. */
  pooled(): boolean {
    return this.pool !== undefined;
  }

  /** Stops the worker threads (the warm state stays). */
  async stopPool(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  /**
   * Reads what changed among `walked` (on the worker threads when `startPoolFor` started them) and forgets files no
   * longer walked.
   */
  async refresh(walked: WalkedFile[], opts: RefreshOptions): Promise<{ readFiles: number; readBytes: number }> {
    this.maxFileBytes = opts.maxFileBytes;
    const stale = walked.filter((f) => !this.isFresh(f));
    let todo = stale;
    if (opts.first) {
      const early: WalkedFile[] = [];
      const late: WalkedFile[] = [];
      for (const f of stale) (opts.first(f) ? early : late).push(f);
      todo = early.concat(late);
    }
    this.stale.clear();
    const pool = todo.length > 1 ? this.pool : undefined;
    const prepare = opts.prepare === 'outline' && !pool ? 'read' : opts.prepare;
    const jobs = todo.map((f): ProcessJob => {
      const label = opts.label(f);
      const kept = prepare === 'outline' ? this.tokenCache.take(label) : undefined;
      return {
        abs: f.abs,
        rel: f.rel,
        forced: f.forced,
        prepare,
        label,
        ...(kept ? { kept } : {}),
        ...(opts.terms ? { terms: true } : {}),
        ...(f.indexOid ? { indexOid: f.indexOid } : {}),
        ...(f.indexStat ? { indexStat: f.indexStat } : {}),
        ...(this.unsaved.has(f.abs)
          ? {
              unsaved: this.unsaved.get(f.abs)!.text,
              ...(f.forced || opts.maxFileBytes === undefined ? {} : { maxBytes: opts.maxFileBytes }),
            }
          : {}),
        ...(f.linguist?.generated === false ? { notGenerated: true } : {}),
      };
    });
    const readAt = Date.now();
    let readBytes = 0;
    const store = (indices: number[], results: ProcessResult[]): FileState[] =>
      indices.map((i, k) => {
        const f = todo[i]!;
        const result = results[k]!;
        readBytes += result.bytes;
        const label = jobs[i]!.label!;
        const state: FileState = {
          abs: f.abs,
          key: this.keyOf(f),
          readAt,
          mtimeMs: f.mtimeMs,
          result: result.ok ? textPart(result) : result,
        };
        if (result.ok) {
          if (result.sent) this.counted(result.sent);
          if (result.outline !== undefined) state.outline = { label, part: result.outline };
          if (result.tagTokens !== undefined) state.tags = { label, tokens: result.tagTokens };
          if (result.terms) state.termsLabel = label;
        }
        this.states.set(f.abs, state);
        return state;
      });
    if (pool) {
      // The counter counts the tags (the labels are known already), then each batch's outlines as it arrives.
      const tags =
        prepare === 'outline'
          ? pool.count(
              jobs.map((j) => tagBlock(j.label!)),
              opts.signal,
            )
          : undefined;
      const counting: Promise<unknown>[] = [];
      await pool.process(
        jobs,
        todo.map((f) => f.size),
        opts.signal,
        (indices, results) => {
          const states = store(indices, results);
          // What came from an earlier run is counted; the rest is kept for the next once its outline is counted, as
          // made (the outline may be scanned for secrets meanwhile).
          const made = states.flatMap((s, k) => {
            const job = jobs[indices[k]!]!;
            const r = s.result;
            if (prepare !== 'outline' || !r.ok || !r.rawHash) return [];
            const used = keptFor(job.kept, r.rawHash);
            if (used && (!job.terms || used.terms)) return [];
            const part = s.outline?.part;
            const kept: Kept = {
              hash: r.rawHash,
              outline: part ? { block: part.block, tokens: part.tokens, shown: part.shown! } : null,
              imports: r.imports ?? [],
              ...(r.terms ? { terms: r.terms } : {}),
            };
            if (!part || isCounted(part.tokens)) this.tokenCache.keep(job.label!, kept);
            return part && !isCounted(part.tokens) ? [{ part, label: job.label!, kept }] : [];
          });
          if (made.length)
            counting.push(
              pool
                .count(
                  made.map((m) => m.kept.outline!.block),
                  opts.signal,
                )
                .then((n) =>
                  made.forEach(({ part, label, kept }, k) => {
                    if (part.block === kept.outline!.block) part.tokens = n[k]!;
                    else part.planned = n[k]!; // scanned meanwhile, and a secret redacted
                    kept.outline!.tokens = n[k]!;
                    this.tokenCache.keep(label, kept);
                  }),
                ),
            );
          opts.onRead?.(states);
        },
      );
      await Promise.all(counting);
      (await tags)?.forEach((tokens, i) => (this.states.get(todo[i]!.abs)!.tags = { label: jobs[i]!.label!, tokens }));
    } else {
      for (let i = 0; i < jobs.length; i++) {
        store([i], [processFile(jobs[i]!, this.tokenCache)]);
        if (i % 200 === 199) opts.signal?.throwIfAborted();
      }
    }
    const live = new Set(walked.map((f) => f.abs));
    for (const abs of [...this.states.keys()]) if (!live.has(abs)) this.states.delete(abs);
    return { readFiles: todo.length, readBytes };
  }

  /** Persists new token counts now (no-op without a cache dir or new counts). */
  save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.tokenCache.save();
  }

  /**
   * Persists new token counts a few seconds from now (SAVE_DELAY_MS), or at the next `save`: a warm re-pack after an
   * edit then does not read, merge and rewrite the whole cache file, which holds every repository's counts. The timer
   * does not keep the process alive; a cache that cannot be written is left as it is (counts are made again).
   */
  saveSoon(): void {
    if (this.saveTimer || !this.tokenCache.dirty) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      try {
        this.tokenCache.save();
      } catch {
        // a cache, not state: nothing is lost but counting again
      }
    }, SAVE_DELAY_MS);
    this.saveTimer.unref?.();
  }

  clear(): void {
    this.states.clear();
  }

  /**
   * What a file's state is read under: its stat signature (or unsaved text and the size limit it is held to), include
   * state, index entry and linguist-generated=false.
   */
  private keyOf(f: WalkedFile): string {
    const unsaved = this.unsaved.get(f.abs);
    const read = unsaved ? `${unsaved.key}:${this.maxFileBytes}` : f.sig;
    return `${read}|${f.forced}|${f.indexOid ?? ''}|${f.linguist?.generated === false}`;
  }

  private isStale(abs: string): boolean {
    if (!this.stale.size) return false;
    for (const p of this.stale) if (isWithin(abs, p)) return true;
    return false;
  }
}

/**
 * `result` without the parts that are its label's (the outline, the tags' tokens), which the file's state keeps: a
 * copy, not `delete`, which would turn every file's result into a slow dictionary of about half a kilobyte.
 */
function textPart(result: ProcessedText): ProcessedText {
  const { outline: _outline, tagTokens: _tags, ...text } = result;
  return text;
}
