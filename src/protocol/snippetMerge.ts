// Apply for a code block that is not the whole file and not SEARCH/REPLACE edits: a snippet (a
// function, a method, a class, a few lines). It goes where it belongs: a definition whose name is
// defined once in the file (or whose header matches one exactly) replaces that definition; a class
// that leaves out members of the file's class of the same name is merged member by member; imports the file
// lacks go after its imports; everything else is added at the end (of the file, or of the class it
// belongs to). Nothing the block does not name is ever deleted: a snippet never replaces a file.
import { allDefinitions, isComment, topDefinitions, type Definition } from './definitions';

export interface SnippetMerge {
  /** The file with the block merged in (the file's line endings kept). */
  text: string;
  /** What the merge does, in words: "replaces `hello`; adds `bye` at the end". */
  summary: string;
  replaced: string[];
  added: string[];
}

/** The share of the file's lines a block must hold to be taken for the whole file. */
const WHOLE_SHARE = 0.6;

const lf = (t: string) => t.replace(/\r\n?/g, '\n');
const norm = (l: string) => l.trim().replace(/\s+/g, ' ');
const indentOf = (l: string) => /^[ \t]*/.exec(l)![0];
const IMPORT =
  /^(?:import\s|from\s+\S+\s+import\s|#include\s|use\s+[\w:{}, ]+;|using\s+[\w.]+;|(?:const|let|var)\s+\w+\s*=\s*require\()/;
/** `...`, `# ... existing code ...`, `// rest unchanged`: a model's way of saying "the rest stays". */
const ELISION = /^(?:(?:#|\/\/|\/\*+|--|<!--)\s*(?:\.{3}|…|(?:existing|unchanged|rest of|other)\b).*|\.{3}|…)$/i;

/**
 * True when `code` is a version of the whole of `current` rather than a part of it: it holds most of
 * the file's lines (or the file is empty). A block much smaller than the file never is.
 */
export function isWholeFile(code: string, current: string): boolean {
  const lines = (t: string) => lf(t).split('\n').map(norm).filter(Boolean);
  const file = lines(current);
  if (!file.length) return true;
  const left = new Map<string, number>();
  for (const l of file) left.set(l, (left.get(l) ?? 0) + 1);
  let shared = 0;
  for (const l of lines(code))
    if (left.get(l)) {
      left.set(l, left.get(l)! - 1);
      shared++;
    }
  return shared >= WHOLE_SHARE * file.length;
}

interface Edit {
  at: number;
  end: number;
  lines: string[];
  /** Insertions at the same line keep the order they were planned in. */
  seq: number;
}

/** Re-indents `lines` from `from` (their base indentation) to `to`. */
function reindent(lines: string[], from: string, to: string): string[] {
  if (from === to) return lines;
  return lines.map((l) => (!l.trim() ? '' : l.startsWith(from) ? to + l.slice(from.length) : to + l.trimStart()));
}

/** `lines` without blank lines at either end. */
function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && !lines[a]!.trim()) a++;
  while (b > a && !lines[b - 1]!.trim()) b--;
  return lines.slice(a, b);
}

class Merger {
  readonly edits: Edit[] = [];
  readonly replaced: string[] = [];
  readonly added: { name: string; where: string }[] = [];
  readonly imports: string[] = [];
  looseAtEnd = 0;
  /** Pieces for the end of the file, in the block's order. */
  readonly tail: string[][] = [];
  private seq = 0;
  private readonly fileDefs: Definition[];

  constructor(
    private readonly snip: string[],
    private readonly file: string[],
  ) {
    this.fileDefs = allDefinitions(file);
  }

  /**
   * Merges `snip[from, to)` into `file[fileFrom, fileTo)`; what matches nothing goes to `into` (a class body) or the
   * end.
   */
  merge(
    from: number,
    to: number,
    fileFrom: number,
    fileTo: number,
    into?: { at: number; indent: string; name: string },
  ) {
    const units = topDefinitions(this.snip, from, to);
    let cursor = from;
    for (const u of units) {
      // Comment lines right above a definition go with it.
      let start = u.start;
      while (start > cursor && isComment(this.snip[start - 1]!) && !ELISION.test(this.snip[start - 1]!.trim())) start--;
      this.loose(cursor, start, into);
      this.unit(u, start, fileFrom, fileTo, into);
      cursor = u.end;
    }
    this.loose(cursor, to, into);
  }

  private unit(
    u: Definition,
    start: number,
    fileFrom: number,
    fileTo: number,
    into?: { at: number; indent: string; name: string },
  ) {
    const header = norm(this.snip[u.header]!);
    const taken = (d: Definition) => this.edits.some((e) => e.end > e.at && d.start < e.end && d.end > e.at);
    const same = this.fileDefs.filter((d) => d.name === u.name && d.start >= fileFrom && d.end <= fileTo && !taken(d));
    const exact = same.filter((d) => norm(this.file[d.header]!) === header);
    const level = same.filter((d) => d.indent === (into?.indent ?? u.indent));
    const f = [exact, same, level].find((c) => c.length === 1)?.[0];
    const lines = this.snip.slice(start, u.end);
    if (!f) {
      const placed = reindent(lines, u.indent, into?.indent ?? u.indent);
      if (into) this.insert(into.at, placed, true);
      else this.tail.push(placed);
      this.added.push({ name: u.name, where: into ? `to \`${into.name}\`` : 'at the end' });
      return;
    }
    // A class that leaves out members the file's class has is merged member by member: replacing it
    // whole would delete what the block does not name.
    const innerSnip = u.block === 'line' ? [] : topDefinitions(this.snip, u.bodyStart, u.bodyEnd).map((d) => d.name);
    const innerFile = f.block === 'line' ? [] : topDefinitions(this.file, f.bodyStart, f.bodyEnd).map((d) => d.name);
    if (innerSnip.length && innerFile.some((n) => !innerSnip.includes(n))) {
      const body = this.file.slice(f.bodyStart, f.bodyEnd).find((l) => l.trim());
      const indent = body ? indentOf(body) : `${f.indent}    `;
      this.merge(u.bodyStart, u.bodyEnd, f.bodyStart, f.bodyEnd, { at: f.bodyEnd, indent, name: u.name });
      return;
    }
    // Replaced whole; the file's comment lines above it go too when the block brings its own.
    let fileStart = f.start;
    if (start < u.start) while (fileStart > fileFrom && isComment(this.file[fileStart - 1]!)) fileStart--;
    this.edits.push({ at: fileStart, end: f.end, lines: reindent(lines, u.indent, f.indent), seq: this.seq++ });
    this.replaced.push(u.name);
  }

  /** Lines of the block between definitions: imports, statements, elisions. */
  private loose(from: number, to: number, into?: { at: number; indent: string; name: string }) {
    const keep: string[] = [];
    const have = new Set(this.file.map(norm));
    for (const l of this.snip.slice(from, to)) {
      const t = l.trim();
      if (ELISION.test(t)) continue;
      if (!into && IMPORT.test(t)) {
        if (!have.has(norm(l)) && !this.imports.includes(l)) this.imports.push(l);
        continue;
      }
      keep.push(l);
    }
    const piece = trimBlank(keep);
    if (!piece.length) return;
    if (into) {
      const base = indentOf(piece.find((l) => l.trim())!);
      this.insert(into.at, reindent(piece, base, into.indent), true);
    } else {
      this.tail.push(piece);
      this.looseAtEnd += piece.filter((l) => l.trim()).length;
    }
  }

  private insert(at: number, lines: string[], separate: boolean) {
    const before = this.file[at - 1];
    const gap = separate && before?.trim() && !/[{:]\s*$/.test(before) ? [''] : [];
    this.edits.push({ at, end: at, lines: [...gap, ...lines], seq: this.seq++ });
  }

  /** The end of the file and the imports. */
  finish(): void {
    if (this.imports.length) {
      const last = this.file.reduce((k, l, i) => (IMPORT.test(l) ? i : k), -1);
      const top = /^(?:#!|package\s|['"]use strict['"])/.test(this.file[0] ?? '') ? 1 : 0;
      const at = last >= 0 ? last + 1 : top;
      const after = last < 0 && this.file[at]?.trim() ? [''] : [];
      this.edits.push({ at, end: at, lines: [...this.imports, ...after], seq: this.seq++ });
    }
    if (!this.tail.length) return;
    let end = this.file.length;
    while (end > 0 && !this.file[end - 1]!.trim()) end--;
    // As many blank lines between top-level pieces as the file puts before its last definition (PEP 8 wants two).
    const lastTop = topDefinitions(this.file).at(-1);
    let gap = 0;
    while (lastTop && gap < 2 && lastTop.start - gap - 1 >= 0 && !this.file[lastTop.start - gap - 1]!.trim()) gap++;
    const blanks = Array<string>(Math.max(1, gap)).fill('');
    const lines = this.tail.flatMap((p, i) => (i || end > 0 ? [...blanks, ...p] : p));
    this.edits.push({ at: end, end, lines, seq: this.seq++ });
  }

  apply(): string[] {
    const out = [...this.file];
    const order = [...this.edits].sort((a, b) => b.at - a.at || b.seq - a.seq);
    for (const e of order) out.splice(e.at, e.end - e.at, ...e.lines);
    return out;
  }
}

/** `code` (a part of a file) merged into `current` where it belongs; see the header. */
export function mergeSnippet(code: string, current: string): SnippetMerge {
  const crlf = current.includes('\r\n');
  const file = lf(current).split('\n');
  const snip = trimBlank(lf(code).split('\n'));
  const m = new Merger(snip, file);
  m.merge(0, snip.length, 0, file.length);
  m.finish();
  let out = m.apply();
  if (out.at(-1) !== '') out = [...out, '']; // a file ends with a newline once it has been added to
  const text = out.join('\n');
  const parts: string[] = [];
  const names = (xs: string[]) => xs.map((x) => `\`${x}\``).join(', ');
  if (m.replaced.length) parts.push(`replaces ${names(m.replaced)}`);
  const byWhere = new Map<string, string[]>();
  for (const a of m.added) byWhere.set(a.where, [...(byWhere.get(a.where) ?? []), a.name]);
  const atEnd = byWhere.get('at the end') ?? [];
  byWhere.delete('at the end');
  for (const [where, xs] of byWhere) parts.push(`adds ${names(xs)} ${where}`);
  const loose = m.looseAtEnd ? `${m.looseAtEnd} line${m.looseAtEnd === 1 ? '' : 's'}` : '';
  if (atEnd.length || loose) parts.push(`adds ${[names(atEnd), loose].filter(Boolean).join(' and ')} at the end`);
  if (m.imports.length) parts.push(`adds ${m.imports.length} import${m.imports.length === 1 ? '' : 's'}`);
  const unchanged = text === (current.endsWith('\n') || !current ? lf(current) : `${lf(current)}\n`);
  return {
    text: crlf ? text.replace(/\n/g, '\r\n') : text,
    summary: unchanged ? 'changes nothing: the file already holds this code' : parts.join('; '),
    replaced: m.replaced,
    added: m.added.map((a) => a.name),
  };
}
