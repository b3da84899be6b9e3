// The port between the chat UI and whatever runs conversations. The controller (chatController.ts)
// talks only to this interface; `SessionBackend` implements it over the chat engine's ChatSession
// (persistent history, cache plan, cost), and tests can drive the controller with a fake.
import type { EditorFocus } from '../context/types';
import type {
  ContextSummary,
  ConversationListItem,
  ConversationSnapshot,
  Effort,
  Outcome,
  UsageSummary,
} from '../protocol/messages';

/** Model and effort of a new conversation (fixed for its lifetime, so follow-ups hit the cache). */
export interface ConversationOptions {
  model: string;
  effort: Effort;
  /** Ranking hints of an editor command (selection, pinned folder, changed files); default: the editors. */
  focus?: EditorFocus;
  /** Where the user's editor is (src/chat/prompt.ts `editorNote`), sent with the question. */
  editor?: string;
}

/** What happens during one request, in order: context, retries, reasoning, content, usage. */
export type TurnEvent =
  | { type: 'context'; summary: ContextSummary }
  | { type: 'retry'; attempt: number; delayMs: number; message: string }
  /** Said while the request runs (the server stated a smaller window: asked again in it). */
  | { type: 'notice'; message: string }
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  | { type: 'usage'; usage: UsageSummary };

export interface TurnRequest {
  /** Aborted when the user presses Stop: the backend ends the HTTP request and resolves `cancelled`. */
  signal: AbortSignal;
  onEvent(e: TurnEvent): void;
}

/** How a request ended. Backends resolve (never reject) for API errors. */
export interface TurnResult {
  outcome: Outcome;
  /** A sentence the user can act on (errors, interruptions). */
  message?: string;
  /** `LlmError.kind` for errors (`auth` makes the UI offer Set API Key). */
  errorKind?: string;
  /** USD spent by the whole conversation so far (its dropped turns and warm-ups included). */
  conversationCostUsd?: number;
}

export interface ConversationBackend {
  /** Asks `question` in the open conversation (starting one with `options` if none is open). */
  ask(question: string, options: ConversationOptions, req: TurnRequest): Promise<TurnResult>;
  /** Asks the last question again, replacing its answer. */
  regenerate(req: TurnRequest): Promise<TurnResult>;
  /** Replaces question `index` (0-based) and drops the turns after it, then asks it. */
  editAndResend(index: number, question: string, req: TurnRequest, editor?: string): Promise<TurnResult>;
  /** Continues the last, interrupted answer (its text is extended). */
  continue(req: TurnRequest): Promise<TurnResult>;
  /** Closes the open conversation; the next `ask` starts a new one. */
  newConversation(): void;
  /** Past conversations of this workspace, any order. */
  list(): Promise<ConversationListItem[]>;
  /** Makes conversation `id` the open one and returns it (undefined when it no longer exists). */
  open(id: string): Promise<ConversationSnapshot | undefined>;
  delete(id: string): Promise<void>;
  /** Conversation `id` as a Markdown document. */
  exportMarkdown(id: string): Promise<string | undefined>;
  /** Id of the open conversation, if it has been stored. */
  readonly currentId: string | undefined;
}
