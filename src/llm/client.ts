// The streaming DeepSeek client: one call of `streamChat` sends a chat request through the openai
// SDK (`chat.completions.create({stream: true})`, never `.stream()`, which drops
// `reasoning_content`), reads the event stream itself (see sse.ts), and returns an honest outcome.
// Before anything was shown it retries 429/5xx/connection failures (our policy, the SDK's is off);
// after that it never retries silently: the partial answer is kept and the outcome is `interrupted`.
// Deadlines count `data:` events only (deadlines.ts). Cancel aborts the HTTP request.
import OpenAI, { type APIError } from 'openai';
import { nullLogger, redactingLogger, type Logger } from '../shared/log';
import { AnswerAccumulator } from './answer';
import { MAX_TIMER_MS, resolveTimeouts, sleep, systemClock, Watchdog, type Deadline } from './deadlines';
import { parseBaseUrl, type Endpoint } from './endpoint';
import {
  errorForNetwork,
  errorFromSdk,
  imagesRefusal,
  isDeepSeekHost,
  refusedFields,
  requestIdOf,
  serverName,
  type OptionalField,
} from './errors';
import { jsonBody } from './jsonBody';
import { refuseNonEventStream } from './nonStream';
import { DEFAULT_RETRY, parseRetryAfter, retryDelayMs, type HeaderSource } from './retry';
import { EventTooLargeError, readEventStream, type StreamEnd } from './sse';
import type {
  ChatMessage,
  ChatResult,
  ClientOptions,
  LlmError,
  Outcome,
  RequestParams,
  StreamHandlers,
  Timeouts,
} from './types';

export type { ClientOptions } from './types';
export { readUsage } from './usage';

/** One attempt's end: the result to return, and whether a retry may still do better. */
interface Attempt {
  result: ChatResult;
  retryable: boolean;
  headers?: HeaderSource;
  /** Optional request fields the server refused (errors.ts `refusedFields`). */
  refused?: OptionalField[];
}

/**
 * The request body DeepSeek expects; `thinking` and `reasoning_effort` are not in the SDK's types.
 * Fields in `omit` (a server refused them) are left out, and the server's defaults apply.
 */
function requestBody(messages: ChatMessage[], params: RequestParams, omit: ReadonlySet<OptionalField>) {
  return {
    model: params.model,
    messages,
    max_tokens: params.maxTokens,
    stream: true as const,
    ...(omit.has('stream_options') ? {} : { stream_options: { include_usage: true } }),
    ...(omit.has('thinking') ? {} : { thinking: { type: params.thinking ? 'enabled' : 'disabled' } }),
    ...(params.thinking && !omit.has('reasoning_effort') ? { reasoning_effort: params.reasoningEffort } : {}),
    ...(params.tools?.length ? { tools: params.tools } : {}),
    ...(params.tools?.length && params.toolChoice ? { tool_choice: params.toolChoice } : {}),
  };
}

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

/** True when a message carries an image (content parts with `image_url`). */
const hasImages = (messages: ChatMessage[]): boolean =>
  messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));

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

interface Run {
  endpoint: Endpoint;
  params: RequestParams;
  handlers: StreamHandlers;
  log: Logger;
  timeouts: Timeouts;
  watchdog: Watchdog;
  acc: AnswerAccumulator;
  call: AbortController;
  caller: AbortSignal | undefined;
}

