// The typed messages between the extension host and the webview app (panel and sidebar alike),
// defined once as runtime schemas so both sides validate what they receive and share the types.
// Rules: the host sends nothing before `ready` (and answers every `ready` with `init` + `replay`,
// so a reloaded webview catches up); every streamed message carries a `requestId`; a stream ends
// with `end`; cancel is its own message; deltas carry only the new text, never whole state.
import { IMAGE_LIMITS } from './images';
import {
  EFFORTS,
  OUTCOMES,
  changeSetSummary,
  contextSummary,
  conversationListItem,
  conversationSnapshot,
  count,
  hostConfig,
  id,
  imageNote,
  imageUpload,
  mention,
  mentions,
  MAX_MENTION_RESULTS,
  modelId,
  shownQuestion,
  toolStep,
  usageSummary,
} from './records';
import { arrayOf, bool, oneOf, opt, str, union } from './schema';

// The records the messages carry are defined in records.ts; both sides import them from here.
export {
  OUTCOMES,
  type Outcome,
  EFFORTS,
  type Effort,
  type Surface,
  MAX_JOINED,
  MAX_MODEL_ID,
  contextSummary,
  type ContextSummary,
  usageSummary,
  type UsageSummary,
  imageUpload,
  type ImageUpload,
  imageNote,
  type ImageNote,
  MAX_SHOWN_FILES,
  shownQuestion,
  type ShownQuestion,
  MAX_MENTIONS,
  MAX_MENTION_RESULTS,
  MENTION_KINDS,
  type MentionKind,
  mention,
  type Mention,
  CHANGE_STATES,
  CHANGE_SET_STATUSES,
  MAX_CHANGE_FILES,
  changeSetSummary,
  type ChangeSetSummary,
  MAX_TOOL_STEPS,
  toolStep,
  type ToolStep,
  turnRecord,
  type TurnRecord,
  conversationSnapshot,
  type ConversationSnapshot,
  conversationListItem,
  type ConversationListItem,
  MAX_PICKER_MODELS,
  pickerModels,
  hostConfig,
  type HostConfig,
} from './records';

export const parseHostMessage = union({
  init: { surface: oneOf(['panel', 'sidebar'] as const), config: hostConfig },
  config: { config: hostConfig },
  /** Replaces the whole transcript (after `ready`, on opening a past conversation, on New Chat). */
  replay: { conversation: conversationSnapshot },
  /** A request starts for turn `index`: turns at `index` and after are dropped first (regenerate,
   *  edit & resend); with `continued` the answer of turn `index` is kept and extended instead. */
  turnStart: {
    requestId: id,
    index: count,
    question: str(),
    editor: opt(str(4096)),
    images: opt(arrayOf(imageNote, IMAGE_LIMITS.perQuestion)),
    mentions,
    shown: opt(shownQuestion),
    continued: opt(bool),
  },
  context: { requestId: id, summary: contextSummary },
  reasoningDelta: { requestId: id, text: str() },
  contentDelta: { requestId: id, text: str() },
  /** A retry is scheduled before any token arrived (milliseconds); `message` says what happened, without advice. */
  retry: { requestId: id, attempt: count, delayMs: count, message: str(10_000) },
  /** Said about the running request (e.g. asked again in the smaller window the server stated). */
  notice: { requestId: id, message: str(10_000) },
  usage: { requestId: id, usage: usageSummary },
  /** A tool call of the running agent turn started (no `ok`) or finished: replaces the step with its id. */
  toolStep: { requestId: id, step: toolStep },
  /** The request ended; `conversationId` names the stored conversation it belongs to. */
  end: {
    requestId: id,
    outcome: oneOf(OUTCOMES),
    message: opt(str(10_000)),
    errorKind: opt(str(100)),
    /** A complete answer the output limit cut: Continue finishes it. */
    continuable: opt(bool),
    conversationId: opt(id),
  },
  history: { conversations: arrayOf(conversationListItem) },
  /**
   * A change set proposed from the answer of turn `turn` was created or changed state (replaces the one with its id).
   */
  changes: { turn: count, changes: changeSetSummary },
  /** Where the user's editor is, for the composer's chip: `label` (e.g. `src/a.ts:10-20`) and the
   *  note a question sends with it; both absent when no workspace file is in a text editor. */
  editor: { label: opt(str(4096)), note: opt(str(4096)) },
  /** Images for the composer to attach (the explorer's "Ask DeepSeek About This Image", a file dropped
   *  from VS Code's explorer), or why a chosen file cannot be (`refused`, one line each). `restored`: the images
   *  the composer held before its view was hidden (`draftImages`), shown again without taking the focus. */
  attachImages: {
    images: arrayOf(imageUpload, IMAGE_LIMITS.perQuestion),
    refused: opt(arrayOf(str(1000), 100)),
    restored: opt(bool),
  },
  /** A question the host did not send (the key prompt or the cost question was cancelled): back into the box. */
  unsent: { question: str(1_000_000), mentions, images: opt(arrayOf(imageUpload, IMAGE_LIMITS.perQuestion)) },
  /**
   * The completions of the composer's `mentionQuery` number `id` (files and folders from the workspace index,
   * symbols from the language servers), best first; `note` says why a kind is missing (no language server).
   */
  mentionResults: { id: count, items: arrayOf(mention, MAX_MENTION_RESULTS), note: opt(str(1000)) },
  /** Put the caret in the question box (the Focus Chat Input command). */
  focusInput: {},
  /** Open the list of past conversations, its first entry focused (the Show Chat History command). */
  showHistory: {},
});
export type HostToWebview = NonNullable<ReturnType<typeof parseHostMessage>>;

