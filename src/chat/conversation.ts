// The conversation model and its history events. A conversation is an append-only list of events
// (persisted as JSONL); its state is always `replay(events)`, live or after a crash, so what the user
// sees is exactly what is on disk. The request parameters are fixed in the first event: a settings
// change applies to the next conversation (changing them mid-way would lose the cache); only a
// smaller window the server states (a `window` event) changes them.
import type { EditorFocus, JoinedFile, Pack, PackManifest } from '../context/types';
import type { LlmError, Outcome, RequestParams, ToolCall, Usage } from '../llm/types';
import { plausibleWindow } from '../llm/window';
import { imageRefOf, type ImageRef } from '../protocol/images';
import { mention as mentionSchema, type Mention } from '../protocol/messages';
import type { ToolDetail, FileSnapshot } from './agent/toolResult';
import { questionAsSent, type LayoutItem, type SentStep, type SentTurn } from './prompt';

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

/** Usage summed over a turn's requests (tokens); billed thinking tokens when any request reported them. */
const addUsage = (a: Usage | undefined, b: Usage): Usage => {
  const reasoning =
    a?.reasoningTokens === undefined && b.reasoningTokens === undefined
      ? undefined
      : (a?.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  return {
    promptTokens: (a?.promptTokens ?? 0) + b.promptTokens,
    cacheHitTokens: (a?.cacheHitTokens ?? 0) + b.cacheHitTokens,
    cacheMissTokens: (a?.cacheMissTokens ?? 0) + b.cacheMissTokens,
    completionTokens: (a?.completionTokens ?? 0) + b.completionTokens,
    ...(reasoning !== undefined ? { reasoningTokens: reasoning } : {}),
  };
};

/** Adds a request's billed usage and cost (and a warm-up's cost) to its turn and the conversation. */
function addRequest(state: ConversationState, t: Turn, request?: RequestRecord, warmup?: RequestRecord): void {
  if (request) t.usage = addUsage(t.usage, request.usage);
  const spent = (request?.costUsd ?? 0) + (warmup?.costUsd ?? 0);
  if (request?.costUsd !== undefined || warmup?.costUsd !== undefined) t.costUsd = (t.costUsd ?? 0) + spent;
  if (warmup?.costUsd !== undefined) t.warmupUsd = (t.warmupUsd ?? 0) + warmup.costUsd;
  state.spentUsd += spent;
}

/** A new state from a conversation's first event. */
export function initialState(e: Extract<HistoryEvent, { type: 'conversation' }>): ConversationState {
  return {
    id: e.id,
    title: e.title,
    createdAt: e.at,
    updatedAt: e.at,
    params: e.params,
    endpoint: e.endpoint,
    workspace: e.workspace,
    entries: [],
    spentUsd: 0,
  };
}

/**
 * Applies one event to `state` (mutating it). Returns a warning for an event that does not fit
 * (e.g. an answer for a turn that does not exist); such events change nothing.
 */
export function applyEvent(state: ConversationState, e: HistoryEvent): string | undefined {
  const turns = turnsOf(state);
  const turnAt = (i: number) => turns[i];
  if ('at' in e) state.updatedAt = Math.max(state.updatedAt, e.at);
  switch (e.type) {
    case 'conversation':
      return 'a second conversation header was ignored';
    case 'context':
      state.base = e.base;
      state.entries = state.entries.filter((x) => x.kind === 'turn');
      return;
    case 'update':
      state.entries.push({ kind: 'update', update: e.update });
      return;
    case 'question': {
      if (e.turn !== turns.length) return `question for turn ${e.turn} but the conversation has ${turns.length} turns`;
      const images = Array.isArray(e.images) ? e.images.map(imageRefOf) : [];
      const valid = images.filter((r): r is ImageRef => r !== undefined);
      const mentions = Array.isArray(e.mentions) ? e.mentions.flatMap((m) => mentionSchema(m) ?? []) : [];
      const shown = shownQuestion(e.shown);
      state.entries.push({
        kind: 'turn',
        turn: {
          question: e.text,
          ...(e.focus ? { focus: e.focus } : {}),
          ...(typeof e.editor === 'string' && e.editor ? { editor: e.editor } : {}),
          ...(valid.length ? { images: valid } : {}),
          ...(mentions.length ? { mentions } : {}),
          ...(shown ? { shown } : {}),
          askedAt: e.at,
          answer: '',
          reasoning: '',
          outcome: 'interrupted',
          streaming: true,
        },
      });
      return valid.length < images.length ? `question ${e.turn}: an unreadable image reference was ignored` : undefined;
    }
    case 'model':
      if (typeof e.model !== 'string' || !e.model) return 'a model change without a model was ignored';
      state.params = { ...state.params, model: e.model };
      return;
    case 'tool_calls':
    case 'tool_result':
    case 'step': {
      const t = turnAt(e.turn);
      if (!t) return `${e.type} for turn ${e.turn}, which does not exist`;
      if (e.type === 'step') {
        // A new request: text a cut one left behind is dropped (the request is sent again whole).
        t.answer = '';
        t.reasoning = '';
        t.streaming = true;
        t.outcome = 'interrupted';
        delete t.error;
        delete t.finishReason;
        delete t.stopped;
        return;
      }
      if (e.type === 'tool_calls') {
        (t.steps ??= []).push({ content: t.answer, reasoning: t.reasoning, calls: e.calls, results: [] });
        t.answer = '';
        t.reasoning = '';
        if (e.model) t.model = e.model;
        addRequest(state, t, e.request);
        return;
      }
      const step = t.steps?.at(-1);
      if (!step?.calls.some((c) => c.id === e.id))
        return `a result for call ${e.id}, which turn ${e.turn} did not make`;
      const { type: _type, turn: _turn, ...record } = e;
      step.results = [...step.results.filter((r) => r.id !== e.id), record];
      return;
    }
    case 'reasoning':
    case 'answer':
    case 'resume':
    case 'end': {
      const t = turnAt(e.turn);
      if (!t) return `${e.type} for turn ${e.turn}, which does not exist`;
      if (e.type === 'reasoning') t.reasoning += e.text;
      else if (e.type === 'answer') t.answer += e.text;
      else if (e.type === 'resume') {
        t.streaming = true;
        t.outcome = 'interrupted';
        delete t.error;
        delete t.finishReason;
        delete t.warning;
        delete t.stopped;
      } else {
        t.streaming = false;
        t.outcome = e.outcome;
        if (e.finishReason) t.finishReason = e.finishReason;
        if (e.error) t.error = e.error;
        if (e.model) t.model = e.model;
        if (e.warning) t.warning = e.warning;
        if (e.stopped) t.stopped = e.stopped;
        addRequest(state, t, e.request, e.warmup);
      }
      return;
    }
    case 'window':
      if (
        plausibleWindow(e.windowTokens) === undefined ||
        !Number.isInteger(e.maxTokens) ||
        e.maxTokens <= 0 ||
        e.maxTokens >= e.windowTokens
      )
        return `a window of ${e.windowTokens} tokens (output ${e.maxTokens}) was ignored`;
      state.params = { ...state.params, windowTokens: e.windowTokens, maxTokens: e.maxTokens };
      return;
    case 'truncate': {
      if (e.keep > turns.length) return `truncate to ${e.keep} turns but there are ${turns.length}`;
      // Keep everything before turn `keep`; updated-files sections sent with it stay (a resend can reuse them).
      let seen = 0;
      const cut = state.entries.findIndex((x) => x.kind === 'turn' && seen++ === e.keep);
      if (cut >= 0) state.entries = state.entries.slice(0, cut);
      return;
    }
  }
}

/** The state of a conversation from its events; a turn left streaming (a crash) reads as interrupted. */
export function replay(events: HistoryEvent[]): { state: ConversationState; warnings: string[] } {
  const [head, ...rest] = events;
  if (head?.type !== 'conversation')
    throw new Error('not a DeepSeek Repo conversation: the first line is not a conversation header');
  if (!(head.v <= HISTORY_VERSION))
    throw new Error(
      `this conversation was saved by a newer DeepSeek Repo (history version ${head.v}); update to open it`,
    );
  const state = initialState(head);
  const warnings: string[] = [];
  for (const e of rest) {
    const w = applyEvent(state, e);
    if (w) warnings.push(w);
  }
  return { state, warnings };
}

/** What a tool step sends back: its text, thinking and calls as received, and each call's result. */
export function sentStep(s: AgentStep): SentStep {
  return {
    content: s.content,
    reasoning: s.reasoning,
    toolCalls: s.calls,
    toolResults: s.results.map((r) => ({ toolCallId: r.id, content: r.content })),
  };
}

/** What a past turn sends back to the model. */
export function sentTurn(t: Turn): SentTurn {
  return {
    question: questionAsSent(t.question, t.editor),
    ...(t.images?.length ? { images: t.images } : {}),
    answer: t.answer,
    ...(t.steps?.length ? { steps: t.steps.map(sentStep) } : {}),
  };
}

/**
 * The layout of the conversation so far (repository, updates and turns in order), given the texts
 * of the base and of each update; undefined when a text is missing (it must be rebuilt).
 */
export function layoutOf(
  state: ConversationState,
  text: (hash: string) => string | undefined,
): LayoutItem[] | undefined {
  if (!state.base) return undefined;
  const base = text(state.base.hash);
  if (base === undefined) return undefined;
  const items: LayoutItem[] = [{ kind: 'repository', text: base, tokens: state.base.tokens }];
  for (const e of state.entries) {
    if (e.kind === 'turn') {
      items.push({ kind: 'turn', turn: sentTurn(e.turn) });
      continue;
    }
    const u = text(e.update.hash);
    if (u === undefined) return undefined;
    items.push({ kind: 'update', text: u, tokens: e.update.tokens });
  }
  return items;
}

/** The images of the turns of `state` before turn `keep` (all by default), in order. */
export function imagesOf(state: ConversationState, keep?: number): ImageRef[] {
  return turnsOf(state)
    .slice(0, keep)
    .flatMap((t) => t.images ?? []);
}

/** The manifest the model has seen: the base's files with every update applied. */
export function seenManifest(state: ConversationState): PackManifest | undefined {
  if (!state.base) return undefined;
  const { manifest } = state.base;
  const files = { ...manifest.files };
  const outlined = new Set(manifest.outlined);
  for (const e of state.entries) {
    if (e.kind !== 'update') continue;
    const u = e.update;
    for (const p of u.removed) {
      delete files[p];
      outlined.delete(p);
    }
    const asOutline = new Set(u.outlined);
    // Without per-file hashes the path is marked unknown, so it is sent again next time (safe, not cheap).
    for (const p of [...u.changed, ...u.added, ...(u.joined ?? []).map((j) => j.path)]) {
      files[p] = u.files?.[p] ?? '';
      if (asOutline.has(p)) outlined.add(p);
      else outlined.delete(p);
    }
  }
  return {
    hash: manifest.hash,
    tokens: manifest.tokens,
    files,
    ...(outlined.size ? { outlined: [...outlined].sort() } : {}),
    ...(manifest.partial ? { partial: true as const } : {}),
  };
}

/** The fixed request parameters that differ between a conversation and the current settings. */
export function fixedParamChanges(conversation: RequestParams, settings: RequestParams): (keyof RequestParams)[] {
  const keys: (keyof RequestParams)[] = ['model', 'maxTokens', 'thinking', 'reasoningEffort'];
  return keys.filter((k) => conversation[k] !== settings[k]);
}
