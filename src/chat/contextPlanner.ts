// Chooses the repository context of the next request, so it hits DeepSeek's cache:
// - a new conversation builds on the workspace's base pack plus an updated-files section, unless the
//   plan says to re-base (cachePlan.ts); then a fresh pack becomes the new base;
// - a conversation in progress keeps its prefix byte for byte and appends files changed since
//   (one with no turn left whose prefix outgrew its budget starts as a new one);
// - when the prefix text is gone (a new process, a pruned blob) and the repository changed, the
//   conversation is rebuilt on a fresh pack (one cache miss; its turns are kept).
import type { PackDelta, PackRequest } from '../context/types';
import { chainKeys, requestTag } from './cacheLedger';
import type { CachePlan, RebaseReason } from './cachePlan';
import type { ContextSource } from './contextSource';
import {
  layoutOf,
  seenManifest,
  summarizePack,
  turnsOf,
  type BaseRef,
  type ConversationState,
  type HistoryEvent,
  type UpdateRef,
} from './conversation';
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
}

/** The context of the next request of `state`; stores new texts in the plan's blob store. */
export async function prepareContext(input: PlannerInput): Promise<PreparedContext> {
  const { base } = input.state;
  // No turn left (its first question edited, or asked again in a smaller window): as good as new when its prefix
  // outgrew the budget.
  const outgrown = base !== undefined && !turnsOf(input.state).length && base.tokens > input.request.budgetTokens;
  return base && !outgrown ? continueContext(input) : newContext(input);
}

async function newContext({ state, context, plan, request, ns, now }: PlannerInput): Promise<PreparedContext> {
  const base = plan.base(context.workspaceKey);
  let reason: RebaseReason = 'no-base';
  if (base) {
    const delta = await context.updatesSince(base.manifest, request);
    const items: LayoutItem[] = [{ kind: 'repository', text: base.text, tokens: base.record.tokens }];
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
      await context.updatesSince(rebased ? base.manifest : seenManifest(state)!, request),
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
  };
  prepared.events.push({ type: 'update', at: now, update });
  prepared.items.push({ kind: 'update', text: delta.text, tokens: delta.tokens });
  prepared.info.update = { changed: delta.changed, added: delta.added, removed: delta.removed, tokens: delta.tokens };
  prepared.info.redactions += delta.redactions.length;
}
