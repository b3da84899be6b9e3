// The "send" step's cache warm-up (turnRun.ts): the prefix up to the repository sent alone with
// max_tokens 1, so the question's request reads it from DeepSeek's cache. What it cost, and whether
// the server answered it, are kept for the turn's end and the cache plan's verdict; an error the
// real request would hit too ends the turn here.
import type { ErrorKind, StreamHandlers, ClientOptions, Usage } from '../llm/types';
import { requestTag } from './cacheLedger';
import { WARMUP_MAX_TOKENS } from './cachePlan';
import type { RequestRecord } from './conversation';
import { wireMessages } from './prompt';
import type { PlannedRequest, RequestSpec } from './requestPlan';
import type { TurnEnd } from './sessionTypes';
import { endTurn, requestRecord, tooLongInWindow } from './turnEnd';
import { smallerWindow, takeWindow, type RefusalRun } from './turnWindow';

/** Warm-up errors that the real request would hit too: the turn ends with them. */
const FATAL_KINDS: ReadonlySet<ErrorKind> = new Set([
  'auth',
  'balance',
  'config',
  'context_too_long',
  'bad_request',
  'not_event_stream',
]);

/** The warm-up sent before the request, when one was. */
export interface Warm {
  /** Its cost, as the turn's end records it. */
  record: RequestRecord | undefined;
  /** The server answered it (finished), with its usage when it reported one. */
  answered: { usage: Usage | undefined } | undefined;
}

/** What a warm-up needs of its turn: a refusal's run, and the turn's retry handler and signal. */
export interface WarmUpRun extends RefusalRun {
  onRetry: StreamHandlers['onRetry'];
  signal: AbortSignal;
}

/** The warm-up request (the prefix up to the repository, max_tokens 1), or the turn's end when it ended the turn. */
export async function warmUp(
  run: WarmUpRun,
  step: { spec: RequestSpec; planned: PlannedRequest; client: ClientOptions; at: number; refitted: boolean },
): Promise<Warm | TurnEnd> {
  const { host, emit } = run;
  const { spec, planned: p, client, at } = step;
  const { ports } = host;
  const state = host.state();
  const params = state.params;
  const messages = p.messages.slice(0, p.warmCount);
  const w = await ports.streamChat(
    client,
    wireMessages(messages),
    { ...params, maxTokens: WARMUP_MAX_TOKENS },
    { onRetry: run.onRetry },
    run.signal,
  );
  const warm: Warm = { record: undefined, answered: w.finishReason ? { usage: w.usage } : undefined };
  if (w.usage) {
    ports.plan.record(p.ns, messages, p.keys.slice(0, p.warmCount), {
      usage: w.usage,
      thinking: params.thinking,
      tag: requestTag({ maxTokens: WARMUP_MAX_TOKENS }),
    });
    warm.record = requestRecord(host, w.usage, at);
  }
  emit({
    type: 'warmup',
    ...(w.usage ? { usage: w.usage } : {}),
    ...(warm.record?.costUsd !== undefined ? { costUsd: warm.record.costUsd } : {}),
    verdict: ports.plan.verdict(p.verdictKey).state,
  });
  const refused = { ...w, usage: undefined };
  const smaller = smallerWindow(params, { refitted: step.refitted, result: w });
  if (smaller !== undefined)
    return takeWindow(run, { window: smaller, spec, turn: p.turn, refused, at, warmup: warm.record });
  // Its usage is already the warm-up's: the turn ends without a request of its own.
  if (w.outcome === 'cancelled' || (w.outcome === 'error' && w.error && FATAL_KINDS.has(w.error.kind)))
    return endTurn(host, emit, {
      turn: p.turn,
      result: tooLongInWindow(params, refused),
      at,
      warmup: warm.record,
    });
  return warm;
}
