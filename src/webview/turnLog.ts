// The log's turns: one TurnView a question, found by index and by the request that streams into it,
// rebuilt from the transcript (newest turns first, older ones in background slices so opening a
// long conversation never blocks input), and the views with buffered deltas flushed once a frame.
import type { HostConfig, HostToWebview } from '../protocol/messages';
import type { ConversationSnapshot } from '../protocol/messages';
import { decorateCodeBlocks, openCodeBlock } from './codeBlocks';
import { h } from './dom';
import { renderEmptyState } from './emptyState';
import { TurnView } from './turnView';

/** Turns rendered at once when a conversation opens (the ones in view); older ones follow in slices. */
const EAGER_TURNS = 3;
/** Milliseconds of background rendering per slice, so opening a long conversation never blocks input. */
const SLICE_MS = 12;

export class TurnLog {
  readonly root = h('div', { class: 'turns' });
  private views: TurnView[] = [];
  private readonly byRequest = new Map<string, TurnView>();
  private readonly dirty = new Set<TurnView>();
  /** Bumped on every full re-render, so a stale background job stops. */
  private generation = 0;

  /** `perf`: measure each flush (`dsr:flush`) for the benchmarks. */
  constructor(private readonly perf: boolean) {}

  /** The turn `requestId` streams into, while it streams. */
  streaming(requestId: string): TurnView | undefined {
    return this.byRequest.get(requestId);
  }

  /** The view of turn `index`. */
  at(index: number): TurnView | undefined {
    return this.views[index];
  }

  /** `v` has buffered deltas for the next flush. */
  changed(v: TurnView): void {
    this.dirty.add(v);
  }

  /** Applies every buffered delta to the DOM. */
  flush(): void {
    const start = this.perf ? performance.now() : 0;
    for (const v of this.dirty) v.flush();
    this.dirty.clear();
    if (this.perf) performance.measure('dsr:flush', { start });
  }

  /** Rebuilds the log from the transcript (restore, replay, New Chat); the first-run page when it is empty. */
  render(conversation: ConversationSnapshot, config: HostConfig | undefined): void {
    this.views = [];
    this.byRequest.clear();
    this.dirty.clear();
    this.root.replaceChildren();
    const turns = conversation.turns;
    if (!turns.length) this.root.append(renderEmptyState(config));
    const later: (() => void)[] = [];
    turns.forEach((t, i) => {
      const v = this.newView(i);
      const last = i === turns.length - 1;
      if (i >= turns.length - EAGER_TURNS || t.outcome === undefined) v.show(t, last);
      else {
        v.showQuestion(t);
        later.unshift(() => v.show(t, last));
      }
      if (t.requestId && t.outcome === undefined) this.byRequest.set(t.requestId, v);
    });
    this.renderLater(later, ++this.generation);
  }

  /**
   * A turn starts streaming: a continued one in its view, a new one (already in `conversation`) in a
   * new view after the turns it replaces. False when there is no turn to show.
   */
  start(m: Extract<HostToWebview, { type: 'turnStart' }>, conversation: ConversationSnapshot): boolean {
    const continued = m.continued ? this.views[m.index] : undefined;
    if (continued) {
      const v = continued;
      for (const dead of this.views.splice(m.index + 1)) dead.root.remove();
      this.byRequest.set(m.requestId, v);
      v.answer.reset(v.answer.value, false);
      v.setOutcome({}, true);
    } else {
      if (!this.views.length) this.root.replaceChildren();
      for (const dead of this.views.splice(m.index)) dead.root.remove();
      // applyHostMessage appended the turn (at m.index, or at the end when the host skipped one).
      const turn = conversation.turns.at(-1);
      if (!turn) return false;
      const v = this.newView(this.views.length);
      v.show(turn, true);
      this.byRequest.set(m.requestId, v);
    }
    // Only the last turn offers Regenerate / Continue.
    const n = this.views.length;
    const before = conversation.turns[n - 2];
    if (n >= 2 && before?.outcome) this.views[n - 2]!.setOutcome(before, false);
    return true;
  }

  /** The turn `m` ends streams no more and shows its outcome; undefined when no turn streams for it. */
  end(m: Extract<HostToWebview, { type: 'end' }>): TurnView | undefined {
    const v = this.byRequest.get(m.requestId);
    if (!v) return undefined;
    this.byRequest.delete(m.requestId);
    v.setOutcome(m, v === this.views[this.views.length - 1]);
    return v;
  }

  private newView(index: number): TurnView {
    const v = new TurnView(index, { onFrozen: decorateCodeBlocks, openFence: openCodeBlock });
    this.views.push(v);
    this.root.append(v.root);
    return v;
  }

  /** Runs `jobs` (newest turn first) in slices of SLICE_MS between frames. */
  private renderLater(jobs: (() => void)[], generation: number): void {
    if (!jobs.length) return;
    setTimeout(() => {
      if (generation !== this.generation) return;
      const end = performance.now() + SLICE_MS;
      while (jobs.length && performance.now() < end) jobs.shift()!();
      this.renderLater(jobs, generation);
    });
  }
}
