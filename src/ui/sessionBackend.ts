// The conversation backend of the extension: the chat engine's ChatService/ChatSession (persistent
// history, cache plan, cost) behind the UI's `ConversationBackend` port. Sessions are shared by id
// across views, so the panel and the sidebar never write the same history file from two objects.
import type { EditorFocus } from '../context/types';
import { turnsOf, type ConversationState, type Turn } from '../chat/conversation';
import type { ChatService } from '../chat/service';
import type { ChatSession } from '../chat/session';
import type { AskOptions, SessionEvent, TurnEnd } from '../chat/sessionTypes';
import type { CostEstimate } from '../llm/cost';
import { whatHappened } from '../llm/errors';
import type { RequestParams } from '../llm/types';
import {
  MAX_MODEL_ID,
  type ContextSummary,
  type ConversationListItem,
  type ConversationSnapshot,
  type Effort,
  type TurnRecord,
} from '../protocol/messages';
import type {
  ConversationBackend,
  ConversationOptions,
  TurnEvent,
  TurnRequest,
  TurnResult,
} from './conversationBackend';

export interface SessionBackendDeps {
  service(): ChatService;
  /** Where the user is (active editor, selection, open editors), read when a question is asked. */
  focus(): EditorFocus;
  /** Asks the user to confirm a question whose estimated cost is above their threshold. */
  confirm(estimate: CostEstimate): Promise<boolean>;
  /** The settings' request parameters, for conversations started without a model/effort choice. */
  defaults(): RequestParams;
  /** Sessions open in any view, by conversation id (shared by every backend of the window). */
  open: Map<string, ChatSession>;
}

const effortOf = (p: RequestParams): Effort => (p.thinking ? p.reasoningEffort : 'off');

/** The parameters of a new conversation from the view's model/effort choice. */
export function paramsFor(options: ConversationOptions, defaults: RequestParams): RequestParams {
  return options.effort === 'off'
    ? { ...defaults, model: options.model, thinking: false }
    : { ...defaults, model: options.model, thinking: true, reasoningEffort: options.effort };
}

/** The context chip of a stored turn: the conversation's repository block (its counts, not its text). */
function contextOf(state: ConversationState): ContextSummary | undefined {
  const b = state.base;
  const window = state.params.windowTokens;
  return (
    b && {
      files: b.summary.files,
      tokens: b.tokens,
      outlined: b.summary.outlined,
      excluded: b.summary.excluded,
      redactions: b.summary.redactions,
      ...(window !== undefined ? { windowTokens: window } : {}),
    }
  );
}

function turnRecord(t: Turn, context: ContextSummary | undefined): TurnRecord {
  const message =
    t.error?.message ??
    (t.outcome === 'interrupted' ? 'The answer was cut off before it finished: Continue finishes it.' : t.warning);
  return {
    question: t.question,
    ...(t.editor ? { editor: t.editor } : {}),
    answer: t.answer,
    reasoning: t.reasoning,
    outcome: t.outcome,
    ...(message ? { message } : {}),
    ...(t.error ? { errorKind: t.error.kind } : {}),
    ...(context ? { context } : {}),
    ...(t.usage
      ? {
          usage: {
            ...t.usage,
            ...(t.costUsd !== undefined ? { costUsd: t.costUsd } : {}),
            ...(t.model ? { model: t.model.slice(0, MAX_MODEL_ID) } : {}) /* a server may report a long model path */,
          },
        }
      : {}),
  };
}

/** A stored conversation as the view shows it. */
export function snapshotOf(state: ConversationState): ConversationSnapshot {
  return {
    id: state.id,
    title: state.title,
    model: state.params.model,
    effort: effortOf(state.params),
    turns: turnsOf(state).map((t) => turnRecord(t, contextOf(state))),
  };
}

/** Session events -> the UI's turn events (warm-ups and the end are reported through the result). */
export function turnEvent(e: SessionEvent): TurnEvent | undefined {
  switch (e.type) {
    case 'context':
      return {
        type: 'context',
        summary: {
          files: e.files,
          tokens: e.repositoryTokens,
          outlined: e.outlined,
          excluded: e.excluded,
          redactions: e.redactions,
          predictedHitTokens: e.estimate.predictedHitTokens,
          ...(e.estimate.expectedUsd !== undefined ? { estimatedCostUsd: e.estimate.expectedUsd } : {}),
          ...(e.windowTokens !== undefined ? { windowTokens: e.windowTokens } : {}),
        },
      };
    case 'retry':
      return { type: 'retry', attempt: e.attempt, delayMs: e.delayMs, message: whatHappened(e.error.message) };
    case 'window':
      return { type: 'notice', message: e.message };
    case 'reasoning':
    case 'content':
      return { type: e.type, text: e.text };
    case 'usage':
      return { type: 'usage', usage: { ...e.usage, ...(e.cost ? { costUsd: e.cost.totalUsd } : {}) } };
    default:
      return undefined;
  }
}

