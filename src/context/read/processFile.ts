// Reads one file and turns it into what the pack may hold: git's binary rule, strict UTF-8,
// normalised line endings (no BOM), the default exclusions found in the content. What only text
// that is sent needs (secrets redacted, a hash, a token count, the outline) is made by `makeSent`,
// `makeOutline` and `scanOutline`: up front when a cold scan asks (`job.prepare`, on worker threads), otherwise
// when the pack first needs it (fileStore.ts). Secrets are looked for only in what is sent.
// Runs in workers and inline.
import { createHash } from 'node:crypto';
import { sha256 } from '../../shared/hash';
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { fileBlock } from '../place/render';
import { contentExclusion, hasNul } from '../scan/fileKinds';
import { statKey } from '../scan/gitIndex';
import { importSpecifiers } from '../place/imports';
import { termStats, type TermStats } from '../place/terms';
import { outlineEntries, renderOutline } from '../place/outline';
import { redactedOutline, shownLines, type RedactedOutline } from '../place/outlineText';
import { redactSecrets, type SecretFinding } from '../secrets';
import { countTokens } from '../tokens';
import type { ExcludeReason } from '../types';
import type { Kept, Known } from './tokenCache';

/**
 * What to make besides reading. 'read': nothing (the rest is made on demand). 'sent': the whole
 * text redacted, hashed and counted, and the tags counted (a repository that may fit, where nearly
 * every file is sent whole). 'outline': the text's hash and its outline for `label`, not counted
 * and its import specifiers (a repository far over the budget, where most files are sent as
 * outlines or not at all and the ranking reads every file's imports; another thread counts).
 */
export type Prepare = 'read' | 'sent' | 'outline';

export interface ProcessJob {
  abs: string;
  /** Root-relative path (for content rules that look at the name). */
  rel: string;
  /** An include pattern matched: content-based default exclusions do not apply. */
  forced: boolean;
  /** Blob id in the git index, to tell whether the file differs from it. */
  indexOid?: string;
  /**
   * The stat key (gitIndex.ts `statKey`) under which the file holds `indexOid`: when the file read has it, it is not
   * hashed to tell.
   */
  indexStat?: string;
  /** Default 'read'. */
  prepare?: Prepare;
  /** The file's label in the pack (needed by 'outline'). */
  label?: string;
  /** What an earlier run made of the file under `label` ('outline' jobs): taken when the text is the same. */
  kept?: Kept;
  /** The editor's unsaved text of the file: processed instead of what is on disk. */
  unsaved?: string;
  /** The size limit for `unsaved` (UTF-8 bytes): the walk checked only the size on disk. */
  maxBytes?: number;
  /** .gitattributes says linguist-generated=false: a generated-file marker does not exclude it. */
  notGenerated?: boolean;
  /**
   * Also make the term statistics ('outline' jobs of a pack with a question: the ranking reads every file's; 'read'
   * jobs of the `@` symbol index, which keeps their definitions).
   */
  terms?: boolean;
}

/** A token count not made yet (`SentText.tokens`, `OutlinePart.tokens`): counted when first needed. */
export const NOT_COUNTED = -1;
/** True when `tokens` is a count, not NOT_COUNTED. */
export const isCounted = (tokens: number): boolean => tokens >= 0;

/** A file's text as it goes into the pack whole. */
export interface SentText {
  /** The redacted text; absent when redaction changed nothing (it is the raw text). */
  text?: string;
  /** sha256 of the redacted text's UTF-8 bytes, hex. */
  hash: string;
  findings: SecretFinding[];
  /** Tokens of the redacted text alone (tokens); NOT_COUNTED until counted. */
  tokens: number;
  /** True when the token count came from the cache. */
  cached: boolean;
}

/** A file's outline block for one label. */
export interface OutlinePart {
  block: string;
  /** Tokens of `block` (tokens); NOT_COUNTED until counted. */
  tokens: number;
  /** Secrets redacted on the lines the outline shows. */
  findings: SecretFinding[];
  /**
   * False while the lines it shows have not been scanned for secrets: such a block only plans the
   * budget (most files planned as outlines go whole) and is never sent; `scanOutline` makes it sendable.
   */
  scanned: boolean;
  /** The lines it shows (outlineText.ts `shownLines`), kept until it is scanned. */
  shown?: Int32Array;
  /**
   * Tokens of the block as made, before a secret on its lines was redacted (NOT_COUNTED until counted): what the
   * budget is planned with, however early the scan came, so a pack plans alike inline and on worker threads.
   */
  planned?: number;
}

