// Incremental rendering of a streamed markdown answer, so each delta costs the same at token 10 and
// at token 50,000. The text is split at top-level block boundaries (markdown-it's block map): every
// block before the last one is final (later text cannot change it), so it is rendered once, with
// highlighting, and frozen in the DOM; only the growing tail is re-parsed and re-rendered. An open
// code fence in the tail is shown by a fence view (`openFence`: plain text by default) that is
// extended in place (O(delta), no re-parse, no flicker); it is highlighted once, when its closing
// fence arrives.
import type { Token } from 'markdown-it';
import { h } from './dom';
import { md, parseFenceInfo, renderTokens } from './markdown';
import { fragmentOf, setHtml } from './sanitize';

interface Block {
  first: number;
  last: number;
  map: [number, number];
}

/** How an open fence is shown while it streams. */
export interface FenceView {
  readonly root: HTMLElement;
  /** Shows the fence's code so far: it only grows, but for its last, partial line. */
  show(code: string): void;
}

/** The default fence view: the code as plain text in a `pre`, extended in place. */
export function plainFenceView(info: string): FenceView {
  const { lang, path } = parseFenceInfo(info);
  const node = document.createTextNode('');
  const root = h(
    'pre',
    { class: 'streaming', 'data-lang': lang || undefined, 'data-path': path },
    h('code', { class: lang ? `language-${lang.replace(/[^\w+#.-]/g, '')}` : undefined }, node),
  );
  let shown = 0; // characters shown; only the last, partial line can be taken back
  return {
    root,
    show(code) {
      if (code.length >= shown) node.appendData(code.slice(shown));
      else node.deleteData(code.length, shown - code.length);
      shown = code.length;
    },
  };
}

export interface StreamingOptions {
  /** Gets the top-level elements of each newly frozen part (to decorate code blocks). */
  onFrozen?: (elements: Element[]) => void;
  /** Makes the view of a fence that is still open, from its info string (default: `plainFenceView`). */
  openFence?: (info: string) => FenceView;
}

/** An open fence at the start of the tail, extended in place as code arrives. */
interface OpenFence {
  contentStart: number;
  /** Start of the first line not yet checked for a closing fence. */
  scanFrom: number;
  closing: RegExp;
  maybeClosing: RegExp;
  view: FenceView;
}

/** Top-level blocks of a token stream (their first/last token and source lines). */
function topLevelBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.level !== 0 || t.nesting === -1 || !t.map) continue;
    let j = i;
    if (t.nesting === 1) for (let depth = 0; j < tokens.length; j++) if ((depth += tokens[j]!.nesting) === 0) break;
    blocks.push({ first: i, last: j, map: t.map });
    i = j;
  }
  return blocks;
}

/** Offset of the start of line `line` (0-based) in `s`, or s.length past the end. */
function offsetOfLine(s: string, line: number): number {
  let at = 0;
  for (let n = 0; n < line; n++) {
    const nl = s.indexOf('\n', at);
    if (nl < 0) return s.length;
    at = nl + 1;
  }
  return at;
}

const fenceRes = (markup: string) => {
  const ch = markup.startsWith('~') ? '~' : '`';
  return { closing: new RegExp(`^ {0,3}${ch}{${markup.length},}[ \\t]*$`), maybeClosing: new RegExp(`^ {0,3}${ch}*$`) };
};

/** Frozen blocks per segment: segments skip style/layout/paint while off-screen (content-visibility),
 *  so the cost of a frame does not grow with the length of the answer. */
const SEGMENT_BLOCKS = 32;

/** Matches a reference definition (`[r]: url`), which can change blocks rendered before it. */
const REFERENCE_DEF = /^ {0,3}\[[^\]\n]+\]:/m;

export class StreamingMarkdown {
  private text = '';
  /** Offset up to which the text is rendered and frozen (always a line start). */
  private frozenEnd = 0;
  private fence: OpenFence | undefined;
  private readonly tail: HTMLElement;
  private segment: HTMLElement | undefined;
  /** Everything is frozen (finish ran and nothing was appended since). */
  private finished = false;

  private readonly onFrozen: (elements: Element[]) => void;
  private readonly openFence: (info: string) => FenceView;

  constructor(
    readonly root: HTMLElement,
    opts: StreamingOptions = {},
  ) {
    this.onFrozen = opts.onFrozen ?? (() => {});
    this.openFence = opts.openFence ?? plainFenceView;
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    root.appendChild(this.tail);
  }

