// What the webview is told about a conversation, in one place: a running session's events as
// protocol messages (`sessionMessage`), how its turn ended (`turnResult`, the `end` message's
// fields), and a stored conversation as the snapshot a view replays (`snapshotOf`). Live and
// replayed turns share the helpers below, so a reloaded view shows what the live one showed.
// A new session event or field is mapped here (and typed by src/protocol/messages.ts). No vscode.
import { turnsOf, type ConversationState, type PackSummary, type Turn } from '../chat/conversation';
import type { SessionEvent, TurnEnd } from '../chat/sessionTypes';
import { finishedStep, notRunStep, runningStep, type StepView } from '../chat/agent/stepView';
import { missesWhy, turnInput } from '../chat/estimateWords';
import type { CostEstimate } from '../llm/cost';
import { whatHappened } from '../llm/errors';
import type { LlmError, Outcome, RequestParams, ToolCall, Usage } from '../llm/types';
import {
  MAX_JOINED,
  MAX_MODEL_ID,
  type ContextSummary,
  type ConversationSnapshot,
  type Effort,
  type HostToWebview,
  type ToolStep,
  type TurnRecord,
  type UsageSummary,
} from '../protocol/messages';

/** How a request ended, in the view's terms (the `end` message's fields, and the conversation's cost). */
export interface TurnResult {
  outcome: Outcome;
  /** A sentence the user can act on (errors, interruptions, a warning about a complete answer). */
  message?: string;
  /** `LlmError.kind` for errors (`auth` makes the view offer Set API Key). */
  errorKind?: string;
  /** USD spent by the whole conversation so far (its dropped turns and warm-ups included). */
  conversationCostUsd?: number;
  /** Nothing was sent (declined at the cost question, or stopped before sending). */
  notSent?: boolean;
  /** The answer is complete but the output limit cut it: the view offers Continue. */
  continuable?: boolean;
}

const CUT_OFF = 'The answer was cut off before it finished: Continue finishes it.';

/** What a complete answer the output limit cut (max_tokens, tokens) says. */
const atOutputLimit = (tokens: number) =>
  `The answer reached the output limit (${tokens.toLocaleString('en-US')} tokens): Continue finishes it.`;

/**
 * The sentence a finished turn shows: its error, else why it is incomplete, else that the output limit cut it
 * and its warning.
 */
function endMessage(t: {
  outcome?: Outcome;
  error?: LlmError;
  warning?: string;
  notSent?: boolean;
  outputLimitTokens?: number;
}) {
  if (t.error) return t.error.message;
  if (t.outcome === 'interrupted') return CUT_OFF;
  if (t.notSent && t.outcome === 'cancelled') return 'Not sent.';
  const limit = t.outcome === 'complete' && t.outputLimitTokens !== undefined ? atOutputLimit(t.outputLimitTokens) : '';
  return [limit, t.warning].filter(Boolean).join(' ') || undefined;
}

/** A complete answer the output limit cut, which Continue finishes. */
const continuable = (t: { outcome?: Outcome; outputLimitTokens?: number }) =>
  t.outcome === 'complete' && t.outputLimitTokens !== undefined;

/** The context chip: the repository block's counts (never its text), and the window when not V4's (tokens). */
function contextSummary(
  summary: PackSummary,
  tokens: number,
  windowTokens: number | undefined,
  estimate?: CostEstimate,
): ContextSummary {
  const input = estimate && turnInput(estimate);
  return {
    files: summary.files,
    tokens,
    outlined: summary.outlined,
    excluded: summary.excluded,
    redactions: summary.redactions,
    ...(input ? { predictedHitTokens: input.hitTokens, inputTokens: input.tokens } : {}),
    ...(estimate?.expectedUsd !== undefined ? { estimatedCostUsd: estimate.expectedUsd } : {}),
    ...(estimate?.inputUsd !== undefined ? { estimatedInputUsd: estimate.inputUsd } : {}),
    ...(estimate?.maxUsd !== undefined ? { estimatedMaxUsd: estimate.maxUsd } : {}),
    ...(estimate ? { estimateNote: missesWhy(estimate) } : {}),
    ...(windowTokens !== undefined ? { windowTokens } : {}),
  };
}

/**
 * A turn's billed usage (tokens) with its cost and warm-up's (USD) and the model the server named (cut to the
 * protocol's limit).
 */
function usageSummary(
  usage: Usage,
  cost: { costUsd?: number | undefined; warmupUsd?: number | undefined },
  model?: string,
): UsageSummary {
  return {
    ...usage,
    ...(cost.costUsd !== undefined ? { costUsd: cost.costUsd } : {}),
    ...(cost.warmupUsd !== undefined ? { warmupUsd: cost.warmupUsd } : {}),
    ...(model ? { model: model.slice(0, MAX_MODEL_ID) } : {}) /* a server may report a long model path */,
  };
}

