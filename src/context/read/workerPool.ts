// Worker threads for cold scans, kept for one pack. The first thread is the counter, the first that
// loads the tokenizer, so its start-up (model, JIT warm-up, piece cache) is paid once; it also reads
// when it has nothing to count. The others are readers: they read and check files in batches of
// about 1 MB (processFile) and redact what is sent; a reader with nothing left to do counts too
// (loading the tokenizer then), so the counting that is left when the reading is done is shared
// instead of keeping one core idle. When every file is likely sent whole, all threads read, redact
// and count alike. Text crosses threads as UTF-8 bytes in shared
// memory (one buffer per batch read, never copied again): structured-cloning megabytes of strings
// costs the receiving thread more than the work did.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Known } from './tokenCache';
import type { RedactedOutline } from '../place/outlineText';
import type { Redacted, SharedText, WorkerReply, WorkerRequest, WorkerSetup } from './packTasks';
import type { ProcessJob, ProcessResult } from './processFile';
import { SameThread } from './sameThread';

const BATCH_BYTES = 1 << 20;
const BATCH_FILES = 256;
/** Redacting costs ~10x reading per byte: smaller batches keep the readers evenly busy. */
const REDACT_BATCH_BYTES = 1 << 18;
/** Tasks sent ahead to each thread, so it never waits for the main thread to hand it the next one. */
const IN_FLIGHT = 2;
/**
 * Text waiting to be counted (bytes) above which an idle reader counts too: loading the tokenizer there costs about
 * what counting a few hundred KB does, so a short wait is left to the counter.
 */
const SHARE_COUNT_BYTES = 1 << 20;

