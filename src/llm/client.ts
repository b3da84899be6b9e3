// The streaming DeepSeek client: one call of `streamChat` sends a chat request through the openai
// SDK (`chat.completions.create({stream: true})`, never `.stream()`, which drops
// `reasoning_content`), reads the event stream itself (attempt.ts, sse.ts), and returns an honest outcome.
// Before anything was shown it retries 429/5xx/connection failures (our policy, the SDK's is off);
// after that it never retries silently: the partial answer is kept and the outcome is `interrupted`.
// Deadlines count `data:` events only (deadlines.ts). Cancel aborts the HTTP request.
import OpenAI from 'openai';
import { nullLogger, redactingLogger } from '../shared/log';
import { AnswerAccumulator } from './answer';
import { attemptOnce, requestBody } from './attempt';
import type { Run } from './attemptResult';
import { stoppedResult } from './attemptResult';
import { MAX_TIMER_MS, resolveTimeouts, sleep, systemClock, Watchdog } from './deadlines';
import { parseBaseUrl, type Endpoint } from './endpoint';
import type { OptionalField } from './refusals';
import { DEFAULT_RETRY, parseRetryAfter, retryDelayMs } from './retry';
import type { ChatMessage, ChatResult, ClientOptions, LlmError, RequestParams, StreamHandlers } from './types';

export type { ClientOptions } from './types';
export { readUsage } from './usage';

/**
 * Why `params` cannot be sent as they are, if so: in thinking mode DeepSeek answers 400 "Thinking
 * mode does not support this tool_choice" to `required` or a named function, so it is refused here.
 */
export function paramsProblem(params: RequestParams): LlmError | undefined {
  const choice = params.toolChoice;
  if (!params.thinking || choice === undefined || choice === 'auto' || choice === 'none') return undefined;
  const what = typeof choice === 'string' ? `"${choice}"` : `the function ${choice.function.name}`;
  return {
    kind: 'config',
    message: `tool_choice ${what} is not allowed in thinking mode (only "auto" or "none"): the request was not sent.`,
  };
}

/** Optional fields each endpoint (base URL) refused in this process: left out of its requests from then on. */
const refusedByEndpoint = new Map<string, Set<OptionalField>>();

/** Sent as the key to a local endpoint when none is set: the SDK requires one, and a server without auth ignores it. */
export const NO_KEY = 'no-key';

/** Makes the SDK client for `endpoint`: our retry policy (SDK retries off), the global fetch looked up per call. */
export function sdkClient(endpoint: Endpoint, options: ClientOptions, timeoutMs: number): OpenAI {
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return new OpenAI({
    baseURL: endpoint.url,
    apiKey: options.apiKey.trim() || NO_KEY,
    maxRetries: 0,
    timeout: timeoutMs,
    fetch: fetchImpl,
    logLevel: 'off',
  });
}

/** The endpoint to call, or a config error (bad base URL, no key for a remote endpoint) found before any request. */
export function checkOptions(options: ClientOptions): { endpoint: Endpoint } | { error: LlmError } {
  const endpoint = parseBaseUrl(options.baseUrl);
  if ('error' in endpoint) return endpoint;
  if (!options.apiKey.trim() && !endpoint.local) {
    return {
      error: {
        kind: 'config',
        message: 'No DeepSeek API key is set. Use "DeepSeek: Set API Key" (CLI: export DEEPSEEK_API_KEY=sk-...).',
      },
    };
  }
  return { endpoint };
}

/**
 * Sends one streaming chat request; resolves with the outcome, never throws for API or network errors (only rethrows
 * what a handler threw).
 */
export async function streamChat(
  options: ClientOptions,
  messages: ChatMessage[],
  params: RequestParams,
  handlers: StreamHandlers,
  signal?: AbortSignal,
): Promise<ChatResult> {
  const checked = checkOptions(options);
  if ('error' in checked) return { outcome: 'error', content: '', reasoning: '', error: checked.error };
  const problem = paramsProblem(params);
  if (problem) return { outcome: 'error', content: '', reasoning: '', error: problem };
  if (signal?.aborted) return { outcome: 'cancelled', content: '', reasoning: '' };
  const { endpoint } = checked;
  const log = redactingLogger(options.logger ?? nullLogger, () => [options.apiKey]);
  const clock = options.clock ?? systemClock;
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const timeouts = resolveTimeouts(options.timeouts, params.maxTokens);
  const call = new AbortController();
  const onCallerAbort = () => call.abort();
  signal?.addEventListener('abort', onCallerAbort, { once: true });
  const watchdog = new Watchdog(clock, timeouts, () => call.abort());
  const run: Run = {
    endpoint,
    params,
    handlers,
    log,
    timeouts,
    watchdog,
    acc: new AnswerAccumulator(handlers),
    call,
    caller: signal,
  };
  const client = sdkClient(endpoint, options, Math.min(timeouts.overallMs + 60_000, MAX_TIMER_MS));
  const omit = refusedByEndpoint.get(endpoint.url) ?? new Set<OptionalField>();
  let body = requestBody(messages, params, omit);
  try {
    for (let retry = 1; ;) {
      const attempt = await attemptOnce(run, client, body);
      const { result } = attempt;
      const refused = attempt.refused?.filter((f) => !omit.has(f)) ?? [];
      if (refused.length) {
        // Not a retry of the same request: the same question without the fields this server does not know.
        log.warn(
          `${endpoint.host} refused ${refused.join(', ')}; asking again without ` +
            `${refused.length > 1 ? 'them' : 'it'} (the server's defaults apply)`,
        );
        refused.forEach((f) => omit.add(f));
        refusedByEndpoint.set(endpoint.url, omit);
        body = requestBody(messages, params, omit);
        continue;
      }
      if (!attempt.retryable || retry > policy.maxRetries || !result.error) return finish(run, result);
      const delayMs = retryDelayMs(retry, policy, attempt.headers, clock.now(), options.random ?? Math.random);
      if (delayMs === undefined) {
        const askedS = Math.ceil((parseRetryAfter(attempt.headers, clock.now()) ?? 0) / 1000);
        return finish(run, {
          ...result,
          error: { ...result.error, message: `${result.error.message} The server asked to wait ${askedS} s.` },
        });
      }
      log.warn(
        `retry ${retry}/${policy.maxRetries} in ${delayMs} ms after ` +
          `${result.error.kind}${result.error.status ? ` ${result.error.status}` : ''}`,
      );
      handlers.onRetry?.({ attempt: retry, delayMs, error: result.error });
      watchdog.pause();
      if (!(await sleep(delayMs, clock, call.signal))) return finish(run, stoppedResult(run) ?? result);
      retry++;
    }
  } finally {
    watchdog.stop();
    signal?.removeEventListener('abort', onCallerAbort);
  }
}

/** Reports usage once and logs the end of the call. */
function finish(run: Run, result: ChatResult): ChatResult {
  const { log, handlers } = run;
  if (result.usage) handlers.onUsage?.(result.usage);
  const u = result.usage;
  const line =
    `chat ${result.outcome}${result.finishReason ? ` finish=${result.finishReason}` : ''}` +
    (u
      ? ` tokens in=${u.promptTokens} hit=${u.cacheHitTokens} miss=${u.cacheMissTokens} out=${u.completionTokens}`
      : '') +
    `${result.requestId ? ` request-id=${result.requestId}` : ''}${result.error ? ` error=${result.error.kind}` : ''}`;
  if (result.outcome === 'complete' || result.outcome === 'cancelled') log.info(line);
  else log.warn(`${line}: ${result.error?.message ?? ''}`);
  return result;
}
