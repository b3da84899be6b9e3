// First-slice streaming client over the openai SDK: one request, thinking and answer accumulated
// from `reasoning_content` / `content` deltas, usage with DeepSeek's cache fields, cancel through
// an AbortSignal. Retries, deadlines and full error mapping are deepened in their own issue.
import OpenAI from 'openai';
import type { ChatMessage, ChatResult, LlmError, RequestParams, StreamHandlers, Usage } from './types';

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Injected in tests; defaults to the global fetch (which VS Code patches with proxy settings). */
  fetch?: typeof fetch;
}

/** The delta fields DeepSeek adds to an OpenAI chunk (not in the SDK's types). */
interface DeepSeekDelta {
  content?: string | null;
  reasoning_content?: string | null;
}
interface DeepSeekUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

/** Normalises a usage object, preferring DeepSeek's top-level cache fields over OpenAI's. */
export function readUsage(u: DeepSeekUsage): Usage {
  const prompt = u.prompt_tokens ?? 0;
  const hit = u.prompt_cache_hit_tokens ?? u.prompt_tokens_details?.cached_tokens ?? 0;
  const miss = u.prompt_cache_miss_tokens ?? Math.max(0, prompt - hit);
  const usage: Usage = { promptTokens: prompt, cacheHitTokens: hit, cacheMissTokens: miss, completionTokens: u.completion_tokens ?? 0 };
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

export function toLlmError(e: unknown): LlmError {
  if (e instanceof OpenAI.APIError && e.status !== undefined) {
    const status = e.status;
    const server = e.message;
    if (status === 401) return { kind: 'auth', status, message: 'DeepSeek rejected the API key. Set a valid key with "DeepSeek: Set API Key".' };
    if (status === 402) return { kind: 'balance', status, message: 'Your DeepSeek balance is insufficient. Top up at platform.deepseek.com, then retry.' };
    if (status === 429) return { kind: 'rate_limit', status, message: 'DeepSeek is rate-limiting this account. Try again in a minute.' };
    if (status >= 500) return { kind: 'server', status, message: `DeepSeek had a server error (${status}). Try again later.` };
    if (status === 400 && /context|too long|maximum.*tokens/i.test(server)) return { kind: 'context_too_long', status, message: `The prompt is too long for the model: ${server}. Shrink the selection or the context budget.` };
    return { kind: 'bad_request', status, message: `DeepSeek refused the request (${status}): ${server}` };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'network', message: `Could not reach the API: ${message}. Check the base URL and your network or proxy.` };
}

/** Sends one streaming chat request; resolves with the outcome (never throws for API errors). */
export async function streamChat(
  options: ClientOptions,
  messages: ChatMessage[],
  params: RequestParams,
  handlers: StreamHandlers,
  signal?: AbortSignal,
): Promise<ChatResult> {
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, maxRetries: 2, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const result: ChatResult = { outcome: 'interrupted', content: '', reasoning: '' };
  const body = {
    model: params.model,
    messages,
    max_tokens: params.maxTokens,
    stream: true as const,
    stream_options: { include_usage: true },
    thinking: { type: params.thinking ? 'enabled' : 'disabled' },
    ...(params.thinking ? { reasoning_effort: params.reasoningEffort } : {}),
  };
  try {
    const stream = await client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, { signal });
    for await (const chunk of stream) {
      if (chunk.model) result.model = chunk.model;
      const choice = chunk.choices[0];
      if (choice) {
        const delta = choice.delta as DeepSeekDelta;
        if (delta.reasoning_content) {
          result.reasoning += delta.reasoning_content;
          handlers.onReasoning?.(delta.reasoning_content);
        }
        if (delta.content) {
          result.content += delta.content;
          handlers.onContent?.(delta.content);
        }
        if (choice.finish_reason) result.finishReason = choice.finish_reason;
      }
      if (chunk.usage) {
        result.usage = readUsage(chunk.usage as DeepSeekUsage);
        handlers.onUsage?.(result.usage);
      }
    }
  } catch (e) {
    if (signal?.aborted) return { ...result, outcome: 'cancelled' };
    return { ...result, outcome: 'error', error: toLlmError(e) };
  }
  if (signal?.aborted) return { ...result, outcome: 'cancelled' };
  result.outcome = result.finishReason ? 'complete' : 'interrupted';
  return result;
}
