// DeepSeek's usage object → our `Usage`. DeepSeek reports cache hits in its own top-level fields
// (`prompt_cache_hit_tokens` / `prompt_cache_miss_tokens`); the OpenAI-style
// `prompt_tokens_details.cached_tokens` only mirrors them. Clients that read only the latter
// mis-bill DeepSeek, so ours reads DeepSeek's first.
import type { Usage } from './types';

/** The usage fields DeepSeek sends (not all in the SDK's types). */
export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/** Normalises a usage object (tokens), preferring DeepSeek's top-level cache fields over OpenAI's. */
export function readUsage(u: WireUsage): Usage {
  const hitField = count(u.prompt_cache_hit_tokens);
  const missField = count(u.prompt_cache_miss_tokens);
  const prompt = count(u.prompt_tokens) ?? (hitField ?? 0) + (missField ?? 0);
  const hit =
    hitField ??
    count(u.prompt_tokens_details?.cached_tokens) ??
    (missField !== undefined ? Math.max(0, prompt - missField) : 0);
  const miss = missField ?? Math.max(0, prompt - hit);
  const usage: Usage = {
    promptTokens: prompt,
    cacheHitTokens: hit,
    cacheMissTokens: miss,
    completionTokens: count(u.completion_tokens) ?? 0,
  };
  const reasoning = count(u.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}
