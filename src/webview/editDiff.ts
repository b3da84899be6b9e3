// SEARCH/REPLACE edits (src/protocol/editBlocks.ts) shown as a compact coloured diff instead of their
// raw markers: each edit is a hunk whose lines are removed (−), added (+) or shared context. While
// the block streams, lines are appended as they complete (searched lines as removed, replacement
// lines as added; a partial line that could be a marker stays hidden, so no marker ever flashes) and
// a hunk settles into its compact diff once its REPLACE marker arrives. Finished blocks are
// highlighted once, like code. Built with DOM text nodes; highlighted HTML goes through the sanitiser.
import { editMarker } from '../protocol/editBlocks';
import { h } from './dom';
import { highlightCode } from './highlight';
import { BIDI } from './markdown';
import { diffLines } from './lineDiff';
import { fragmentOf, sanitize } from './sanitize';

type LineKind = 'del' | 'add' | 'ctx' | 'note';

interface Hunk {
  el: HTMLElement;
  search: string[];
  replace: string[];
  /** Which side its lines go to while it streams; `done` once its REPLACE marker came. */
  phase: 'search' | 'replace' | 'done';
}

/** Lines added and removed, and edits, so far. */
export interface EditStats {
  edits: number;
  added: number;
  removed: number;
}

/** A partial line that may still become a marker line (`<<<<<<< SEARCH`, `=======`, `>>>>>>> REPLACE`). */
export const MAYBE_MARKER = /^(?:<+ ?S?E?A?R?C?H?|=+|>+ ?R?E?P?L?A?C?E?)\s*$/;

/** Appends `text` to `parent`, with invisible direction controls shown as visible markers. */
function appendCode(parent: Node, text: string): void {
  let at = 0;
  for (const m of text.matchAll(BIDI)) {
    if (m.index > at) parent.appendChild(document.createTextNode(text.slice(at, m.index)));
    const cp = m[0].codePointAt(0)!.toString(16);
    parent.appendChild(
      h('span', { class: 'bidi', 'data-cp': cp, title: 'Invisible direction control' }, `U+${cp.toUpperCase()}`),
    );
    at = m.index + m[0].length;
  }
  if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
}

function lineEl(kind: LineKind, text: string): HTMLElement {
  const el = h('div', { class: `edit-line edit-${kind}` });
  appendCode(el, text);
  return el;
}

/** `text` highlighted as `lang`, one fragment per line (spans that cross a line break are split), or undefined. */
function highlightedLines(text: string, lang: string): DocumentFragment[] | undefined {
  const html = highlightCode(text, lang);
  if (html === undefined) return undefined;
  const lines: DocumentFragment[] = [document.createDocumentFragment()];
  // The clones of the source's open elements on the current line, outermost first.
  let open: { src: Element; clone: Element }[] = [];
  const append = (parents: Element[], node: Node) => {
    let k = 0;
    while (k < open.length && k < parents.length && open[k]!.src === parents[k]) k++;
    open = open.slice(0, k);
    for (; k < parents.length; k++) {
      const clone = parents[k]!.cloneNode(false) as Element;
      (open.at(-1)?.clone ?? lines.at(-1)!).appendChild(clone);
      open.push({ src: parents[k]!, clone });
    }
    (open.at(-1)?.clone ?? lines.at(-1)!).appendChild(node);
  };
  const walk = (node: Node, parents: Element[]) => {
    for (const child of node.childNodes) {
      if (child instanceof Text) {
        child.data.split('\n').forEach((part, n) => {
          if (n > 0) {
            lines.push(document.createDocumentFragment());
            open = [];
          }
          if (part) {
            const holder = document.createDocumentFragment();
            appendCode(holder, part);
            append(parents, holder);
          }
        });
      } else if (child instanceof Element) walk(child, [...parents, child]);
    }
  };
  walk(fragmentOf(sanitize(html)), []);
  return lines;
}

export interface EditDiffOptions {
  /** The accessible name of the diff (which file it edits). */
  label: string;
  /** Highlight complete edits as this language (finished blocks); undefined while streaming. */
  lang?: string;
  /** Hears the counts each time an edit is complete. */
  onStats?: (s: EditStats) => void;
}

