// The composer's `@` mentions: typing `@` and a few characters asks the host for workspace files,
// folders and symbols (`mentionQuery`), shown in a list above the box; ↑/↓ choose, Enter or Tab
// take one, Escape closes, a click takes one too. A taken mention becomes a chip under the box
// (removable by its ✕, reachable with Tab, like the image thumbnails) and `@name` in the text; the
// chips go with the question (a file whole, a folder ranked first, a symbol's defining file).
import { MAX_MENTIONS, type Mention } from '../protocol/messages';
import { h, icon } from './dom';

export interface MentionEvents {
  /** Asks the host to complete `query` (answered by `results` with the same id). */
  query(id: number, query: string): void;
  changed(): void;
}

/** The codicon of a symbol kind (VS Code's names, lower case). */
const SYMBOL_ICONS: Record<string, string> = {
  class: 'symbol-class',
  interface: 'symbol-interface',
  method: 'symbol-method',
  function: 'symbol-method',
  constructor: 'symbol-method',
  property: 'symbol-property',
  field: 'symbol-field',
  variable: 'symbol-variable',
  constant: 'symbol-constant',
  enum: 'symbol-enum',
  struct: 'symbol-structure',
  module: 'symbol-namespace',
  namespace: 'symbol-namespace',
};

/** The codicon of a mention. */
export function mentionIcon(m: Mention): string {
  if (m.kind === 'file') return 'file';
  if (m.kind === 'folder') return 'folder';
  return SYMBOL_ICONS[m.detail ?? ''] ?? 'symbol-misc';
}

/** How a mention is written after `@` (a folder ends in `/`). */
export function mentionText(m: Mention): string {
  return m.kind === 'symbol' ? (m.name ?? m.path) : m.kind === 'folder' ? `${m.path}/` : m.path;
}

/** What a mention's chip and its tooltip say. */
function describe(m: Mention): string {
  if (m.kind === 'file') return `${m.path}: sent whole`;
  if (m.kind === 'folder') return `${m.path}/: its files ranked first`;
  return `${m.name ?? ''} (${m.detail ?? 'symbol'} in ${m.path}${m.line ? `:${m.line}` : ''}): its file sent whole`;
}

/** A question's mentions as the transcript shows them (no actions: what was sent stays as sent). */
export function questionMentions(mentions: readonly Mention[]): HTMLElement[] {
  return mentions.map((m) =>
    h(
      'span',
      { class: 'question-mention', title: `Sent with the question: ${describe(m)}` },
      icon(mentionIcon(m)),
      m.kind === 'symbol' ? (m.name ?? m.path) : mentionText(m),
    ),
  );
}

const same = (a: Mention, b: Mention) => a.kind === b.kind && a.path === b.path && a.name === b.name;

