// What an estimate says to a person (estimateWords.ts): the confirmation dialog for a cold
// 982K-token question once said "$0.674 … (100% predicted from DeepSeek's cache)", which at 100%
// hits would have cost $0.02; now it says the input plus the output's range, and what misses and why.
import * as assert from 'node:assert/strict';
import { costRange, missesWhy, turnInput } from '../../../src/chat/estimateWords';
import { priceEstimate } from '../../../src/llm/cost';

const AT = new Date(Date.UTC(2026, 10, 4, 12)); // off-peak
const cold = priceEstimate(
  {
    model: 'deepseek-v4-pro',
    promptTokens: 982_050,
    predictedHitTokens: 982_000,
    warmup: { promptTokens: 982_000, predictedHitTokens: 0 },
    expectedOutputTokens: 2000,
    maxOutputTokens: 8192,
  },
  AT,
);

describe('estimate words', () => {
  it('a first question with a warm-up: half its input misses, and says why', () => {
    assert.deepEqual(turnInput(cold), { tokens: 1_964_050, hitTokens: 982_000 });
    assert.equal(costRange(cold), '~$0.67 input + up to $0.0162 output');
    assert.equal(
      missesWhy(cold),
      "~982,050 of 1,964,050 input tokens will miss DeepSeek's cache: the repository is not cached yet, so a " +
        'warm-up request sends its ~982,000 tokens first at the uncached price; the question then reads ~982,000 of ' +
        'its 982,050 tokens from the cache.',
    );
  });

  it('where the server kept the warm-up apart, the question is not counted on to hit', () => {
    const e = { ...cold, predictedHitTokens: 0 };
    assert.match(missesWhy(e), /is not expected to read them from the cache/);
  });

  it('no warm-up: all cached, nothing cached, or what is new since the cached prefix', () => {
    const base = { ...cold, warmup: undefined };
    assert.equal(
      missesWhy({ ...base, predictedHitTokens: 982_050 }),
      "All ~982,050 input tokens are expected from DeepSeek's cache.",
    );
    assert.match(missesWhy({ ...base, predictedHitTokens: 0 }), /^All ~982,050 input tokens will miss/);
    assert.match(
      missesWhy({ ...base, predictedHitTokens: 900_000 }),
      /^~900,000 of 982,050 input tokens are expected from DeepSeek's cache; ~82,050 will miss: what is new/,
    );
  });

  it('says nothing of dollars for an unpriced model', () => {
    const {
      model: _m,
      inputUsd: _i,
      expectedUsd: _e,
      maxUsd: _x,
      missTokens: _t,
      peak: _p,
      asOf: _a,
      ...tokens
    } = cold;
    assert.equal(costRange(priceEstimate({ ...tokens, model: 'llama3' }, AT)), undefined);
  });
});
