// Reads one file and turns it into what the pack holds: git's binary rule, strict UTF-8, normalised
// line endings (no BOM), default exclusions found in the content, secrets redacted, a content hash
// and a token count (taken from the cache when the hash is known). Runs in workers and inline.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { contentExclusion, hasNul } from './fileKinds';
import { redactSecrets, type SecretFinding } from './secrets';
import { countTokens } from './tokens';
import type { ExcludeReason } from './types';

export interface ProcessJob {
  abs: string;
  /** Root-relative path (for content rules that look at the name). */
  rel: string;
  /** An include pattern matched: content-based default exclusions do not apply. */
  forced: boolean;
  /** Blob id in the git index, to tell whether the file differs from it. */
  indexOid?: string;
  /** Count tokens now (default), or leave them to be counted when a decision needs them. */
  count?: boolean;
}

export interface ProcessedText {
  ok: true;
  /** Redacted, normalised text as it goes into the pack. */
  text: string;
  /** sha256 of `text`, hex. */
  hash: string;
  /** Tokens of `text` alone (tokens); -1 when not counted yet (job.count false and not cached). */
  tokens: number;
  /** Size on disk (bytes). */
  bytes: number;
  findings: SecretFinding[];
  /** True when the token count came from the cache. */
  cached: boolean;
  /** Content differs from the git index (or the file is untracked). */
  changedInGit: boolean;
}

export interface ProcessFailure {
  ok: false;
  reason: ExcludeReason;
  detail?: string;
  bytes: number;
}

export type ProcessResult = ProcessedText | ProcessFailure;

/** sha256 of a string's UTF-8 bytes, hex. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Processes one file; never throws for a file-level problem (it becomes a ProcessFailure). */
export function processFile(job: ProcessJob, knownTokens: (hash: string) => number | undefined): ProcessResult {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(job.abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'vanished' : 'unreadable', detail: code ?? (e as Error).message, bytes: 0 };
  }
  const bytes = buf.length;
  if (hasNul(buf)) return { ok: false, reason: 'binary', detail: 'NUL byte in the first 8,000 bytes', bytes };
  if (!isUtf8(buf)) return { ok: false, reason: 'invalid-utf8', detail: 'not valid UTF-8', bytes };
  const changedInGit = !job.indexOid || job.indexOid !== gitBlobId(buf, job.indexOid.length === 64 ? 'sha256' : 'sha1');
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (!job.forced) {
    const kind = contentExclusion(job.rel, text);
    if (kind) return { ok: false, reason: kind, detail: kind === 'minified' ? 'very long lines' : 'generated-file marker', bytes };
  }
  const redacted = redactSecrets(text);
  text = redacted.text;
  const hash = sha256(text);
  const known = knownTokens(hash);
  const tokens = known ?? (job.count === false ? -1 : countTokens(text));
  return { ok: true, text, hash, tokens, bytes, findings: redacted.findings, cached: known !== undefined, changedInGit };
}

function gitBlobId(buf: Buffer, algo: 'sha1' | 'sha256'): string {
  return createHash(algo).update(`blob ${buf.length}\0`).update(buf).digest('hex');
}
