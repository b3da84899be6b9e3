// Worker thread entry (bundled as dist/packWorker.worker.js), see workerPool.ts: answers the pool's requests
// (packTasks.ts). Token counts known from the persisted cache (read once here) are reused; the tokenizer loads on the
// first count, so readers never load it.
import { parentPort, workerData } from 'node:worker_threads';
import { TokenCache } from './tokenCache';
import { countTokens } from '../tokens';
import { packTask } from './packTasks';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './packTasks';

const setup = workerData as WorkerSetup | undefined;
const cache = new TokenCache(setup?.cacheFile);
// The counter loads the tokenizer (~30 ms) now, while a cold scan's walk still runs, not on its first count.
if (setup?.counter) setImmediate(() => countTokens(''));

parentPort?.on('message', (msg: WorkerRequest) => parentPort?.postMessage(packTask(msg, cache) satisfies WorkerReply));
