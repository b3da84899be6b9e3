// How a turn ends: its end in the history (outcome, billed usage and cost, the warm-up's cost, a
// warning), then `usage` (when billed) and `end` for the listener; or, for a question that was not
// sent, `end` alone. Also the sentences about a prompt the server read only part of, or refused.
import { costBreakdown, costOf, DEFAULT_PRICES } from '../llm/cost';
import type { ChatResult, LlmError, RequestParams, Usage } from '../llm/types';
import { nullLogger } from '../shared/log';
import { turnsOf, type RequestRecord, type Turn } from './conversation';
import type { SessionListener, TurnEnd } from './sessionTypes';
import type { TurnHost } from './turnHost';

/**
 * Prompts at least this long (tokens) are checked against what the server billed; shorter ones vary too
 * much with another model's tokenizer and template.
 */
const CUT_CHECK_MIN_TOKENS = 8_000;

/**
 * A sentence for the user when the server billed under half the prompt tokens sent: it read only
 * part of the prompt. Ollama cuts a prompt longer than its context (num_ctx) without an error, and
 * so may other servers; another model's tokenizer counts code within about ±30% of DeepSeek's,
 * never half, and DeepSeek bills what our counter counts.
 */
export function promptCutWarning(sentTokens: number, usage: Usage | undefined): string | undefined {
  if (!usage || usage.promptTokens <= 0 || sentTokens < CUT_CHECK_MIN_TOKENS || usage.promptTokens >= sentTokens / 2)
    return undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `The server read only ${n(usage.promptTokens)} of the ~${n(sentTokens)} prompt tokens sent, ` +
    `so this answer saw only part of the repository: the model's context window is smaller than the prompt. ` +
    `Set deepseekRepo.contextWindowTokens (CLI: --window) to the window the server gives the model ` +
    `(Ollama: num_ctx) and ask in a new chat, or raise that window.`
  );
}

/**
 * A too-long error stating the very window the request was planned for (`params.windowTokens`): by
 * DeepSeek's tokenizer it fits, so the model's own counts more tokens for the same text, and only a
 * smaller budget helps.
 */
export function tooLongInWindow(params: RequestParams, result: ChatResult): ChatResult {
  const window = params.windowTokens;
  if (result.error?.kind !== 'context_too_long' || window === undefined || result.error.windowTokens !== window)
    return result;
  const n = window.toLocaleString('en-US');
  const message =
    `The request does not fit the model's ${n}-token window by the model's own tokenizer, ` +
    `though it does by DeepSeek's, which sized it: ` +
    `lower deepseekRepo.contextBudgetTokens (CLI: --budget), then ask in a new chat.`;
  return { ...result, error: { ...result.error, message } };
}

/** A usage event's `turn`: turn `t` so far as its history has it (tokens summed over its requests; USD). */
export function turnSoFar(t: Turn | undefined): { turn?: { usage: Usage; costUsd?: number; warmupUsd?: number } } {
  if (!t?.usage) return {};
  return {
    turn: {
      usage: t.usage,
      ...(t.costUsd !== undefined ? { costUsd: t.costUsd } : {}),
      ...(t.warmupUsd !== undefined ? { warmupUsd: t.warmupUsd } : {}),
    },
  };
}

/** A request's billed usage (tokens) with its cost at `at` (ms since the epoch; USD, absent for an unpriced model). */
export function requestRecord(host: TurnHost, usage: Usage, at: number): RequestRecord {
  const costUsd = costOf(usage, host.state().params.model, new Date(at), host.ports.prices ?? DEFAULT_PRICES);
  return { usage, ...(costUsd !== undefined ? { costUsd } : {}) };
}

/** How a sent request ended, as the turn's end records it. */
export interface Ending {
  turn: number;
  result: ChatResult;
  /** When the question was recorded (ms since the epoch): the prices of that moment apply. */
  at: number;
  /** The warm-up sent before the request, if any. */
  warmup: RequestRecord | undefined;
  warning?: string | undefined;
}

/** Ends a turn whose request was sent: its end in the history, then `usage` (when billed) and `end`. */
export function endTurn(host: TurnHost, emit: SessionListener, ending: Ending): TurnEnd {
  const { turn, result, at, warmup, warning } = ending;
  const state = host.state();
  const request = result.usage ? requestRecord(host, result.usage, at) : undefined;
  host.write({
    type: 'end',
    at: host.clock(),
    turn,
    outcome: result.outcome,
    ...(result.finishReason ? { finishReason: result.finishReason } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(result.model ? { model: result.model } : {}),
    ...(request ? { request } : {}),
    ...(warmup ? { warmup } : {}),
    ...(warning ? { warning } : {}),
  });
  if (warning) (host.ports.log ?? nullLogger).warn(warning);
  const t = turnsOf(state)[turn];
  if (result.usage) {
    const cost = costBreakdown(result.usage, state.params.model, new Date(at), host.ports.prices ?? DEFAULT_PRICES);
    emit({
      type: 'usage',
      usage: result.usage,
      ...(cost ? { cost } : {}),
      ...(result.model ? { model: result.model } : {}),
      ...turnSoFar(t),
    });
  }
  const end: TurnEnd = {
    turn,
    outcome: result.outcome,
    ...(result.finishReason ? { finishReason: result.finishReason } : {}),
    ...(t?.outputLimitTokens !== undefined ? { outputLimitTokens: t.outputLimitTokens } : {}),
    ...(result.error ? { error: result.error } : {}),
    ...(t?.costUsd !== undefined ? { turnCostUsd: t.costUsd } : {}),
    conversationCostUsd: state.spentUsd,
    ...(warning ? { warning } : {}),
    ...(t?.steps?.length ? { steps: t.steps.length } : {}),
  };
  emit({ type: 'end', ...end });
  return end;
}

/** Ends a turn whose question was not sent (nothing written): `end` alone. */
export function notSent(
  host: TurnHost,
  emit: SessionListener,
  why: { turn: number; outcome: 'error' | 'cancelled'; error?: LlmError },
): TurnEnd {
  const { turn, outcome, error } = why;
  const end: TurnEnd = {
    turn,
    outcome,
    ...(error ? { error } : {}),
    notSent: true,
    conversationCostUsd: host.state().spentUsd,
  };
  emit({ type: 'end', ...end });
  return end;
}
