// What the cache ledger and cache plan tests share: a repository message and a usage figure as billed.
import type { LayoutItem } from '../../../src/chat/prompt';

export const repo: LayoutItem = {
  kind: 'repository',
  text: '<repository>\n' + 'const x = 1;\n'.repeat(400) + '</repository>\n',
  tokens: 1600,
};
export const usageOf = (promptTokens: number, cacheHitTokens: number) => ({
  promptTokens,
  cacheHitTokens,
  cacheMissTokens: promptTokens - cacheHitTokens,
  completionTokens: 10,
});
