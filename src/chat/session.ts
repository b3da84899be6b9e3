// One conversation, end to end: plan the request (requestPlan.ts), confirm the cost when it is high,
// persist the question, warm the cache when it pays, stream the answer into the history while the
// UI gets the deltas, then learn from the billed usage. The UI and the CLI drive it through
// ask / regenerate / editAndResend / continue / cancel and receive SessionEvents.
import { randomBytes } from 'node:crypto';
import { costBreakdown, costOf, DEFAULT_PRICES, needsConfirmation } from '../llm/cost';
import type { ChatResult, ErrorKind, LlmError, RequestParams, StreamHandlers, Usage } from '../llm/types';
import { nullLogger } from '../shared/log';
import {
  applyEvent,
  HISTORY_VERSION,
  initialState,
  turnsOf,
  type ConversationState,
  type HistoryEvent,
  type RequestRecord,
} from './conversation';
import { loadConversation, TurnWriter, type ConversationLog } from './history';
import { wireMessages } from './prompt';
import { endpointKey, fitWindow, planRequest, windowOf, type PlannedRequest, type RequestSpec } from './requestPlan';
import {
  ConversationStateError,
  type AskOptions,
  type ContextInfo,
  type SessionEvent,
  type SessionListener,
  type SessionPorts,
  type TurnEnd,
} from './sessionTypes';

/** Warm-up errors that the real request would hit too: the turn ends with them. */
const FATAL_KINDS: ReadonlySet<ErrorKind> = new Set([
  'auth',
  'balance',
  'config',
  'context_too_long',
  'bad_request',
  'not_event_stream',
]);

/** Prompts at least this long (tokens) are checked against what the server billed; shorter ones vary too much with another model's tokenizer and template. */
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
    `The server read only ${n(usage.promptTokens)} of the ~${n(sentTokens)} prompt tokens sent, so this answer saw only part of the repository: ` +
    `the model's context window is smaller than the prompt. Set deepseekRepo.contextWindowTokens (CLI: --window) to the window the server gives the model (Ollama: num_ctx) and ask in a new chat, or raise that window.`
  );
}

export class ChatSession {
  private running: AbortController | undefined;
  private readonly clock: () => number;
  private windowAsked = false;

  private constructor(
    private readonly ports: SessionPorts,
    private readonly log: ConversationLog,
    private state: ConversationState,
    private headerWritten: boolean,
  ) {
    this.clock = ports.clock ?? Date.now;
  }

  /** A new conversation whose parameters stay fixed; nothing is written before the first question. */
  static create(ports: SessionPorts, log: ConversationLog, params: RequestParams, id?: string): ChatSession {
    const at = (ports.clock ?? Date.now)();
    const header = {
      type: 'conversation' as const,
      v: HISTORY_VERSION,
      id: id ?? newConversationId(at),
      at,
      params,
      endpoint: '',
      workspace: ports.context.workspaceKey,
      title: '',
    };
    return new ChatSession(ports, log, initialState(header), false);
  }

  /** A saved conversation (throws a clear error when the log is not one); warnings list skipped lines. */
  static open(ports: SessionPorts, log: ConversationLog): { session: ChatSession; warnings: string[] } {
    const { state, warnings } = loadConversation(log);
    return { session: new ChatSession(ports, log, state, true), warnings };
  }

  get id(): string {
    return this.state.id;
  }
  /** The fixed request parameters of this conversation. */
  get params(): RequestParams {
    return this.state.params;
  }
  get busy(): boolean {
    return this.running !== undefined;
  }
  /** A copy of the conversation as it stands (what the history holds). */
  snapshot(): ConversationState {
    return structuredClone(this.state);
  }

  /** Asks `question`, appending a turn. Resolves when the answer ends (never rejects for API errors). */
  async ask(question: string, options: AskOptions, listener: SessionListener): Promise<TurnEnd> {
    return this.run(
      {
        kind: 'ask',
        question,
        ...(options.focus ? { focus: options.focus } : {}),
        ...(options.editor ? { editor: options.editor } : {}),
      },
      options,
      listener,
    );
  }

