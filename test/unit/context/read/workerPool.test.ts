// The worker pool's counting: in batches, in order, and shared with a reader that has nothing else to do, so the
// counting left when the reading is done does not keep one thread busy while the other waits.
import * as assert from 'node:assert/strict';
import { defaultWorkerScript, WorkerPool } from '../../../../src/context/read/workerPool';
import type { WorkerRequest } from '../../../../src/context/read/packTasks';
import { countTokens } from '../../../../src/context/tokens';

/** The kinds of the requests each thread has been sent and not yet answered, thread by thread. */
const inFlight = (pool: WorkerPool): WorkerRequest['kind'][][] =>
  [...(pool as unknown as { sent: Map<unknown, { request: WorkerRequest }[]> }).sent.values()].map((tasks) =>
    tasks.map((t) => t.request.kind),
  );

describe('worker pool: counting', () => {
  it('hands counting to an idle reader too, and gives every count in order', async () => {
    const script = defaultWorkerScript();
    assert.ok(script, 'the worker script is found next to the pool');
    const pool = new WorkerPool({ workers: 2, script });
    try {
      // About 2 MB of varied text: many batches, more than the counter takes at once.
      const texts = Array.from(
        { length: 40 },
        (_, i) => `export function f${i}(x: number): number {\n${'  x = x * 3 + 1; // é\n'.repeat(2000 + i * 37)}}\n`,
      );
      const counting = pool.count(texts);
      const [counter, reader] = inFlight(pool);
      assert.ok(counter!.length > 0 && counter!.every((k) => k === 'count'), 'the counter counts');
      assert.deepEqual(reader, ['count'], 'the reader, with nothing else to do, counts one batch at a time');
      assert.deepEqual(await counting, texts.map(countTokens));
    } finally {
      await pool.close();
    }
  });

  it('keeps a reader on reading while there is reading to do', async () => {
    const script = defaultWorkerScript()!;
    const pool = new WorkerPool({ workers: 2, script });
    try {
      const texts = Array.from({ length: 8 }, (_, i) => `const a${i} = ${i};\n`.repeat(20_000));
      const redacting = pool.redact(texts.map((raw) => ({ raw })));
      const counting = pool.count(texts);
      const [, reader] = inFlight(pool);
      assert.ok(reader!.length > 0, 'the reader has work');
      assert.deepEqual(new Set(reader), new Set(['redact']), 'the reader redacts');
      assert.deepEqual(await counting, texts.map(countTokens));
      assert.equal((await redacting).length, texts.length);
    } finally {
      await pool.close();
    }
  });

  it('leaves a short wait to the counter: a reader does not load the tokenizer for a little counting', async () => {
    const script = defaultWorkerScript()!;
    const pool = new WorkerPool({ workers: 2, script });
    try {
      const texts = Array.from({ length: 3 }, (_, i) => `let v${i} = [${'1, '.repeat(100_000)}];\n`); // ~900 KB
      const counting = pool.count(texts);
      const [counter, reader] = inFlight(pool);
      assert.deepEqual(counter, ['count', 'count']);
      assert.deepEqual(reader, [], 'about 300 KB wait: the reader stays idle');
      assert.deepEqual(await counting, texts.map(countTokens));
    } finally {
      await pool.close();
    }
  });
});
