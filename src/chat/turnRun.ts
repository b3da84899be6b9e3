// One turn of a conversation, as the session runs it, in steps that read in order:
//   plan        the next request from the conversation state (requestPlan.ts: context, layout, cost),
//               emitted as `context`; refused here when it does not fit, is declined or was stopped;
//   record      the question (or the resumed answer) and the context it goes with, in the history
//               (turnRecord.ts);
//   send        a cache warm-up first when that pays (turnWarmup.ts), then the streamed request,
//               whose text goes to the history as it arrives;
//   learn       what the cache plan learns from the billed usage (hits, a kept base's rent, the
//               warm-up's verdict), saved once;
//   end         the turn's end in the history, then `usage` and `end`.
// A refusal for a smaller window the server states re-plans the question in it, once (turnWindow.ts).
// The agent loop runs plan → send → learn once per tool step on the same turn.
import { needsConfirmation } from '../llm/cost';
import { requestTag } from './cacheLedger';
import type { ChatResult, ClientOptions, RequestParams, StreamHandlers } from '../llm/types';
import { nullLogger, type Logger } from '../shared/log';
import { turnsOf, type RequestRecord } from './conversation';
import { TurnWriter } from './history';
import { ImageError } from './imageStore';
import { wireMessages } from './prompt';
import { rememberRefusal } from './questionImages';
import { endpointKey, planRequest, windowOf, type PlannedRequest, type RequestSpec } from './requestPlan';
import type { AskOptions, SessionListener, TurnEnd } from './sessionTypes';
import { endTurn, notSent, promptCutWarning, tooLongInWindow } from './turnEnd';
import type { TurnHost } from './turnHost';
import { gateImages } from './turnImages';
import { recordQuestion } from './turnRecord';
import { endRefused, smallerWindow, takeWindow, type Refusal } from './turnWindow';
import { warmUp, type Warm, type WarmUpRun } from './turnWarmup';
import { actOnTurn, endStoppedTurn, type FirstCalls } from './agentTurn';

export class TurnRun {
  private readonly log: Logger;

  constructor(
    private readonly host: TurnHost,
    private readonly options: AskOptions,
    private readonly emit: SessionListener,
    private readonly signal: AbortSignal,
  ) {
    this.log = host.ports.log ?? nullLogger;
  }

  /** Runs the turn of `spec` to its end (see the header); `refitted`: asked again in a window the server stated. */
  async send(asked: RequestSpec, { refitted = false }: { refitted?: boolean } = {}): Promise<TurnEnd> {
    const spec = await gateImages(this.host, { spec: asked, refused: false, options: this.options, emit: this.emit });
    if (!('kind' in spec)) return spec;
    await this.host.fitModelWindow();
    const client = await this.host.ports.client();
    const planned = await this.plan(spec, client);
    if (!('messages' in planned)) return planned;
    const at = this.host.clock();
    recordQuestion(this.host, { spec, planned, client, at });
    const warm = planned.warmCount
      ? await warmUp(this.refusalRun(), { spec, planned, client, at, refitted })
      : undefined;
    if (warm && 'outcome' in warm) return warm;
    const result = await this.stream(planned, client);
    const smaller = smallerWindow(this.host.state().params, { refitted, result });
    if (smaller !== undefined)
      return takeWindow(this.refusalRun(), {
        window: smaller,
        spec,
        turn: planned.turn,
        refused: result,
        at,
        warmup: warm?.record,
      });
    if (result.error?.kind === 'images_unsupported' && spec.kind === 'ask' && !result.content && !result.reasoning)
      return this.imagesRefused({ spec, turn: planned.turn, refused: result, at, warmup: warm?.record });
    this.learn(spec, planned, result, warm);
    if (this.acting() && result.outcome === 'complete' && result.toolCalls?.length)
      return this.act(planned.turn, warm?.record, { calls: result.toolCalls, result, at });
    return endTurn(this.host, this.emit, {
      turn: planned.turn,
      result: tooLongInWindow(this.host.state().params, result),
      at,
      warmup: warm?.record,
      warning: promptCutWarning(planned.info.estimate.promptTokens, result.usage),
    });
  }

  /** The request from the conversation state, told as `context`; a turn end when it may not be sent. */
  private async plan(spec: RequestSpec, client: ClientOptions): Promise<PlannedRequest | TurnEnd> {
    const { ports } = this.host;
    const state = this.host.state();
    let p: PlannedRequest;
    try {
      p = await planRequest(state, spec, ports, client, this.host.clock(), this.host.imageUrl);
    } catch (e) {
      const message = e instanceof ImageError ? e.message : `Could not read the workspace: ${(e as Error).message}`;
      return notSent(this.host, this.emit, {
        turn: turnsOf(state).length,
        outcome: 'error',
        error: { kind: 'config', message },
      });
    }
    this.emit({ type: 'context', ...p.info });
    if (p.tooLong) {
      const window = `the model's ${windowOf(state.params).toLocaleString('en-US')}-token window`;
      const message =
        p.turn === 0
          ? `This question does not fit ${window} with room for the answer ` +
            `(max_tokens ${state.params.maxTokens.toLocaleString('en-US')}). Shorten the question or the selection.`
          : `This conversation no longer fits ${window}. Start a new chat: it re-reads the repository from the cache.`;
      return notSent(this.host, this.emit, {
        turn: p.turn,
        outcome: 'error',
        error: { kind: 'context_too_long', message },
      });
    }
    if (
      needsConfirmation(p.info.estimate, ports.confirmAboveUsd) &&
      !(this.options.confirm && (await this.options.confirm(p.info.estimate)))
    ) {
      return notSent(this.host, this.emit, { turn: p.turn, outcome: 'cancelled' });
    }
    if (this.signal.aborted) return notSent(this.host, this.emit, { turn: p.turn, outcome: 'cancelled' });
    return p;
  }

