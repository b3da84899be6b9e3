// What a cost estimate says to a person, in one place, so the confirmation dialog, the chip's
// tooltip and the CLI say the same: the input's cost (warm-up included) plus the output's range up
// to max_tokens, and which input tokens will miss DeepSeek's cache and why. Output cannot be known
// before the answer; a first question on a repository is not a cache hit, whatever the warm-up.
import { formatUsd, type CostEstimate } from '../llm/cost';

const num = (n: number) => Math.round(n).toLocaleString('en-US');

/** Input tokens of the turn (warm-up included) and those predicted to hit (tokens). */
export function turnInput(e: CostEstimate): { tokens: number; hitTokens: number } {
  return {
    tokens: e.promptTokens + (e.warmup?.promptTokens ?? 0),
    hitTokens: e.predictedHitTokens + (e.warmup?.predictedHitTokens ?? 0),
  };
}

/** "~$0.674 input + up to $0.0324 output" (undefined for an unpriced model). */
export function costRange(e: CostEstimate): string | undefined {
  if (e.inputUsd === undefined || e.maxUsd === undefined) return undefined;
  return `~${formatUsd(e.inputUsd)} input + up to ${formatUsd(Math.max(0, e.maxUsd - e.inputUsd))} output`;
}

/** Which input tokens will miss the cache, and why, in one or two sentences. */
export function missesWhy(e: CostEstimate): string {
  const { tokens, hitTokens } = turnInput(e);
  const miss = Math.max(0, tokens - hitTokens);
  if (e.warmup) {
    const warmMiss = Math.max(0, e.warmup.promptTokens - e.warmup.predictedHitTokens);
    const after = Math.max(0, e.promptTokens - e.predictedHitTokens);
    return (
      `~${num(miss)} of ${num(tokens)} input tokens will miss DeepSeek's cache: the repository is not cached yet, ` +
      `so a warm-up request sends its ~${num(warmMiss)} tokens first at the uncached price; the question then ` +
      (after < e.promptTokens
        ? `reads ~${num(e.promptTokens - after)} of its ${num(e.promptTokens)} tokens from the cache.`
        : `is not expected to read them from the cache (this server kept the warm-up's cache apart before).`)
    );
  }
  if (miss === 0) return `All ~${num(tokens)} input tokens are expected from DeepSeek's cache.`;
  if (hitTokens === 0)
    return (
      `All ~${num(tokens)} input tokens will miss DeepSeek's cache: nothing of this prompt is cached ` +
      `(a new repository pack, a cache DeepSeek dropped, or a server that did not hit it before).`
    );
  return (
    `~${num(hitTokens)} of ${num(tokens)} input tokens are expected from DeepSeek's cache; ` +
    `~${num(miss)} will miss: what is new since the cached prefix (changed files, the conversation since, the ` +
    `question).`
  );
}
