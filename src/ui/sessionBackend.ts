// The chat engine as one view uses it: the ChatService/ChatSession (persistent history, cache plan,
// cost) behind the view's questions, its history list and its open conversation. A running turn's
// events reach the view as protocol messages (mapped in sessionMessages.ts). Sessions are shared by
// id across views, so the panel and the sidebar never write the same history file from two objects.
import type { EditorFocus, WorkspaceRoot } from '../context/types';
import { focusWithMentions } from '../chat/mentions';
import type { ShownQuestion } from '../chat/conversation';
import type { ChatService } from '../chat/service';
import type { DraftImageStore } from '../chat/draftImages';
import type { NewImage } from '../chat/imageStore';
import type { ImagesChoice, ImagesOffer } from '../chat/questionImages';
import type { ChatSession } from '../chat/session';
import type { AskOptions, SessionEvent, TurnEnd } from '../chat/sessionTypes';
import { agentTools } from '../chat/agent/toolDefs';
import { undoSteps, type UndoStep } from '../chat/agent/undo';
import { turnsOf } from '../chat/conversation';
import type { AgentOptions } from '../chat/sessionTypes';
import type { CostEstimate } from '../llm/cost';
import type { RequestParams } from '../llm/types';
import type {
  ChangeSetSummary,
  ConversationListItem,
  ConversationSnapshot,
  Effort,
  HostToWebview,
  ImageUpload,
  Mention,
} from '../protocol/messages';
import { sessionMessage, snapshotOf, turnResult, type TurnResult } from './sessionMessages';

/** Model and effort of a new conversation (fixed for its lifetime, so follow-ups hit the cache). */
export interface ConversationOptions {
  model: string;
  effort: Effort;
  /** Ranking hints of an editor command (selection, pinned folder, changed files); default: the editors. */
  focus?: EditorFocus;
  /** Where the user's editor is (src/chat/prompt.ts `editorNote`), sent with the question. */
  editor?: string;
  /** The question's images (the composer's, checked again by the session). */
  images?: NewImage[];
  /** What the question points at with `@`: their paths are pinned (files whole, folders first). */
  mentions?: Mention[];
  /** What the user asked for, shown instead of an editor command's prompt. */
  shown?: ShownQuestion;
}

/** One request of a view: its id, its Stop, and where its messages go (context, retries, deltas, usage). */
export interface TurnRequest {
  requestId: string;
  /** The view's index of the turn this request answers (a change set shows under it). */
  turn?: number;
  /** Aborted when the user presses Stop: the session ends the HTTP request and resolves `cancelled`. */
  signal: AbortSignal;
  post(message: HostToWebview): void;
}

export interface SessionBackendDeps {
  service(): ChatService;
  /** Where the user is (active editor, selection, open editors), read when a question is asked. */
  focus(): EditorFocus;
  /** The workspace folders, to find the files a question's `@` mentions name. */
  roots(): readonly WorkspaceRoot[];
  /** Asks the user to confirm a question whose estimated cost is above their threshold. */
  confirm(estimate: CostEstimate): Promise<boolean>;
  /** Asks what to do when the model cannot read a question's images (a vision model, without them, or nothing). */
  chooseForImages?: (offer: ImagesOffer) => Promise<ImagesChoice>;
  /** The settings' request parameters, for conversations started without a model/effort choice. */
  defaults(): RequestParams;
  /** Sessions open in any view, by conversation id (shared by every backend of the window). */
  open: Map<string, ChatSession>;
  /** Where the composer's images not sent yet outlive a window reload; absent: only in memory. */
  drafts?: DraftImageStore;
  /**
   * The agent's ports, policy and limits when the composer is in act mode in a trusted workspace;
   * undefined: answer only. A new conversation offers the tools when it is defined.
   */
  agent?(view?: AgentView): AgentOptions | undefined;
}

/** What an agent turn shows in the view that asked, besides its steps. */
export interface AgentView {
  /** A change set of the turn changed state: the chat shows it (Accept / Reject, then Undo) under the turn. */
  showChanges(changes: ChangeSetSummary): void;
}

/** The parameters of a new conversation from the view's model/effort choice. */
export function paramsFor(options: ConversationOptions, defaults: RequestParams): RequestParams {
  return options.effort === 'off'
    ? { ...defaults, model: options.model, thinking: false }
    : { ...defaults, model: options.model, thinking: true, reasoningEffort: options.effort };
}

/** A view's conversations; turns resolve (never reject) with how they ended, misuse included. */
export class SessionBackend {
  private session: ChatSession | undefined;
  private draft: readonly ImageUpload[] | undefined;

  constructor(private readonly deps: SessionBackendDeps) {}

  /**
   * The images in the view's composer, not sent yet: kept here because the backend outlives the webview, and in
   * `deps.drafts` (when given) because a window reload starts a new backend.
   */
  get draftImages(): readonly ImageUpload[] {
    return (this.draft ??= this.deps.drafts?.load() ?? []);
  }