  /** Drops the last turn and asks its question again. */
  async regenerate(options: AskOptions, listener: SessionListener): Promise<TurnEnd> {
    const turns = turnsOf(this.state);
    const last = turns[turns.length - 1];
    if (!last) throw new ConversationStateError('There is no answer to regenerate yet.');
    return this.editAndResend(
      turns.length - 1,
      last.question,
      { ...(last.focus ? { focus: last.focus } : {}), ...(last.editor ? { editor: last.editor } : {}), ...options },
      listener,
    );
  }

  /** Drops turn `turnIndex` and every later one, then asks `question` in its place. */
  async editAndResend(
    turnIndex: number,
    question: string,
    options: AskOptions,
    listener: SessionListener,
  ): Promise<TurnEnd> {
    const n = turnsOf(this.state).length;
    if (!Number.isInteger(turnIndex) || turnIndex < 0 || turnIndex >= n)
      throw new ConversationStateError(`No turn ${turnIndex} to edit (the conversation has ${n}).`);
    return this.run(
      {
        kind: 'ask',
        question,
        keep: turnIndex,
        ...(options.focus ? { focus: options.focus } : {}),
        ...(options.editor ? { editor: options.editor } : {}),
      },
      options,
      listener,
    );
  }

  /** Continues the last answer where it was cut (an empty one is asked again). */
  async continue(options: AskOptions, listener: SessionListener): Promise<TurnEnd> {
    const turns = turnsOf(this.state);
    const last = turns[turns.length - 1];
    if (!last || (last.outcome === 'complete' && last.finishReason !== 'length'))
      throw new ConversationStateError('The last answer is complete: there is nothing to continue.');
    if (!last.answer) return this.regenerate(options, listener);
    return this.run({ kind: 'continue' }, options, listener);
  }

  /** Stops the answer being streamed (the partial answer is kept). */
  cancel(): void {
    this.running?.abort();
  }

  /** What asking `question` would send and cost, without sending or saving anything. */
  async estimate(question: string, options: Pick<AskOptions, 'focus' | 'editor'> = {}): Promise<ContextInfo> {
    await this.fitModelWindow();
    const client = await this.ports.client();
    return (
      await planRequest(
        this.state,
        {
          kind: 'ask',
          question,
          ...(options.focus ? { focus: options.focus } : {}),
          ...(options.editor ? { editor: options.editor } : {}),
        },
        this.ports,
        client,
        this.clock(),
      )
    ).info;
  }

  private async run(spec: RequestSpec, options: AskOptions, listener: SessionListener): Promise<TurnEnd> {
    if (this.running) throw new ConversationStateError('This conversation is already answering; stop it first.');
    const abort = new AbortController();
    this.running = abort;
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    const emit = (e: SessionEvent) => {
      try {
        listener(e);
      } catch (err) {
        (this.ports.log ?? nullLogger).error(`a session listener failed on ${e.type}: ${(err as Error).message}`);
      }
    };
    try {
      return await this.send(spec, options, emit, signal);
    } finally {
      this.running = undefined;
    }
  }

  /** Before a new conversation's first request: its model's window, when the port knows one other than DeepSeek V4's, is fixed with its parameters. */
  private async fitModelWindow(): Promise<void> {
    if (this.headerWritten || this.windowAsked || !this.ports.modelWindow) return;
    this.windowAsked = true;
    let window: number | undefined;
    try {
      window = await this.ports.modelWindow(this.state.params.model);
    } catch (e) {
      (this.ports.log ?? nullLogger).warn(
        `the model's context window is unknown (${(e as Error).message}); DeepSeek V4's is assumed`,
      );
    }
    this.state.params = fitWindow(this.state.params, window);
  }

