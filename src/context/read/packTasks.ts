// The messages between the pack's worker pool (workerPool.ts) and its threads, and what a thread does with each
// request: read and check a batch of files, redact whole texts, scan outlines, count tokens. Text crosses threads as
// UTF-8 bytes in shared memory (share, unshare). Run by the worker threads (packWorker.ts) and, for a one-shot pack,
// by the calling thread as one of the pool's readers (sameThread.ts).
import { redactedOutline, type RedactedOutline } from '../place/outlineText';
import { makeSent, processFile, type ProcessJob, type ProcessResult, type SentText } from './processFile';
import type { Known } from './tokenCache';
import { countTokens } from '../tokens';

/** What a worker is told at start. */
export interface WorkerSetup {
  cacheFile?: string;
  /** This thread is the counter: it loads the tokenizer while it waits for its first task. */
  counter?: boolean;
}

/** UTF-8 text in shared memory: `length` bytes at `offset` of `buffer`. */
export interface SharedText {
  buffer: SharedArrayBuffer;
  offset: number;
  length: number;
}

/** A whole text redacted: its hash and findings, and the redacted text when it differs. */
export type Redacted = Omit<SentText, 'tokens' | 'cached'>;

/** Messages to a worker. */
export type WorkerRequest =
  | { id: number; kind: 'process'; jobs: ProcessJob[] }
  | { id: number; kind: 'redact'; texts: (string | SharedText)[]; rawHashes: (string | null)[] }
  | { id: number; kind: 'count'; texts: (string | SharedText)[] }
  | { id: number; kind: 'outline'; files: { label: string; text: string | SharedText; shown?: Int32Array }[] };
/** A worker's replies: processed files (the raw text of each readable file as shared bytes), redacted texts, counts. */
export type WorkerReply =
  | { id: number; kind: 'process'; results: ProcessResult[]; raw: (SharedText | null)[] }
  | { id: number; kind: 'redact'; redacted: Redacted[] }
  | { id: number; kind: 'count'; counts: number[] }
  | { id: number; kind: 'outline'; outlines: (RedactedOutline | undefined)[] };

/** The reply to `msg`; `known`: what is known by hash (the persisted cache). */
export function packTask(msg: WorkerRequest, known: Known): WorkerReply {
  if (msg.kind === 'process') {
    const results = msg.jobs.map((job) => processFile(job, known, true));
    const ok = results.flatMap((r) => (r.ok ? [r] : []));
    const texts = share(ok.map((r) => (typeof r.raw === 'string' ? Buffer.from(r.raw) : r.raw)));
    const raw = new Map(ok.map((r, k) => [r, texts[k]!]));
    for (const r of ok) r.raw = ''; // travels in shared memory
    return { id: msg.id, kind: 'process', results, raw: results.map((r) => (r.ok ? raw.get(r)! : null)) };
  }
  if (msg.kind === 'redact') {
    const redacted = msg.texts.map((t, i): Redacted => {
      const [raw, utf8] = unshare(t);
      const rawHash = msg.rawHashes[i];
      const { text, hash, findings } = makeSent(raw, {
        known,
        count: false,
        ...(utf8 ? { utf8 } : {}),
        ...(rawHash ? { rawHash } : {}),
      });
      return { ...(text !== undefined ? { text } : {}), hash, findings };
    });
    return { id: msg.id, kind: 'redact', redacted };
  }
  if (msg.kind === 'outline')
    return {
      id: msg.id,
      kind: 'outline',
      outlines: msg.files.map((f) => redactedOutline(f.label, unshare(f.text)[0], f.shown)),
    };
  return { id: msg.id, kind: 'count', counts: msg.texts.map((t) => countTokens(unshare(t)[0])) };
}

/** Copies byte strings into one buffer shared between threads. */
export function share(parts: Uint8Array[]): SharedText[] {
  const buffer = new SharedArrayBuffer(parts.reduce((n, p) => n + p.byteLength, 0));
  const view = new Uint8Array(buffer);
  let offset = 0;
  return parts.map((p) => {
    view.set(p, offset);
    offset += p.byteLength;
    return { buffer, offset: offset - p.byteLength, length: p.byteLength };
  });
}

/** The text and bytes of a shared or plain text. */
export function unshare(t: string | SharedText): [string, Uint8Array | undefined] {
  if (typeof t === 'string') return [t, undefined];
  const bytes = Buffer.from(t.buffer, t.offset, t.length);
  return [bytes.toString('utf8'), bytes];
}
