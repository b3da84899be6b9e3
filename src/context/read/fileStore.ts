// The warm half of the engine: what was read from each file (and under which stat signature), which
// paths were invalidated, and the token cache. Bringing a walk's files up to date reads only files
// whose stat, include state or index entry changed, that were invalidated, or that were modified
// too close to their last read to trust their mtime; large cold scans go to worker threads. What a
// file sends (its redacted text and count, its outline) is made the first time a pack needs it,
// here or on the workers, and kept while the file is unchanged.
import {
  isCounted,
  makeOutline,
  makeSent,
  processFile,
  scanOutline,
  scannedOutline,
  rawText,
  sha256,
  tagBlock,
  type OutlinePart,
  type Prepare,
  type ProcessedText,
  type ProcessJob,
  type ProcessResult,
  type SentText,
} from './processFile';
import { importSpecifiers } from '../place/imports';
import { termStats, type TermStats } from '../place/terms';
import { isWithin } from '../scan/paths';
import { TokenCache } from './tokenCache';
import { countTokens } from '../tokens';
import type { WalkedFile } from '../scan/walk';
import { defaultWorkerCount, defaultWorkerScript, WorkerPool } from './workerPool';

/** A file modified this close to when it was read is read again next time (mtime granularity), in ms. */
const RACY_MS = 2000;

export interface FileState {
  abs: string;
  key: string;
  readAt: number;
  mtimeMs: number;
  result: ProcessResult;
  /** Tokens of the file's tags under a pack label (the label is part of the block). */
  tags?: { label: string; tokens: number };
  /** The outline block under a pack label (null: the file has none). */
  outline?: { label: string; part: OutlinePart | null };
  /** The label the result's term statistics were made under. */
  termsLabel?: string;
}

export interface FileStoreOptions {
  cacheDir?: string;
  workers?: number;
  /** A cold scan reads fewer bytes than this inline, since starting workers would cost more (bytes). */
  workerThresholdBytes?: number;
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
}

export class FileStore {
  private readonly states = new Map<string, FileState>();
  private readonly stale = new Set<string>();
  /** Unsaved editor text by path, with the key its state is read under. */
  private unsaved = new Map<string, { text: string; key: string }>();
  /** The size limit of the last refresh (part of an unsaved file's key). */
  private maxFileBytes: number | undefined;
  private readonly tokenCache: TokenCache;
  private readonly workers: number;
  private pool: WorkerPool | undefined;
  /** Token counts taken from the cache since the last `takeCacheHits`. */
  private cacheHits = 0;

  constructor(private readonly options: FileStoreOptions) {
    this.tokenCache = TokenCache.inDir(options.cacheDir);
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
    const todo = walked.filter((f) => !this.isFresh(f));
    this.stale.clear();
    const pool = todo.length > 1 ? this.pool : undefined;
    const prepare = opts.prepare === 'outline' && !pool ? 'read' : opts.prepare;
    const jobs = todo.map((f): ProcessJob => ({
      abs: f.abs,
      rel: f.rel,
      forced: f.forced,
      prepare,
      label: opts.label(f),
      ...(opts.terms ? { terms: true } : {}),
      ...(f.indexOid ? { indexOid: f.indexOid } : {}),
      ...(this.unsaved.has(f.abs)
        ? {
            unsaved: this.unsaved.get(f.abs)!.text,
            ...(f.forced || opts.maxFileBytes === undefined ? {} : { maxBytes: opts.maxFileBytes }),
          }
        : {}),
      ...(f.linguist?.generated === false ? { notGenerated: true } : {}),
    }));
    const readAt = Date.now();
    let readBytes = 0;
    const store = (indices: number[], results: ProcessResult[]): FileState[] =>
      indices.map((i, k) => {
        const f = todo[i]!;
        const result = results[k]!;
        readBytes += result.bytes;
        const state: FileState = { abs: f.abs, key: this.keyOf(f), readAt, mtimeMs: f.mtimeMs, result };
        const label = jobs[i]!.label!;
        if (result.ok) {
          if (result.sent) this.counted(result.sent);
          if (result.outline !== undefined) state.outline = { label, part: result.outline };
          if (result.tagTokens !== undefined) state.tags = { label, tokens: result.tagTokens };
          if (result.terms) state.termsLabel = label;
          delete result.outline;
          delete result.tagTokens;
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
          const parts = states.flatMap((s) => (s.outline?.part ? [s.outline.part] : []));
          if (parts.length)
            counting.push(
              pool
                .count(
                  parts.map((o) => o.block),
                  opts.signal,
                )
                .then((n) => parts.forEach((o, k) => (o.tokens = n[k]!))),
            );
          opts.onRead?.(states);
        },
      );
      await Promise.all(counting);
      (await tags)?.forEach((tokens, i) => (this.states.get(todo[i]!.abs)!.tags = { label: jobs[i]!.label!, tokens }));
    } else {
      for (let i = 0; i < jobs.length; i++) {
        store([i], [processFile(jobs[i]!, (h) => this.tokenCache.get(h))]);
        if (i % 200 === 199) opts.signal?.throwIfAborted();
      }
    }
    const live = new Set(walked.map((f) => f.abs));
    for (const abs of [...this.states.keys()]) if (!live.has(abs)) this.states.delete(abs);
    return { readFiles: todo.length, readBytes };
  }

