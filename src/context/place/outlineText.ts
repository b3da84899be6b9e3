// The outline as it is sent: a file that does not fit whole is sent as its signatures, and only the
// lines those signatures show are scanned for secrets, never the whole file (that scan costs as much
// as counting its tokens, and most files far over the budget are sent as outlines or not at all).
// The scan sees an excerpt: each shown line with CONTEXT_LINES neighbours either side (so a rule
// that looks at the line before, a `name:` then `value:` pair, still sees it), the excerpt's parts
// apart by blank lines. The outline is then taken again from the redacted excerpt, so what is sent
// comes only from redacted lines; line numbers are mapped back to the file's.
import { outlineEntries, renderOutline, type OutlineEntry } from './outline';
import { redactSecrets, type SecretFinding } from '../secrets';

/** Lines kept on each side of a shown line when scanning it for secrets. */
export const CONTEXT_LINES = 2;
/** Blank lines between the excerpt's parts: no rule reads across two. */
const GAP = '\n\n';

export interface RedactedOutline {
  /** "<line>: <signature>" lines, secrets replaced. */
  text: string;
  /** Secrets on the shown lines (1-based lines of the file). */
  findings: SecretFinding[];
}

/**
 * The outline of `text` (normalised, not yet redacted) with secrets on its lines redacted; undefined when there is
 * nothing to list.
 */
export function redactedOutline(path: string, text: string): RedactedOutline | undefined {
  const entries = outlineEntries(path, text);
  if (!entries.length) return undefined;
  const excerpt = excerptOf(text, entries);
  const { text: redacted, findings } = redactSecrets(excerpt.text);
  if (!findings.length) return { text: renderOutline(entries), findings: [] };
  // Excerpt line -> file line; a separator line maps to the file line before it.
  const fileLine = (x: number) => excerpt.lines[Math.min(x, excerpt.lines.length - 1)]!;
  const shown = outlineEntries(path, redacted).map((e) => ({ ...e, line: fileLine(e.line), last: fileLine(e.last) }));
  const onShownLine = (line: number) => shown.some((e) => e.line <= line && line <= e.last);
  return {
    text: renderOutline(shown),
    findings: findings.map((f) => ({ ...f, line: fileLine(f.line) })).filter((f) => onShownLine(f.line)),
  };
}

/**
 * The lines of `entries` with their neighbours, and for each excerpt line (1-based index) the file line it came from.
 */
function excerptOf(text: string, entries: readonly OutlineEntry[]): { text: string; lines: number[] } {
  const parts: string[] = [];
  const lines = [0];
  let line = 1;
  let pos = 0; // where `line` starts; -1 past the end
  const skipTo = (target: number) => {
    for (; line < target && pos >= 0; line++) {
      const nl = text.indexOf('\n', pos);
      pos = nl < 0 ? -1 : nl + 1;
    }
  };
  for (const e of entries) {
    const from = Math.max(line, e.line - CONTEXT_LINES);
    const to = e.last + CONTEXT_LINES;
    if (from > to) continue; // kept with the entry before
    if (parts.length && from > line) {
      parts.push(GAP);
      for (const _ of GAP) lines.push(line - 1); // each newline of the gap is an excerpt line
    }
    skipTo(from);
    if (pos < 0) break;
    const start = pos;
    skipTo(to + 1);
    const part = pos < 0 ? text.slice(start) : text.slice(start, pos);
    parts.push(part.endsWith('\n') ? part : part + '\n');
    for (let l = from; l < line; l++) lines.push(l);
    if (pos < 0) break;
  }
  return { text: parts.join(''), lines };
}