/** How to start a worker: the bundled script next to this file, or the TypeScript source under tsx. */
export function defaultWorkerScript(): { script: string; execArgv: string[] } | undefined {
  const bundled = path.join(__dirname, 'packWorker.worker.js');
  if (fs.existsSync(bundled)) return { script: bundled, execArgv: [] };
  const source = path.join(__dirname, 'packWorker.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(source))
    return { script: source, execArgv: ['--require', 'tsx/cjs'] };
  return undefined;
}

/** Worker threads to use for a cold scan: the machine's cores, at most 4. */
export const defaultWorkerCount = (): number => Math.min(4, Math.max(1, os.availableParallelism()));

export interface PoolOptions {
  workers: number;
  script: { script: string; execArgv: string[] };
  /** Persisted token cache file the threads read known counts and clean scans from (once, when they start). */
  cacheFile?: string;
  /**
   * With two or more workers, the last reader runs on the calling thread (sameThread.ts), with this knowledge (that of
   * `cacheFile`): for a caller that only waits while the pool works (a one-shot pack).
   */
  sameThread?: Known;
}

/** Which threads may take a request. */
type Role = 'counter' | 'reader' | 'any';

interface Task {
  role: Role;
  request: WorkerRequest;
  /** Text it carries (bytes, about), when known. */
  bytes: number;
  resolve: (reply: WorkerReply) => void;
  reject: (e: unknown) => void;
}

/** A worker thread, or the calling thread (sameThread.ts). */
type Member = Worker | SameThread;

export class WorkerPool {
  private readonly workers: Member[];
  /** Tasks sent to each thread, oldest first (a thread answers in order). */
  private readonly sent = new Map<Member, Task[]>();
  private readonly queue: Task[] = [];
  private nextId = 0;
  private failure: unknown;
  private closed = false;

  /** Starts the threads. */
  constructor(opts: PoolOptions) {
    const n = Math.max(1, opts.workers);
    this.workers = Array.from({ length: n }, (_, i): Member => {
      const setup: WorkerSetup = {
        ...(opts.cacheFile ? { cacheFile: opts.cacheFile } : {}),
        ...(i === 0 ? { counter: true } : {}),
      };
      const w =
        opts.sameThread && n > 1 && i === n - 1
          ? new SameThread(opts.sameThread)
          : new Worker(opts.script.script, { execArgv: opts.script.execArgv, workerData: setup });
      w.on('message', (reply: WorkerReply) => this.done(w, reply));
      w.on('error', (e: unknown) => this.fail(e));
      w.on('exit', (code: number) => this.closed || this.fail(new Error(`pack worker exited with code ${code}`)));
      this.sent.set(w, []);
      return w;
    });
  }

  /**
   * Processes `jobs` on every thread (sizes in bytes, for batching); results in job order, raw text
   * as bytes. `onBatch` sees each batch's results (with their job indices) as they arrive.
   */
  async process(
    jobs: ProcessJob[],
    sizes: number[],
    signal?: AbortSignal,
    onBatch?: (indices: number[], results: ProcessResult[]) => void,
  ): Promise<ProcessResult[]> {
    const results = new Array<ProcessResult>(jobs.length);
    await Promise.all(
      batches(sizes, BATCH_BYTES, BATCH_FILES).map(async (idx) => {
        const reply = await this.submit(
          'any',
          { id: this.nextId++, kind: 'process', jobs: idx.map((i) => jobs[i]!) },
          signal,
        );
        if (reply.kind !== 'process') throw new Error('pack worker: unexpected reply');
        idx.forEach((jobIndex, k) => {
          const r = reply.results[k]!;
          const raw = reply.raw[k];
          if (r.ok && raw) r.raw = new Uint8Array(raw.buffer, raw.offset, raw.length);
          results[jobIndex] = r;
        });
        onBatch?.(idx, reply.results);
      }),
    );
    return results;
  }

  /**
   * Redacts each raw text (a string, or UTF-8 bytes this pool read) on the readers, in order; a text's `rawHash`, when
   * made already, is its hash when redaction changes nothing (not hashed again).
   */
  redact(texts: { raw: string | Uint8Array; rawHash?: string }[], signal?: AbortSignal): Promise<Redacted[]> {
    return this.batched(
      texts.map((t) => t.raw.length),
      'reader',
      (idx) => ({
        id: this.nextId++,
        kind: 'redact',
        texts: idx.map((i) => shared(texts[i]!.raw)),
        rawHashes: idx.map((i) => texts[i]!.rawHash ?? null),
      }),
      (reply) => (reply.kind === 'redact' ? reply.redacted : undefined),
      signal,
    );
  }

  /**
   * The outline of each file with the lines it shows scanned for secrets (redactedOutline), on any thread, in order;
   * `shown`: the lines it shows, when known (the outline is not parsed again).
   */
  outlines(
    files: { label: string; text: string | Uint8Array; shown?: Int32Array | undefined }[],
    signal?: AbortSignal,
  ): Promise<(RedactedOutline | undefined)[]> {
    return this.batched(
      files.map((f) => f.text.length),
      'any',
      (idx) => ({
        id: this.nextId++,
        kind: 'outline',
        files: idx.map((i) => {
          const { label, text, shown } = files[i]!;
          return { label, text: shared(text), ...(shown ? { shown } : {}) };
        }),
      }),
      (reply) => (reply.kind === 'outline' ? reply.outlines : undefined),
      signal,
    );
  }

  /**
   * Tokens of each text (a string, or UTF-8 bytes this pool read), in order: counted on the counter thread, in batches
   * an idle reader may take (see pump).
   */
  count(texts: (string | Uint8Array)[], signal?: AbortSignal): Promise<number[]> {
    return this.batched(
      texts.map((t) => t.length),
      'counter',
      (idx) => ({ id: this.nextId++, kind: 'count', texts: idx.map((i) => shared(texts[i]!)) }),
      (reply) => (reply.kind === 'count' ? reply.counts : undefined),
      signal,
    );
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('the worker pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * Texts of these sizes in batches of about REDACT_BATCH_BYTES to threads of `role`: each reply's results (undefined:
   * the wrong kind), in item order.
   */
  private async batched<R>(
    sizes: number[],
    role: Role,
    request: (idx: number[]) => WorkerRequest,
    results: (reply: WorkerReply) => R[] | undefined,
    signal?: AbortSignal,
  ): Promise<R[]> {
    const out = new Array<R>(sizes.length);
    await Promise.all(
      batches(sizes, REDACT_BATCH_BYTES, BATCH_FILES).map(async (idx) => {
        const bytes = idx.reduce((n, i) => n + sizes[i]!, 0);
        const got = results(await this.submit(role, request(idx), signal, bytes));
        if (!got) throw new Error('pack worker: unexpected reply');
        idx.forEach((i, k) => (out[i] = got[k]!));
      }),
    );
    return out;
  }

  private submit(role: Role, request: WorkerRequest, signal?: AbortSignal, bytes = 0): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (this.failure !== undefined || this.closed) {
        const failure: unknown = this.failure ?? new Error('the worker pool was closed');
        return reject(failure);
      }
      this.queue.push({ role, request, bytes, resolve, reject });
      this.pump();
    });
  }

  /**
   * Tops up each thread with queued tasks: first those only it may take, then those any thread may; a reader with
   * nothing in flight and nothing else to take takes the counter's (the counter, topped up first, has its fill) when
   * more than SHARE_COUNT_BYTES wait to be counted.
   */
  private pump(): void {
    for (const w of this.workers) {
      const mine = this.sent.get(w)!;
      const own: Role = this.workers.length === 1 || w !== this.workers[0] ? 'reader' : 'counter';
      while (mine.length < IN_FLIGHT && this.queue.length) {
        let at = this.queue.findIndex((t) => t.role === own || (this.workers.length === 1 && t.role !== 'any'));
        if (at < 0) at = this.queue.findIndex((t) => t.role === 'any');
        if (at < 0 && own === 'reader' && !mine.length && this.waiting('counter') > SHARE_COUNT_BYTES)
          at = this.queue.findIndex((t) => t.role === 'counter');
        if (at < 0) break;
        const task = this.queue.splice(at, 1)[0]!;
        mine.push(task);
        w.postMessage(task.request);
      }
    }
  }

  /** Bytes of text the queued tasks of `role` carry. */
  private waiting(role: Role): number {
    let n = 0;
    for (const t of this.queue) if (t.role === role) n += t.bytes;
    return n;
  }

  private done(w: Member, reply: WorkerReply): void {
    this.sent.get(w)!.shift()?.resolve(reply);
    this.pump();
  }

  private fail(e: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = e;
    for (const t of [...[...this.sent.values()].flat(), ...this.queue.splice(0)]) t.reject(e);
    for (const list of this.sent.values()) list.length = 0;
  }
}

/** A text as it crosses threads: bytes in shared memory are passed by reference, anything else as a string. */
function shared(t: string | Uint8Array): string | SharedText {
  if (typeof t === 'string') return t;
  if (t.buffer instanceof SharedArrayBuffer) return { buffer: t.buffer, offset: t.byteOffset, length: t.byteLength };
  return Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('utf8');
}

/** Indices grouped into batches of about `maxBytes` or `maxItems`. */
function batches(sizes: number[], maxBytes: number, maxItems: number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  sizes.forEach((size, i) => {
    cur.push(i);
    bytes += size;
    if (bytes >= maxBytes || cur.length >= maxItems) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
  });
  if (cur.length) out.push(cur);
  return out;
}