/** How a turn ended, in the UI's terms. */
export function turnResult(end: TurnEnd): TurnResult {
  const message =
    end.error?.message ??
    (end.outcome === 'interrupted'
      ? 'The answer was cut off before it finished: Continue finishes it.'
      : end.notSent && end.outcome === 'cancelled'
        ? 'Not sent.'
        : end.warning);
  return {
    outcome: end.outcome,
    ...(message ? { message } : {}),
    ...(end.error ? { errorKind: end.error.kind } : {}),
    conversationCostUsd: end.conversationCostUsd,
  };
}

export class SessionBackend implements ConversationBackend {
  private session: ChatSession | undefined;

  constructor(private readonly deps: SessionBackendDeps) {}

  get currentId(): string | undefined {
    const id = this.session?.id;
    return id && this.deps.service().history.exists(id) ? id : undefined;
  }

  ask(question: string, options: ConversationOptions, req: TurnRequest): Promise<TurnResult> {
    const session = (this.session ??= this.deps.service().start(paramsFor(options, this.deps.defaults())));
    return this.run(req, (o, l) =>
      session.ask(
        question,
        {
          ...o,
          focus: { ...this.deps.focus(), ...options.focus },
          ...(options.editor ? { editor: options.editor } : {}),
        },
        l,
      ),
    );
  }

  regenerate(req: TurnRequest): Promise<TurnResult> {
    return this.withSession(req, (s, o, l) => s.regenerate(o, l));
  }

  editAndResend(index: number, question: string, req: TurnRequest, editor?: string): Promise<TurnResult> {
    return this.withSession(req, (s, o, l) =>
      s.editAndResend(index, question, { ...o, focus: this.deps.focus(), ...(editor ? { editor } : {}) }, l),
    );
  }

  continue(req: TurnRequest): Promise<TurnResult> {
    return this.withSession(req, (s, o, l) => s.continue(o, l));
  }

  newConversation(): void {
    this.session = undefined;
  }

  async list(): Promise<ConversationListItem[]> {
    return this.deps
      .service()
      .list()
      .map((c) => ({
        id: c.id,
        title: c.title || 'Conversation',
        updatedAt: c.updatedAt,
        turns: c.turns,
        ...(c.spentUsd > 0 ? { costUsd: c.spentUsd } : {}),
      }));
  }

  async open(id: string): Promise<ConversationSnapshot | undefined> {
    const shared = this.deps.open.get(id);
    if (shared) {
      this.session = shared;
      return snapshotOf(shared.snapshot());
    }
    const service = this.deps.service();
    if (!service.history.exists(id)) return undefined;
    const { session } = service.open(id);
    this.deps.open.set(id, session);
    this.session = session;
    return snapshotOf(session.snapshot());
  }

  async delete(id: string): Promise<void> {
    this.deps.open.get(id)?.cancel();
    this.deps.open.delete(id);
    this.deps.service().delete(id);
    if (this.session?.id === id) this.session = undefined;
  }

  async exportMarkdown(id: string): Promise<string | undefined> {
    const service = this.deps.service();
    return service.history.exists(id) ? service.exportMarkdown(id) : undefined;
  }

  private withSession(
    req: TurnRequest,
    call: (s: ChatSession, o: AskOptions, l: (e: SessionEvent) => void) => Promise<TurnEnd>,
  ): Promise<TurnResult> {
    const session = this.session;
    if (!session) return Promise.resolve({ outcome: 'error', message: 'There is no conversation open.' });
    return this.run(req, (o, l) => call(session, o, l));
  }

  private async run(
    req: TurnRequest,
    call: (o: AskOptions, l: (e: SessionEvent) => void) => Promise<TurnEnd>,
  ): Promise<TurnResult> {
    const listener = (e: SessionEvent) => {
      const t = turnEvent(e);
      if (t) req.onEvent(t);
    };
    try {
      const end = await call({ signal: req.signal, confirm: (estimate) => this.deps.confirm(estimate) }, listener);
      if (this.session) this.deps.open.set(this.session.id, this.session);
      return turnResult(end);
    } catch (e) {
      // The session throws only for misuse (nothing to continue, already answering): say it in the chat.
      return { outcome: 'error', message: (e as Error).message };
    }
  }
}
