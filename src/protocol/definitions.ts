// Where a definition (function, method, class, type…) starts and ends in a text, found by line
// patterns common to most languages and by braces or indentation, without a parser: what Apply needs
// to put a code block's `def hello()` in place of the file's `def hello()` (snippetMerge.ts).
// Deliberately conservative: a line that only looks like a call (`foo(bar)`) is never a definition.

/** A definition's lines: `[start, end)` (0-based), its header line and its body `[bodyStart, bodyEnd)`. */
export interface Definition {
  name: string;
  /** The first line: decorators and attributes above the header included. */
  start: number;
  /** The line after the last one. */
  end: number;
  header: number;
  indent: string;
  bodyStart: number;
  /** The line after the body: the closing brace's line in brace languages, `end` otherwise. */
  bodyEnd: number;
  /** How its end was found. */
  block: 'brace' | 'indent' | 'line';
}

const KEYWORDS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'function',
  'new',
  'else',
  'do',
  'try',
  'with',
  'elif',
  'foreach',
  'using',
  'lock',
  'synchronized',
  'match',
  'when',
  'loop',
]);

// Each captures the indentation (1) and the name (2). Written with [ \t], so a match stays on its line.
const HEADERS: RegExp[] = [
  // def / function / fn / func (Go receivers) / fun / sub / proc, with the modifiers languages put first.
  /^([ \t]*)(?:(?:export|default|pub(?:\([^)]*\))?|public|private|protected|internal|static|async|unsafe|extern|inline|override|suspend|open|final)[ \t]+)*(?:def|function\*?|fn|func|fun|sub|proc)[ \t]+(?:\([^)]*\)[ \t]*)?(?:self\.)?([A-Za-z_$][\w$]*[?!]?)/,
  // class, interface, struct, enum, trait, module…
  /^([ \t]*)(?:(?:export|default|declare|abstract|public|private|protected|internal|final|sealed|data|open|pub(?:\([^)]*\))?|static)[ \t]+)*(?:class|interface|struct|enum|trait|module|object|record|protocol|namespace|union)[ \t]+([A-Za-z_$][\w$]*)/,
  // const f = (…) => / function
  /^([ \t]*)(?:export[ \t]+)?(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)[ \t]*(?::[^=]+)?=[ \t]*(?:async[ \t]*)?(?:function\b|\([^)]*\)[ \t]*(?::[^=]+)?=>|[A-Za-z_$][\w$]*[ \t]*=>)/,
  // type X = … / type X struct {
  /^([ \t]*)(?:export[ \t]+)?(?:declare[ \t]+)?type[ \t]+([A-Za-z_$][\w$]*)/,
  // A method header that opens its body on the same line: `public void run() {`, `async run(): T {`.
  /^([ \t]*)(?:(?:public|private|protected|internal|static|final|abstract|override|async|virtual|open|suspend|inline|readonly|get|set|synchronized|native|default)[ \t]+)*(?:[\w<>[\].,?]+[ \t]+)?([A-Za-z_$][\w$]*)[ \t]*(?:<[^>]*>)?[ \t]*\([^;()]*\)[^;=()]*\{[ \t]*$/,
];

const DECORATOR = /^[ \t]*(?:@[\w.]+|#\[|\[[A-Z]\w*)/;
const COMMENT = /^[ \t]*(?:\/\/|#(?![[!])|\/\*|\*|"""|'''|--)/;

/** The definition a line starts (its indentation and name), or undefined. */
export function headerOf(line: string): { indent: string; name: string } | undefined {
  for (const re of HEADERS) {
    const m = re.exec(line);
    if (m && !KEYWORDS.has(m[2]!)) return { indent: m[1]!, name: m[2]! };
  }
  return undefined;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];
const blank = (line: string) => !line.trim();

/** Braces opened minus closed on a line, strings and comments aside; `state` carries a block comment across lines. */
function braceDelta(line: string, state: { comment: boolean }): { delta: number; opened: boolean } {
  let delta = 0;
  let opened = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (state.comment) {
      if (c === '*' && line[i + 1] === '/') {
        state.comment = false;
        i++;
      }
      continue;
    }
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '/' && line[i + 1] === '*') {
      state.comment = true;
      i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) break;
      i = close;
      continue;
    }
    if (c === '{') {
      delta++;
      opened = true;
    } else if (c === '}') delta--;
  }
  return { delta, opened };
}

