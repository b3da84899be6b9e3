// The conversation model and its history events. A conversation is an append-only list of events
// (persisted as JSONL); its state is always `replay(events)` (replay.ts), live or after a crash, so
// what the user sees is exactly what is on disk. The request parameters are fixed in the first event:
// a settings change applies to the next conversation (changing them mid-way would lose the cache);
// only a smaller window the server states (a `window` event) changes them.
import type { EditorFocus, JoinedFile, Pack, PackManifest } from '../context/types';
import type { LlmError, Outcome, RequestParams, ToolCall, Usage } from '../llm/types';
import type { ImageRef } from '../protocol/images';
import type { Mention } from '../protocol/messages';
import type { ToolDetail, FileSnapshot } from './agent/toolResult';

export const HISTORY_VERSION = 1;

/** The repository block a conversation is built on: its hash and manifest, never its text. */
export interface BaseRef {
  hash: string;
  /** Estimated tokens of the pack text. */
  tokens: number;
  manifest: PackManifest;
  summary: PackSummary;
}

/** The counts behind a pack, for the context chip. */
export interface PackSummary {
  /** Files whole or outlined in the pack. */
  files: number;
  outlined: number;
  excluded: number;
  redactions: number;
}

/** The summary counts of a pack. */
export function summarizePack(pack: Pack): PackSummary {
  const n = (s: string) => pack.files.filter((f) => f.status === s).length;
  return {
    files: n('included') + n('outline'),
    outlined: n('outline'),
    excluded: n('excluded'),
    redactions: pack.redactions.length,
  };
}

/** An "updated files" section appended after the prefix (its text is kept in the plan's blob store). */
export interface UpdateRef {
  /** sha256 of the section text. */
  hash: string;
  tokens: number;
  changed: string[];
  added: string[];
  removed: string[];
  /** New content hashes of changed/added/joined files, when the context engine gives them. */
  files?: Record<string, string>;
  /** Files appended whole for the question they came with (the prefix had them outlined or left out), and why. */
  joined?: JoinedFile[];
  /** Changed or added files sent as outlines. */
  outlined?: string[];
}

export interface RequestRecord {
  usage: Usage;
  /** USD; undefined for a model without a known price. */
  costUsd?: number;
}

/**
 * What the user asked for when the question sent is a longer prompt (an editor command's): a line
 * shown instead of the prompt (`Explain src/a.py`, `Review uncommitted changes · 2 files`) and the
 * workspace files it is about (POSIX, workspace-relative, `path` or `path:10-20`).
 */
export interface ShownQuestion {
  text: string;
  files?: string[];
}

/** `shown` as read from a history line: undefined unless it has the right shape. */
export function shownQuestion(v: unknown): ShownQuestion | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const { text, files } = v as { text?: unknown; files?: unknown };
  if (typeof text !== 'string' || !text.trim()) return undefined;
  const paths = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string' && !!f) : [];
  return { text, ...(paths.length ? { files: paths } : {}) };
}

export type HistoryEvent =
  | {
      type: 'conversation';
      v: number;
      id: string;
      at: number;
      params: RequestParams;
      endpoint: string;
      workspace: string;
      title: string;
    }
  /** The prefix was (re)built from a new pack: earlier updated-files sections are folded into it. */
  | { type: 'context'; at: number; base: BaseRef }
  | { type: 'update'; at: number; update: UpdateRef }
  /**
   * `editor`: where the user's editor was (prompt.ts `editorNote`), sent after the question.
   * `images`: the question's images by content hash (their bytes are files in the image store).
   * `mentions`: what the question pointed at with `@` (their paths are pinned in `focus`).
   * `shown`: what the user asked for, when `text` is an editor command's prompt.
   */
  | {
      type: 'question';
      at: number;
      turn: number;
      text: string;
      focus?: EditorFocus;
      editor?: string;
      images?: ImageRef[];
      mentions?: Mention[];
      shown?: ShownQuestion;
    }
  /** From here on the conversation asks `model` (a model that reads images, chosen for a question with images). */
  | { type: 'model'; at: number; model: string }
  | { type: 'reasoning'; turn: number; text: string }
  | { type: 'answer'; turn: number; text: string }
  /** "Continue" after an interrupted answer: later answer text extends the same turn. */
  | { type: 'resume'; at: number; turn: number }
  | {
      type: 'end';
      at: number;
      turn: number;
      outcome: Outcome;
      finishReason?: string;
      error?: LlmError;
      model?: string;
      request?: RequestRecord;
      warmup?: RequestRecord;
      /** A complete answer that may have seen only part of the prompt (see `promptCutWarning`). */
      warning?: string;
      /** An agent turn ended before an answer: the user's Stop, the step limit, or the spend the user declined. */
      stopped?: 'user' | 'step-limit' | 'cost';
    }
  /** An agent turn's request ended with tool calls (exactly as received); its thinking and text came before. */
  | { type: 'tool_calls'; at: number; turn: number; calls: ToolCall[]; request?: RequestRecord; model?: string }
  /** The outcome of one tool call: `content` is what the model is told, byte for byte. */
  | {
      type: 'tool_result';
      at: number;
      turn: number;
      id: string;
      name: string;
      ok: boolean;
      content: string;
      summary: string;
      detail?: ToolDetail;
      /** Files the call wrote, with their exact texts before and after (Undo). */
      snapshots?: FileSnapshot[];
    }
  /** An agent turn sends its next request (after the results of its last tool calls, or again after one was cut). */
  | { type: 'step'; at: number; turn: number }
  /** Regenerate / edit and resend: turns from `keep` on are dropped (their cost stays spent). */
  | { type: 'truncate'; at: number; keep: number }
  /** The server stated a smaller context window than the conversation had: its window and output from now on. */
  | { type: 'window'; at: number; windowTokens: number; maxTokens: number };

