// The screen reader's live region: what the app says aloud when an answer completes or a change card
// changes, and the words said at the end of an answer.
import type { HostToWebview } from '../protocol/messages';
import { h } from './dom';

/** Characters of an answer read out by screen readers when it completes. */
const ANNOUNCE_CHARS = 400;

export class Announcer {
  readonly root = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });

  say(text: string): void {
    this.root.textContent = '';
    // A separate task, so screen readers notice the change even when the text repeats.
    setTimeout(() => (this.root.textContent = text), 50);
  }
}

/** What is said when an answer ends: its start when complete, else why it stopped. */
export function endAnnouncement(m: Extract<HostToWebview, { type: 'end' }>, answer: string): string {
  return m.outcome === 'complete'
    ? `Answer ready.${m.message ? ` Warning: ${m.message}` : ''} ${answer.slice(0, ANNOUNCE_CHARS)}`
    : (m.message ?? (m.outcome === 'cancelled' ? 'Stopped.' : 'The answer was cut off.'));
}
