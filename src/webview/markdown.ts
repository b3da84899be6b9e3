// Renders model output (untrusted) to safe HTML: markdown-it with raw HTML off and our own rules
// for links, images, code and file references, then DOMPurify (sanitize.ts). Only http(s) links
// and workspace file links survive; images never load (they become their alt text, linked when the
// source is http(s), so a click opens it in the browser). Code is highlighted only when asked, so
// the streaming tail (an open fence) never flickers between plain and coloured.
// Built on its own as dist/webview/markdown.js (an ES module exporting `renderMarkdown`).
import MarkdownIt, { type Token } from 'markdown-it';
import { hasEditBlocks } from '../protocol/editBlocks';
import { isCodeFileRef, parseFileRef } from './fileRefs';
import { highlightCode, languageOfPath } from './highlight';
import { sanitize, type SafeHtml } from './sanitize';

/** Render options passed through markdown-it's `env`. */
export type RenderEnv = Record<string, unknown> & {
  /** Highlight finished code blocks (off for the streaming tail). */
  highlight?: boolean;
};

export const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
const escape = md.utils.escapeHtml;

md.validateLink = (url: string) => /^https?:\/\//i.test(url) || parseFileRef(url) !== undefined;

// Bidi controls (Trojan Source, `exe.pdf` spoofing) are shown as visible markers, never applied.
export const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const showBidi = (html: string) =>
  html.replace(BIDI, (ch: string) => {
    const cp = ch.codePointAt(0)!.toString(16);
    return `<span class="bidi" data-cp="${cp}" title="Invisible direction control">U+${cp.toUpperCase()}</span>`;
  });

md.renderer.rules.text = (tokens, idx) => showBidi(escape(tokens[idx]!.content));

md.renderer.rules.image = (tokens, idx) => {
  const t = tokens[idx]!;
  const src = String(t.attrGet('src') ?? '');
  const alt = escape(t.content || 'image');
  return /^https?:\/\//i.test(src)
    ? `<a class="image-ref" href="${escape(src)}" title="Image not loaded: ${escape(src)}">${alt}</a>`
    : `<span class="image-ref">${alt}</span>`;
};

md.renderer.rules.code_inline = (tokens, idx) => {
  const text = tokens[idx]!.content;
  const code = `<code>${showBidi(escape(text))}</code>`;
  return isCodeFileRef(text) ? `<a class="file-ref" href="${escape(text)}">${code}</a>` : code;
};

/** Language and target file from a fence's info string: ```ts path=src/a.ts, ```ts:src/a.ts, ```src/a.ts. */
export function parseFenceInfo(info: string): { lang: string; path?: string } {
  const first = info.trim().split(/\s+/).find(Boolean) ?? '';
  let lang = first.toLowerCase();
  const named = /(?:^|\s)(?:path|file|filename)=(?:"([^"]+)"|'([^']+)'|(\S+))/.exec(info);
  let p = named ? (named[1] ?? named[2] ?? named[3]) : undefined;
  if (!p && lang.includes(':')) [lang, p] = [lang.slice(0, lang.indexOf(':')), first.slice(first.indexOf(':') + 1)];
  const byPath = !p && /[/.]/.test(lang) ? languageOfPath(first) : undefined;
  if (byPath) [p, lang] = [first, byPath];
  if (lang.includes('=')) lang = '';
  return p ? { lang, path: p } : { lang };
}

function renderFence(code: string, info: string, highlight: boolean): string {
  const { lang, path } = parseFenceInfo(info);
  const attrs = `${lang ? ` data-lang="${escape(lang)}"` : ''}${path ? ` data-path="${escape(path)}"` : ''}`;
  // Edits are shown as a diff (highlighted there); their raw text is kept only for Copy and Apply.
  const coloured = highlight && !hasEditBlocks(code) ? highlightCode(code, lang) : undefined;
  const cls = lang
    ? ` class="${coloured !== undefined ? 'hljs ' : ''}language-${escape(lang.replace(/[^\w+#.-]/g, ''))}"`
    : '';
  return `<pre${attrs}><code${cls}>${showBidi(coloured ?? escape(code))}</code></pre>\n`;
}
md.renderer.rules.fence = (tokens, idx, _o, env) =>
  renderFence(tokens[idx]!.content, tokens[idx]!.info, !!(env as RenderEnv).highlight);
md.renderer.rules.code_block = (tokens, idx, _o, env) =>
  renderFence(tokens[idx]!.content, '', !!(env as RenderEnv).highlight);

// Table alignment arrives as `style="text-align:…"`; the CSP and sanitiser forbid styles, so use classes.
md.core.ruler.push('align_classes', (state) => {
  for (const t of state.tokens) {
    const style = String(t.attrGet('style') ?? '');
    if (!style) continue;
    const align = /text-align:\s*(left|center|right)/.exec(style)?.[1];
    t.attrs = (t.attrs ?? []).filter(([k]) => k !== 'style');
    if (align) t.attrJoin('class', `align-${align}`);
  }
});

/** Renders parsed tokens to sanitised HTML. */
export function renderTokens(tokens: Token[], env: RenderEnv): SafeHtml {
  return sanitize(md.renderer.render(tokens, md.options, env));
}

/** Markdown -> sanitised HTML string, code highlighted. */
export function renderMarkdown(markdown: string): string {
  const env: RenderEnv = { highlight: true };
  return renderTokens(md.parse(markdown, env), env);
}
