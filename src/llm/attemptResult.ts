// How the way one attempt's stream ended (EOF, `[DONE]`, an error event, a deadline, the caller's
// cancel) becomes an honest ChatResult: the answer so far, its outcome, and an error that says what
// happened and what to do. attempt.ts reads the stream; this decides what its end means.
import type { Logger } from '../shared/log';
import type { AnswerAccumulator } from './answer';
import type { Deadline, Watchdog } from './deadlines';
import type { Endpoint } from './endpoint';
import { isDeepSeekHost, serverName } from './errors';
import type { StreamEnd } from './sse';
import type { ChatResult, LlmError, Outcome, RequestParams, StreamHandlers, Timeouts } from './types';

/** What one call of streamChat shares across its attempts. */
export interface Run {
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

/** The outcome of a stream that ended on its own (EOF, `[DONE]`, an error event). */
export function settle(run: Run, end: StreamEnd): ChatResult {
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
export function stoppedResult(run: Run): ChatResult | undefined {
  if (run.caller?.aborted) return partial(run, 'cancelled');
  const deadline = run.watchdog.fired;
  if (!deadline) return undefined;
  if (deadline === 'idle' && run.acc.finishReason) return settle(run, 'stopped');
  const error: LlmError = { kind: 'timeout', message: deadlineMessage(deadline, run) };
  return run.acc.shown
    ? partial(run, 'interrupted', { ...error, message: `${error.message} The partial answer is kept.` })
    : partial(run, 'error', error);
}

/** Which deadline passed, in words, with what to do. */
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

/** The result so far, with `outcome` and `error`. */
export function partial(run: Run, outcome: Outcome, error?: LlmError): ChatResult {
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