/** A running session's event as the message for request `requestId`; undefined for what the view does not show. */
export function sessionMessage(requestId: string, e: SessionEvent): HostToWebview | undefined {
  switch (e.type) {
    case 'context': {
      // What this request sends, as the Context view counts it: the reused prefix's files, plus the
      // files added since (in the updated-files section), less those removed since.
      const u = e.update;
      const files = e.files + (u ? u.added.length - u.removed.length : 0);
      const tokens = e.repositoryTokens + (u?.tokens ?? 0);
      const summary = contextSummary({ ...e, files: Math.max(0, files) }, tokens, e.windowTokens, e.estimate);
      const joined = u?.joined?.slice(0, MAX_JOINED);
      return {
        type: 'context',
        requestId,
        summary: { ...summary, ...(e.images ? { images: e.images } : {}), ...(joined?.length ? { joined } : {}) },
      };
    }
    case 'retry':
      return {
        type: 'retry',
        requestId,
        attempt: e.attempt,
        delayMs: e.delayMs,
        message: whatHappened(e.error.message),
      };
    case 'window':
      return { type: 'notice', requestId, message: e.message };
    case 'reasoning':
      return { type: 'reasoningDelta', requestId, text: e.text };
    case 'content':
      return { type: 'contentDelta', requestId, text: e.text };
    case 'usage':
      // The turn as History will show it (all its requests, its warm-up; an agent turn's steps so far);
      // the answer's alone without it.
      return {
        type: 'usage',
        requestId,
        usage: e.turn
          ? usageSummary(e.turn.usage, e.turn, e.model)
          : usageSummary(e.usage, { costUsd: e.turnCostUsd ?? e.cost?.totalUsd }, e.model),
      };
    case 'warmup': // its cost is in the conversation's
    case 'end': // the `end` message is posted from `turnResult`, with the conversation it was stored in
      return undefined;
    case 'tool_call':
      return { type: 'toolStep', requestId, step: viewStep(runningStep(callOf(e))) };
    case 'tool_result':
      return { type: 'toolStep', requestId, step: viewStep(finishedStep(callOf(e), e)) };
    case 'step': // the next request of an agent turn: its text streams as the answer does
      return undefined;
    default:
      return e satisfies never;
  }
}

/** How a turn ended, in the view's terms. */
export function turnResult(end: TurnEnd): TurnResult {
  const message = endMessage(end);
  return {
    outcome: end.outcome,
    ...(message ? { message } : {}),
    ...(end.error ? { errorKind: end.error.kind } : {}),
    conversationCostUsd: end.conversationCostUsd,
    ...(end.notSent ? { notSent: true } : {}),
    ...(continuable(end) ? { continuable: true } : {}),
  };
}

const effortOf = (p: RequestParams): Effort => (p.thinking ? p.reasoningEffort : 'off');

function turnRecord(t: Turn, context: ContextSummary | undefined, running = false): TurnRecord {
  const message = endMessage(t);
  return {
    question: t.question,
    ...(t.editor ? { editor: t.editor } : {}),
    ...(t.mentions?.length ? { mentions: t.mentions } : {}),
    ...(t.shown ? { shown: t.shown } : {}),
    answer: t.answer,
    reasoning: t.reasoning,
    outcome: t.outcome,
    ...(message ? { message } : {}),
    ...(t.error ? { errorKind: t.error.kind } : {}),
    ...(continuable(t) ? { continuable: true } : {}),
    ...(context ? { context } : {}),
    ...(t.usage ? { usage: usageSummary(t.usage, t, t.model) } : {}),
    ...(t.steps?.length ? { steps: stepsOf(t, running) } : {}),
  };
}

/**
 * A stored agent turn's tool calls as the view shows them: each with its result. A call without one
 * is still running when `running` (the turn runs now, shown in another view); otherwise it never
 * finished (the turn stopped, or the window reloaded, while it ran or awaited the user): not run.
 */
function stepsOf(t: Turn, running: boolean): ToolStep[] {
  return (t.steps ?? []).flatMap((s) =>
    s.calls.map((call, i) => {
      const r = s.results.find((x) => x.id === call.id);
      const note = i === 0 && s.content.trim() ? { note: s.content.trim().slice(0, 100_000) } : {};
      const step = r ? finishedStep(call, r) : running ? runningStep(call) : notRunStep(call);
      return { ...viewStep(step), ...note };
    }),
  );
}

/** A step as the protocol carries it (within its limits). */
function viewStep(s: StepView): ToolStep {
  return {
    ...s,
    id: s.id.slice(0, 200),
    name: s.name.slice(0, 64),
    ...(s.summary ? { summary: s.summary.slice(0, 10_000) } : {}),
    ...(s.files ? { files: s.files.slice(0, 1000) } : {}),
  };
}

/** The call a tool event names. */
const callOf = (e: { id: string; name: string; arguments: string }): ToolCall => ({
  id: e.id,
  type: 'function',
  function: { name: e.name, arguments: e.arguments },
});

/**
 * A stored conversation as the view shows it; each turn's chip shows the conversation's repository
 * block. `running`: its last turn is running now (in another view).
 */
export function snapshotOf(state: ConversationState, opts: { running?: boolean } = {}): ConversationSnapshot {
  const b = state.base;
  const turns = turnsOf(state);
  return {
    id: state.id,
    title: state.title,
    model: state.params.model,
    effort: effortOf(state.params),
    turns: turns.map((t, i) =>
      turnRecord(
        t,
        b && contextSummary(b.summary, b.tokens, state.params.windowTokens),
        opts.running === true && i === turns.length - 1,
      ),
    ),
  };
}
