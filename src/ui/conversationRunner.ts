// Runs one view's conversation: ask, regenerate, edit and resend, continue, stop and New Chat from
// the webview, and an editor command's task. One request at a time; each posts `turnStart`, the
// session's messages (sessionBackend.ts), then exactly one `end`. No vscode: the gate, the dialogs
// and the status bar come in as functions, so tests drive it with a fake webview.
import type { ShownQuestion } from '../chat/conversation';
import type { TaskPrompt } from '../chat/tasks';
import type { Logger } from '../shared/log';
import type { Effort, ImageNote, ImageUpload, Mention, TurnRecord, UsageSummary } from '../protocol/messages';
import { imagesFromUploads } from './imageAttach';
import { emptyConversation, runningRequest } from '../protocol/transcript';
import type { SessionBackend, TurnRequest } from './sessionBackend';
import type { TurnResult } from './sessionMessages';
import type { ViewChannel } from './viewChannel';
import type { HandlersOf } from './viewPorts';

export interface RunnerDeps {
  channel: ViewChannel;
  backend: SessionBackend;
  log: Logger;
  /** True when a question may be sent now (trust, folder, key); otherwise it told the user what is missing. */
  canSend(): Promise<boolean>;
  /** Tells the user something (an information notification). */
  info(message: string): void;
  /** Shows an answer's billed usage and the conversation's total (USD) in the status bar. */
  reportCost(usage: UsageSummary, conversationCostUsd: number | undefined): void;
  /** The note sent with a question when the composer's editor chip is on (where the user's editor is). */
  editorNote(): string | undefined;
  /** Model and effort for the next conversation, as the view's picker shows them, and the composer's mode. */
  options(): { model: string; effort: Effort; act?: boolean };
  /** The picker shows `options` from now on: a task's conversation runs on its own model (commandModels). */
  showOptions(options: { model: string; effort: Effort }): Promise<void>;
}

/** One request for turn `index` of the view. */
interface TurnRun {
  index: number;
  question: string;
  /** The answer of turn `index` is kept and extended (Continue). */
  continued?: boolean;
  /** The editor note sent with the question, shown with it. */
  editor?: string | undefined;
  /** The question's images, shown with it. */
  images?: ImageNote[];
  /** What the question points at with `@`, shown with it. */
  mentions?: Mention[] | undefined;
  /** What the user asked for, shown instead of the question (an editor command's prompt). */
  shown?: ShownQuestion | undefined;
  /** Stops the request too (e.g. a progress notification's Cancel). */
  signal?: AbortSignal | undefined;
  /** The user typed the question: it goes back into the box when it is not sent, with `uploads`. */
  typed?: boolean;
  /** The composer's images as they came (given back with the question). */
  uploads?: ImageUpload[] | undefined;
  call(request: TurnRequest): Promise<TurnResult>;
}

export class ConversationRunner {
  private running: { requestId: string; abort: AbortController } | undefined;
  private seq = 0;

  constructor(private readonly deps: RunnerDeps) {}

  /** True while a request of this view runs. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  readonly handlers: HandlersOf<'ask' | 'cancel' | 'regenerate' | 'editAndResend' | 'continue' | 'newChat'> = {
    ask: (m) => this.ask(m.question, { withEditor: m.withEditor, uploads: m.images, mentions: m.mentions }),
    cancel: (m) => {
      if (this.running?.requestId === m.requestId) this.running.abort.abort();
    },
    regenerate: () => {
      const last = this.lastTurn();
      if (!last) return;
      return this.run({
        index: last.index,
        question: last.turn.question,
        editor: last.turn.editor,
        mentions: last.turn.mentions,
        shown: last.turn.shown,
        call: (r) => this.deps.backend.regenerate(r),
      });
    },
    editAndResend: (m) => {
      if (m.index >= this.deps.channel.transcript.turns.length) return;
      const editor = m.withEditor ? this.deps.editorNote() : undefined;
      return this.run({
        index: m.index,
        question: m.question,
        editor,
        mentions: m.mentions,
        typed: true,
        call: (r) =>
          this.deps.backend.editAndResend({ index: m.index, question: m.question, editor, mentions: m.mentions }, r),
      });
    },
    continue: () => {
      const last = this.lastTurn();
      if (!last) return;
      return this.run({
        index: last.index,
        question: last.turn.question,
        shown: last.turn.shown,
        continued: true,
        call: (r) => this.deps.backend.continue(r),
      });
    },
    newChat: () => this.newChat(),
  };

  /** Starts a new conversation: stops the running answer and clears the view. */
  newChat(): void {
    this.stop();
    this.running = undefined;
    this.deps.backend.newConversation();
    this.deps.channel.post({ type: 'replay', conversation: emptyConversation() });
  }

  /** Stops the running answer, if any (the view is closing). */
  stop(): void {
    this.running?.abort.abort();
  }