  /** A window smaller than the conversation's that a too-long error states, before anything streamed; none once asked again in one. */
  private smallerWindow(refitted: boolean, result: ChatResult): number | undefined {
    const stated = result.error?.kind === 'context_too_long' ? result.error.windowTokens : undefined;
    if (refitted || stated === undefined || result.content || result.reasoning) return undefined;
    return stated < windowOf(this.state.params) ? stated : undefined;
  }

  /**
   * The conversation takes the smaller window the server stated for its refused request (kept in
   * the history; the runtime told, so the next conversation starts in it). A first question is
   * packed for it and asked again; a later turn cannot shrink the prefix the conversation is built
   * on, so it ends with the error, saying to start a new chat.
   */
  private async takeWindow(
    window: number,
    spec: RequestSpec,
    turn: number,
    refused: ChatResult,
    at: number,
    warmup: RequestRecord | undefined,
    options: AskOptions,
    emit: SessionListener,
    signal: AbortSignal,
  ): Promise<TurnEnd> {
    const previous = windowOf(this.state.params);
    const { model } = this.state.params;
    this.write({
      type: 'window',
      at: this.clock(),
      windowTokens: window,
      maxTokens: fitWindow(this.state.params, window).maxTokens,
    });
    this.ports.windowStated?.(model, window);
    const n = (x: number) => x.toLocaleString('en-US');
    const said = `The server says ${model}'s context window is ${n(window)} tokens, not the ${n(previous)}`;
    if (spec.kind === 'ask' && turn === 0) {
      // The refused try ends in the history only (a warm-up it made stays spent); the question's turn is asked again.
      this.write({
        type: 'end',
        at: this.clock(),
        turn,
        outcome: 'error',
        ...(refused.error ? { error: refused.error } : {}),
        ...(warmup ? { warmup } : {}),
      });
      const message = `${said} this question was packed for: packing the repository for it and asking again.`;
      (this.ports.log ?? nullLogger).info(message);
      emit({ type: 'window', windowTokens: window, previousTokens: previous, message });
      return this.send({ ...spec, keep: turn }, options, emit, signal, true);
    }
    const message = `${said} this conversation was planned for. Start a new chat: it is packed for ${n(window)} tokens.`;
    return this.finish(turn, { ...refused, error: { ...refused.error!, message } }, at, warmup, emit);
  }