  set draftImages(images: readonly ImageUpload[]) {
    // Unchanged (the same images told again): not written again.
    if (!images.length && !this.draftImages.length) return;
    this.draft = images;
    this.deps.drafts?.save(images);
  }

  /** Id of the open conversation, if it has been stored. */
  get currentId(): string | undefined {
    const id = this.session?.id;
    return id && this.deps.service().history.exists(id) ? id : undefined;
  }

  /** Asks `question` in the open conversation (starting one with `options` if none is open). */
  ask(question: string, options: ConversationOptions, req: TurnRequest): Promise<TurnResult> {
    const tools = this.deps.agent?.() ? { tools: agentTools({ write: true }) } : {};
    const session = (this.session ??= this.deps
      .service()
      .start({ ...paramsFor(options, this.deps.defaults()), ...tools }));
    return this.run(req, (o, l) =>
      session.ask(
        question,
        {
          ...o,
          focus: this.withMentions({ ...this.deps.focus(), ...options.focus }, options.mentions),
          ...(options.editor ? { editor: options.editor } : {}),
          ...(options.images?.length ? { images: options.images } : {}),
          ...(options.mentions?.length ? { mentions: options.mentions } : {}),
          ...(options.shown ? { shown: options.shown } : {}),
        },
        l,
      ),
    );
  }

  /** Asks the last question again, replacing its answer. */
  regenerate(req: TurnRequest): Promise<TurnResult> {
    return this.withSession(req, (s, o, l) => s.regenerate(o, l));
  }

  /** Replaces question `index` (0-based), its editor note and mentions, drops the turns after it, then asks it. */
  editAndResend(
    edit: { index: number; question: string; editor?: string | undefined; mentions?: Mention[] | undefined },
    req: TurnRequest,
  ): Promise<TurnResult> {
    const { index, question, editor, mentions } = edit;
    return this.withSession(req, (s, o, l) =>
      s.editAndResend(
        index,
        question,
        {
          ...o,
          focus: this.withMentions(this.deps.focus(), mentions),
          ...(editor ? { editor } : {}),
          ...(mentions?.length ? { mentions } : {}),
        },
        l,
      ),
    );
  }

  /** `focus` with the paths `mentions` name pinned. */
  private withMentions(focus: EditorFocus, mentions: readonly Mention[] | undefined): EditorFocus {
    return mentions?.length ? focusWithMentions(focus, mentions, this.deps.roots()) : focus;
  }

  /** Continues the last, interrupted answer (its text is extended). */
  continue(req: TurnRequest): Promise<TurnResult> {
    return this.withSession(req, (s, o, l) => s.continue(o, l));
  }

  /** What undoing turn `index` of the open conversation restores (empty: it changed no file). */
  undoSteps(index: number): UndoStep[] {
    const turn = this.session ? turnsOf(this.session.snapshot())[index] : undefined;
    return turn ? undoSteps(turn) : [];
  }

  /** Closes the open conversation; the next `ask` starts a new one. */
  newConversation(): void {
    this.session = undefined;
  }

  /**
   * Past conversations of this workspace, any order. One whose every question failed before an
   * answer, billing nothing (a rejected key, a bad base URL), is left out unless it is open: asked
   * again it would pile up under the same title.
   */
  async list(): Promise<ConversationListItem[]> {
    const open = this.currentId;
    return this.deps
      .service()
      .list()
      .filter((c) => c.answered || c.id === open)
      .map((c) => ({
        id: c.id,
        title: c.title || 'Conversation',
        updatedAt: c.updatedAt,
        turns: c.turns,
        ...(c.spentUsd > 0 ? { costUsd: c.spentUsd } : {}),
      }));
  }

  /** Makes conversation `id` the open one and returns it (undefined when it no longer exists). */
  async open(id: string): Promise<ConversationSnapshot | undefined> {
    const shared = this.deps.open.get(id);
    if (shared) {
      this.session = shared;
      return snapshotOf(shared.snapshot(), { running: shared.busy });
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

  /** Conversation `id` as a Markdown document. */
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
      const m = sessionMessage(req.requestId, e);
      if (m) req.post(m);
    };
    const agent = this.deps.agent?.({
      showChanges: (changes) => {
        if (req.turn !== undefined) req.post({ type: 'changes', turn: req.turn, changes });
      },
    });
    const acting = agent && this.session?.params.tools?.length ? { agent } : {};
    if (agent && !('agent' in acting))
      req.post({
        type: 'notice',
        requestId: req.requestId,
        message: 'This chat was started to answer only, so it answers: acting needs a New Chat.',
      });
    try {
      const choose = this.deps.chooseForImages;
      const end = await call(
        {
          signal: req.signal,
          confirm: (estimate) => this.deps.confirm(estimate),
          ...(choose ? { chooseForImages: (offer: ImagesOffer) => choose(offer) } : {}),
          ...acting,
        },
        listener,
      );
      if (this.session) this.deps.open.set(this.session.id, this.session);
      return turnResult(end);
    } catch (e) {
      // The session throws only for misuse (nothing to continue, already answering): say it in the chat.
      return { outcome: 'error', message: (e as Error).message };
    }
  }
}
