// What the model has seen of a conversation: its past turns and tool steps as they are sent back,
// the layout of the prefix (repository, updated-files sections, turns) and the manifest that prefix
// describes. Read by the request planner and the context planner, never by the views.
import type { PackManifest } from '../context/types';
import type { AgentStep, ConversationState, Turn } from './conversation';
import { questionAsSent, type LayoutItem, type SentStep, type SentTurn } from './prompt';

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
