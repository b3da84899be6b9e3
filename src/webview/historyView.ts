// The list of past conversations the host provides: open one (replayed into the log), export it
// to Markdown, or delete it (the host asks for confirmation).
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