/** The `@query` that ends at the caret of `text`, if the caret is in one. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | undefined {
  const m = /(^|[\s([{"'`])@([^\s@]{0,200})$/.exec(text.slice(0, caret));
  return m ? { start: caret - m[2]!.length - 1, query: m[2]! } : undefined;
}

export class Mentions {
  /** The chips, for the composer (under the box). */
  readonly tray: HTMLElement;
  /** The completion list, for the composer (above the box). */
  readonly popup: HTMLElement;
  private readonly list: HTMLElement;
  private readonly note: HTMLElement;
  private items: Mention[] = [];
  private chosen: Mention[] = [];
  private active = 0;
  private seq = 0;
  /** The id of the query the list shows an answer to. */
  private answered = -1;
  /** The query being completed: where its `@` is in the text, and the id of its request. */
  private open: { start: number; id: number } | undefined;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly events: MentionEvents,
  ) {
    this.tray = h('div', {
      class: 'mentions',
      role: 'list',
      'aria-label': 'Files, folders and symbols sent with the question',
      hidden: true,
    });
    this.list = h('div', { class: 'mention-list', role: 'listbox', id: 'mention-list', 'aria-label': 'Mentions' });
    this.note = h('div', { class: 'mention-note', hidden: true });
    this.popup = h('div', { class: 'mention-popup', hidden: true }, this.list, this.note);
    // A press on an option must not take the focus from the box (the caret stays where the `@` is).
    this.list.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const option = (e.target as Element).closest<HTMLElement>('[role="option"]');
      if (option?.dataset.index !== undefined) this.take(Number(option.dataset.index));
    });
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', 'mention-list');
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('blur', () => this.close());
  }

  /** The mentions the question carries. */
  get mentions(): Mention[] {
    return [...this.chosen];
  }

  /** True while the completion list is shown. */
  get isOpen(): boolean {
    return !this.popup.hidden;
  }

  /** Replaces the chips (a question given back, or one being edited). */
  set(mentions: readonly Mention[]): void {
    this.chosen = mentions.slice(0, MAX_MENTIONS);
    this.render();
  }

  clear(): void {
    this.set([]);
    this.close();
  }

  /**
   * The host's completions of query `id` (a stale id is ignored: the user typed on). A second answer to the same query
   * (the language servers' symbols merged in) keeps the option the user is on, where it moved to.
   */
  results(id: number, items: readonly Mention[], note: string | undefined): void {
    if (this.open?.id !== id) return;
    const was = this.answered === id ? this.items[this.active] : undefined;
    this.answered = id;
    this.items = [...items];
    this.active = Math.max(0, was ? this.items.findIndex((m) => same(m, was)) : 0);
    this.note.hidden = !note;
    this.note.textContent = note ?? '';
    this.renderList();
  }

  /** Handles a key of the box while the list is shown; true when it was the list's (Enter takes, not sends). */
  onKey(e: KeyboardEvent): boolean {
    if (!this.isOpen) return false;
    const n = this.items.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (n) this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.renderList();
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && n) {
      this.take(this.active);
    } else if (e.key === 'Escape') {
      this.close();
    } else return false;
    e.preventDefault();
    return true;
  }

  /** Looks for an `@query` at the caret and asks for its completions, or closes the list. */
  private update(): void {
    const at = this.input.selectionStart === this.input.selectionEnd ? this.input.selectionStart : -1;
    const found = at >= 0 ? mentionAt(this.input.value, at) : undefined;
    if (!found) return this.close();
    const id = ++this.seq;
    this.open = { start: found.start, id };
    this.events.query(id, found.query);
  }

  /** Takes completion `i`: `@query` becomes `@name `, and a chip is added. */
  private take(i: number): void {
    const m = this.items[i];
    if (!m || !this.open) return;
    const caret = this.input.selectionStart;
    const text = `@${mentionText(m)} `;
    this.input.setRangeText(text, this.open.start, caret, 'end');
    if (!this.chosen.some((c) => same(c, m))) {
      if (this.chosen.length >= MAX_MENTIONS) this.sayFull();
      else this.chosen.push(m);
    }
    this.close();
    this.render();
    this.input.focus();
    this.input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private sayFull(): void {
    this.tray.setAttribute('title', `At most ${MAX_MENTIONS} mentions go with one question.`);
  }

  private close(): void {
    this.open = undefined;
    this.items = [];
    this.popup.hidden = true;
    this.input.removeAttribute('aria-activedescendant');
  }

  private renderList(): void {
    this.popup.hidden = false;
    if (!this.items.length) {
      this.list.replaceChildren(h('div', { class: 'mention-empty' }, 'No matching files, folders or symbols'));
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    this.list.replaceChildren(
      ...this.items.map((m, i) =>
        h(
          'div',
          {
            role: 'option',
            id: `mention-option-${i}`,
            class: 'mention-option',
            'data-index': String(i),
            'aria-selected': String(i === this.active),
            title: describe(m),
          },
          icon(mentionIcon(m)),
          h('span', { class: 'mention-name' }, m.kind === 'symbol' ? (m.name ?? '') : mentionText(m)),
          m.kind === 'symbol'
            ? h('span', { class: 'mention-where' }, `${m.path}${m.line ? `:${m.line}` : ''}`)
            : undefined,
        ),
      ),
    );
    this.input.setAttribute('aria-activedescendant', `mention-option-${this.active}`);
    this.list.children[this.active]?.scrollIntoView({ block: 'nearest' });
  }

  private render(): void {
    this.tray.hidden = !this.chosen.length;
    this.tray.replaceChildren(
      ...this.chosen.map((m, i) => {
        const label = m.kind === 'symbol' ? (m.name ?? m.path) : mentionText(m);
        const remove = h(
          'button',
          { type: 'button', class: 'mention-remove', title: `Remove @${label}`, 'aria-label': `Remove @${label}` },
          icon('close'),
        );
        remove.addEventListener('click', () => {
          this.chosen.splice(i, 1);
          this.render();
          // The focus goes to the next chip's ✕, or back to the box.
          const next = this.tray.querySelectorAll<HTMLButtonElement>('.mention-remove')[i] ?? undefined;
          (next ?? this.input).focus();
        });
        return h(
          'div',
          { class: 'mention-chip', role: 'listitem', title: describe(m) },
          icon(mentionIcon(m)),
          h('span', { class: 'mention-label' }, label),
          remove,
        );
      }),
    );
    this.events.changed();
  }
}
