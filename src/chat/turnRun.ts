// One turn of a conversation, as the session runs it, in steps that read in order:
//   plan        the next request from the conversation state (requestPlan.ts: context, layout, cost),
//               emitted as `context`; refused here when it does not fit, is declined or was stopped;
//   record      the question (or the resumed answer) and the context it goes with, in the history;
//   send        a cache warm-up first when that pays, then the streamed request, whose text goes
//               to the history as it arrives;
//   learn       what the cache plan learns from the billed usage (hits, a kept base's rent, the
//               warm-up's verdict), saved once;
//   end         the turn's end in the history, then `usage` and `end`.
// A refusal for a smaller window the server states re-plans the question in it, once. The agent
// loop runs plan → send → learn once per tool step on the same turn.
import { needsConfirmation } from '../llm/cost';
import { requestTag } from './cacheLedger';
import { WARMUP_MAX_TOKENS } from './cachePlan';
import type { ChatResult, ClientOptions, ErrorKind, RequestParams, StreamHandlers, Usage } from '../llm/types';
import type { ImageRef } from '../protocol/images';
import { nullLogger, type Logger } from '../shared/log';
import { turnsOf, type ConversationState, type HistoryEvent, type RequestRecord } from './conversation';
import { TurnWriter } from './history';
import { ImageError } from './imageStore';
import { wireMessages, type ImageUrls } from './prompt';
import { rememberRefusal } from './questionImages';
import { endpointKey, fitWindow, planRequest, windowOf, type PlannedRequest, type RequestSpec } from './requestPlan';
import type { AskOptions, SessionListener, SessionPorts, TurnEnd } from './sessionTypes';
import { endTurn, notSent, promptCutWarning, requestRecord, tooLongInWindow } from './turnEnd';
import { gateImages } from './turnImages';
import { actOnTurn, endStoppedTurn, type FirstCalls } from './agentTurn';

/** Warm-up errors that the real request would hit too: the turn ends with them. */
const FATAL_KINDS: ReadonlySet<ErrorKind> = new Set([
  'auth',
  'balance',
  'config',
  'context_too_long',
  'bad_request',
  'not_event_stream',
]);

/** The session a turn runs in: its ports, its state, and its history. */
export interface TurnHost {
  readonly ports: SessionPorts;
  readonly clock: () => number;
  /** The conversation as it stands (the log's replay; a turn changes it through `write`, and names a new one). */
  state(): ConversationState;
  /** Nothing is written yet: the conversation is named after its first question. */
  isNew(): boolean;
  /** Asked before a new conversation's first request: its model's window (requestPlan.ts `fitWindow`). */
  fitModelWindow(): Promise<void>;
  /** Appends an event to the history and applies it to the state. */
  write(e: HistoryEvent): void;
  /** The same while an answer streams: a failed write is logged, not thrown. */
  writeWhileStreaming(e: HistoryEvent): void;
  /** The `data:` URL of an image of the conversation or of the question being asked. */
  imageUrl: ImageUrls;
  /** Stores the bytes of the question's new images (before the question that names them is written). */
  storeImages(refs: readonly ImageRef[]): void;
  /** A conversation not saved yet starts on `model` instead (a vision model chosen for its first question). */
  startOn(model: string): void;
}

/** The warm-up sent before the request, when one was. */
interface Warm {
  /** Its cost, as the turn's end records it. */
  record: RequestRecord | undefined;
  /** The server answered it (finished), with its usage when it reported one. */
  answered: { usage: Usage | undefined } | undefined;
}