  /** `refitted`: this is the question asked again in a window the server stated (once at most). */
  private async send(
    spec: RequestSpec,
    options: AskOptions,
    emit: SessionListener,
    signal: AbortSignal,
    refitted = false,
  ): Promise<TurnEnd> {
    await this.fitModelWindow();
    const client = await this.ports.client();
    let p: PlannedRequest;
    try {
      p = await planRequest(this.state, spec, this.ports, client, this.clock());
    } catch (e) {
      return this.notSent(turnsOf(this.state).length, emit, 'error', {
        kind: 'config',
        message: `Could not read the workspace: ${(e as Error).message}`,
      });
    }
    emit({ type: 'context', ...p.info });
    if (p.tooLong) {
      const window = `the model's ${windowOf(this.state.params).toLocaleString('en-US')}-token window`;
      const message =
        p.turn === 0
          ? `This question does not fit ${window} with room for the answer (max_tokens ${this.state.params.maxTokens.toLocaleString('en-US')}). Shorten the question or the selection.`
          : `This conversation no longer fits ${window}. Start a new chat: it re-reads the repository from the cache.`;
      return this.notSent(p.turn, emit, 'error', { kind: 'context_too_long', message });
    }
    if (
      needsConfirmation(p.info.estimate, this.ports.confirmAboveUsd) &&
      !(options.confirm && (await options.confirm(p.info.estimate)))
    ) {
      return this.notSent(p.turn, emit, 'cancelled');
    }
    if (signal.aborted) return this.notSent(p.turn, emit, 'cancelled');

    const at = this.clock();
    if (!this.headerWritten && spec.kind === 'ask') {
      this.state.title =
        spec.question
          .split('\n')
          .find((l) => l.trim())
          ?.trim()
          .slice(0, 80) ?? 'Conversation';
      this.state.endpoint = endpointKey(client.baseUrl);
    }
    if (spec.kind === 'ask' && spec.keep !== undefined) this.write({ type: 'truncate', at, keep: spec.keep });
    p.events.forEach((e) => this.write(e));
    this.write(
      spec.kind === 'ask'
        ? {
            type: 'question',
            at,
            turn: p.turn,
            text: spec.question,
            ...(spec.focus ? { focus: spec.focus } : {}),
            ...(spec.editor ? { editor: spec.editor } : {}),
          }
        : { type: 'resume', at, turn: p.turn },
    );

    const params = this.state.params;
    const onRetry: StreamHandlers['onRetry'] = (r) =>
      emit({ type: 'retry', attempt: r.attempt, delayMs: r.delayMs, error: r.error });
    let warmup: RequestRecord | undefined;
    /** A warm-up the server answered (finished), with its usage when the server reported one. */
    let warmed: { usage: Usage | undefined } | undefined;
    if (p.warmCount) {
      const messages = p.messages.slice(0, p.warmCount);
      const w = await this.ports.streamChat(
        client,
        wireMessages(messages),
        { ...params, maxTokens: 1 },
        { onRetry },
        signal,
      );
      if (w.finishReason) warmed = { usage: w.usage };
      if (w.usage) {
        this.ports.plan.record(p.ns, messages, p.keys.slice(0, p.warmCount), {
          usage: w.usage,
          thinking: params.thinking,
        });
        warmup = this.record(w.usage, at);
      }
      emit({
        type: 'warmup',
        ...(w.usage ? { usage: w.usage } : {}),
        ...(warmup?.costUsd !== undefined ? { costUsd: warmup.costUsd } : {}),
        verdict: this.ports.plan.verdict(p.verdictKey).state,
      });
      const smaller = this.smallerWindow(refitted, w);
      if (smaller !== undefined)
        return this.takeWindow(smaller, spec, p.turn, { ...w, usage: undefined }, at, warmup, options, emit, signal);
      // Its usage is already the warm-up's: the turn ends without a request of its own.
      if (w.outcome === 'cancelled' || (w.outcome === 'error' && w.error && FATAL_KINDS.has(w.error.kind)))
        return this.finish(p.turn, this.tooLongInWindow({ ...w, usage: undefined }), at, warmup, emit);
    }

    const writer = new TurnWriter(p.turn, (e) => this.writeWhileStreaming(e), this.clock);
    const result = await this.ports.streamChat(
      client,
      wireMessages(p.messages),
      params,
      {
        onReasoning: (text) => {
          writer.addReasoning(text);
          emit({ type: 'reasoning', text });
        },
        onContent: (text) => {
          writer.addAnswer(text);
          emit({ type: 'content', text });
        },
        onRetry,
      },
      signal,
    );
    writer.flush();
    const smaller = this.smallerWindow(refitted, result);
    if (smaller !== undefined) return this.takeWindow(smaller, spec, p.turn, result, at, warmup, options, emit, signal);
    if (result.usage) {
      const complete = spec.kind === 'ask' && result.outcome === 'complete';
      this.ports.plan.record(p.ns, p.messages, p.keys, {
        usage: result.usage,
        thinking: params.thinking,
        ...(complete ? { answer: result.content } : {}),
      });
      if (p.rentTokens) this.ports.plan.payRent(this.ports.context.workspaceKey, p.rentTokens);
    }
    // Judged once both finished: a server that reports no usage cannot show a warm-up pays, which counts against it.
    if (warmed && result.finishReason) this.ports.plan.recordWarmup(p.verdictKey, warmed.usage, result.usage);
    this.ports.plan.save();
    return this.finish(
      p.turn,
      this.tooLongInWindow(result),
      at,
      warmup,
      emit,
      promptCutWarning(p.info.estimate.promptTokens, result.usage),
    );
  }