export interface ProcessedText {
  ok: true;
  /** Size on disk (bytes). */
  bytes: number;
  /** Content differs from the git index (or the file is untracked). */
  changedInGit: boolean;
  /**
   * The normalised text before redaction: never sent as is. Its UTF-8 bytes when it came from a
   * worker thread (decoded on first use, see `rawText`).
   */
  raw: string | Uint8Array;
  /** sha256 of the raw text's UTF-8 bytes, hex, once made. */
  rawHash?: string;
  /** The raw text's UTF-8 bytes (its length), once measured. */
  rawBytes?: number;
  /** Once made. */
  sent?: SentText;
  /** The outline for the job's label once made ('outline' jobs); null when the file has none. */
  outline?: OutlinePart | null;
  /** Tokens of the file's tags under the job's label ('sent' jobs). */
  tagTokens?: number;
  /** Import specifiers (imports.ts), once found ('outline' jobs: the ranking will want them). */
  imports?: string[];
  /** Term statistics under the job's label (terms.ts), once made. */
  terms?: TermStats;
}

export interface ProcessFailure {
  ok: false;
  reason: ExcludeReason;
  detail?: string;
  bytes: number;
}

export type ProcessResult = ProcessedText | ProcessFailure;

/** Nothing known: every text is counted and scanned. */
export const NOTHING_KNOWN: Known = { tokens: () => undefined, clean: () => false };

/** `kept` when it was made of the text of `hash` (a record for the same label but another text is not). */
export const keptFor = (kept: Kept | undefined, hash: string): Kept | undefined =>
  kept && hash.startsWith(kept.hash) ? kept : undefined;

/** The raw text of a processed file (decoding a worker's bytes once). */
export function rawText(r: ProcessedText): string {
  if (typeof r.raw !== 'string') r.raw = Buffer.from(r.raw.buffer, r.raw.byteOffset, r.raw.byteLength).toString('utf8');
  return r.raw;
}

/**
 * Processes one file; never throws for a file-level problem (it becomes a ProcessFailure). With
 * `keepBytes`, `raw` is left as the bytes read when normalising changed nothing (a worker sends
 * bytes, not strings).
 */
export function processFile(job: ProcessJob, known: Known, keepBytes = false): ProcessResult {
  let buf: Buffer;
  let st: fs.Stats | undefined;
  try {
    if (job.unsaved !== undefined) buf = Buffer.from(job.unsaved);
    else ({ buf, st } = readWithStat(job.abs));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'vanished' : 'unreadable',
      detail: code ?? (e as Error).message,
      bytes: 0,
    };
  }
  const bytes = buf.length;
  if (job.unsaved !== undefined && job.maxBytes !== undefined && bytes > job.maxBytes)
    return { ok: false, reason: 'too-large', detail: `${bytes} bytes (unsaved) > ${job.maxBytes}`, bytes };
  if (hasNul(buf)) return { ok: false, reason: 'binary', detail: 'NUL byte in the first 8,000 bytes', bytes };
  if (!isUtf8(buf)) return { ok: false, reason: 'invalid-utf8', detail: 'not valid UTF-8', bytes };
  const changedInGit =
    !job.indexOid ||
    (!(st && job.indexStat !== undefined && statKey(st) === job.indexStat) &&
      job.indexOid !== gitBlobId(buf, job.indexOid.length === 64 ? 'sha256' : 'sha1'));
  let text = buf.toString('utf8');
  const decoded = text;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!job.forced) {
    const kind = contentExclusion(job.rel, text);
    if (kind && !(kind === 'generated' && job.notGenerated))
      return {
        ok: false,
        reason: kind,
        detail: kind === 'minified' ? 'very long lines' : 'generated-file marker',
        bytes,
      };
  }
  const same = text === decoded; // the bytes read are the normalised text's UTF-8
  const result: ProcessedText = { ok: true, bytes, changedInGit, raw: keepBytes && same ? buf : text };
  if (job.prepare === 'sent') {
    result.sent = makeSent(text, { known, ...(same ? { utf8: buf } : {}) });
    result.tagTokens = countTokens(tagBlock(job.label ?? job.rel));
  } else if (job.prepare === 'outline') {
    const label = job.label ?? job.rel;
    result.rawHash = sha256(same ? buf : text);
    const kept = keptFor(job.kept, result.rawHash);
    result.outline = !kept
      ? makeOutline(label, text, false)
      : kept.outline && { ...kept.outline, findings: [], scanned: false };
    result.imports = kept?.imports ?? importSpecifiers(job.rel, text);
    if (job.terms && kept?.terms) result.terms = kept.terms;
  }
  // Not for 'sent': a repository that fits is not ranked (the `@` symbol index makes them with 'read').
  if (job.terms && job.prepare !== 'sent') result.terms ??= termStats(text, job.label ?? job.rel);
  return result;
}

