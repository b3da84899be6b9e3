// Runs processFile over many files on worker threads (one per core, at most 4), in batches of about
// 1 MB, results in job order. Used for cold scans only; a warm re-pack reads its few files inline.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProcessJob, ProcessResult } from './processFile';

const BATCH_BYTES = 1 << 20;
const BATCH_FILES = 256;

/** How to start a worker: the bundled script next to this file, or the TypeScript source under tsx. */
export function defaultWorkerScript(): { script: string; execArgv: string[] } | undefined {
  const bundled = path.join(__dirname, 'packWorker.worker.js');
  if (fs.existsSync(bundled)) return { script: bundled, execArgv: [] };
  const source = path.join(__dirname, 'packWorker.ts');
  if (__filename.endsWith('.ts') && fs.existsSync(source)) return { script: source, execArgv: ['--require', 'tsx/cjs'] };
  return undefined;
}

/** Worker threads to use for a cold scan: the machine's cores, at most 4. */
export const defaultWorkerCount = (): number => Math.min(4, Math.max(1, os.availableParallelism()));

export interface PoolOptions {
  workers: number;
  script: { script: string; execArgv: string[] };
  /** Persisted token cache file the workers read known counts from. */
  cacheFile?: string;
  signal?: AbortSignal;
}

/** Processes `jobs` (with their sizes in bytes, for batching) on worker threads. */
export async function processInWorkers(jobs: ProcessJob[], sizes: number[], opts: PoolOptions): Promise<ProcessResult[]> {
  const batches: number[][] = [];
  let cur: number[] = [];
  let bytes = 0;
  jobs.forEach((_, i) => {
    cur.push(i);
    bytes += sizes[i] ?? 0;
    if (bytes >= BATCH_BYTES || cur.length >= BATCH_FILES) {
      batches.push(cur);
      cur = [];
      bytes = 0;
    }
  });
  if (cur.length) batches.push(cur);
  const results: ProcessResult[] = new Array(jobs.length);
  const workers = Array.from({ length: Math.min(opts.workers, batches.length) }, () => new Worker(opts.script.script, { execArgv: opts.script.execArgv, workerData: { cacheFile: opts.cacheFile } }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (opts.signal?.aborted) return reject(opts.signal.reason);
              if (next >= batches.length) return resolve();
              const id = next++;
              w.postMessage({ id, jobs: batches[id]!.map((i) => jobs[i]) });
            };
            w.on('message', (msg: { id: number; results: ProcessResult[] }) => {
              batches[msg.id]!.forEach((jobIndex, k) => (results[jobIndex] = msg.results[k]!));
              send();
            });
            w.on('error', reject);
            w.on('exit', (code) => (next < batches.length || code !== 0 ? reject(new Error(`pack worker exited with code ${code}`)) : undefined));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