async function attemptOnce(run: Run, client: OpenAI, body: ReturnType<typeof requestBody>): Promise<Attempt> {
  const { endpoint, log, watchdog, call } = run;
  const acc = (run.acc = new AnswerAccumulator(run.handlers));
  watchdog.awaitFirstData();
  let response: Response;
  try {
    // The body goes as JSON text made by jsonBody (the same bytes JSON.stringify makes, long texts remembered).
    response = await client
      .post('/chat/completions', {
        body: jsonBody(body),
        headers: { 'content-type': 'application/json' },
        signal: call.signal,
      })
      .asResponse();
  } catch (e) {
    const stopped = stoppedResult(run);
    if (stopped) return { result: stopped, retryable: false };
    const sdk = errorFromSdk(e, endpoint.host);
    const { retryable, headers } = sdk;
    const apiError: APIError | undefined = e instanceof OpenAI.APIError ? e : undefined;
    const refusedImages =
      apiError && hasImages(body.messages)
        ? imagesRefusal(apiError.status, apiError.error, endpoint.host, body.model)
        : undefined;
    const error = refusedImages
      ? { ...refusedImages, ...(sdk.error.requestId ? { requestId: sdk.error.requestId } : {}) }
      : sdk.error;
    log.warn(
      `POST ${endpoint.host}/chat/completions model=${body.model} failed: ${error.status ?? ''} ` +
        `${error.kind} request-id=${error.requestId ?? '-'}`,
    );
    const refused = apiError ? refusedFields(apiError.status, apiError.error, endpoint.host) : [];
    return {
      result: { ...partial(run, 'error', error), ...(error.requestId ? { requestId: error.requestId } : {}) },
      retryable,
      ...(headers ? { headers } : {}),
      ...(refused.length ? { refused } : {}),
    };
  }

  const requestId = requestIdOf(response.headers);
  const type = response.headers.get('content-type') ?? '';
  log.info(
    `POST ${endpoint.host}/chat/completions model=${body.model} → ${response.status} ` +
      `${type || '(no content-type)'} ` +
      `request-id=${requestId ?? '-'}${response.redirected ? ` (redirected to ${new URL(response.url).host})` : ''}`,
  );
  const withId = (r: ChatResult): ChatResult => ({
    ...r,
    ...(requestId ? { requestId } : {}),
    ...(r.error && requestId ? { error: { ...r.error, requestId } } : {}),
  });
  if (!/^text\/event-stream\b/i.test(type) || !response.body) {
    return {
      result: withId(partial(run, 'error', await refuseNonEventStream(response, endpoint.host))),
      retryable: false,
    };
  }

  let firstEvent = true;
  let handlerError: { error: unknown } | undefined;
  let end: StreamEnd;
  try {
    end = await readEventStream(
      response.body,
      {
        event: (e) => {
          firstEvent = false;
          watchdog.data();
          try {
            return acc.apply(e.event, e.data);
          } catch (error) {
            handlerError = { error }; // the caller's handler threw: a bug to surface, not a network error
            return false;
          }
        },
        comment: () => firstEvent && run.handlers.onKeepAlive?.(),
      },
      call.signal,
    );
  } catch (e) {
    const stopped = stoppedResult(run);
    if (stopped) return { result: withId(stopped), retryable: false };
    if (e instanceof EventTooLargeError)
      return {
        result: withId(
          partial(run, 'error', {
            kind: 'stream_error',
            message: `The server sent an unreadable stream (${e.message}).`,
          }),
        ),
        retryable: false,
      };
    if (acc.finishReason) return { result: withId(settle(run, 'eof')), retryable: false };
    const { error, retryable } = errorForNetwork(e, endpoint.host);
    log.warn(`stream from ${endpoint.host} broke: ${error.message}`);
    if (!acc.shown) return { result: withId(partial(run, 'error', error)), retryable };
    return {
      result: withId(
        partial(run, 'interrupted', { ...error, message: `${error.message} The partial answer is kept.` }),
      ),
      retryable: false,
    };
  }
  if (handlerError) {
    call.abort();
    throw handlerError.error;
  }
  if (end === 'aborted') return { result: withId(stoppedResult(run) ?? partial(run, 'cancelled')), retryable: false };
  if (acc.skipped.length) log.debug(`skipped SSE events: ${[...new Set(acc.skipped)].join(', ')}`);
  if (!acc.shown && !acc.done && !acc.finishReason && !acc.streamError) {
    // Closed before any data worth showing (e.g. DeepSeek's 10-min queue limit): worth another try.
    return {
      result: withId(
        partial(run, 'interrupted', {
          kind: 'network',
          message: `${endpoint.host} closed the stream before answering (it may have been queued too long). Try again.`,
        }),
      ),
      retryable: true,
    };
  }
  return { result: withId(settle(run, end)), retryable: false };
}

