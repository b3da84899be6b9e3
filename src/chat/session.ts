// One conversation: its fixed parameters, its history (every change is an event appended to the log
// and applied to the state, so the state is always the log's replay) and one turn at a time. The UI
// and the CLI drive it through ask / regenerate / editAndResend / continue / cancel and receive
// SessionEvents; each turn runs as a TurnRun (turnRun.ts: plan, record, send, learn, end).
import { randomBytes } from 'node:crypto';
import type { RequestParams } from '../llm/types';
import type { ImageRef } from '../protocol/images';
import { nullLogger } from '../shared/log';
import { HISTORY_VERSION, imagesOf, turnsOf, type ConversationState, type HistoryEvent } from './conversation';
import { applyEvent, initialState } from './replay';
import { loadConversation, type ConversationLog } from './history';
import { ImageUrlCache, MemoryImageStore } from './imageStore';
import { checkNewImages } from './questionImages';
import { fitWindow, planRequest, type RequestSpec } from './requestPlan';
import { ConversationStateError } from './conversation';
import {
  type AskOptions,
  type ContextInfo,
  type SessionEvent,
  type SessionListener,
  type SessionPorts,
  type TurnEnd,
} from './sessionTypes';
import type { TurnHost } from './turnHost';
import { TurnRun } from './turnRun';

export { promptCutWarning } from './turnEnd';

export class ChatSession {
  private running: AbortController | undefined;
  private readonly clock: () => number;
  private windowAsked = false;
  /** What a turn works on: this session's ports, state and history. */
  private readonly host: TurnHost;
  private readonly imageUrls: ImageUrlCache;
  /** Bytes of the running question's new images, until they are stored with it. */
  private pending = new Map<string, Uint8Array>();

