// Worker thread entry (bundled as dist/packWorker.worker.js), see workerPool.ts: reads and checks
// batches of files, redacts whole texts, scans outlines, counts tokens. Token counts known from the
// persisted cache (read once here) are reused; the tokenizer loads on the first count, so readers
// never load it.
import { parentPort, workerData } from 'node:worker_threads';
import { redactedOutline } from '../place/outlineText';
import { makeSent, processFile } from './processFile';
import { TokenCache } from './tokenCache';
import { countTokens } from '../tokens';
import { share, unshare, type Redacted, type WorkerReply, type WorkerRequest, type WorkerSetup } from './workerPool';

const setup = workerData as WorkerSetup | undefined;
const cache = new TokenCache(setup?.cacheFile);
const known = (hash: string) => cache.get(hash);
// The counter loads the tokenizer (~30 ms) now, while a cold scan's walk still runs, not on its first count.
if (setup?.counter) setImmediate(() => countTokens(''));

/** Answers the main thread (the handler below runs only when there is a parent port). */
const reply = (r: WorkerReply) => parentPort?.postMessage(r);

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.kind === 'process') {
    const results = msg.jobs.map((job) => processFile(job, known, true));
    const ok = results.flatMap((r) => (r.ok ? [r] : []));
    const texts = share(ok.map((r) => (typeof r.raw === 'string' ? Buffer.from(r.raw) : r.raw)));
    const raw = new Map(ok.map((r, k) => [r, texts[k]!]));
    for (const r of ok) r.raw = ''; // travels in shared memory
    reply({
      id: msg.id,
      kind: 'process',
      results,
      raw: results.map((r) => (r.ok ? raw.get(r)! : null)),
    } satisfies WorkerReply);
  } else if (msg.kind === 'redact') {
    const redacted = msg.texts.map((t, i): Redacted => {
      const [raw, utf8] = unshare(t);
      const rawHash = msg.rawHashes[i];
      const { text, hash, findings } = makeSent(raw, {
        count: false,
        ...(utf8 ? { utf8 } : {}),
        ...(rawHash ? { rawHash } : {}),
      });
      return { ...(text !== undefined ? { text } : {}), hash, findings };
    });
    reply({ id: msg.id, kind: 'redact', redacted } satisfies WorkerReply);
  } else if (msg.kind === 'outline') {
    reply({
      id: msg.id,
      kind: 'outline',
      outlines: msg.files.map((f) => redactedOutline(f.label, unshare(f.text)[0], f.shown)),
    } satisfies WorkerReply);
  } else {
    reply({
      id: msg.id,
      kind: 'count',
      counts: msg.texts.map((t) => countTokens(unshare(t)[0])),
    } satisfies WorkerReply);
  }
});
