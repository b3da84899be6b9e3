// Chooses the repository context of the next request, so it hits DeepSeek's cache:
// - a new conversation builds on the workspace's base pack plus an updated-files section, unless the
//   plan says to re-base (cachePlan.ts); then a fresh pack becomes the new base;
// - a conversation in progress keeps its prefix byte for byte and appends files changed since
//   (one with no turn left whose prefix outgrew its budget starts as a new one), and, when the
//   repository did not fit, the files the new question points at that the prefix has only outlined or
//   left out, whole, within a share of the room left (`withJoins`);
// - when the prefix text is gone (a new process, a pruned blob) and the repository changed, the
//   conversation is rebuilt on a fresh pack (one cache miss; its turns are kept).
import type { PackDelta, PackRequest } from '../context/types';
import { chainKeys, requestTag } from './cacheLedger';
import type { CachePlan, RebaseReason } from './cachePlan';
import type { ContextSource } from './contextSource';
import { IMAGE_TOKENS_ESTIMATE } from '../llm/capabilities';
import {
  summarizePack,
  turnsOf,
  type BaseRef,
  type ConversationState,
  type HistoryEvent,
  type UpdateRef,
} from './conversation';
import { layoutOf, seenManifest } from './sentHistory';
import { promptTokens, renderLayout, type LayoutItem } from './prompt';
import type { ContextInfo } from './sessionTypes';

export interface PreparedContext {
  /** Repository, updates and past turns, in order (the new question is not included). */
  items: LayoutItem[];
  /** `context` / `update` events to persist with the question. */
  events: HistoryEvent[];
  info: Omit<ContextInfo, 'turn' | 'warmup' | 'estimate'>;
  /** Update tokens a new conversation pays at the miss price because the base was kept. */
  rentTokens: number;
}

interface PlannerInput {
  state: ConversationState;
  context: ContextSource;
  plan: CachePlan;
  request: PackRequest;
  /** Cache namespace of the conversation's requests (for predictions). */
  ns: string;
  now: number;
  /** Continuing an interrupted answer: nothing is appended before it. */
  continuing: boolean;
  /**
   * Tokens the request may still fill before its context (the window less the output and the question): half of
   * what the context leaves of it may go to files the question points at that the prefix lacks (`joinTokens`).
   */
  room?: number;
}

/**
 * Most a request may append for its question, as a share of the repository budget (tokens): the prefix it keeps is
 * then about nine tenths of what it sends, so a conversation's follow-ups keep hitting the cache.
 */
const JOIN_SHARE = 0.1;

/** The request with the tokens files joining for its question may take after `items`. */
function withJoins(request: PackRequest, items: LayoutItem[], room: number | undefined): PackRequest {
  if (room === undefined) return request;
  // Images counted at their estimate, without their bytes (the layout here has no image store).
  let images = 0;
  const bare = items.map((x): LayoutItem => {
    if (x.kind !== 'turn' || !x.turn.images?.length) return x;
    images += x.turn.images.length;
    const { images: _refs, ...turn } = x.turn;
    return { ...x, turn };
  });
  const used = promptTokens(renderLayout(bare)) + images * IMAGE_TOKENS_ESTIMATE;
  const joinTokens = Math.max(
    0,
    Math.min(Math.floor((room - used) / 2), Math.floor(request.budgetTokens * JOIN_SHARE)),
  );
  return joinTokens > 0 ? { ...request, joinTokens } : request;
}

/** The context of the next request of `state`; stores new texts in the plan's blob store. */
export async function prepareContext(input: PlannerInput): Promise<PreparedContext> {
  const { base } = input.state;
  // No turn left (its first question edited, or asked again in a smaller window): as good as new when its prefix
  // outgrew the budget.
  const outgrown = base !== undefined && !turnsOf(input.state).length && base.tokens > input.request.budgetTokens;
  return base && !outgrown ? continueContext(input) : newContext(input);
}