export interface Turn {
  question: string;
  focus?: EditorFocus;
  /** Where the user's editor was, sent with the question (prompt.ts `questionAsSent`). */
  editor?: string;
  /** The question's images, re-sent with it on every later request. */
  images?: ImageRef[];
  /** What the question pointed at with `@` (files, folders, symbols). */
  mentions?: Mention[];
  /** What the user asked for, shown instead of `question` (an editor command's prompt). */
  shown?: ShownQuestion;
  askedAt: number;
  answer: string;
  reasoning: string;
  /** `interrupted` also when the log ended mid-answer (a crash or a reload). */
  outcome: Outcome;
  /** True while the answer streams, and after a crash that cut it (then outcome is `interrupted`). */
  streaming: boolean;
  finishReason?: string;
  /**
   * A complete answer the output limit cut (finishReason `length`): that limit (max_tokens, tokens). Continue
   * finishes it.
   */
  outputLimitTokens?: number;
  error?: LlmError;
  model?: string;
  /** Billed usage summed over the turn's requests (warm-ups excluded). */
  usage?: Usage;
  /** USD spent on this turn, warm-ups included: the one figure every view shows for it. */
  costUsd?: number;
  /** Of `costUsd`, what cache warm-ups cost (USD). */
  warmupUsd?: number;
  /** An agent turn's requests that ended with tool calls, in order; `answer` and `reasoning` are the last request's. */
  steps?: AgentStep[];
  /** Why an agent turn ended before an answer. */
  stopped?: 'user' | 'step-limit' | 'cost';
  /** Said about the answer although it completed (the server read only part of the prompt). */
  warning?: string;
}

/** One request of an agent turn that called tools, and what the calls gave. */
export interface AgentStep {
  content: string;
  reasoning: string;
  calls: ToolCall[];
  results: ToolResultRecord[];
}

export type ToolResultRecord = Omit<Extract<HistoryEvent, { type: 'tool_result' }>, 'type' | 'turn'>;

export type Entry = { kind: 'update'; update: UpdateRef } | { kind: 'turn'; turn: Turn };

export interface ConversationState {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  params: RequestParams;
  endpoint: string;
  workspace: string;
  base?: BaseRef;
  entries: Entry[];
  /** USD spent by every request of the conversation, dropped turns and warm-ups included. */
  spentUsd: number;
}

/** The turns of a conversation, in order. */
export function turnsOf(state: ConversationState): Turn[] {
  return state.entries.flatMap((e) => (e.kind === 'turn' ? [e.turn] : []));
}

/** The images of the turns of `state` before turn `keep` (all by default), in order. */
export function imagesOf(state: ConversationState, keep?: number): ImageRef[] {
  return turnsOf(state)
    .slice(0, keep)
    .flatMap((t) => t.images ?? []);
}

/** The fixed request parameters that differ between a conversation and the current settings. */
export function fixedParamChanges(conversation: RequestParams, settings: RequestParams): (keyof RequestParams)[] {
  const keys: (keyof RequestParams)[] = ['model', 'maxTokens', 'thinking', 'reasoningEffort'];
  return keys.filter((k) => conversation[k] !== settings[k]);
}

/**
 * What was asked of the conversation cannot be done in its present state (nothing to continue or
 * regenerate, no such turn, already answering): nothing was sent. Front ends show the message as is.
 */
export class ConversationStateError extends Error {}