  /**
   * Makes the whole sent text (redacted, hashed, counted) of these files on the worker threads, when
   * running: the readers redact while the counter counts the raw text (the same text, unless a
   * secret was found: then its redacted text is counted after). Files already counted are skipped;
   * whatever is not made here is made when first needed.
   */
  async prepareWhole(states: FileState[], signal?: AbortSignal): Promise<void> {
    const pool = this.pool;
    const todo = states.filter(
      (s): s is FileState & { result: ProcessedText } =>
        s.result.ok && !(s.result.sent && isCounted(s.result.sent.tokens)),
    );
    if (!pool || !todo.length) return;
    const cachedRaw = todo.map((s) =>
      s.result.rawHash === undefined ? undefined : this.tokenCache.get(s.result.rawHash),
    );
    const uncounted = todo.filter((_, i) => cachedRaw[i] === undefined);
    const [redacted, counts] = await Promise.all([
      pool.redact(
        todo.map((s) => s.result.raw),
        signal,
      ),
      pool.count(
        uncounted.map((s) => s.result.raw),
        signal,
      ),
    ]);
    const rawCount = new Map(uncounted.map((s, i) => [s, counts[i]!]));
    const changed = todo.filter(
      (_, i) => redacted[i]!.text !== undefined && this.tokenCache.get(redacted[i]!.hash) === undefined,
    );
    const recounted = new Map(changed.map((s, i) => [s, i]));
    const again = changed.length
      ? await pool.count(
          changed.map((s) => redacted[todo.indexOf(s)]!.text!),
          signal,
        )
      : [];
    todo.forEach((s, i) => {
      const red = redacted[i]!;
      const cached = this.tokenCache.get(red.hash);
      const tokens =
        cached ?? (red.text !== undefined ? again[recounted.get(s)!]! : (rawCount.get(s) ?? cachedRaw[i]!));
      s.result.sent = { ...red, tokens, cached: cached !== undefined };
      this.counted(s.result.sent);
    });
  }

  /** The whole text as sent (secrets redacted, with its hash and findings), made inline if not made yet. */
  sent(state: FileState): { text: string; hash: string; findings: SentText['findings'] } {
    const s = this.sentOf(state);
    return { text: s.text ?? rawText(okResult(state)), hash: s.hash, findings: s.findings };
  }

  /** Tokens of the sent text alone (tokens): known, else counted on a worker thread when running, else here. */
  async tokensOf(state: FileState): Promise<number> {
    const r = okResult(state);
    if (this.pool && !(r.sent && isCounted(r.sent.tokens))) await this.prepareWhole([state]);
    const s = this.sentOf(state);
    if (!isCounted(s.tokens)) {
      const cached = this.tokenCache.get(s.hash);
      if (cached !== undefined) this.cacheHits++;
      s.tokens = cached ?? countTokens(s.text ?? rawText(okResult(state)));
      this.tokenCache.set(s.hash, s.tokens);
    }
    return s.tokens;
  }

