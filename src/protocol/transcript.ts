// The conversation as the view shows it, kept by applying host messages to a snapshot. Both sides
// run this same reducer: the webview for its persisted state (getState/setState), the host to keep
// a mirror it can replay into a fresh webview after a reload or while the view was hidden.
import type { ConversationSnapshot, HostToWebview, TurnRecord } from './messages';

/** Longest title taken from the first question (characters). */
const TITLE_CHARS = 80;

export function emptyConversation(): ConversationSnapshot {
  return { title: '', turns: [] };
}

/** A conversation title from its first question: the first line, shortened to 80 characters. */
export function titleFrom(question: string): string {
  const line = question.trim().split('\n', 1)[0]!.trim();
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

/** The turn a streamed message belongs to (the running one is nearly always last). */
export function turnOf(c: ConversationSnapshot, requestId: string): TurnRecord | undefined {
  for (let i = c.turns.length - 1; i >= 0; i--) if (c.turns[i]!.requestId === requestId) return c.turns[i];
  return undefined;
}

/** Applies `m` to `c` in place (O(delta) for deltas); returns the snapshot to keep (a new one on `replay`). */
export function applyHostMessage(c: ConversationSnapshot, m: HostToWebview): ConversationSnapshot {
  switch (m.type) {
    case 'replay':
      return m.conversation;
    case 'turnStart': {
      const existing = c.turns[m.index];
      if (m.continued && existing) {
        existing.requestId = m.requestId;
        delete existing.outcome;
        delete existing.message;
        delete existing.errorKind;
        delete existing.continuable;
        c.turns.length = m.index + 1;
        return c;
      }
      c.turns.length = Math.min(m.index, c.turns.length);
      c.turns.push({
        question: m.question,
        ...(m.editor ? { editor: m.editor } : {}),
        ...(m.images?.length ? { images: m.images } : {}),
        ...(m.mentions?.length ? { mentions: m.mentions } : {}),
        ...(m.shown ? { shown: m.shown } : {}),
        answer: '',
        reasoning: '',
        requestId: m.requestId,
      });
      if (c.turns.length === 1) c.title = titleFrom(m.shown?.text ?? m.question);
      return c;
    }
    case 'context':
    case 'reasoningDelta':
    case 'contentDelta':
    case 'usage':
    case 'toolStep':
    case 'end': {
      const t = turnOf(c, m.requestId);
      if (!t) return c;
      if (m.type === 'context') t.context = m.summary;
      else if (m.type === 'toolStep') {
        const steps = (t.steps ??= []);
        const i = steps.findIndex((s) => s.id === m.step.id);
        if (i >= 0) steps[i] = { ...m.step, ...(steps[i]!.note ? { note: steps[i]!.note } : {}) };
        else if (t.answer.trim()) {
          // What the model said before calling goes with the call, as the history keeps it per step.
          steps.push({ ...m.step, note: t.answer.trim() });
          t.answer = '';
        } else steps.push(m.step);
      } else if (m.type === 'reasoningDelta') t.reasoning += m.text;
      else if (m.type === 'contentDelta') t.answer += m.text;
      else if (m.type === 'usage') t.usage = m.usage;
      else {
        t.outcome = m.outcome;
        if (m.message !== undefined) t.message = m.message;
        if (m.errorKind !== undefined) t.errorKind = m.errorKind;
        if (m.continuable) t.continuable = true;
        if (m.conversationId !== undefined) c.id = m.conversationId;
        delete t.requestId;
      }
      return c;
    }
    case 'changes': {
      const t = c.turns[m.turn];
      if (!t) return c;
      const others = (t.changes ?? []).filter((x) => x.id !== m.changes.id);
      const at = (t.changes ?? []).findIndex((x) => x.id === m.changes.id);
      t.changes = at < 0 ? [...others, m.changes] : [...others.slice(0, at), m.changes, ...others.slice(at)];
      return c;
    }
    default:
      return c;
  }
}

/** The request still streaming in `c`, if any. */
export function runningRequest(c: ConversationSnapshot): string | undefined {
  const last = c.turns[c.turns.length - 1];
  return last && last.outcome === undefined ? last.requestId : undefined;
}
