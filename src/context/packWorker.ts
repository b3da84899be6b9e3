// Worker thread entry (bundled as dist/packWorker.worker.js), see workerPool.ts: reads and checks
// batches of files, redacts whole texts, counts tokens. Token counts known from the persisted cache
// (read once here) are reused. The counter thread loads the tokenizer and warms it up at once, on
// this very file (code, like what it will count), while the main thread walks the folders.
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { makeSent, processFile } from './processFile';
import { TokenCache } from './tokenCache';
import { countTokens } from './tokens';
import { pack, type Redacted, type Span, type WorkerReply, type WorkerRequest, type WorkerSetup } from './workerPool';

const setup = (workerData ?? { counter: false }) as WorkerSetup;
const cache = new TokenCache(setup.cacheFile);
const known = (hash: string) => cache.get(hash);
if (setup.counter) countTokens(fs.readFileSync(__filename, 'utf8'));

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.kind === 'process') {
    const results = msg.jobs.map((job) => processFile(job, known, true));
    const texts: Uint8Array[] = [];
    const at: number[] = [];
    results.forEach((r, i) => {
      if (!r.ok) return;
      texts.push(typeof r.raw === 'string' ? Buffer.from(r.raw) : r.raw);
      at.push(i);
      r.raw = ''; // travels in the buffer
    });
    const { buffer, spans } = pack(texts);
    const reply: WorkerReply = { id: msg.id, kind: 'process', results, buffer, spans: results.map(() => null) };
    at.forEach((i, k) => (reply.spans[i] = spans[k]!));
    parentPort!.postMessage(reply, [buffer]);
  } else if (msg.kind === 'redact') {
    const redacted = texts(msg.buffer, msg.spans).map(([raw, utf8]): Redacted => {
      const { text, hash, findings } = makeSent(raw, () => undefined, utf8, false);
      return { ...(text !== undefined ? { text } : {}), hash, findings };
    });
    parentPort!.postMessage({ id: msg.id, kind: 'redact', redacted } satisfies WorkerReply);
  } else {
    const counts = [...msg.texts, ...texts(msg.buffer, msg.spans).map(([raw]) => raw)].map(countTokens);
    parentPort!.postMessage({ id: msg.id, kind: 'count', counts } satisfies WorkerReply);
  }
});

/** The texts of a batch's buffer, with their bytes. */
function texts(buffer: ArrayBuffer, spans: Span[]): Array<[string, Uint8Array]> {
  const all = Buffer.from(buffer);
  return spans.map(([off, len]) => [all.toString('utf8', off, off + len), all.subarray(off, off + len)]);
}
