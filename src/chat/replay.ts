// A conversation's state from its history events: the reducer (`applyEvent`) and `replay`. Kept apart
// from the model (conversation.ts) because it is the one place that decides what each event does to
// the state, live (the session applies each event as it records it) and after a crash (replay).
import type { Usage } from '../llm/types';
import { plausibleWindow } from '../llm/window';
import { imageRefOf, type ImageRef } from '../protocol/images';
import { mention as mentionSchema } from '../protocol/messages';
import {
  HISTORY_VERSION,
  shownQuestion,
  turnsOf,
  type ConversationState,
  type HistoryEvent,
  type RequestRecord,
  type Turn,
} from './conversation';

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

/** A tool call as the model sends it: an id, and a function's name and arguments (text). */
function wellFormedCall(c: unknown): boolean {
  const call = c as { id?: unknown; function?: { name?: unknown; arguments?: unknown } } | null;
  return (
    typeof call?.id === 'string' &&
    typeof call.function?.name === 'string' &&
    typeof call.function.arguments === 'string'
  );
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
      // A hand-edited file: what is sent again and matched by id must have its shape.
      if (e.type === 'tool_calls' && !(Array.isArray(e.calls) && e.calls.every(wellFormedCall)))
        return `ill-formed tool calls of turn ${e.turn} were ignored`;
      if (e.type === 'tool_result' && ![e.id, e.name, e.content].every((v) => typeof v === 'string'))
        return `an ill-formed tool result of turn ${e.turn} was ignored`;
      if (e.type === 'step') {
        // A new request: text a cut one left behind is dropped (the request is sent again whole).
        t.answer = '';
        t.reasoning = '';
        t.streaming = true;
        t.outcome = 'interrupted';
        delete t.error;
        delete t.finishReason;
        delete t.outputLimitTokens;
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
        delete t.outputLimitTokens;
        delete t.warning;
        delete t.stopped;
      } else {
        t.streaming = false;
        t.outcome = e.outcome;
        if (e.finishReason) t.finishReason = e.finishReason;
        // The limit of the request just ended: the conversation's as it stands at this event.
        if (e.outcome === 'complete' && e.finishReason === 'length') t.outputLimitTokens = state.params.maxTokens;
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
