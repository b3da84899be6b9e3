// Usage as DeepSeek reports it (cache hit and miss tokens), or as OpenAI-compatible servers do.
import * as assert from 'node:assert/strict';
import { readUsage } from '../../../src/llm/usage';

describe('usage', () => {
  it("reads DeepSeek's usage fields first and falls back to OpenAI's", () => {
    assert.deepEqual(
      readUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 60 } }),
      { promptTokens: 100, cacheHitTokens: 60, cacheMissTokens: 40, completionTokens: 5 },
    );
    assert.deepEqual(readUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_cache_miss_tokens: 30 }), {
      promptTokens: 100,
      cacheHitTokens: 70,
      cacheMissTokens: 30,
      completionTokens: 5,
    });
    assert.deepEqual(readUsage({ prompt_cache_hit_tokens: 8, prompt_cache_miss_tokens: 2 }), {
      promptTokens: 10,
      cacheHitTokens: 8,
      cacheMissTokens: 2,
      completionTokens: 0,
    });
    assert.deepEqual(readUsage({}), { promptTokens: 0, cacheHitTokens: 0, cacheMissTokens: 0, completionTokens: 0 });
  });
});
