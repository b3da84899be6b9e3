// The last line of defence for model output: DOMPurify with a narrow allow-list of the tags and
// attributes our markdown renderer produces, so nothing that executes or loads by itself survives
// even if a markdown rule has a bug. Also the one place HTML enters the DOM (Trusted Types).
import DOMPurify from 'dompurify';

/** HTML that went through `sanitize` (a branded string, so unsanitised HTML cannot reach the DOM). */
export type SafeHtml = string & { readonly __safe: unique symbol };

const ALLOWED_TAGS = [
  'a',
  'p',
  'br',
  'hr',
  'em',
  'strong',
  's',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'data-lang', 'data-path', 'data-cp'];
/** http(s), or a path without a scheme that is not protocol-relative (a workspace file; `a.json:5`
 *  is a file and line, not a scheme). */
const ALLOWED_URI =
  /^(?:https?:\/\/|(?!(?:javascript|vbscript|data|file|blob|about|command|vscode[\w-]*):)(?![a-z][a-z0-9+.-]*:(?!\d+(?:[:-]\d+)?(?:$|#))|\/\/|\\\\))/i;
/** Classes our renderer and highlight.js emit; anything else is removed. */
const ALLOWED_CLASS =
  /^(?:hljs(?:-[\w-]+)?|language-[\w+#.-]+|file-ref|image-ref|bidi|align-(?:left|center|right)|[\w-]+_)$/;

const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  const el = node;
  if (el.hasAttribute?.('class')) {
    const kept = el
      .getAttribute('class')!
      .split(/\s+/)
      .filter((c) => ALLOWED_CLASS.test(c));
    if (kept.length) el.setAttribute('class', kept.join(' '));
    else el.removeAttribute('class');
  }
  if (el.tagName === 'A') {
    const href = el.getAttribute('href') ?? '';
    if (/^https?:/i.test(href)) el.setAttribute('rel', 'noopener noreferrer');
    else el.removeAttribute('rel');
  }
});

/** Sanitises renderer output; the result may be put into the DOM with `setHtml`. */
export function sanitize(html: string): SafeHtml {
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: ALLOWED_URI,
  }) as SafeHtml;
}

interface TrustedTypesLike {
  createPolicy(name: string, rules: { createHTML(s: string): string }): { createHTML(s: string): unknown };
}
const tt = (window as unknown as { trustedTypes?: TrustedTypesLike }).trustedTypes;
// The CSP allows exactly this policy (`trusted-types dsr dompurify`); it only ever sees SafeHtml.
const policy = tt?.createPolicy('dsr', { createHTML: (s) => s });

/** Puts sanitised HTML into `el` (replacing its children). */
export function setHtml(el: Element, html: SafeHtml): void {
  (el as { innerHTML: unknown }).innerHTML = policy ? policy.createHTML(html) : html;
}

/** Parses sanitised HTML into a fragment (for inserting frozen blocks without touching siblings). */
export function fragmentOf(html: SafeHtml): DocumentFragment {
  const t = document.createElement('template');
  setHtml(t, html);
  return t.content;
}
