// What a pack worker does with each request (workerPool.ts): read and check a batch of files, redact whole texts, scan
// outlines, count tokens. Run by the worker threads (packWorker.ts) and, for a one-shot pack, by the calling thread
// as one of the pool's readers (sameThread.ts).
import { redactedOutline } from '../place/outlineText';
import { makeSent, processFile, type Known } from './processFile';
import { countTokens } from '../tokens';
import { share, unshare, type Redacted, type WorkerReply, type WorkerRequest } from './workerPool';

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
