// The three deadlines of a streaming request: their defaults, and the watchdog that fires the first to pass.
import * as assert from 'node:assert/strict';
import { resolveTimeouts, Watchdog } from '../../../src/llm/deadlines';
import { instantClock } from './kit';

const NOW = Date.parse('Wed, 01 Jan 2031 00:00:00 GMT');

describe('deadlines', () => {
  it('default deadlines suit 1M-token prompts; the overall cap grows with max_tokens', () => {
    assert.deepEqual(resolveTimeouts(undefined, 32_768), {
      firstDataMs: 900_000,
      idleMs: 120_000,
      overallMs: 900_000 + 3_276_800,
    });
    assert.equal(resolveTimeouts({ idleMs: 5000 }, 1000).idleMs, 5000);
    assert.equal(resolveTimeouts({ overallMs: 1 }, 393_216).overallMs, 1);
  });

  it('the watchdog fires the first deadline that passes, once', async () => {
    const fired: string[] = [];
    const clock = instantClock(NOW, 1000);
    const w = new Watchdog(clock, { firstDataMs: 5000, idleMs: 10, overallMs: 1e6 }, (d) => fired.push(d));
    w.awaitFirstData();
    w.data();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fired, ['idle']);
    assert.deepEqual(clock.waits, [1e6, 5000, 10], 'first data armed, then replaced by idle');
  });
});
