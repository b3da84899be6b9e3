// What each read file sends, made the first time a pack needs it and kept while the file is
// unchanged: its whole text with secrets redacted, hashed and counted; its tags' and outline's
// tokens; its term statistics and imports. Counting goes to the worker threads while they run (the
// main thread then never loads the tokenizer), else happens here; counts are kept by content hash.
// FileStore (fileStore.ts) adds the warm state and the reading on top of this.
import {
  isCounted,
  makeOutline,
  makeSent,
  scanOutline,
  scannedOutline,
  rawText,
  tagBlock,
  type OutlinePart,
  type ProcessedText,
  type ProcessResult,
  type SentText,
} from './processFile';
import { sha256 } from '../../shared/hash';
import { importSpecifiers } from '../place/imports';
import { termStats, type TermStats } from '../place/terms';
import { TokenCache } from './tokenCache';
import { countTokens } from '../tokens';
import type { WorkerPool } from './workerPool';

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

export class FileOutputs {
  protected readonly tokenCache: TokenCache;
  /** The worker threads while they run (FileStore starts and stops them). */
  protected pool: WorkerPool | undefined;
  /** Token counts taken from the cache since the last `takeCacheHits`. */
  private cacheHits = 0;

  /**
   * `cacheDir`: where token counts, clean scans and what planning made of files persist between runs (undefined keeps
   * them in memory only); `roots`: the root folders packed.
   */
  constructor(cacheDir: string | undefined, roots?: readonly string[]) {
    this.tokenCache = TokenCache.inDir(cacheDir, roots);
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
      s.result.rawHash === undefined ? undefined : this.tokenCache.tokens(s.result.rawHash),
    );
    const uncounted = todo.filter((_, i) => cachedRaw[i] === undefined);
    const [redacted, counts] = await Promise.all([
      pool.redact(
        todo.map((s) => ({ raw: s.result.raw, ...(s.result.rawHash ? { rawHash: s.result.rawHash } : {}) })),
        signal,
      ),
      pool.count(
        uncounted.map((s) => s.result.raw),
        signal,
      ),
    ]);
    const rawCount = new Map(uncounted.map((s, i) => [s, counts[i]!]));
    const changed = todo.filter(
      (_, i) => redacted[i]!.text !== undefined && this.tokenCache.tokens(redacted[i]!.hash) === undefined,
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
      const cached = this.tokenCache.tokens(red.hash);
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
      const cached = this.tokenCache.tokens(s.hash);
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
  outline(state: FileState, label: string): { block: string; tokens: number } | undefined {
    const part = this.outlinePart(state, label);
    // Planned with the tokens of the block as made, whether or not its lines were scanned yet (see `planned`).
    return part?.planned !== undefined && isCounted(part.planned) ? { block: part.block, tokens: part.planned } : part;
  }

  /** The file's outline under `label` (made once per label), counted; undefined when the file has none. */
  private outlinePart(state: FileState, label: string): OutlinePart | undefined {
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
      todo.map((f) => ({ label: f.label, text: okResult(f.state).raw, shown: f.state.outline!.part!.shown })),
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
    const part = this.outlinePart(state, label);
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

  protected sentOf(state: FileState): SentText {
    const r = okResult(state);
    if (!r.sent) {
      r.sent = makeSent(rawText(r), {
        known: this.tokenCache,
        count: false,
        ...(r.rawHash ? { rawHash: r.rawHash } : {}),
      });
      if (!r.sent.findings.length) this.tokenCache.markClean(r.sent.hash);
    }
    return r.sent;
  }

  /** Keeps what making `s` learned: its count, and that its text holds no secret (then its hash is the raw text's). */
  protected counted(s: SentText): void {
    if (!s.findings.length) this.tokenCache.markClean(s.hash);
    if (s.cached) this.cacheHits++;
    else if (isCounted(s.tokens)) this.tokenCache.set(s.hash, s.tokens);
  }
}

function okResult(state: FileState): ProcessedText {
  if (!state.result.ok) throw new Error('not a readable file');
  return state.result;
}
