// Renders model output (untrusted) to safe HTML: markdown-it with raw HTML off, then DOMPurify
// with a narrow allow-list. Only http(s) links and workspace-relative links survive; nothing that
// loads by itself (images become their alt text).
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
md.validateLink = (url: string) => /^(https?:|#|[\w./-]+(:\d+)?$)/i.test(url.trim()) && !/^(javascript|vbscript|data|command|vscode|file):/i.test(url.trim());
md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx]!.content || '[image]');

const ALLOWED_TAGS = ['a', 'p', 'br', 'hr', 'em', 'strong', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span'];
const ALLOWED_ATTR = ['href', 'title', 'class', 'start', 'align'];

/** Markdown -> sanitised HTML string. */
export function renderMarkdown(markdown: string): string {
  const html = md.render(markdown);
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOWED_URI_REGEXP: /^(?:https?:|#|[\w./-]+(?::\d+)?$)/i }) as string;
}