async function newContext({ state, context, plan, request, ns, now, room }: PlannerInput): Promise<PreparedContext> {
  const base = plan.base(context.workspaceKey);
  let reason: RebaseReason = 'no-base';
  if (base) {
    const items: LayoutItem[] = [{ kind: 'repository', text: base.text, tokens: base.record.tokens }];
    const delta = await context.updatesSince(base.manifest, withJoins(request, items, room));
    if (delta.text) items.push({ kind: 'update', text: delta.text, tokens: delta.tokens });
    const messages = renderLayout(items);
    const uncached = Math.max(
      0,
      promptTokens(messages) - plan.predict(ns, messages, chainKeys(messages), { tag: requestTag(state.params) }),
    );
    const rentTokens = Math.min(delta.tokens, uncached);
    const why = plan.rebasePolicy(base.record, delta, request.budgetTokens, rentTokens, request.focus);
    if (!why) {
      const ref: BaseRef = {
        hash: base.record.hash,
        tokens: base.record.tokens,
        manifest: base.manifest,
        summary: base.record.summary,
      };
      const prepared: PreparedContext = {
        items: items.slice(0, 1),
        events: [{ type: 'context', at: now, base: ref }],
        info: { ...base.record.summary, repositoryTokens: base.record.tokens },
        rentTokens,
      };
      appendUpdate(prepared, delta, plan, now);
      return prepared;
    }
    reason = why;
  } else if (plan.hasBase(context.workspaceKey)) reason = 'base-text-missing';
  const pack = await context.pack(request);
  const record = plan.setBase(context.workspaceKey, pack, request.budgetTokens);
  const ref: BaseRef = {
    hash: pack.manifest.hash,
    tokens: pack.tokens,
    manifest: pack.manifest,
    summary: record.summary,
  };
  return {
    items: [{ kind: 'repository', text: pack.text, tokens: pack.tokens }],
    events: [{ type: 'context', at: now, base: ref }],
    info: { ...record.summary, repositoryTokens: pack.tokens, ...(reason !== 'no-base' ? { rebased: reason } : {}) },
    rentTokens: 0,
  };
}

async function continueContext({
  state,
  context,
  plan,
  request,
  now,
  continuing,
  room,
}: PlannerInput): Promise<PreparedContext> {
  const events: HistoryEvent[] = [];
  let items = layoutOf(state, (h) => plan.text(h));
  let rebased: RebaseReason | undefined;
  if (!items) {
    // The prefix text is gone. The same repository packs to the same bytes; otherwise rebuild on today's.
    const pack = await context.pack(request);
    plan.putPack(pack);
    items = layoutOf(state, (h) => plan.text(h));
    if (!items) {
      const e: HistoryEvent = {
        type: 'context',
        at: now,
        base: { hash: pack.manifest.hash, tokens: pack.tokens, manifest: pack.manifest, summary: summarizePack(pack) },
      };
      events.push(e);
      const turns = state.entries.flatMap((x) => (x.kind === 'turn' ? [{ kind: 'turn' as const, turn: x.turn }] : []));
      // putPack above stored this base's text, and turns need no other.
      items = layoutOf({ ...state, base: e.base, entries: turns }, (h) => plan.text(h))!;
      rebased = 'base-text-missing';
    }
  }
  // prepareContext continues only a conversation with a base (so seenManifest has one too).
  const base = (events[0] as Extract<HistoryEvent, { type: 'context' }> | undefined)?.base ?? state.base!;
  const info: PreparedContext['info'] = {
    ...base.summary,
    repositoryTokens: base.tokens,
    ...(rebased ? { rebased } : {}),
  };
  const prepared: PreparedContext = { items, events, info, rentTokens: 0 };
  if (!continuing)
    appendUpdate(
      prepared,
      await context.updatesSince(rebased ? base.manifest : seenManifest(state)!, withJoins(request, items, room)),
      plan,
      now,
    );
  return prepared;
}

/** Appends a non-empty delta as an updated-files section (its text goes to the blob store). */
function appendUpdate(prepared: PreparedContext, delta: PackDelta, plan: CachePlan, now: number): void {
  if (!delta.text) return;
  const update: UpdateRef = {
    hash: plan.putText(delta.text),
    tokens: delta.tokens,
    changed: delta.changed,
    added: delta.added,
    removed: delta.removed,
    ...(delta.files ? { files: delta.files } : {}),
    ...(delta.joined ? { joined: delta.joined } : {}),
    ...(delta.outlined ? { outlined: delta.outlined } : {}),
  };
  prepared.events.push({ type: 'update', at: now, update });
  prepared.items.push({ kind: 'update', text: delta.text, tokens: delta.tokens });
  prepared.info.update = {
    changed: delta.changed,
    added: delta.added,
    removed: delta.removed,
    tokens: delta.tokens,
    ...(delta.joined ? { joined: delta.joined.map(({ path, was, reasons }) => ({ path, was, reasons })) } : {}),
  };
  prepared.info.redactions += delta.redactions.length;
}
