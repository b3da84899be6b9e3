// The cache ledger in isolation: its predictions of a hit, the common prefixes it learns, foreign units,
// and the corrections billing forces on it.
import * as assert from 'node:assert/strict';
import {
  chainKeys,
  foreignUnitsMiss,
  predictHit,
  recordRequest,
  requestTag,
  UNIT_TTL_MS,
  type LedgerState,
} from '../../../src/chat/cacheLedger';
import { promptTokens, renderLayout, type LayoutItem } from '../../../src/chat/prompt';
import { repo, usageOf } from './cacheKit';

describe('chat cache ledger', () => {
  const ns = 'e|m|thinking|high';
  const req = (q: string, extra: LayoutItem[] = []) => renderLayout([repo, ...extra, { kind: 'question', text: q }]);

  it('predicts a hit on the previous input only when the next message is the assistant one', () => {
    const ledger: LedgerState = {};
    const warm = renderLayout([repo]).slice(0, 2);
    recordRequest(ledger, ns, warm, chainKeys(warm), { usage: usageOf(1700, 0), thinking: true }, 0);
    const q = req('question');
    assert.equal(predictHit(ledger, ns, q, chainKeys(q), 1).tokens, promptTokens(warm));
    const other = renderLayout([repo])
      .slice(0, 2)
      .concat(renderLayout([{ kind: 'question', text: 'x' }]).slice(1));
    assert.equal(predictHit(ledger, ns, other, chainKeys(other), 1).tokens, 0, 'followed by a user message: no match');
    assert.equal(predictHit(ledger, 'other-ns', q, chainKeys(q), 1).tokens, 0);
  });

  it('learns common prefixes (A+B, A+C -> A) and, without thinking, the visible output', () => {
    const ledger: LedgerState = {};
    const b = req('question B');
    const c = req('question C');
    recordRequest(ledger, ns, b, chainKeys(b), { usage: usageOf(1700, 0), thinking: true }, 0);
    assert.equal(predictHit(ledger, ns, c, chainKeys(c), 1).tokens, 0, 'A+C misses after A+B');
    recordRequest(ledger, ns, c, chainKeys(c), { usage: usageOf(1700, 0), thinking: true }, 1);
    const d = req('question D');
    assert.equal(
      predictHit(ledger, ns, d, chainKeys(d), 2).tokens,
      promptTokens(d.slice(0, 3)) - 1,
      'A (through the ack) is a unit',
    );

    const plain: LedgerState = {};
    recordRequest(plain, 'p', b, chainKeys(b), { usage: usageOf(1700, 0), thinking: false, answer: 'the answer' }, 0);
    const follow = renderLayout([
      repo,
      { kind: 'turn', turn: { question: 'question B', answer: 'the answer' } },
      { kind: 'question', text: 'more' },
    ]);
    assert.equal(predictHit(plain, 'p', follow, chainKeys(follow), 1).tokens, promptTokens(follow.slice(0, 5)) - 1);
  });

  it(
    "stops counting on a warm-up's unit for other parameters once a bill " +
      'contradicts it, and keeps it for warm-ups',
    () => {
      const ledger: LedgerState = {};
      const warmTag = requestTag({ maxTokens: 1 });
      const tag = requestTag({ maxTokens: 8192 });
      const warm = renderLayout([repo]).slice(0, 2);
      recordRequest(ledger, ns, warm, chainKeys(warm), { usage: usageOf(1700, 0), thinking: true, tag: warmTag }, 0);
      const q1 = req('question 1');
      assert.equal(
        predictHit(ledger, ns, q1, chainKeys(q1), 1, { tag }).tokens,
        promptTokens(warm),
        'assumed at first',
      );
      // A strict server: the question after the warm-up missed.
      recordRequest(ledger, ns, q1, chainKeys(q1), { usage: usageOf(1800, 0), thinking: true, tag }, 1);
      assert.equal(foreignUnitsMiss(ledger, ns), true);
      const q2 = req('question 2');
      assert.equal(
        predictHit(ledger, ns, q2, chainKeys(q2), 2, { tag }).tokens,
        0,
        'no prefix common with the warm-up',
      );
      assert.equal(
        predictHit(ledger, ns, warm, chainKeys(warm), 2, { tag: warmTag }).tokens,
        promptTokens(warm),
        'the next warm-up still hits its own unit',
      );
      // Same parameters: the common prefix of the two questions is a unit.
      recordRequest(ledger, ns, q2, chainKeys(q2), { usage: usageOf(1800, 0), thinking: true, tag }, 2);
      const q3 = req('question 3');
      assert.equal(predictHit(ledger, ns, q3, chainKeys(q3), 3, { tag }).tokens, promptTokens(q3.slice(0, 3)) - 1);
    },
  );

  it('turns foreign units back on when a hit only they explain is billed', () => {
    const ledger: LedgerState = { [ns]: { units: [], recent: [], foreign: 'miss' } };
    const warm = renderLayout([repo]).slice(0, 2);
    const warmTag = requestTag({ maxTokens: 1 });
    const tag = requestTag({ maxTokens: 8192 });
    recordRequest(ledger, ns, warm, chainKeys(warm), { usage: usageOf(1700, 0), thinking: true, tag: warmTag }, 0);
    const q = req('question');
    assert.equal(predictHit(ledger, ns, q, chainKeys(q), 1, { tag }).tokens, 0);
    recordRequest(ledger, ns, q, chainKeys(q), { usage: usageOf(1800, 1700), thinking: true, tag }, 1);
    assert.equal(foreignUnitsMiss(ledger, ns), false);
    const q2 = req('question 2');
    assert.ok(predictHit(ledger, ns, q2, chainKeys(q2), 2, { tag }).tokens >= promptTokens(warm));
  });

  it('forgets a unit that billing shows is gone, learns a longer hit, and expires old units', () => {
    const ledger: LedgerState = {};
    const a = req('q1');
    recordRequest(ledger, ns, a, chainKeys(a), { usage: usageOf(1700, 0), thinking: true }, 0);
    const same = req('q1');
    assert.ok(predictHit(ledger, ns, same, chainKeys(same), 1).tokens > 0);
    // Billed: no hit at all -> the unit was evicted.
    recordRequest(ledger, ns, same, chainKeys(same), { usage: usageOf(1700, 0), thinking: true }, 2);
    const q2 = renderLayout([repo, { kind: 'question', text: 'q2' }]);
    assert.ok(
      ledger[ns]!.units.every((u) => u.lastUsed === 2),
      'only units created by the last request remain',
    );
    // Billed: a hit we did not predict -> learned as a prefix unit at the message boundary below it.
    const fresh: LedgerState = {};
    recordRequest(
      fresh,
      ns,
      q2,
      chainKeys(q2),
      { usage: usageOf(promptTokens(q2), promptTokens(q2.slice(0, 2)) + 10), thinking: true },
      0,
    );
    assert.ok(fresh[ns]!.units.some((u) => u.kind === 'prefix' && u.count === 2));
    assert.equal(predictHit(fresh, ns, q2, chainKeys(q2), UNIT_TTL_MS + 1).tokens, 0, 'expired');
  });
});
