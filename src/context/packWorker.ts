// Worker thread entry (bundled as dist/packWorker.worker.js): processes batches of files for a cold
// scan so reading, redacting, hashing and counting use every core. Token counts known from the
// persisted cache (read once here) are reused.
import { parentPort, workerData } from 'node:worker_threads';
import { processFile, type ProcessJob } from './processFile';
import { TokenCache } from './tokenCache';

const cache = new TokenCache((workerData as { cacheFile?: string } | undefined)?.cacheFile);
parentPort?.on('message', (msg: { id: number; jobs: ProcessJob[] }) => {
  const results = msg.jobs.map((job) => processFile(job, (hash) => cache.get(hash)));
  parentPort!.postMessage({ id: msg.id, results });
});