/** The outcome of a stream that ended on its own (EOF, `[DONE]`, an error event). */
function settle(run: Run, end: StreamEnd): ChatResult {
  const { acc, params, endpoint } = run;
  acc.flush(); // before judging whether there is an answer
  if (acc.streamError)
    return partial(run, 'error', {
      kind: 'stream_error',
      message:
        `${serverName(endpoint.host)} reported an error mid-answer: ` +
        `${acc.streamError}.${acc.shown ? ' The partial answer is kept.' : ''}`,
    });
  switch (acc.finishReason) {
    case undefined:
      return partial(
        run,
        'interrupted',
        acc.done
          ? {
              kind: 'stream_error',
              message: 'The stream ended without a finish reason: the answer may be incomplete. Ask to continue.',
            }
          : {
              kind: 'network',
              message:
                `The connection to ${endpoint.host} ended mid-answer ` +
                `(${end === 'eof' ? 'closed' : 'stopped'}). The partial answer is kept; ask to continue.`,
            },
      );
    case 'content_filter':
      return partial(run, 'error', {
        kind: 'content_filter',
        message:
          `${serverName(endpoint.host)}'s content filter stopped the answer. Rephrase the question; the ` +
          `partial answer is kept.`,
      });
    case 'insufficient_system_resource':
      return partial(run, 'error', {
        kind: 'insufficient_resources',
        message:
          'DeepSeek ran out of capacity and stopped the answer (insufficient_system_resource). Try again in ' +
          'a few minutes; the partial answer is kept.',
      });
    case 'tool_calls':
      if (!acc.toolCalls.length)
        return partial(run, 'error', {
          kind: 'empty_answer',
          message: 'The model said it calls tools but sent no tool call. Ask again.',
        });
      return partial(run, 'complete');
    case 'stop':
      if (!acc.content && !acc.toolCalls.length)
        return partial(run, 'error', {
          kind: 'empty_answer',
          message: 'The model finished without an answer (only thinking). Ask again or rephrase.',
        });
      return partial(run, 'complete');
    case 'length':
      if (!acc.content && !acc.toolCalls.length)
        return partial(run, 'error', {
          kind: 'empty_answer',
          message:
            `The output limit (max_tokens ${params.maxTokens}) was used up while thinking, before any answer. ` +
            `Raise deepseekRepo.maxOutputTokens or lower the reasoning effort.`,
        });
      return partial(run, 'complete');
    default:
      return partial(run, 'complete');
  }
}

/** The result when the caller cancelled or a deadline passed; undefined while neither happened. */
function stoppedResult(run: Run): ChatResult | undefined {
  if (run.caller?.aborted) return partial(run, 'cancelled');
  const deadline = run.watchdog.fired;
  if (!deadline) return undefined;
  if (deadline === 'idle' && run.acc.finishReason) return settle(run, 'stopped');
  const error: LlmError = { kind: 'timeout', message: deadlineMessage(deadline, run) };
  return run.acc.shown
    ? partial(run, 'interrupted', { ...error, message: `${error.message} The partial answer is kept.` })
    : partial(run, 'error', error);
}

function deadlineMessage(deadline: Deadline, run: Run): string {
  const { host } = run.endpoint;
  const t = run.timeouts;
  const human = (ms: number) =>
    ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
  if (deadline === 'firstData') {
    const why = isDeepSeekHost(host)
      ? 'the request was probably queued: DeepSeek is busy). Try again later or use the flash model.'
      : 'the server may be busy, or still loading the model). Try again later.';
    return `${host} did not start answering within ${human(t.firstDataMs)} (${why}`;
  }
  if (deadline === 'idle') return `The answer stalled: no data from ${host} for ${human(t.idleMs)}.`;
  return `The request ran past its ${human(t.overallMs)} cap.`;
}

function partial(run: Run, outcome: Outcome, error?: LlmError): ChatResult {
  const { acc } = run;
  acc.flush(); // text held back to tell a split `<think>` tag apart belongs to the result
  return {
    outcome,
    content: acc.content,
    reasoning: acc.reasoning,
    ...(acc.finishReason ? { finishReason: acc.finishReason } : {}),
    ...(acc.usage ? { usage: acc.usage } : {}),
    ...(acc.model ? { model: acc.model } : {}),
    ...(acc.toolCalls.length ? { toolCalls: acc.toolCalls } : {}),
    ...(error ? { error } : {}),
  };
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
