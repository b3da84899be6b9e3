// One attempt of a chat request: the request body, the POST and reading its event stream; how the way
// the stream ended becomes an honest ChatResult is attemptResult.ts.
// client.ts's `streamChat` decides between attempts (retries, refused fields); nothing here retries.
import OpenAI, { type APIError } from 'openai';
import { AnswerAccumulator } from './answer';
import { partial, settle, stoppedResult, type Run } from './attemptResult';
import { errorFromSdk, requestIdOf } from './errors';
import { errorForNetwork } from './networkErrors';
import { imagesRefusal, refusedFields, type OptionalField } from './refusals';
import { jsonBody } from './jsonBody';
import { refuseNonEventStream } from './nonStream';
import type { HeaderSource } from './retry';
import { EventTooLargeError, readEventStream, type StreamEnd } from './sse';
import type { ChatMessage, ChatResult, RequestParams } from './types';

/** One attempt's end: the result to return, and whether a retry may still do better. */
export interface Attempt {
  result: ChatResult;
  retryable: boolean;
  headers?: HeaderSource;
  /** Optional request fields the server refused (refusals.ts `refusedFields`). */
  refused?: OptionalField[];
}

/**
 * The request body DeepSeek expects; `thinking` and `reasoning_effort` are not in the SDK's types.
 * Fields in `omit` (a server refused them) are left out, and the server's defaults apply.
 */
export function requestBody(messages: ChatMessage[], params: RequestParams, omit: ReadonlySet<OptionalField>) {
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

/** True when a message carries an image (content parts with `image_url`). */
const hasImages = (messages: ChatMessage[]): boolean =>
  messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));

/** Sends `body` once and reads its stream to the end; says whether a retry may do better. */
export async function attemptOnce(run: Run, client: OpenAI, body: ReturnType<typeof requestBody>): Promise<Attempt> {
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
        ? imagesRefusal({ status: apiError.status, body: apiError.error, host: endpoint.host, model: body.model })
        : undefined;
    const error = refusedImages
      ? { ...refusedImages, ...(sdk.error.requestId ? { requestId: sdk.error.requestId } : {}) }
      : sdk.error;
    log.warn(
      `POST ${endpoint.host}/chat/completions model=${body.model} failed: ${error.status ?? ''} ` +
        `${error.kind} request-id=${error.requestId ?? '-'}`,
    );
    const refused = apiError
      ? refusedFields({ status: apiError.status, body: apiError.error, host: endpoint.host })
      : [];
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