  private record(usage: Usage, at: number): RequestRecord {
    const costUsd = costOf(usage, this.state.params.model, new Date(at), this.ports.prices ?? DEFAULT_PRICES);
    return { usage, ...(costUsd !== undefined ? { costUsd } : {}) };
  }

  private finish(
    turn: number,
    result: ChatResult,
    at: number,
    warmup: RequestRecord | undefined,
    emit: SessionListener,
    warning?: string,
  ): TurnEnd {
    const request = result.usage ? this.record(result.usage, at) : undefined;
    this.write({
      type: 'end',
      at: this.clock(),
      turn,
      outcome: result.outcome,
      ...(result.finishReason ? { finishReason: result.finishReason } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.model ? { model: result.model } : {}),
      ...(request ? { request } : {}),
      ...(warmup ? { warmup } : {}),
      ...(warning ? { warning } : {}),
    });
    if (warning) (this.ports.log ?? nullLogger).warn(warning);
    if (result.usage) {
      const cost = costBreakdown(
        result.usage,
        this.state.params.model,
        new Date(at),
        this.ports.prices ?? DEFAULT_PRICES,
      );
      emit({
        type: 'usage',
        usage: result.usage,
        ...(cost ? { cost } : {}),
        ...(result.model ? { model: result.model } : {}),
      });
    }
    const t = turnsOf(this.state)[turn];
    const end: TurnEnd = {
      turn,
      outcome: result.outcome,
      ...(result.finishReason ? { finishReason: result.finishReason } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(t?.costUsd !== undefined ? { turnCostUsd: t.costUsd } : {}),
      conversationCostUsd: this.state.spentUsd,
      ...(warning ? { warning } : {}),
    };
    emit({ type: 'end', ...end });
    return end;
  }

  /**
   * A too-long error stating the very window the request was planned for: by DeepSeek's tokenizer
   * it fits, so the model's own counts more tokens for the same text, and only a smaller budget helps.
   */
  private tooLongInWindow(result: ChatResult): ChatResult {
    const window = this.state.params.windowTokens;
    if (result.error?.kind !== 'context_too_long' || window === undefined || result.error.windowTokens !== window)
      return result;
    const n = window.toLocaleString('en-US');
    const message = `The request does not fit the model's ${n}-token window by the model's own tokenizer, though it does by DeepSeek's, which sized it: lower deepseekRepo.contextBudgetTokens (CLI: --budget), then ask in a new chat.`;
    return { ...result, error: { ...result.error, message } };
  }

  private notSent(turn: number, emit: SessionListener, outcome: 'error' | 'cancelled', error?: LlmError): TurnEnd {
    const end: TurnEnd = {
      turn,
      outcome,
      ...(error ? { error } : {}),
      notSent: true,
      conversationCostUsd: this.state.spentUsd,
    };
    emit({ type: 'end', ...end });
    return end;
  }

  /** A failed write must not break the stream the user is reading; the end event's write reports it. */
  private writeWhileStreaming(e: HistoryEvent): void {
    try {
      this.write(e);
    } catch (err) {
      (this.ports.log ?? nullLogger).error(`could not save the answer to the history: ${(err as Error).message}`);
    }
  }

  /** Appends an event to the log and applies it to the state (the state is always the log's replay). */
  private write(e: HistoryEvent): void {
    if (!this.headerWritten) {
      this.log.append({
        type: 'conversation',
        v: HISTORY_VERSION,
        id: this.state.id,
        at: this.state.createdAt,
        params: this.state.params,
        endpoint: this.state.endpoint,
        workspace: this.state.workspace,
        title: this.state.title,
      });
      this.headerWritten = true;
    }
    this.log.append(e);
    applyEvent(this.state, e);
  }
}

/** A sortable, file-name-safe conversation id: UTC time of creation plus 6 random hex digits. */
export function newConversationId(at: number): string {
  return `${new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
}
