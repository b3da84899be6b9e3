// The outline as it is sent: a file that does not fit whole is sent as its signatures, and only the
// lines those signatures show are scanned for secrets, never the whole file (that scan costs as much
// as counting its tokens, and most files far over the budget are sent as outlines or not at all).
// The scan sees an excerpt: each shown line with CONTEXT_LINES neighbours either side (so a rule
// that looks at the line before, a `name:` then `value:` pair, still sees it), the excerpt's parts
// apart by blank lines. The outline is then taken again from the redacted excerpt, so what is sent
// comes only from redacted lines; line numbers are mapped back to the file's. The lines an outline
// shows (`shownLines`) are kept from when it was made, so the scan does not parse the file again.
import { outlineEntries, renderOutline, type OutlineEntry } from './outline';
import { redactSecrets, type SecretFinding } from '../secrets';

/** Lines kept on each side of a shown line when scanning it for secrets. */
export const CONTEXT_LINES = 2;
/** Blank lines between the excerpt's parts: no rule reads across two. */
const GAP = '\n\n';

export interface RedactedOutline {
  /** "<line>: <signature>" lines, secrets replaced; only when there are findings (else the outline is as made). */
  text?: string;
  /** Secrets on the shown lines (1-based lines of the file). */
  findings: SecretFinding[];
}

/** The first and last line (1-based) of each entry, in pairs, in order: the lines an outline shows. */
export function shownLines(entries: readonly OutlineEntry[]): Int32Array {
  const out = new Int32Array(2 * entries.length);
  entries.forEach((e, i) => {
    out[2 * i] = e.line;
    out[2 * i + 1] = e.last;
  });
  return out;
}

/**
 * The outline of `text` (normalised, not yet redacted) under `path` with secrets on its lines redacted; undefined when
 * there is nothing to list. `shown`: its `shownLines`, when made already (the outline is not parsed again then).
 */
export function redactedOutline(path: string, text: string, shown?: Int32Array): RedactedOutline | undefined {
  const lines = shown ?? shownLines(outlineEntries(path, text));
  if (!lines.length) return undefined;
  const excerpt = excerptOf(text, lines);
  const { text: redacted, findings } = redactSecrets(excerpt.text);
  if (!findings.length) return { findings: [] };
  // Excerpt line -> file line; a separator line maps to the file line before it.
  const fileLine = (x: number) => excerpt.lines[Math.min(x, excerpt.lines.length - 1)]!;
  const after = outlineEntries(path, redacted).map((e) => ({ ...e, line: fileLine(e.line), last: fileLine(e.last) }));
  const onShownLine = (line: number) => after.some((e) => e.line <= line && line <= e.last);
  return {
    text: renderOutline(after),
    findings: findings.map((f) => ({ ...f, line: fileLine(f.line) })).filter((f) => onShownLine(f.line)),
  };
}

/**
 * The lines `shown` (`shownLines`) with their neighbours, and for each excerpt line (1-based index) the file line it
 * came from.
 */
function excerptOf(text: string, shown: Int32Array): { text: string; lines: number[] } {
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
  for (let k = 0; k < shown.length; k += 2) {
    const from = Math.max(line, shown[k]! - CONTEXT_LINES);
    const to = shown[k + 1]! + CONTEXT_LINES;
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