  private readonly onRetry: StreamHandlers['onRetry'] = (r) =>
    this.emit({ type: 'retry', attempt: r.attempt, delayMs: r.delayMs, error: r.error });

  /** The request itself; thinking and answer go to the history and the listener as they stream. */
  private async stream(p: PlannedRequest, client: ClientOptions): Promise<ChatResult> {
    const writer = new TurnWriter(p.turn, (e) => this.host.writeWhileStreaming(e), this.host.clock);
    const result = await this.host.ports.streamChat(
      client,
      wireMessages(p.messages),
      this.params(),
      {
        onReasoning: (text) => {
          writer.addReasoning(text);
          this.emit({ type: 'reasoning', text });
        },
        onContent: (text) => {
          writer.addAnswer(text);
          this.emit({ type: 'content', text });
        },
        onRetry: this.onRetry,
      },
      this.signal,
    );
    writer.flush();
    return result;
  }

  /** The conversation offers tools and the front end lets the model use them. */
  private acting(): boolean {
    return !!this.options.agent && !!this.host.state().params.tools?.length;
  }

  /** The request parameters: the conversation's, and `tool_choice: none` when it offers tools but does not act now. */
  private params(): RequestParams {
    const params = this.host.state().params;
    return params.tools?.length && !this.options.agent ? { ...params, toolChoice: 'none' } : params;
  }

  /**
   * Runs agent turn `turn` on from here (agentTurn.ts): the calls of its first request (`first`), or
   * for a resumed turn the calls left without a result, then a request per tool step until an answer.
   */
  async act(turn: number, warmup?: RequestRecord, first?: FirstCalls): Promise<TurnEnd> {
    const client = await this.host.ports.client();
    const end = await actOnTurn(
      this.host,
      this.emit,
      { turn, agent: this.options.agent!, ...(first ? { first } : {}), requestStep: (at) => this.sendStep(client, at) },
      this.signal,
    );
    if (end.reason !== 'answered' && end.reason !== 'request')
      return endStoppedTurn(this.host, this.emit, { turn, reason: end.reason, warmup });
    return endTurn(this.host, this.emit, {
      turn,
      result: tooLongInWindow(this.host.state().params, end.result),
      at: this.host.clock(),
      warmup,
    });
  }

  /** One request of an agent turn after tool results: planned, streamed into the history, learnt from. */
  private async sendStep(client: ClientOptions, at: number): Promise<ChatResult> {
    const spec: RequestSpec = { kind: 'step' };
    let p: PlannedRequest;
    try {
      p = await planRequest(this.host.state(), spec, this.host.ports, client, at);
    } catch (e) {
      const message = `Could not read the workspace: ${(e as Error).message}`;
      return { outcome: 'error', content: '', reasoning: '', error: { kind: 'config', message } };
    }
    if (p.tooLong) {
      const message =
        'This turn no longer fits the model’s window. Start a new chat: it re-reads the repository from the cache.';
      return { outcome: 'error', content: '', reasoning: '', error: { kind: 'context_too_long', message } };
    }
    const result = await this.stream(p, client);
    this.learn(spec, p, result, undefined);
    return result;
  }

  /** What the cache plan learns from the request's billed usage (and the warm-up's), saved once. */
  private learn(spec: RequestSpec, p: PlannedRequest, result: ChatResult, warm: Warm | undefined): void {
    const { ports } = this.host;
    const state = this.host.state();
    if (result.usage) {
      const complete = spec.kind === 'ask' && result.outcome === 'complete';
      ports.plan.record(p.ns, p.messages, p.keys, {
        usage: result.usage,
        thinking: state.params.thinking,
        tag: requestTag(state.params),
        ...(complete ? { answer: result.content } : {}),
      });
      if (p.rentTokens) ports.plan.payRent(ports.context.workspaceKey, p.rentTokens);
    }
    // Judged once both finished: a server that reports no usage cannot show a warm-up pays, which counts against it.
    if (warm?.answered && result.finishReason) ports.plan.recordWarmup(p.verdictKey, warm.answered.usage, result.usage);
    ports.plan.save();
  }

  /** What turnWindow.ts and turnWarmup.ts need of this turn: to take a stated window and ask again in it. */
  private refusalRun(): WarmUpRun {
    return {
      host: this.host,
      emit: this.emit,
      log: this.log,
      resend: (spec, options) => this.send(spec, options),
      onRetry: this.onRetry,
      signal: this.signal,
    };
  }

  /**
   * The server refused the images of a question (the model's ability was unknown): remembered for
   * this process, and the user is offered the vision model or the question without its images; the
   * refused try ends in the history and the question is asked again in its place.
   */
  private async imagesRefused({ spec, turn, refused, at, warmup }: Omit<Refusal, 'window'>): Promise<TurnEnd> {
    if (spec.kind !== 'ask') return endTurn(this.host, this.emit, { turn, result: refused, at, warmup });
    rememberRefusal(endpointKey((await this.host.ports.client()).baseUrl), this.host.state().params.model);
    const again = this.options.chooseForImages
      ? await gateImages(this.host, {
          spec: { ...spec, keep: turn },
          refused: true,
          options: this.options,
          emit: () => {},
        })
      : undefined;
    if (!again || !('kind' in again)) return endTurn(this.host, this.emit, { turn, result: refused, at, warmup });
    endRefused(this.host, { turn, refused, warmup });
    return this.send(again);
  }
}