/** What `makeSent` may reuse or skip. */
export interface SentOptions {
  /** Counts and clean scans known by hash (default: none). */
  known?: Known;
  /** The raw text's UTF-8 bytes, if at hand (hashed instead of encoding the text again). */
  utf8?: Uint8Array;
  /** sha256 of the raw text, if made already: the hash of a text that redaction leaves unchanged. */
  rawHash?: string;
  /** False: an unknown count is left at NOT_COUNTED (default true: counted here). */
  count?: boolean;
}

/**
 * The whole text as sent: secrets redacted (not looked for again in a text `known` has scanned clean), hashed, counted
 * (from `known` when the hash is known).
 */
export function makeSent(raw: string, opts: SentOptions = {}): SentText {
  const rawHash = opts.rawHash ?? (opts.known ? sha256(opts.utf8 ?? raw) : undefined);
  const { text, findings } =
    rawHash !== undefined && opts.known?.clean(rawHash) ? { text: raw, findings: [] } : redactSecrets(raw);
  const changed = findings.length > 0;
  const hash = changed ? sha256(text) : (rawHash ?? sha256(opts.utf8 ?? raw));
  const cached = opts.known?.tokens(hash);
  const tokens = cached ?? (opts.count === false ? NOT_COUNTED : countTokens(text));
  return { ...(changed ? { text } : {}), hash, findings, tokens, cached: cached !== undefined };
}

/**
 * The outline block of `raw` under `label` for planning, not yet scanned for secrets (see
 * `scanOutline`), counted unless `count` is false; null when there is nothing to list.
 */
export function makeOutline(label: string, raw: string, count = true): OutlinePart | null {
  const entries = outlineEntries(label, raw);
  if (!entries.length) return null;
  const block = fileBlock(label, renderOutline(entries), true);
  const tokens = count ? countTokens(block) : NOT_COUNTED;
  return { block, tokens, findings: [], scanned: false, shown: shownLines(entries) };
}

/**
 * Makes `part` (the outline of `raw` under `label`) sendable: the lines it shows scanned, secrets redacted (then to be
 * counted again).
 */
export function scanOutline(label: string, raw: string, part: OutlinePart): OutlinePart {
  return part.scanned ? part : scannedOutline(label, part, redactedOutline(label, raw, part.shown));
}

/** `part` once the lines it shows were scanned (`redactedOutline`, here or on a worker thread). */
export function scannedOutline(label: string, part: OutlinePart, scan: RedactedOutline | undefined): OutlinePart {
  part.scanned = true;
  delete part.shown;
  if (scan?.findings.length && scan.text !== undefined)
    Object.assign(part, {
      block: fileBlock(label, scan.text, true),
      planned: part.tokens,
      tokens: NOT_COUNTED,
      findings: scan.findings,
    });
  return part;
}

/** A file block's tags alone, under `label`. */
export const tagBlock = (label: string): string => fileBlock(label, '');

/**
 * A file's bytes and the stat of the descriptor they were read from, read as `fs.readFileSync` reads: up to the size
 * stated (a file of size 0, such as one in /proc, to its end).
 */
export function readWithStat(abs: string): { buf: Buffer; st: fs.Stats } {
  const fd = fs.openSync(abs, 'r');
  try {
    const st = fs.fstatSync(fd);
    if (st.size === 0) return { buf: fs.readFileSync(fd), st };
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < buf.length) {
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    return { buf: n < buf.length ? buf.subarray(0, n) : buf, st };
  } finally {
    fs.closeSync(fd);
  }
}

function gitBlobId(buf: Buffer, algo: 'sha1' | 'sha256'): string {
  return createHash(algo).update(`blob ${buf.length}\0`).update(buf).digest('hex');
}
