// A request refused as too long for a context window the server states, smaller than the one the
// conversation was planned for: the conversation takes that window (kept in the history, told to
// the runtime); a first question is packed for it and asked again, once; a later turn ends, saying
// to start a new chat. Kept apart from turnRun.ts, which only detects it and hands it over.
import type { ChatResult, RequestParams } from '../llm/types';
import type { Logger } from '../shared/log';
import type { RequestRecord } from './conversation';
import { fitWindow, windowOf, type RequestSpec } from './requestPlan';
import type { SessionListener, TurnEnd } from './sessionTypes';
import { endTurn } from './turnEnd';
import type { TurnHost } from './turnHost';

/** A request refused for a window the server stated, smaller than the conversation's. */
export interface Refusal {
  window: number;
  spec: RequestSpec;
  turn: number;
  refused: ChatResult;
  at: number;
  warmup: RequestRecord | undefined;
}

/** What handling a refusal needs of the turn that met it; `resend` asks the question again in the same turn. */
export interface RefusalRun {
  host: TurnHost;
  emit: SessionListener;
  log: Logger;
  resend(spec: RequestSpec, options: { refitted: boolean }): Promise<TurnEnd>;
}

/**
 * A window smaller than the conversation's that a too-long error states, before anything streamed;
 * none once asked again in one.
 */
export function smallerWindow(
  params: RequestParams,
  { refitted, result }: { refitted: boolean; result: ChatResult },
): number | undefined {
  const stated = result.error?.kind === 'context_too_long' ? result.error.windowTokens : undefined;
  if (refitted || stated === undefined || result.content || result.reasoning) return undefined;
  return stated < windowOf(params) ? stated : undefined;
}

/** A refused try ends in the history only (a warm-up it made stays spent), before its question is asked again. */
export function endRefused(
  host: TurnHost,
  { turn, refused, warmup }: Pick<Refusal, 'turn' | 'refused' | 'warmup'>,
): void {
  host.write({
    type: 'end',
    at: host.clock(),
    turn,
    outcome: 'error',
    ...(refused.error ? { error: refused.error } : {}),
    ...(warmup ? { warmup } : {}),
  });
}

/**
 * The conversation takes the smaller window the server stated for its refused request (kept in
 * the history; the runtime told, so the next conversation starts in it). A first question is
 * packed for it and asked again; a later turn cannot shrink the prefix the conversation is built
 * on, so it ends with the error, saying to start a new chat.
 */
export async function takeWindow(
  run: RefusalRun,
  { window, spec, turn, refused, at, warmup }: Refusal,
): Promise<TurnEnd> {
  const { host, emit, log } = run;
  const { ports } = host;
  const state = host.state();
  const previous = windowOf(state.params);
  const { model } = state.params;
  host.write({
    type: 'window',
    at: host.clock(),
    windowTokens: window,
    maxTokens: fitWindow(state.params, window).maxTokens,
  });
  ports.windowStated?.(model, window);
  const n = (x: number) => x.toLocaleString('en-US');
  const said = `The server says ${model}'s context window is ${n(window)} tokens, not the ${n(previous)}`;
  if (spec.kind === 'ask' && turn === 0) {
    endRefused(host, { turn, refused, warmup });
    const message = `${said} this question was packed for: packing the repository for it and asking again.`;
    log.info(message);
    emit({ type: 'window', windowTokens: window, previousTokens: previous, message });
    return run.resend({ ...spec, keep: turn }, { refitted: true });
  }
  const message =
    `${said} this conversation was planned for. ` + `Start a new chat: it is packed for ${n(window)} tokens.`;
  return endTurn(host, emit, {
    turn,
    result: { ...refused, error: { ...refused.error!, message } },
    at,
    warmup,
  });
}