  /** Tokens of the file's tags under `label` (tokens). */
  tagTokens(state: FileState, label: string): number {
    if (state.tags?.label !== label) state.tags = { label, tokens: countTokens(tagBlock(label)) };
    return state.tags.tokens;
  }

  /** The file's term statistics under `label` (made once per content and label). */
  terms(state: FileState, label: string): TermStats {
    const r = okResult(state);
    if (!r.terms || state.termsLabel !== label) {
      r.terms = termStats(rawText(r), label);
      state.termsLabel = label;
    }
    return r.terms;
  }

  /** The file's import specifiers (found once). */
  imports(state: FileState): string[] {
    const r = okResult(state);
    return (r.imports ??= importSpecifiers(state.abs, rawText(r)));
  }

  /**
   * The outline block under `label`, counted, for planning (maybe not scanned for secrets yet: never send it), or
   * undefined when the file has none.
   */
  outline(state: FileState, label: string): OutlinePart | undefined {
    if (state.outline?.label !== label) state.outline = { label, part: makeOutline(label, rawText(okResult(state))) };
    const part = state.outline.part;
    if (part && !isCounted(part.tokens)) part.tokens = countTokens(part.block);
    return part ?? undefined;
  }

  /**
   * Scans the outlines of these files (under their labels) on the worker threads, when running; whatever is not scanned
   * here is scanned when sent.
   */
  async scanOutlines(files: { state: FileState; label: string }[], signal?: AbortSignal): Promise<void> {
    const pool = this.pool;
    const todo = files.filter(
      (f) => f.state.outline?.label === f.label && f.state.outline.part && !f.state.outline.part.scanned,
    );
    if (!pool || !todo.length) return;
    const scans = await pool.outlines(
      todo.map((f) => ({ label: f.label, text: okResult(f.state).raw })),
      signal,
    );
    const recount = todo.flatMap((f, i) => {
      const part = scannedOutline(f.label, f.state.outline!.part!, scans[i]);
      return !isCounted(part.tokens) ? [part] : [];
    });
    if (recount.length)
      (
        await pool.count(
          recount.map((p) => p.block),
          signal,
        )
      ).forEach((n, i) => (recount[i]!.tokens = n));
  }

  /** The outline block under `label` as sent: secrets on its lines redacted, counted. */
  sentOutline(state: FileState, label: string): OutlinePart | undefined {
    const part = this.outline(state, label);
    if (!part || part.scanned) return part;
    scanOutline(label, rawText(okResult(state)), part);
    if (!isCounted(part.tokens)) part.tokens = countTokens(part.block);
    return part;
  }

  /**
   * The hash a file is reported under: of its redacted text when sent whole; of its text before
   * redaction when sent as an outline (it was never scanned whole). The two agree for a file with
   * no secrets, so a file moving between whole and outline does not count as a change.
   */
  hash(state: FileState, whole: boolean): string {
    const r = okResult(state);
    if (whole) return this.sentOf(state).hash;
    return (r.rawHash ??= r.sent && !r.sent.findings.length ? r.sent.hash : sha256(rawText(r)));
  }

  /**
   * Tokens of each text (tokens), counted on a worker thread when running (the main thread then never loads the
   * tokenizer).
   */
  async count(texts: string[]): Promise<number[]> {
    return this.pool ? this.pool.count(texts) : texts.map(countTokens);
  }

  /** Token counts taken from the cache since the last call. */
  takeCacheHits(): number {
    const n = this.cacheHits;
    this.cacheHits = 0;
    return n;
  }

  /** Persists new token counts (no-op without a cache dir). */
  save(): void {
    this.tokenCache.save();
  }

  clear(): void {
    this.states.clear();
  }

  private sentOf(state: FileState): SentText {
    const r = okResult(state);
    return (r.sent ??= makeSent(rawText(r), () => undefined, undefined, false));
  }

  private counted(s: SentText): void {
    if (s.cached) this.cacheHits++;
    else if (isCounted(s.tokens)) this.tokenCache.set(s.hash, s.tokens);
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

function okResult(state: FileState): ProcessedText {
  if (!state.result.ok) throw new Error('not a readable file');
  return state.result;
}
