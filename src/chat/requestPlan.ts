// Plans one request of a conversation without sending or writing anything: its context (via
// contextPlanner.ts), its messages and their cache keys, whether a warm-up goes first, and the cost
// estimate shown before sending. ChatSession executes the plan.
import { countTokens } from '../context/tokens';
import type { EditorFocus } from '../context/types';
import { IMAGE_TOKENS_ESTIMATE } from '../llm/capabilities';
import type { ClientOptions } from '../llm/client';
import { DEFAULT_PRICES, priceEstimate } from '../llm/cost';
import { createHash } from 'node:crypto';
import type { RequestParams, ToolDefinition } from '../llm/types';
import type { ImageRef } from '../protocol/images';
import type { Mention } from '../protocol/messages';
import { chainKeys, requestTag } from './cacheLedger';
import { MIN_WARMUP_TOKENS, WARMUP_MAX_TOKENS } from './cachePlan';
import { prepareContext } from './contextPlanner';
import { turnsOf, type ConversationState, type HistoryEvent, type ShownQuestion, type Turn } from './conversation';
import { applyEvent } from './replay';
import { sentStep } from './sentHistory';
import {
  MESSAGE_OVERHEAD_TOKENS,
  promptTokens,
  questionAsSent,
  renderLayout,
  repositoryBoundary,
  type ImageUrls,
  type LayoutItem,
  type PlannedMessage,
} from './prompt';
import type { ContextInfo, SessionPorts } from './sessionTypes';

/** DeepSeek V4's context window (tokens): a conversation's window unless its model reported or was set to another. */
export const WINDOW_TOKENS = 1_048_576;
/** Room a new conversation leaves for itself when packing the repository (tokens): ~10 turns with updates. */
export const CONVERSATION_RESERVE_TOKENS = 32_768;
/** Output assumed by an estimate until the conversation has answers of its own (tokens). */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 2_000;

/** What the next request does: a new question (replacing turns from `keep` on), or continue the last answer. */
/** `editor`: where the user's editor is (prompt.ts `editorNote`), sent after the question. */
/** `images`: the question's images (stored, or pending in the session until it is sent). */
/**
 * `step`: the next request of the last turn, an agent turn: its question and tool steps so far, nothing appended
 * before them.
 */
/** `model`: the question switches the conversation to this model (one that reads its images) when it is sent. */
/** `shown`: what the user asked for (an editor command's line), kept with the question, never sent. */
export type RequestSpec =
  | {
      kind: 'ask';
      question: string;
      focus?: EditorFocus;
      editor?: string;
      keep?: number;
      images?: ImageRef[];
      /** What the question pointed at with `@` (stored with it; its pins are in `focus`). */
      mentions?: Mention[];
      model?: string;
      shown?: ShownQuestion;
    }
  | { kind: 'continue' }
  | { kind: 'step' };

export interface PlannedRequest {
  /** The turn the request answers. */
  turn: number;
  messages: PlannedMessage[];
  keys: string[];
  /** Cache namespace (endpoint, model, thinking, effort). */
  ns: string;
  /** Warm-up verdict key (endpoint, model, thinking). */
  verdictKey: string;
  /** Leading messages a warm-up sends first (0: no warm-up). */
  warmCount: number;
  /** `context` / `update` events to persist with the question. */
  events: HistoryEvent[];
  info: ContextInfo;
  rentTokens: number;
  /** The request would not fit the window with its output. */
  tooLong: boolean;
}

/** Smallest `max_tokens` a small window leaves an answer (tokens). */
const MIN_OUTPUT_TOKENS = 256;

/** The conversation's context window (tokens). */
export const windowOf = (params: Pick<RequestParams, 'windowTokens'>): number => params.windowTokens ?? WINDOW_TOKENS;

/**
 * `max_tokens` within `window`: the setting, but at most a quarter of a window smaller than DeepSeek V4's, so the
 * prompt keeps most of it.
 */
export function outputWithin(window: number, maxTokens: number): number {
  return window >= WINDOW_TOKENS ? maxTokens : Math.min(maxTokens, Math.max(MIN_OUTPUT_TOKENS, Math.floor(window / 4)));
}

/**
 * A new conversation's parameters for a model whose window is `window` tokens (reported by the
 * endpoint or set by the user): recorded with the conversation, and the output limited to fit it.
 * Unknown or DeepSeek V4's own: unchanged.
 */
export function fitWindow(params: RequestParams, window: number | undefined): RequestParams {
  const { windowTokens: _old, ...rest } = params;
  if (window === undefined || window === WINDOW_TOKENS) return rest;
  return { ...rest, windowTokens: window, maxTokens: outputWithin(window, params.maxTokens) };
}

/**
 * Tokens a new conversation's repository may use: the user's budget, capped by the window minus
 * the output and the conversation's reserve (an eighth of a window smaller than 262,144 tokens).
 */
export function repositoryBudget(maxTokens: number, setting?: number | null, window: number = WINDOW_TOKENS): number {
  const room = window - outputWithin(window, maxTokens) - Math.min(CONVERSATION_RESERVE_TOKENS, Math.floor(window / 8));
  return Math.max(0, Math.min(setting ?? room, room));
}

/** A short fingerprint of a tool list (its exact JSON), for cache namespaces. */
export const toolsKey = (tools: readonly ToolDefinition[]): string =>
  createHash('sha256').update(JSON.stringify(tools)).digest('hex').slice(0, 12);

/** The endpoint part of a cache namespace: no trailing slash or `/v1`. */
export const endpointKey = (baseUrl: string): string => baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/, '');