  get value(): string {
    return this.text;
  }

  append(delta: string): void {
    this.text += delta;
    this.finished = false;
  }

  /** Renders the text appended since the last call (cost: the tail, not the whole answer). */
  flush(): void {
    if (this.fence && this.extendFence(this.fence)) return;
    this.fence = undefined;
    this.render(false);
  }

  /** The stream ended: freezes the tail (highlighted). Reference definitions, which can change
   *  blocks above them, trigger one full re-render. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.fence = undefined;
    if (REFERENCE_DEF.test(this.text)) this.clear();
    this.render(true);
  }

  /** Replaces the whole text (a restored or replayed answer) and renders it final. */
  reset(text: string, final: boolean): void {
    this.clear();
    this.tail.textContent = '';
    this.text = text;
    this.fence = undefined;
    this.finished = false;
    if (final) this.finish();
    else this.flush();
  }

  private render(final: boolean): void {
    const tail = this.text.slice(this.frozenEnd);
    const tokens = md.parse(tail, {});
    const blocks = topLevelBlocks(tokens);
    let freeze = final ? blocks.length : Math.max(0, blocks.length - 1);
    const last = blocks[blocks.length - 1];
    if (!final && last && this.isClosedFence(tokens[last.first]!, last, tail)) freeze = blocks.length;
    let rest = tokens;
    if (freeze > 0) {
      const upto = blocks[freeze - 1]!.last + 1;
      const frag = fragmentOf(renderTokens(tokens.slice(0, upto), { highlight: true }));
      const elements = [...frag.children];
      this.freeze(frag, elements.length);
      this.onFrozen(elements);
      const next = blocks[freeze];
      this.frozenEnd += next
        ? offsetOfLine(tail, next.map[0])
        : final
          ? tail.length
          : offsetOfLine(tail, blocks[freeze - 1]!.map[1]);
      rest = tokens.slice(upto);
    }
    if (final || rest.length === 0) {
      this.tail.textContent = '';
      return;
    }
    const open = rest[0]!;
    if (rest.length === 1 && open.type === 'fence' && open.level === 0 && this.startFence(open)) return;
    setHtml(this.tail, renderTokens(rest, { highlight: false }));
  }

  /** Appends frozen blocks to the current segment (a new one when it is full). */
  private freeze(frag: DocumentFragment, blocks: number): void {
    if (!this.segment || this.segment.childElementCount + blocks > SEGMENT_BLOCKS) {
      this.segment = document.createElement('div');
      this.segment.className = 'md-seg';
      this.root.insertBefore(this.segment, this.tail);
    }
    this.segment.append(frag);
  }

  private clear(): void {
    for (const el of [...this.root.childNodes]) if (el !== this.tail) el.remove();
    this.segment = undefined;
    this.frozenEnd = 0;
  }

  private isClosedFence(t: Token, block: Block, tail: string): boolean {
    if (t.type !== 'fence' || block.map[1] - block.map[0] < 2) return false;
    const start = offsetOfLine(tail, block.map[1] - 1);
    const nl = tail.indexOf('\n', start);
    return nl >= 0 && fenceRes(t.markup).closing.test(tail.slice(start, nl));
  }

  /** Shows an open fence (starting at frozenEnd) with a view that later deltas extend in place. */
  private startFence(t: Token): boolean {
    const opener = this.text.indexOf('\n', this.frozenEnd);
    if (opener < 0) return false;
    const view = this.openFence(t.info);
    this.tail.replaceChildren(view.root);
    const contentStart = opener + 1;
    this.fence = { contentStart, scanFrom: contentStart, view, ...fenceRes(t.markup) };
    this.extendFence(this.fence);
    return true;
  }

  /** Extends the open fence by the new text; false when a closing fence arrived (re-render). */
  private extendFence(f: OpenFence): boolean {
    const text = this.text;
    let i = f.scanFrom;
    for (let nl = text.indexOf('\n', i); nl >= 0; nl = text.indexOf('\n', i)) {
      if (f.closing.test(text.slice(i, nl))) return false;
      i = nl + 1;
    }
    f.scanFrom = i;
    // Hide a partial last line that may become the closing fence, so "``" never flashes as code.
    const end = f.maybeClosing.test(text.slice(i)) ? i : text.length;
    f.view.show(text.slice(f.contentStart, end));
    return true;
  }
}
