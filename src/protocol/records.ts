// The records the host↔webview messages carry (messages.ts): a turn as the view shows it, its
// context and usage summaries, images, mentions, change sets and tool steps, a conversation and the
// history list, the host's configuration. Runtime schemas with inferred types, like the messages.
import { IMAGE_LIMITS } from './images';
import { arrayOf, bool, num, obj, oneOf, opt, str, type Infer } from './schema';

export const OUTCOMES = ['complete', 'interrupted', 'error', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Reasoning effort, or `off` for DeepSeek's non-thinking mode. */
export const EFFORTS = ['off', 'low', 'high', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];
export type Surface = 'panel' | 'sidebar';

export const count = num({ int: true, min: 0 });
const usd = num({ min: 0 });
export const id = str(200);
/** The longest model id a message may carry (characters). */
export const MAX_MODEL_ID = 200;
export const modelId = str(MAX_MODEL_ID);

/** The most joined files a chip names (a follow-up joins a few; more are counted, not named). */
export const MAX_JOINED = 200;

/** What went into a request: a summary for the chip, never the packed text itself. */
export const contextSummary = obj({
  files: count,
  tokens: count,
  outlined: count,
  excluded: count,
  redactions: count,
  /** Prompt tokens predicted to hit DeepSeek's cache before sending, a warm-up's included (tokens). */
  predictedHitTokens: opt(count),
  /** Input tokens the turn sends, a warm-up's included (tokens); absent in older messages (then `tokens`). */
  inputTokens: opt(count),
  /** Cost estimated before sending: input plus the expected output (USD). */
  estimatedCostUsd: opt(usd),
  /** The input's estimated cost, warm-up included (USD). */
  estimatedInputUsd: opt(usd),
  /** The input plus an answer of max_tokens: the most the turn can cost (USD). */
  estimatedMaxUsd: opt(usd),
  /** Which input tokens will miss the cache, and why (a sentence for the tooltip). */
  estimateNote: opt(str(2000)),
  /** The model's context window the request was fitted to, when it is not DeepSeek V4's (tokens). */
  windowTokens: opt(count),
  /** The images the request carries (this question's and earlier turns'), estimated at ~384 tokens each. */
  images: opt(obj({ count, tokens: count })),
  /**
   * Files appended whole for this question because the conversation's repository block had them only outlined
   * or left out (a repository that does not fit), with the main reasons of their rank.
   */
  joined: opt(
    arrayOf(
      obj({ path: str(4096), was: oneOf(['outlined', 'left out'] as const), reasons: arrayOf(str(300), 20) }),
      MAX_JOINED,
    ),
  ),
});
export type ContextSummary = Infer<typeof contextSummary>;

/**
 * Billed usage of one turn (tokens, summed over its requests) and its cost (USD, absent for unpriced
 * models), a cache warm-up's included: the same figure live, in History and in the export.
 */
export const usageSummary = obj({
  promptTokens: count,
  cacheHitTokens: count,
  cacheMissTokens: count,
  completionTokens: count,
  reasoningTokens: opt(count),
  costUsd: opt(usd),
  /** Of `costUsd`, what the cache warm-up sent before the question cost (USD). */
  warmupUsd: opt(usd),
  /** `response.model` as the server reported it. */
  model: opt(modelId),
});
export type UsageSummary = Infer<typeof usageSummary>;

/** An image the composer sends with a question: its bytes as a `data:` URL (checked again by the host). */
export const imageUpload = obj({
  /** File name, or the kind of paste (shown, never sent to the model). */
  name: opt(str(300)),
  /** `data:image/…;base64,…` of at most IMAGE_LIMITS.bytesPerImage bytes. */
  dataUrl: str(Math.ceil((IMAGE_LIMITS.bytesPerImage * 4) / 3) + 100),
  /** The composer scaled it down to fit the limit: the original's size (bytes, pixels). */
  scaledFrom: opt(obj({ bytes: count, width: count, height: count })),
});
export type ImageUpload = Infer<typeof imageUpload>;

/** An image of a question as the transcript shows it (its name and size; the bytes stay with the host). */
export const imageNote = obj({ name: opt(str(300)), width: count, height: count, bytes: count });
export type ImageNote = Infer<typeof imageNote>;
/** The most files an editor command's question names as chips. */
export const MAX_SHOWN_FILES = 1000;

/** What the user asked for, shown instead of an editor command's prompt (the prompt stays behind a
 *  disclosure): a line (`Explain src/a.py`) and the workspace files it is about (`path` or `path:10-20`). */
export const shownQuestion = obj({ text: str(1000), files: opt(arrayOf(str(4096), MAX_SHOWN_FILES)) });
export type ShownQuestion = Infer<typeof shownQuestion>;

/** The most mentions one question carries (the composer refuses more). */
export const MAX_MENTIONS = 20;
/** The most completions one `mentionResults` message lists. */
export const MAX_MENTION_RESULTS = 50;
export const MENTION_KINDS = ['file', 'folder', 'symbol'] as const;
export type MentionKind = (typeof MENTION_KINDS)[number];

/**
 * Something the user pointed at with `@` in the composer: a workspace file (sent whole), a folder (its files ranked
 * first) or a symbol (its defining file sent whole). `path` is the workspace label as the pack writes it (POSIX,
 * relative; prefixed by the folder's name in a multi-root workspace; a folder without a trailing `/`).
 */
export const mention = obj({
  kind: oneOf(MENTION_KINDS),
  path: str(4096),
  /** A symbol's name (e.g. `AuthService.login`). */
  name: opt(str(500)),
  /** A symbol's 1-based line in `path`. */
  line: opt(count),
  /** A symbol's kind as the language server says it (`class`, `function`, …). */
  detail: opt(str(100)),
});
export type Mention = Infer<typeof mention>;
export const mentions = opt(arrayOf(mention, MAX_MENTIONS));

export const CHANGE_STATES = ['proposed', 'accepted', 'rejected', 'edited'] as const;
/** `stopped`: the review ended before a decision (Stop, a reload); nothing was written (src/chat/changeSet.ts). */
export const CHANGE_SET_STATUSES = ['reviewing', 'applied', 'rejected', 'undone', 'failed', 'stopped'] as const;
/** Most files one change set may show. */
export const MAX_CHANGE_FILES = 1000;

/**
 * A change to files proposed from an answer (Apply on a code block, the agent's edits), as the chat
 * shows it under that answer: while `reviewing`, Accept and Reject; once `applied`, what changed
 * (lines added/removed per file) and Undo; `stopped` when the turn stopped (or the window reloaded)
 * before the user decided. The model is src/chat/changeSet.ts.
 */
export const changeSetSummary = obj({
  id,
  title: str(1000),
  status: oneOf(CHANGE_SET_STATUSES),
  files: arrayOf(
    obj({
      path: str(4096),
      state: oneOf(CHANGE_STATES),
      added: count,
      removed: count,
      /** The change creates the file. */
      created: opt(bool),
      /** What it does, in words ("adds `hello` at the end"). */
      note: opt(str(1000)),
    }),
    MAX_CHANGE_FILES,
  ),
  /** Why it failed, or what Undo did. */
  message: opt(str(10_000)),
});
export type ChangeSetSummary = Infer<typeof changeSetSummary>;
/** The most tool steps one turn shows (a turn runs at most the step limit's requests, a few calls each). */
export const MAX_TOOL_STEPS = 2_000;

/** A tool call of an agent turn as the chat shows it (a compact, collapsible step); no `ok`: still running. */
export const toolStep = obj({
  id,
  name: str(64),
  /** What it does, from its arguments (`read src/a.ts`, `$ npm test`). */
  label: str(1000),
  /** What the model said before this call (its text of that request), shown above the step. */
  note: opt(str(100_000)),
  ok: opt(bool),
  /** What it gave, in one line. */
  summary: opt(str(10_000)),
  /** The files of a change set with their states (`applied`, `created`, `rejected`, `pending`, `not-matched`, …). */
  files: opt(arrayOf(obj({ path: str(4096), state: str(40) }), 1000)),
  /** A command's exit code and the end of its output (secrets redacted). */
  exitCode: opt(num({ int: true })),
  output: opt(str(100_000)),
});
export type ToolStep = Infer<typeof toolStep>;

/** One question and its answer as the view shows it. No `outcome` + a `requestId` = still streaming. */
export const turnRecord = obj({
  question: str(),
  /** Where the user's editor was, as sent with the question (`src/a.ts, lines 10-14 selected`). */
  editor: opt(str(4096)),
  /** The question's images. */
  images: opt(arrayOf(imageNote, IMAGE_LIMITS.perQuestion)),
  /** What the question pointed at with `@` (files, folders, symbols). */
  mentions,
  /** What the user asked for when `question` is an editor command's prompt. */
  shown: opt(shownQuestion),
  answer: str(),
  reasoning: str(),
  outcome: opt(oneOf(OUTCOMES)),
  /** The error or interruption, or a warning about a complete answer, in a sentence the user can act on. */
  message: opt(str(10_000)),
  /** `LlmError.kind` when outcome is `error` (e.g. `auth` shows a Set API Key button). */
  errorKind: opt(str(100)),
  /** A complete answer the output limit cut: Continue finishes it. */
  continuable: opt(bool),
  context: opt(contextSummary),
  usage: opt(usageSummary),
  requestId: opt(id),
  /** Changes proposed from this answer, newest last. */
  changes: opt(arrayOf(changeSetSummary, 100)),
  /** An agent turn's tool calls, in order. */
  steps: opt(arrayOf(toolStep, MAX_TOOL_STEPS)),
});
export type TurnRecord = Infer<typeof turnRecord>;

export const conversationSnapshot = obj({
  /** Absent for a conversation not stored yet. */
  id: opt(id),
  title: str(1000),
  /** Model and effort fixed for this conversation (absent before its first question). */
  model: opt(modelId),
  effort: opt(oneOf(EFFORTS)),
  turns: arrayOf(turnRecord),
});
export type ConversationSnapshot = Infer<typeof conversationSnapshot>;

export const conversationListItem = obj({
  id,
  title: str(1000),
  /** Last change, milliseconds since the epoch. */
  updatedAt: count,
  turns: count,
  costUsd: opt(usd),
});
export type ConversationListItem = Infer<typeof conversationListItem>;

/** The most model ids the picker is offered (a message with more is malformed). */
export const MAX_PICKER_MODELS = 200;

/**
 * The picker's model ids: the configured ones, then those the endpoint lists, DeepSeek's first
 * (an aggregator such as OpenRouter lists hundreds), at most MAX_PICKER_MODELS, no duplicates.
 */
export function pickerModels(configured: readonly string[], listed: readonly string[]): string[] {
  const deepseek = listed.filter((id) => /deepseek/i.test(id));
  const ids = [...new Set([...configured, ...deepseek, ...listed])].filter((id) => id && id.length <= MAX_MODEL_ID);
  return ids.slice(0, MAX_PICKER_MODELS);
}

/** What the view needs to know about the host: key, trust, and the model/effort choice. */
export const hostConfig = obj({
  hasKey: bool,
  /** No key is set and the endpoint is on this machine (asked without one): its `host:port`. */
  localEndpoint: opt(str(300)),
  trusted: bool,
  hasWorkspace: bool,
  /** Model ids the picker offers (from the host: settings, later `GET /models`). */
  models: arrayOf(modelId, MAX_PICKER_MODELS),
  /** The context windows the endpoint reports for some of them (tokens), shown beside their names. */
  windows: opt(arrayOf(obj({ id: modelId, tokens: count }), MAX_PICKER_MODELS)),
  /** Model and effort for the next conversation. */
  model: modelId,
  effort: oneOf(EFFORTS),
  /** The composer's mode in this workspace: act (the model may read, edit, run and check) or answer only. */
  act: opt(bool),
});
export type HostConfig = Infer<typeof hostConfig>;