/** The images a request carries and the tokens they are estimated at, when it carries any. */
function imagesInfo(messages: PlannedMessage[]): Pick<ContextInfo, 'images'> {
  const count = messages.reduce((n, m) => n + (m.images?.length ?? 0), 0);
  return count ? { images: { count, tokens: count * IMAGE_TOKENS_ESTIMATE } } : {};
}

/** The turn a `continue` request continues: the last one (ChatSession.continue checks there is one). */
function lastTurn(turns: Turn[]): Turn {
  const last = turns.at(-1);
  if (!last) throw new Error('There is no answer to continue: the conversation has no question yet.');
  return last;
}

/** Plans the request of `spec` on `conversation` at time `now` (ms); `images` gives the `data:` URL of each image. */
export async function planRequest(
  conversation: ConversationState,
  spec: RequestSpec,
  ports: SessionPorts,
  client: ClientOptions,
  now: number,
  images?: ImageUrls,
): Promise<PlannedRequest> {
  const params =
    spec.kind === 'ask' && spec.model ? { ...conversation.params, model: spec.model } : conversation.params;
  let state = conversation;
  if (spec.kind === 'ask' && spec.keep !== undefined) {
    state = structuredClone(conversation);
    applyEvent(state, { type: 'truncate', at: now, keep: spec.keep });
  }
  const turns = turnsOf(state);
  // What is asked: the new question, or for `continue` the last turn's.
  const asked = spec.kind === 'ask' ? spec : lastTurn(turns);
  const { question, focus } = asked;
  const endpoint = endpointKey(client.baseUrl);
  // Tool definitions come first in the prompt: a conversation that offers tools caches apart from one that does not.
  const tools = params.tools?.length ? `|tools:${toolsKey(params.tools)}` : '';
  const thinking = params.thinking ? `thinking|${params.reasoningEffort}` : 'no-thinking';
  const ns = `${endpoint}|${params.model}|${thinking}${tools}`;
  // Verdicts are per endpoint, model and thinking switch: thinking changes the chat template.
  const verdictKey = `${endpoint}|${params.model}|${params.thinking ? 'thinking' : 'no-thinking'}${tools}`;
  const request = {
    budgetTokens: repositoryBudget(params.maxTokens, ports.contextBudgetTokens, windowOf(params)),
    question,
    ...(focus ? { focus } : {}),
  };
  const sent = questionAsSent(question, asked.editor);
  const ctx = await prepareContext({
    state,
    context: ports.context,
    plan: ports.plan,
    request,
    ns,
    now,
    continuing: spec.kind !== 'ask',
    room: windowOf(params) - params.maxTokens - countTokens(sent) - MESSAGE_OVERHEAD_TOKENS,
  });

  const pictures = asked.images?.length ? { images: asked.images } : {};
  let items: LayoutItem[] = [...ctx.items, { kind: 'question', text: sent, ...pictures }];
  if (spec.kind !== 'ask') {
    // The previous request's input (an agent turn's tool steps included) plus its output: nothing before them changes.
    const i = ctx.items.findLastIndex((x) => x.kind === 'turn');
    const last = lastTurn(turns);
    const steps = (last.steps ?? []).map(sentStep);
    items = [
      ...ctx.items.slice(0, i),
      spec.kind === 'continue'
        ? { kind: 'continue', question: sent, ...pictures, ...(steps.length ? { steps } : {}), partial: last.answer }
        : { kind: 'agent', question: sent, ...pictures, steps },
    ];
  }
  const messages = renderLayout(items, images);
  const keys = chainKeys(messages);
  const plan = ports.plan;
  const predicted = plan.predict(ns, messages, keys, { tag: requestTag(params) });
  const boundary = repositoryBoundary(messages);
  const boundaryTokens = promptTokens(messages.slice(0, boundary));
  // Only a new conversation warms: later turns hit the previous request's input anyway.
  const warm =
    !conversation.base &&
    spec.kind === 'ask' &&
    ports.warmup !== false &&
    plan.warmupAllowed(verdictKey) &&
    boundaryTokens - predicted >= MIN_WARMUP_TOKENS;
  // Where billed usage showed that the server keeps a max_tokens-1 request's cache apart, a warm-up
  // (still tried until its verdict says it is useless) is not counted on to make the question hit.
  const warmHelps = warm && !plan.foreignUnitsMiss(ns);
  const mainTokens = promptTokens(messages);
  const answered = turns.flatMap((t) => (t.usage ? [t.usage] : []));
  const estimate = priceEstimate(
    {
      model: params.model,
      promptTokens: mainTokens,
      predictedHitTokens: warmHelps ? Math.max(predicted, boundaryTokens) : predicted,
      ...(warm
        ? {
            warmup: {
              promptTokens: boundaryTokens,
              predictedHitTokens: plan.predict(ns, messages.slice(0, boundary), keys.slice(0, boundary), {
                tag: requestTag({ maxTokens: WARMUP_MAX_TOKENS }),
              }),
            },
          }
        : {}),
      expectedOutputTokens: answered.length
        ? Math.round(answered.reduce((n, u) => n + u.completionTokens, 0) / answered.length)
        : DEFAULT_EXPECTED_OUTPUT_TOKENS,
      maxOutputTokens: params.maxTokens,
    },
    new Date(now),
    ports.prices ?? DEFAULT_PRICES,
  );
  const turn = spec.kind === 'ask' ? turns.length : turns.length - 1;
  return {
    turn,
    messages,
    keys,
    ns,
    verdictKey,
    warmCount: warm ? boundary : 0,
    events: ctx.events,
    info: {
      turn,
      ...ctx.info,
      warmup: warm,
      ...(params.windowTokens ? { windowTokens: params.windowTokens } : {}),
      ...imagesInfo(messages),
      estimate,
    },
    rentTokens: ctx.rentTokens,
    tooLong: mainTokens + params.maxTokens > windowOf(params),
  };
}