export class EditDiffView {
  readonly root: HTMLElement;
  private readonly hunks: Hunk[] = [];
  /** The hunk whose lines are arriving. */
  private current: Hunk | undefined;
  /** Offset in the block's text up to which its complete lines are shown. */
  private consumed = 0;
  /** The partial last line while streaming. */
  private pending: HTMLElement | undefined;
  private readonly stats: EditStats = { edits: 0, added: 0, removed: 0 };

  constructor(private readonly opts: EditDiffOptions) {
    this.root = h('div', { class: 'edit-diff', role: 'group', 'aria-label': opts.label });
  }

  /** Shows `code`, the block's text so far: its complete lines are final (only its last, partial line may change). */
  update(code: string): void {
    for (let nl = code.indexOf('\n', this.consumed); nl >= 0; nl = code.indexOf('\n', this.consumed)) {
      this.line(code.slice(this.consumed, nl));
      this.consumed = nl + 1;
    }
    const partial = code.slice(this.consumed);
    if (!partial || MAYBE_MARKER.test(partial)) {
      this.pending?.remove();
      this.pending = undefined;
      return;
    }
    const kind: LineKind = this.current ? (this.current.phase === 'search' ? 'del' : 'add') : 'note';
    const el = lineEl(kind, partial);
    if (this.pending) this.pending.replaceWith(el);
    else (kind === 'note' ? this.root : this.current!.el).appendChild(el);
    this.pending = el;
  }

  /** The whole block is `code`: shows its last line; an edit left open is marked as such. */
  finish(code: string): void {
    this.update(code.endsWith('\n') ? code : `${code}\n`);
    if (this.current) {
      this.current.el.classList.add('edit-open');
      this.current.el.appendChild(lineEl('note', 'This edit is not closed: Apply will refuse it.'));
    }
  }

  /** One complete line of the block. */
  private line(text: string): void {
    this.pending?.remove();
    this.pending = undefined;
    const marker = editMarker(text);
    const hunk = this.current;
    if (!hunk) {
      if (marker === 'search') {
        this.current = { el: h('div', { class: 'edit-hunk' }), search: [], replace: [], phase: 'search' };
        this.hunks.push(this.current);
        this.root.appendChild(this.current.el);
      } else if (text.trim()) this.root.appendChild(lineEl('note', text)); // text between edits
      return;
    }
    if (hunk.phase === 'search' && marker === 'divider') hunk.phase = 'replace';
    else if (hunk.phase === 'replace' && marker === 'replace') {
      hunk.phase = 'done';
      this.current = undefined;
      this.settle(hunk);
    } else {
      (hunk.phase === 'search' ? hunk.search : hunk.replace).push(text);
      hunk.el.appendChild(lineEl(hunk.phase === 'search' ? 'del' : 'add', text));
    }
  }

  /** Shows a complete edit as a diff (shared lines once), highlighted when the view has a language. */
  private settle(hunk: Hunk): void {
    const rows = diffLines(hunk.search, hunk.replace);
    const lang = this.opts.lang;
    const lit = (lines: string[]) => (lang && lines.length ? highlightedLines(lines.join('\n'), lang) : undefined);
    const [before, after] = [lit(hunk.search), lit(hunk.replace)];
    const els = rows.map((r) => {
      const [side, lines, i] = r.kind === 'del' ? [before, hunk.search, r.a] : [after, hunk.replace, r.b];
      const shown = side?.[i];
      if (!shown) return lineEl(r.kind, lines[i]!);
      const el = h('div', { class: `edit-line edit-${r.kind}` });
      el.appendChild(shown);
      return el;
    });
    if (!els.length) els.push(lineEl('note', '(an empty edit: it changes nothing)'));
    hunk.el.replaceChildren(...els);
    this.stats.edits++;
    for (const r of rows) if (r.kind === 'add') this.stats.added++;
    for (const r of rows) if (r.kind === 'del') this.stats.removed++;
    this.opts.onStats?.({ ...this.stats });
  }
}