  /**
   * Asks `question` in this view's conversation; with `withEditor`, where the user's editor is goes
   * with it; `uploads`: the composer's images; `mentions`: what it points at with `@`.
   */
  async ask(
    question: string,
    extras: {
      withEditor?: boolean | undefined;
      uploads?: ImageUpload[] | undefined;
      mentions?: Mention[] | undefined;
    } = {},
  ): Promise<void> {
    const editor = extras.withEditor ? this.deps.editorNote() : undefined;
    const { images, notes } = imagesFromUploads(extras.uploads ?? []);
    const mentions = extras.mentions?.length ? extras.mentions : undefined;
    await this.run({
      index: this.deps.channel.transcript.turns.length,
      question,
      editor,
      typed: true,
      uploads: extras.uploads,
      images: notes,
      mentions,
      call: (r) =>
        this.deps.backend.ask(
          question,
          {
            ...this.deps.options(),
            ...(editor ? { editor } : {}),
            ...(images.length ? { images } : {}),
            ...(mentions ? { mentions } : {}),
          },
          r,
        ),
    });
  }

  /**
   * Runs an editor command's task as a new conversation on `model` (the user can follow up on it)
   * and returns its finished turn; `signal` (e.g. a progress notification's Cancel) stops it.
   */
  async runTask(task: TaskPrompt, model: string, signal?: AbortSignal): Promise<TurnRecord | undefined> {
    if (this.running || runningRequest(this.deps.channel.transcript)) {
      this.deps.info('An answer is still streaming in the DeepSeek panel: stop it first (Escape).');
      return undefined;
    }
    this.newChat();
    const effort = this.deps.options().effort;
    // The model shown is the model that answers (this turn and the follow-ups, fixed for the conversation).
    await this.deps.showOptions({ model, effort });
    await this.run({
      index: 0,
      question: task.question,
      shown: task.shown,
      signal,
      call: (r) => this.deps.backend.ask(task.question, { model, effort, focus: task.focus, shown: task.shown }, r),
    });
    return this.deps.channel.transcript.turns[0];
  }

  private lastTurn(): { index: number; turn: TurnRecord } | undefined {
    const turns = this.deps.channel.transcript.turns;
    const turn = turns[turns.length - 1];
    return turn && { index: turns.length - 1, turn };
  }

  /** Runs one request: turnStart, the backend's messages, then exactly one end. */
  private async run(turn: TurnRun): Promise<void> {
    const { channel, log } = this.deps;
    if (this.running || runningRequest(channel.transcript))
      return this.deps.info('An answer is still streaming: stop it first (Escape).');
    // The key prompt or the trust question was cancelled: the typed question is not lost.
    const giveBack = () =>
      turn.typed &&
      void channel.send({
        type: 'unsent',
        question: turn.question,
        ...(turn.mentions?.length ? { mentions: turn.mentions } : {}),
        ...(turn.uploads?.length ? { images: turn.uploads } : {}),
      });
    if (!(await this.deps.canSend())) return void giveBack();
    const requestId = `r${Date.now().toString(36)}${(this.seq++).toString(36)}`;
    const abort = new AbortController();
    turn.signal?.addEventListener('abort', () => abort.abort(), { once: true });
    this.running = { requestId, abort };
    channel.post({
      type: 'turnStart',
      requestId,
      index: turn.index,
      question: turn.question,
      ...(turn.editor ? { editor: turn.editor } : {}),
      ...(turn.images?.length ? { images: turn.images } : {}),
      ...(turn.mentions?.length ? { mentions: turn.mentions } : {}),
      ...(turn.shown ? { shown: turn.shown } : {}),
      ...(turn.continued ? { continued: true } : {}),
    });
    let result: TurnResult;
    try {
      let usage: UsageSummary | undefined;
      result = await turn.call({
        requestId,
        turn: turn.index,
        signal: abort.signal,
        post: (m) => {
          if (m.type === 'usage') {
            // Each step of an agent turn bills a request: the status bar shows the turn's cost as it grows.
            if (usage) this.deps.reportCost(m.usage, undefined);
            usage = m.usage;
          }
          channel.post(m);
        },
      });
      if (usage) this.deps.reportCost(usage, result.conversationCostUsd);
    } catch (e) {
      log.error(`request failed: ${(e as Error).stack ?? String(e)}`);
      result = abort.signal.aborted ? { outcome: 'cancelled' } : { outcome: 'error', message: (e as Error).message };
    }
    if (this.running?.requestId === requestId) this.running = undefined;
    if (result.outcome === 'error')
      log.error(`request ${requestId} failed: ${result.errorKind ?? ''} ${result.message ?? ''}`);
    if (result.notSent) giveBack(); // declined at the cost question, or too long to send (before `end`)
    const conversationId = this.deps.backend.currentId;
    channel.post({
      type: 'end',
      requestId,
      outcome: result.outcome,
      ...(result.message ? { message: result.message } : {}),
      ...(result.errorKind ? { errorKind: result.errorKind } : {}),
      ...(result.continuable ? { continuable: true } : {}),
      ...(conversationId ? { conversationId } : {}),
    });
  }
}
