// The list of past conversations the host provides: open one (replayed into the log), export it
// to Markdown, or delete it (the host asks for confirmation); and the panel that shows it in place of the log.
import type { ConversationListItem } from '../protocol/messages';
import { formatUsd, h, iconButton, textButton } from './dom';

function when(ms: number, now: number): string {
  const minutes = Math.round((now - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)} h ago`;
  return new Date(ms).toLocaleDateString();
}

/** Renders the history panel for `items` (newest first). */
export function renderHistory(items: ConversationListItem[] | undefined, now = Date.now()): HTMLElement {
  const list = h('ul', { class: 'history-list', 'aria-label': 'Past conversations' });
  const sorted = [...(items ?? [])].sort((a, b) => b.updatedAt - a.updatedAt);
  for (const c of sorted) {
    const meta =
      `${when(c.updatedAt, now)} · ${c.turns} ` +
      `question${c.turns === 1 ? '' : 's'}${c.costUsd !== undefined ? ` · ${formatUsd(c.costUsd)}` : ''}`;
    list.append(
      h(
        'li',
        { class: 'history-item', 'data-id': c.id },
        h(
          'button',
          { type: 'button', class: 'history-open', 'data-action': 'openConversation', title: `Open “${c.title}”` },
          h('span', { class: 'history-title' }, c.title || 'Untitled'),
          h('span', { class: 'history-meta' }, meta),
        ),
        iconButton('desktop-download', 'Export to Markdown', 'exportConversation'),
        iconButton('trash', 'Delete', 'deleteConversation'),
      ),
    );
  }
  return h(
    'div',
    { class: 'history', role: 'region', 'aria-label': 'Conversation history' },
    h(
      'div',
      { class: 'history-header' },
      h('h2', {}, 'History'),
      textButton('Back to chat', 'closeHistory', { icon: 'arrow-left', secondary: true }),
    ),
    items === undefined
      ? h('p', { class: 'muted' }, 'Loading…')
      : sorted.length
        ? list
        : h('p', { class: 'muted' }, 'No past conversations in this workspace yet.'),
  );
}

/** The history panel in place of the log: shown, hidden, and refreshed when the host's list arrives. */
export class HistoryPanel {
  readonly root = h('div', { class: 'history-host', hidden: true });
  private list: ConversationListItem[] | undefined;

  constructor(
    private readonly options: {
      /** The log the panel stands in for (hidden while the panel shows). */
      log: HTMLElement;
      /** Asks the host for the list of past conversations. */
      listHistory: () => void;
    },
  ) {}

  get shown(): boolean {
    return !this.root.hidden;
  }

  show(show: boolean): void {
    this.root.hidden = !show;
    this.options.log.hidden = show;
    if (show) {
      this.root.replaceChildren(renderHistory(this.list));
      this.options.listHistory();
      this.root.querySelector<HTMLElement>('button')?.focus();
    }
  }

  /** The host's list: kept, and shown at once when the panel is open. */
  setList(list: ConversationListItem[]): void {
    this.list = list;
    if (this.root.hidden) return;
    // The list replaces "Loading…": the focus that was in it moves to the newest conversation.
    const focusIn = this.root.contains(document.activeElement);
    this.root.replaceChildren(renderHistory(this.list));
    if (focusIn) (this.root.querySelector<HTMLElement>('.history-open') ?? this.root.querySelector('button'))?.focus();
  }
}
