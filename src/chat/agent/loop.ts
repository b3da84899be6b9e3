// The agent loop: ask; when the answer calls tools, run every call in order, append the
// results, and ask again, until the model answers without a tool call, the user stops it, the step
// limit is reached, or the user declines to spend more. It owns no I/O: the conversation plans,
// sends and records each request (AgentTurnPort), the tools run through their ports (`runTool`),
// and everything that happened is recorded as it happens, so Stop at any point keeps it all and a
// turn interrupted between steps resumes where it stopped.
import type { ChatResult, ToolCall } from '../../llm/types';
import { argumentsOf } from './toolArgs';
import type { ToolOutcome } from './toolResult';

/** The conversation's side of one agent turn. */
export interface AgentTurnPort {
  /**
   * Plans the turn's next request (the question's, then one per tool step: the previous request's
   * input plus its output and the tool results), sends it and records what streams; resolves with
   * the result (never rejects for API errors).
   */
  requestStep(signal: AbortSignal): Promise<ChatResult>;
  /** Records the tool calls the last request ended with (its thinking and text are recorded already). */
  recordCalls(calls: ToolCall[], result: ChatResult): void;
  /** Records the outcome of one call. */
  recordResult(call: ToolCall, outcome: ToolOutcome): void;
  /** USD this turn has spent so far. */
  spentUsd(): number;
}

export interface AgentLoopOptions {
  /** Requests one turn may make at most (the setting; default 25). */
  maxSteps: number;
  /**
   * Above this spend (USD) in one turn, and at each further multiple of it, ask before the next request; 0 or
   * undefined: never.
   */
  confirmAboveUsd?: number;
  /** Asked when the spend passes the threshold; without it, the turn stops there. */
  confirmSpend?: (spentUsd: number) => Promise<boolean>;
  /** Calls of the last step that have no result yet (a turn resumed after it stopped): run before asking again. */
  pending?: ToolCall[];
  onToolCall?: (call: ToolCall) => void;
  onToolResult?: (call: ToolCall, outcome: ToolOutcome) => void;
}

export type AgentEnd =
  /** The model answered without a tool call. */
  | { reason: 'answered'; result: ChatResult; steps: number }
  /** A request failed, was cut, or was cancelled while streaming: `result` says how. */
  | { reason: 'request'; result: ChatResult; steps: number }
  /** The user stopped the turn while tools ran. */
  | { reason: 'stopped'; steps: number }
  | { reason: 'step-limit'; steps: number }
  | { reason: 'cost-declined'; steps: number; spentUsd: number };

/** Runs one call; never rejects (tools.ts `runTool` bound to its context). */
export type ToolRunner = (call: ToolCall, signal: AbortSignal) => Promise<ToolOutcome>;

/** What the model is told for a call the user's Stop kept from running. */
export const NOT_RUN_STOPPED = 'Not run: the user stopped the turn before this call ran.';

/**
 * What the model is told for a call whose arguments its reply's output limit cut off: why they are not valid JSON,
 * so it sends a smaller call instead of the same one cut again.
 */
export const CUT_BY_LIMIT =
  'Not run: your reply reached the output limit (max_tokens) while writing this call, which cut its arguments off ' +
  '(not valid JSON). Send it again smaller: fewer edits or paths a call, or shorter search and replace texts.';

/** A call the output limit cut: the reply ended at the limit and the call's arguments do not parse. */
const cutByLimit = (call: ToolCall, result: ChatResult) => result.finishReason === 'length' && !argumentsOf(call).ok;

/** Runs the turn to its end (see the header). */
export async function runAgentLoop(
  turn: AgentTurnPort,
  runTool: ToolRunner,
  options: AgentLoopOptions,
  signal: AbortSignal,
): Promise<AgentEnd> {
  let steps = 0;
  const confirmStep = options.confirmAboveUsd ?? 0;
  let nextConfirm = confirmStep > 0 ? confirmStep : Infinity;
  if (options.pending?.length) {
    const stopped = await runCalls(turn, runTool, options, options.pending, signal);
    if (stopped) return { reason: 'stopped', steps };
  }
  for (;;) {
    if (steps >= options.maxSteps) return { reason: 'step-limit', steps };
    const spent = turn.spentUsd();
    if (spent > nextConfirm) {
      if (!options.confirmSpend || !(await options.confirmSpend(spent)))
        return { reason: 'cost-declined', steps, spentUsd: spent };
      while (nextConfirm <= spent) nextConfirm += confirmStep;
    }
    if (signal.aborted) return { reason: 'stopped', steps };
    const result = await turn.requestStep(signal);
    steps++;
    const calls = result.toolCalls ?? [];
    if (result.outcome !== 'complete') return { reason: 'request', result, steps };
    if (!calls.length) return { reason: 'answered', result, steps };
    turn.recordCalls(calls, result);
    const run: ToolRunner = (call, sig) =>
      cutByLimit(call, result)
        ? Promise.resolve({
            ok: false,
            content: CUT_BY_LIMIT,
            summary: 'not run: cut off by the output limit',
            detail: { kind: 'invalid' },
          })
        : runTool(call, sig);
    const stopped = await runCalls(turn, run, options, calls, signal);
    if (stopped) return { reason: 'stopped', steps };
  }
}

/** Runs `calls` in order, recording each result; after a Stop the rest are recorded as not run. True when stopped. */
async function runCalls(
  turn: AgentTurnPort,
  runTool: ToolRunner,
  options: AgentLoopOptions,
  calls: ToolCall[],
  signal: AbortSignal,
): Promise<boolean> {
  for (const call of calls) {
    options.onToolCall?.(call);
    const outcome: ToolOutcome = signal.aborted
      ? { ok: false, content: NOT_RUN_STOPPED, summary: 'not run: stopped', detail: { kind: 'invalid' } }
      : await runTool(call, signal);
    turn.recordResult(call, outcome);
    options.onToolResult?.(call, outcome);
  }
  return signal.aborted;
}
