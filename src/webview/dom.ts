// Small DOM helpers for the app's own markup. The app builds its elements with these (text goes
// in as text, never as HTML); only sanitised model output goes through `setHtml`.

type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | false | undefined;

/** Creates `<tag attrs>children</tag>`; `class` and `aria-*` are plain attributes, `false`/undefined skip. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== false && c !== undefined) el.append(c);
  return el;
}

/** A codicon (decorative: hidden from screen readers; the button around it carries the label). */
export function icon(name: string): HTMLElement {
  return h('i', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

/** An icon button with an accessible name and tooltip; `data-action` routes its clicks. */
export function iconButton(name: string, label: string, action: string, extra: Attrs = {}): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: 'icon-button', title: label, 'aria-label': label, 'data-action': action, ...extra },
    icon(name),
  );
}

/** A text button (optionally with an icon). */
export function textButton(
  label: string,
  action: string,
  opts: { icon?: string; secondary?: boolean } = {},
): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: opts.secondary ? 'secondary' : undefined, 'data-action': action },
    opts.icon ? icon(opts.icon) : undefined,
    label,
  );
}

/** Thousands for token counts: 812,345 -> "812k", 1,234,567 -> "1.2M". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

/** A context window, which is usually a power of two: 32,768 -> "32K", 1,048,576 -> "1M"; others as token counts. */
export function formatWindow(n: number): string {
  if (n % 1_048_576 === 0) return `${n / 1_048_576}M`;
  return n % 1024 === 0 ? `${n / 1024}K` : formatTokens(n);
}

/** US dollars with enough precision for cheap cached requests: $0.0012, $0.43, $12.50. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** A workspace path as its folder (`code-dir`, elided first when narrow) and its name (`code-base`). */
export function pathParts(path: string): HTMLElement[] {
  const cut = path.lastIndexOf('/', path.length - 2) + 1;
  return [
    ...(cut > 0 ? [h('span', { class: 'code-dir' }, path.slice(0, cut))] : []),
    h('span', { class: 'code-base' }, path.slice(cut)),
  ];
}