/** The extent of the definition whose header is line `at` of `lines`, looking no further than `limit`. */
export function definitionAt(lines: readonly string[], at: number, limit = lines.length): Definition | undefined {
  const head = headerOf(lines[at]!);
  if (!head) return undefined;
  let start = at;
  while (start > 0 && DECORATOR.test(lines[start - 1]!) && indentOf(lines[start - 1]!) === head.indent) start--;
  const base = { name: head.name, start, header: at, indent: head.indent };
  // Brace languages: the header (maybe over a few lines) opens a block that closes at depth 0.
  const state = { comment: false };
  let depth = 0;
  let opened = false;
  for (let j = at; j < limit; j++) {
    const line = lines[j]!;
    if (!opened && /:[ \t]*(?:#.*)?$/.test(line)) break; // a Python-like header: its body is indented
    const d = braceDelta(line, state);
    depth += d.delta;
    if (depth > 0) opened = true;
    else if (!opened && (d.opened || /;[ \t]*$/.test(line)))
      // `f() { return 1; }`, `type T = X;`
      return { ...base, end: j + 1, bodyStart: j + 1, bodyEnd: j + 1, block: 'line' };
    if (opened && depth <= 0) {
      const closing = /^[ \t]*[})\]]/.test(line) && j > at;
      return { ...base, end: j + 1, bodyStart: at + 1, bodyEnd: closing ? j : j + 1, block: 'brace' };
    }
    if (!opened && j - at > 8) break; // no block at all
  }
  if (opened) return undefined; // a block that never closes: not something to replace
  // Indentation languages: the lines indented deeper than the header (blank lines inside).
  let end = at + 1;
  while (end < limit && /[([{,\\]\s*$/.test(lines[end - 1]!) && !/:\s*$/.test(lines[end - 1]!)) end++; // a header over several lines
  let last = end - 1;
  for (let j = end; j < limit; j++) {
    if (blank(lines[j]!)) continue;
    if (indentOf(lines[j]!).length <= head.indent.length) break;
    last = j;
  }
  end = last + 1;
  // Ruby, Lua and friends close at the header's indentation with `end`.
  if (end < limit && lines[end]!.trim() === 'end' && indentOf(lines[end]!) === head.indent)
    return { ...base, end: end + 1, bodyStart: at + 1, bodyEnd: end, block: 'indent' };
  return { ...base, end, bodyStart: at + 1, bodyEnd: end, block: last > at ? 'indent' : 'line' };
}

/** Every definition in `lines[from, to)` whose header is at the shallowest indentation there, in order. */
export function topDefinitions(lines: readonly string[], from = 0, to = lines.length): Definition[] {
  const out: Definition[] = [];
  let shallowest: number | undefined;
  for (let i = from; i < to; i++) {
    if (blank(lines[i]!)) continue;
    const n = indentOf(lines[i]!).length;
    shallowest = shallowest === undefined ? n : Math.min(shallowest, n);
  }
  for (let i = from; i < to; i++) {
    const head = headerOf(lines[i]!);
    if (!head || head.indent.length !== shallowest) continue;
    const d = definitionAt(lines, i, to);
    if (!d) continue;
    out.push(d);
    i = d.end - 1;
  }
  return out;
}

/** Every definition in `lines[from, to)` at any depth, in order of their headers. */
export function allDefinitions(lines: readonly string[], from = 0, to = lines.length): Definition[] {
  const out: Definition[] = [];
  for (let i = from; i < to; i++) {
    const d = headerOf(lines[i]!) && definitionAt(lines, i, to);
    if (d) out.push(d);
  }
  return out;
}

/** True for a comment line directly above a definition, which goes with it. */
export const isComment = (line: string): boolean => COMMENT.test(line);