const code = str();
const optionalPath = opt(str(4096));
export const parseWebviewMessage = union({
  /** The app is listening (sent on every load, also after being hidden); `conversationId` is the
   *  stored conversation it shows from its saved state, which the host may reopen after a reload. */
  ready: { conversationId: opt(id) },
  /** `withEditor`: send where the user's editor is with the question (the composer's chip is on). */
  ask: {
    question: str(1_000_000),
    withEditor: opt(bool),
    images: opt(arrayOf(imageUpload, IMAGE_LIMITS.perQuestion)),
    mentions,
  },
  /** The user typed `@query` in the composer: complete it (answered by `mentionResults` with the same `id`). */
  mentionQuery: { id: count, query: str(500) },
  /** Files dropped from VS Code's explorer (their URIs): the host reads them and answers `attachImages`. */
  attachFiles: { uris: arrayOf(str(8192), 100) },
  /**
   * The images the composer holds now (sent whenever they change, [] once sent or removed). The host keeps them for
   * the view, and gives them back (`attachImages`) to the webview that loads after it was hidden: its saved state
   * holds the draft's text, never megabytes of images.
   */
  draftImages: { images: arrayOf(imageUpload, IMAGE_LIMITS.perQuestion) },
  cancel: { requestId: id },
  regenerate: {},
  editAndResend: { index: count, question: str(1_000_000), withEditor: opt(bool), mentions },
  /** Continues the last, interrupted answer. */
  continue: {},
  newChat: {},
  setOptions: { model: opt(modelId), effort: opt(oneOf(EFFORTS)) },
  /** The composer's mode switch: act, or answer only (remembered per workspace). */
  setMode: { act: bool },
  /** Undo every change agent turn `index` made to files (restores their bytes from before it). */
  undoTurn: { index: count },
  setApiKey: {},
  /** Opens the settings that size what is sent (window, budget, include/exclude): offered after a too-long request. */
  openContextSettings: {},
  manageTrust: {},
  /** An http(s) link the user clicked; the host opens it in the browser. */
  openLink: { href: str(8192) },
  /** A workspace file reference the user clicked (`path:line`, `path#L12`); 1-based lines. */
  openFile: { path: str(4096), line: opt(count), endLine: opt(count), column: opt(count) },
  copy: { text: code },
  insertCode: { code },
  /**
   * Apply a code block of turn `turn`'s answer to `path` (from the fence's `path=`) through a review the user accepts.
   */
  applyCode: { code, path: optionalPath, language: opt(str(100)), turn: opt(count) },
  /** Accept or reject a change set under review; with `path`, that one file of it. */
  decideChanges: { id, accept: bool, path: opt(str(4096)) },
  /** Undo an applied change set. */
  undoChanges: { id },
  /** Show a change set's diff again. */
  showChanges: { id },
  newFile: { code, path: optionalPath, language: opt(str(100)) },
  showContext: {},
  listHistory: {},
  openConversation: { id },
  deleteConversation: { id },
  exportConversation: { id },
});
export type WebviewToHost = NonNullable<ReturnType<typeof parseWebviewMessage>>;