/** A request refused for a window the server stated, smaller than the conversation's. */
interface Refusal {
  window: number;
  spec: RequestSpec;
  turn: number;
  refused: ChatResult;
  at: number;
  warmup: RequestRecord | undefined;
}

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
    this.recordQuestion(spec, planned, client, at);
    const warm = planned.warmCount ? await this.warmUp({ spec, planned, client, at, refitted }) : undefined;
    if (warm && 'outcome' in warm) return warm;
    const result = await this.stream(planned, client);
    const smaller = this.smallerWindow(refitted, result);
    if (smaller !== undefined)
      return this.takeWindow({ window: smaller, spec, turn: planned.turn, refused: result, at, warmup: warm?.record });
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

  /** The history before sending: the title of a new conversation, dropped turns, the context, the question. */
  private recordQuestion(spec: RequestSpec, p: PlannedRequest, client: ClientOptions, at: number): void {
    const state = this.host.state();
    if (this.host.isNew() && spec.kind === 'ask') {
      state.title =
        (spec.shown?.text ?? spec.question)
          .split('\n')
          .find((l) => l.trim())
          ?.trim()
          .slice(0, 80) ?? 'Conversation';
      state.endpoint = endpointKey(client.baseUrl);
    }
    if (spec.kind === 'ask' && spec.keep !== undefined) this.host.write({ type: 'truncate', at, keep: spec.keep });
    if (spec.kind === 'ask' && spec.model) this.host.write({ type: 'model', at, model: spec.model });
    p.events.forEach((e) => this.host.write(e));
    // The images' bytes go to the store before the question that names them is written.
    if (spec.kind === 'ask' && spec.images) this.host.storeImages(spec.images);
    this.host.write(
      spec.kind === 'ask'
        ? {
            type: 'question',
            at,
            turn: p.turn,
            text: spec.question,
            ...(spec.focus ? { focus: spec.focus } : {}),
            ...(spec.editor ? { editor: spec.editor } : {}),
            ...(spec.images?.length ? { images: spec.images } : {}),
            ...(spec.mentions?.length ? { mentions: spec.mentions } : {}),
            ...(spec.shown ? { shown: spec.shown } : {}),
          }
        : { type: 'resume', at, turn: p.turn },
    );
  }

  private readonly onRetry: StreamHandlers['onRetry'] = (r) =>
    this.emit({ type: 'retry', attempt: r.attempt, delayMs: r.delayMs, error: r.error });

  /** The warm-up request (the prefix up to the repository, max_tokens 1), or the turn's end when it ended the turn. */
  private async warmUp(step: {
    spec: RequestSpec;
    planned: PlannedRequest;
    client: ClientOptions;
    at: number;
    refitted: boolean;
  }): Promise<Warm | TurnEnd> {
    const { spec, planned: p, client, at } = step;
    const { ports } = this.host;
    const state = this.host.state();
    const params = state.params;
    const messages = p.messages.slice(0, p.warmCount);
    const w = await ports.streamChat(
      client,
      wireMessages(messages),
      { ...params, maxTokens: WARMUP_MAX_TOKENS },
      { onRetry: this.onRetry },
      this.signal,
    );
    const warm: Warm = { record: undefined, answered: w.finishReason ? { usage: w.usage } : undefined };
    if (w.usage) {
      ports.plan.record(p.ns, messages, p.keys.slice(0, p.warmCount), {
        usage: w.usage,
        thinking: params.thinking,
        tag: requestTag({ maxTokens: WARMUP_MAX_TOKENS }),
      });
      warm.record = requestRecord(this.host, w.usage, at);
    }
    this.emit({
      type: 'warmup',
      ...(w.usage ? { usage: w.usage } : {}),
      ...(warm.record?.costUsd !== undefined ? { costUsd: warm.record.costUsd } : {}),
      verdict: ports.plan.verdict(p.verdictKey).state,
    });
    const refused = { ...w, usage: undefined };
    const smaller = this.smallerWindow(step.refitted, w);
    if (smaller !== undefined)
      return this.takeWindow({ window: smaller, spec, turn: p.turn, refused, at, warmup: warm.record });
    // Its usage is already the warm-up's: the turn ends without a request of its own.
    if (w.outcome === 'cancelled' || (w.outcome === 'error' && w.error && FATAL_KINDS.has(w.error.kind)))
      return endTurn(this.host, this.emit, {
        turn: p.turn,
        result: tooLongInWindow(params, refused),
        at,
        warmup: warm.record,
      });
    return warm;
  }

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

  /**
   * A window smaller than the conversation's that a too-long error states, before anything streamed;
   * none once asked again in one.
   */
  private smallerWindow(refitted: boolean, result: ChatResult): number | undefined {
    const stated = result.error?.kind === 'context_too_long' ? result.error.windowTokens : undefined;
    if (refitted || stated === undefined || result.content || result.reasoning) return undefined;
    return stated < windowOf(this.host.state().params) ? stated : undefined;
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
    this.endRefused(turn, refused, warmup);
    return this.send(again);
  }

  /** A refused try ends in the history only (a warm-up it made stays spent), before its question is asked again. */
  private endRefused(turn: number, refused: ChatResult, warmup: Refusal['warmup']): void {
    this.host.write({
      type: 'end',
      at: this.host.clock(),
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
  private async takeWindow({ window, spec, turn, refused, at, warmup }: Refusal): Promise<TurnEnd> {
    const { ports } = this.host;
    const state = this.host.state();
    const previous = windowOf(state.params);
    const { model } = state.params;
    this.host.write({
      type: 'window',
      at: this.host.clock(),
      windowTokens: window,
      maxTokens: fitWindow(state.params, window).maxTokens,
    });
    ports.windowStated?.(model, window);
    const n = (x: number) => x.toLocaleString('en-US');
    const said = `The server says ${model}'s context window is ${n(window)} tokens, not the ${n(previous)}`;
    if (spec.kind === 'ask' && turn === 0) {
      this.endRefused(turn, refused, warmup);
      const message = `${said} this question was packed for: packing the repository for it and asking again.`;
      this.log.info(message);
      this.emit({ type: 'window', windowTokens: window, previousTokens: previous, message });
      return this.send({ ...spec, keep: turn }, { refitted: true });
    }
    const message =
      `${said} this conversation was planned for. ` + `Start a new chat: it is packed for ${n(window)} tokens.`;
    return endTurn(this.host, this.emit, {
      turn,
      result: { ...refused, error: { ...refused.error!, message } },
      at,
      warmup,
    });
  }
}
