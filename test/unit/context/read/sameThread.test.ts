// A one-shot pack's pool member on the calling thread (sameThread.ts): it answers what a worker thread answers, one
// request at a time and never during the call that sent it, and a pool with it gives what a pool of threads gives.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SameThread } from '../../../../src/context/read/sameThread';
import { defaultWorkerScript, WorkerPool } from '../../../../src/context/read/workerPool';
import type { WorkerReply } from '../../../../src/context/read/packTasks';
import { NOTHING_KNOWN, type ProcessJob } from '../../../../src/context/read/processFile';
import { countTokens } from '../../../../src/context/tokens';

/** An assignment the scanner redacts, put together here so that this file holds none. */
const SECRET = ['const pass', 'word = "hunter2-Zq8#kLm4";\n'].join('');

describe('same-thread pool member', () => {
  it('answers in order, in later turns of the event loop, and nothing once terminated', async () => {
    const member = new SameThread(NOTHING_KNOWN);
    const replies: WorkerReply[] = [];
    member.on('message', (r: WorkerReply) => replies.push(r));
    member.postMessage({ id: 1, kind: 'count', texts: ['one two three'] });
    member.postMessage({ id: 2, kind: 'count', texts: ['four'] });
    assert.equal(replies.length, 0, 'nothing is answered while the caller runs');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      replies.map((r) => r.id),
      [1],
      'one request a turn',
    );
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(replies, [
      { id: 1, kind: 'count', counts: [countTokens('one two three')] },
      { id: 2, kind: 'count', counts: [countTokens('four')] },
    ]);
    member.postMessage({ id: 3, kind: 'count', texts: ['five'] });
    await member.terminate();
    await new Promise((r) => setImmediate(r));
    assert.equal(replies.length, 2, 'a terminated member answers nothing more');
  });

  it('gives a pool the results a pool of worker threads gives', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-same-thread-'));
    const script = defaultWorkerScript();
    assert.ok(script, 'the worker script is found next to the pool');
    const body = (i: number) => `export function f${i}(x: number) {\n${'  return x * 3; // é\n'.repeat(50 * i)}}\n`;
    const texts = Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? SECRET.repeat(i) : body(i)));
    const jobs: ProcessJob[] = texts.map((t, i) => {
      fs.writeFileSync(path.join(dir, `f${i}.ts`), t);
      return { abs: path.join(dir, `f${i}.ts`), rel: `f${i}.ts`, forced: false, prepare: 'outline', label: `f${i}.ts` };
    });
    const run = async (sameThread: boolean) => {
      const pool = new WorkerPool({ workers: 2, script, ...(sameThread ? { sameThread: NOTHING_KNOWN } : {}) });
      const members = (pool as unknown as { workers: unknown[] }).workers;
      assert.equal(members[1] instanceof SameThread, sameThread, 'the reader runs here only when asked');
      try {
        const processed = await pool.process(
          jobs,
          texts.map((t) => t.length),
        );
        const raws = processed.map((r) => (r.ok ? Buffer.from(r.raw as Uint8Array).toString('utf8') : ''));
        const [redacted, counts] = await Promise.all([
          pool.redact(processed.map((r) => ({ raw: r.ok ? r.raw : '' }))),
          pool.count(texts),
        ]);
        return { processed: processed.map((r) => ({ ...r, raw: '' })), raws, redacted, counts };
      } finally {
        await pool.close();
      }
    };
    try {
      const threads = await run(false);
      const here = await run(true);
      assert.deepEqual(here, threads);
      assert.deepEqual(here.raws, texts);
      assert.ok(
        here.redacted.some((r) => r.findings.length > 0),
        'a secret was found and redacted',
      );
      assert.deepEqual(here.counts, texts.map(countTokens));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