  private constructor(
    private readonly ports: SessionPorts,
    private readonly log: ConversationLog,
    private state: ConversationState,
    private headerWritten: boolean,
  ) {
    this.clock = ports.clock ?? Date.now;
    const images = ports.images ?? new MemoryImageStore();
    this.imageUrls = new ImageUrlCache(images);
    this.host = {
      ports,
      clock: this.clock,
      state: () => this.state,
      isNew: () => !this.headerWritten,
      fitModelWindow: () => this.fitModelWindow(),
      write: (e) => this.write(e),
      writeWhileStreaming: (e) => this.writeWhileStreaming(e),
      imageUrl: (ref) => this.imageUrls.url(ref, this.pending),
      storeImages: (refs) => {
        for (const ref of refs) {
          const bytes = this.pending.get(ref.sha256);
          if (bytes) images.put(ref, bytes);
        }
      },
      startOn: (model) => {
        // A conversation not saved yet simply starts on another model (its window asked again).
        this.state.params = { ...this.state.params, model };
        this.windowAsked = false;
      },
    };
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

  /**
   * Asks `question`, appending a turn. Resolves when the answer ends (never rejects for API errors);
   * throws ImageError (nothing sent) for an image that is not one or breaks a limit.
   */
  async ask(question: string, options: AskOptions, listener: SessionListener): Promise<TurnEnd> {
    const images = checkNewImages(options.images ?? [], imagesOf(this.state));
    return this.run(askSpec(question, options, images.refs), options, listener, images.pending);
  }

  /** Drops the last turn and asks its question again. */
  async regenerate(options: AskOptions, listener: SessionListener): Promise<TurnEnd> {
    const turns = turnsOf(this.state);
    const last = turns[turns.length - 1];
    if (!last) throw new ConversationStateError('There is no answer to regenerate yet.');
    return this.editAndResend(
      turns.length - 1,
      last.question,
      {
        ...(last.focus ? { focus: last.focus } : {}),
        ...(last.editor ? { editor: last.editor } : {}),
        ...(last.mentions ? { mentions: last.mentions } : {}),
        ...(last.shown ? { shown: last.shown } : {}),
        ...options,
      },
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
    const turns = turnsOf(this.state);
    const n = turns.length;
    if (!Number.isInteger(turnIndex) || turnIndex < 0 || turnIndex >= n)
      throw new ConversationStateError(`No turn ${turnIndex} to edit (the conversation has ${n}).`);
    // New images replace the turn's; without any given, the turn keeps its own (already stored).
    const images = options.images
      ? checkNewImages(options.images, imagesOf(this.state, turnIndex))
      : { refs: turns[turnIndex]!.images ?? [], pending: new Map<string, Uint8Array>() };
    return this.run(askSpec(question, options, images.refs, turnIndex), options, listener, images.pending);
  }

  /** Continues the last answer where it was cut (an empty one is asked again). */
  async continue(options: AskOptions, listener: SessionListener): Promise<TurnEnd> {
    const turns = turnsOf(this.state);
    const last = turns[turns.length - 1];
    if (!last || (last.outcome === 'complete' && last.finishReason !== 'length'))
      throw new ConversationStateError('The last answer is complete: there is nothing to continue.');
    // An answer cut in its text goes on from that text, after the turn's tool steps where it has any (an agent
    // turn's answer is the text of its last request: calls end a request, so no call waits behind it).
    if (last.answer) return this.run({ kind: 'continue' }, options, listener);
    // An agent turn stopped between requests goes on from the step where it stopped: calls left without a result
    // run first. Not acting, the model answers from the steps so far (calls without a result say so), calling no tool:
    // asked again, the question would lose them.
    if (options.agent && this.state.params.tools?.length)
      return this.runTurn(options, listener, (turn) => turn.act(turns.length - 1));
    if (last.steps?.length) return this.run({ kind: 'step' }, options, listener);
    return this.regenerate(options, listener);
  }

  /** Stops the answer being streamed (the partial answer is kept). */
  cancel(): void {
    this.running?.abort();
  }

  /** What asking `question` would send and cost, without sending or saving anything (images ~384 tokens each). */
  async estimate(
    question: string,
    options: Pick<AskOptions, 'focus' | 'editor' | 'images'> = {},
  ): Promise<ContextInfo> {
    await this.fitModelWindow();
    const client = await this.ports.client();
    const images = checkNewImages(options.images ?? [], imagesOf(this.state));
    return (
      await planRequest(this.state, askSpec(question, options, images.refs), this.ports, client, this.clock(), (ref) =>
        this.imageUrls.url(ref, images.pending),
      )
    ).info;
  }

  private run(
    spec: RequestSpec,
    options: AskOptions,
    listener: SessionListener,
    pending = new Map<string, Uint8Array>(),
  ): Promise<TurnEnd> {
    return this.runTurn(options, listener, (turn) => turn.send(spec), pending);
  }

  /**
   * Runs one turn (`work` on a TurnRun) as the conversation's only running one; `pending`: its images not yet stored.
   */
  private async runTurn(
    options: AskOptions,
    listener: SessionListener,
    work: (turn: TurnRun) => Promise<TurnEnd>,
    pending = new Map<string, Uint8Array>(),
  ): Promise<TurnEnd> {
    if (this.running) throw new ConversationStateError('This conversation is already answering; stop it first.');
    const abort = new AbortController();
    this.running = abort;
    this.pending = pending;
    const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
    const emit = (e: SessionEvent) => {
      try {
        listener(e);
      } catch (err) {
        (this.ports.log ?? nullLogger).error(`a session listener failed on ${e.type}: ${(err as Error).message}`);
      }
    };
    try {
      return await work(new TurnRun(this.host, options, emit, signal));
    } finally {
      this.running = undefined;
      this.pending = new Map();
    }
  }

  /**
   * Before a new conversation's first request: its model's window, when the port knows one other than DeepSeek V4's, is
   * fixed with its parameters.
   */
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
  const utc = new Date(at).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${utc}-${randomBytes(3).toString('hex')}`;
}

/** The request a question makes: its focus, editor and images when it has them; `keep` is the turn it replaces. */
function askSpec(
  question: string,
  options: Pick<AskOptions, 'focus' | 'editor' | 'mentions' | 'shown'>,
  images: ImageRef[],
  keep?: number,
): RequestSpec {
  return {
    kind: 'ask',
    question,
    ...(keep === undefined ? {} : { keep }),
    ...(options.focus ? { focus: options.focus } : {}),
    ...(options.editor ? { editor: options.editor } : {}),
    ...(images.length ? { images } : {}),
    ...(options.mentions?.length ? { mentions: options.mentions } : {}),
    ...(options.shown ? { shown: options.shown } : {}),
  };
}
