// The safety invariants of rendered model output, from xss-cases.json's `global_invariants`,
// checked inside the page. `checkRendered` is serialised into the page by Playwright, so it must
// stay self-contained (no imports, no closures).
import corpus from './corpora/xss-cases.json';

export interface XssCase {
  id: string;
  input: string | null;
  chunks?: string[];
  expected: { visible_text_contains?: string[]; must_keep_selectors?: string[] };
  informational?: boolean;
}
export const XSS_CASES = corpus.cases as XssCase[];
export const RULES = corpus.global_invariants;

export interface CheckArgs {
  selector: string;
  /** Our own UI inside the checked element (code-block toolbars), skipped for forbidden tags. */
  ignore?: string;
  rules: typeof RULES;
  visible?: string[];
  keep?: string[];
}

/** Returns the broken invariants for every element matching `selector` (empty = safe). */
export function checkRendered(a: CheckArgs): string[] {
  const problems: string[] = [];
  const roots = [...document.querySelectorAll(a.selector)];
  if (!roots.length) return [`nothing matches ${a.selector}`];
  const w = window as unknown as { __pwned?: unknown };
  if (w.__pwned !== undefined) problems.push('window.__pwned was set: script executed');
  const autoLoad = 'img, video, audio, source, iframe, embed, object, link, input[type=image], track, image, use';
  for (const root of roots) {
    const mine = (el: Element) => !!(a.ignore && el.closest(a.ignore));
    for (const sel of a.rules.forbid_selectors)
      for (const el of root.querySelectorAll(sel))
        if (!mine(el)) problems.push(`forbidden <${el.tagName.toLowerCase()}>`);
    for (const el of root.querySelectorAll('*')) {
      for (const at of [...el.attributes]) {
        const name = at.name.toLowerCase();
        if (a.rules.forbid_attribute_name_prefixes.some((p) => name.startsWith(p)))
          problems.push(`attribute ${name} on <${el.tagName.toLowerCase()}>`);
        if (a.rules.forbid_attributes.includes(name)) problems.push(`attribute ${name}`);
        if (a.rules.url_attributes.includes(name)) {
          // eslint-disable-next-line no-control-regex -- browsers ignore control characters in a URL scheme: so do we
          const v = at.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
          for (const s of a.rules.forbid_url_schemes)
            if (v.startsWith(s)) problems.push(`${name}=${at.value.slice(0, 60)}`);
        }
      }
      if (el.matches(autoLoad)) problems.push(`auto-loading <${el.tagName.toLowerCase()}>`);
      if (
        el.tagName === 'A' &&
        /^https?:/i.test(el.getAttribute('href') ?? '') &&
        el.getAttribute('rel') !== 'noopener noreferrer'
      )
        problems.push('http link without rel=noopener noreferrer');
    }
    const text = root.textContent ?? '';
    for (const t of a.visible ?? []) if (!text.includes(t)) problems.push(`visible text lost: ${JSON.stringify(t)}`);
    for (const s of a.keep ?? []) if (!root.querySelector(s)) problems.push(`over-sanitised: no ${s}`);
  }
  return problems;
}

interface PageWindow {
  __checkRendered: typeof checkRendered;
  __host(m: unknown): void;
  renderMarkdown(s: string): string;
}

/** Streams `chunks` through the app as request `requestId` (turn `index`), checking after every
 *  rendered frame; runs inside the page (one round trip per case). */
export async function streamCaseInApp(a: {
  chunks: string[];
  requestId: string;
  index: number;
  question: string;
  check: CheckArgs;
}): Promise<string[]> {
  const w = window as unknown as PageWindow;
  const frame = () => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => r()), 0));
  w.__host({ type: 'turnStart', requestId: a.requestId, index: a.index, question: a.question });
  const problems: string[] = [];
  for (let i = 0; i < a.chunks.length; i++) {
    w.__host({ type: 'contentDelta', requestId: a.requestId, text: a.chunks[i] });
    const last = i === a.chunks.length - 1;
    if (last) w.__host({ type: 'end', requestId: a.requestId, outcome: 'complete' });
    await frame();
    for (const p of w.__checkRendered({ ...a.check, ...(last ? {} : { visible: [], keep: [] }) }))
      problems.push(`chunk ${i}: ${p}`);
  }
  return problems;
}

/** Renders every cumulative prefix with markdown.js into #out, checking each; runs inside the page. */
export async function renderCaseInPage(a: { chunks: string[]; check: CheckArgs }): Promise<string[]> {
  const w = window as unknown as PageWindow;
  const problems: string[] = [];
  let text = '';
  for (let i = 0; i < a.chunks.length; i++) {
    text += a.chunks[i];
    document.getElementById('out')!.innerHTML = w.renderMarkdown(text);
    const last = i === a.chunks.length - 1;
    for (const p of w.__checkRendered({ ...a.check, ...(last ? {} : { visible: [], keep: [] }) }))
      problems.push(`prefix ${JSON.stringify(text.slice(-30))}: ${p}`);
  }
  return problems;
}

/** The streamed prefixes of a case: its chunks, or its input in pieces of `size` characters. */
export function chunksOf(c: XssCase, size: number): string[] {
  if (c.chunks) return c.chunks;
  const input = c.input ?? '';
  const out: string[] = [];
  for (let i = 0; i < input.length; i += size) out.push(input.slice(i, i + size));
  return out;
}
