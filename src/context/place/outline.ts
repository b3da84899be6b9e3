// Outlines: a file reduced to its exported signatures (with line numbers), for files that do not
// fit the budget whole. Regex-based per language family, no parser: good enough to tell the model
// what a file offers, cheap enough to run on every file of a large repository.

type Lang =
  /** Matches at the start of a line that declares something worth listing (multiline, global). */
  | { decl: RegExp }
  /** Instead of `decl`: the offsets of the lines that declare something, in order. */
  | { starts: (text: string) => number[] };

// Written with [ \t] rather than \s, so a match never starts on one line and runs into the next.
const LANGS: [RegExp, Lang][] = [
  [/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, { starts: esStarts }],
  [/\.py$/, { decl: /^(?:[ \t]{0,8}(?:async[ \t]+)?def[ \t]+(?!_)\w+|[ \t]{0,8}def[ \t]+__init__|class[ \t]+\w+)/gm }],
  [/\.go$/, { decl: /^(?:func[ \t]+(?:\([^)\n]*\)[ \t]*)?[A-Z]\w*|type[ \t]+[A-Z]\w*|(?:var|const)[ \t]+[A-Z]\w*)/gm }],
  [
    /\.rs$/,
    {
      decl: /^(?:[ \t]*pub(?:\([^)\n]*\))?[ \t]+(?:async[ \t]+)?(?:unsafe[ \t]+)?(?:const[ \t]+)?(?:fn|struct|enum|trait|type|const|static|mod|union|macro)\b|[ \t]*impl\b|macro_rules!)/gm,
    },
  ],
  [
    /\.(java|kt|kts|scala|cs|swift|dart)$/,
    {
      decl: /^(?:[ \t]*(?:public|open|protected|internal|export)?[ \t]*(?:(?:static|final|abstract|sealed|data|override|async|partial)[ \t]+)*(?:class|interface|enum|record|struct|object|trait|fun|func|def|protocol|extension)\b|[ \t]*public[ \t]+[\w<>[\], ?]+[ \t]+\w+[ \t]*\()/gm,
    },
  ],
  [
    /\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm)$/,
    {
      decl: /^(?:typedef\b|struct[ \t]+\w+[ \t]*\{|class[ \t]+\w+|enum\b|namespace[ \t]+\w+|#define[ \t]+[A-Z_]\w*|[A-Za-z_][\w \t*&:<>,]*[ \t][*&]?[A-Za-z_][\w:]*[ \t]*\([^;\n]*\)[ \t]*(?:const[ \t]*)?;?[ \t]*\{?[ \t]*$)/gm,
    },
  ],
  [/\.(rb|rake)$/, { decl: /^[ \t]*(?:def|class|module)[ \t]/gm }],
  [
    /\.php$/,
    {
      decl: /^(?:[ \t]*(?:(?:public|protected)[ \t]+)?(?:static[ \t]+)?function[ \t]+\w+|[ \t]*(?:abstract[ \t]+|final[ \t]+)?(?:class|interface|trait|enum)[ \t]+\w+)/gm,
    },
  ],
  [/\.lua$/, { decl: /^(?:local[ \t]+)?function[ \t]+[\w.:]+/gm }],
  [/\.(sh|bash|zsh)$/, { decl: /^(?:function[ \t]+)?[\w-]+[ \t]*\(\)[ \t]*\{?/gm }],
  [/\.(md|mdx|rst|adoc)$/, { decl: /^#{1,3}[ \t]+\S/gm }],
  [
    /\.sql$/,
    { decl: /^[ \t]*create[ \t]+(?:or[ \t]+replace[ \t]+)?(?:table|view|function|procedure|index|type)\b/gim },
  ],
  [
    /\.(proto|graphql|gql|thrift)$/,
    { decl: /^[ \t]*(?:message|service|rpc|enum|type|interface|input|schema|struct)[ \t]+\w+/gm },
  ],
];

const MAX_LINE = 200;

/** One listed declaration: its first line (1-based), its last (a parameter list may span lines), its signature. */
export interface OutlineEntry {
  line: number;
  last: number;
  sig: string;
}

/** The declarations an outline of `text` lists, in order; [] for an unknown file type. */
export function outlineEntries(path: string, text: string): OutlineEntry[] {
  const lang = LANGS.find(([re]) => re.test(path))?.[1];
  if (!lang) return [];
  const out: OutlineEntry[] = [];
  const lineEnd = (i: number) => {
    const e = text.indexOf('\n', i);
    return e < 0 ? text.length : e;
  };
  const starts = 'starts' in lang ? lang.starts(text) : [...text.matchAll(lang.decl)].map((m) => m.index);
  let line = 1;
  let counted = 0;
  for (const start of starts) {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line++;
    counted = start;
    let end = lineEnd(start);
    let sig = text.slice(start, end);
    let last = line;
    // Join a parameter list that spans lines so the signature is complete.
    for (let j = 1, depth = balance(sig); depth > 0 && j < MAX_SIGNATURE_LINES && end < text.length; j++) {
      const next = lineEnd(end + 1);
      sig += ' ' + text.slice(end + 1, next).trim();
      end = next;
      last++;
      depth = balance(sig);
    }
    sig = sig
      .replace(/\s*\{\s*$/, '')
      .replace(/\s*(=>|=)\s*\{?\s*$/, '')
      .trimEnd();
    if (sig.length > MAX_LINE) sig = sig.slice(0, MAX_LINE) + ' …';
    out.push({ line, last, sig });
  }
  return out;
}

// JavaScript and TypeScript: `export <declaration>` lines, and for a module that declares first and
// exports by list (`class Vector3 {…}` … `export { Vector3 }`, as three.js does) the declarations
// that list names; every listed class also gets its methods (its API, without bodies). One pass
// finds all three kinds of line; its pattern starts with the line break before the line, a literal
// V8 finds far faster than a multiline `^` (`atLineStarts` tries the first line too).
const ES_LINE =
  /\n(?:(export[ \t]+(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?(?:async[ \t]+)?(?:function\*?|class|interface|type|enum|const|let|var|namespace|module)\b|export[ \t]+default\b|module\.exports\b|exports\.\w+[ \t]*=)|export[ \t]*\{([^}]*)\}|(?:(?:async[ \t]+)?function\*?[ \t]*|(?:abstract[ \t]+)?class[ \t]+|(?:const|let|var)[ \t]+)([\w$]+))/g;
const CLASS_LINE = /^(?:export[ \t]+)?(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?class\b/;
/**
 * A method at a class-body line's start (after its indentation): its parameters on the line and its
 * body opening there, or (group 1) a parameter list the line leaves open, which `opensBody` follows.
 */
const METHOD =
  /(?!(?:if|for|while|switch|catch|with|return|else|do|try|function|new|typeof|await|yield|delete|throw|super|this|private)\b)(?:(?:static|async|get|set|public|protected|readonly|override|abstract)[ \t]+)*\*?[A-Za-z_$][\w$]*[ \t]*(?:<[^>\n]*>)?\((?:[^;\n)]*\)[^;\n=(){}]*\{[ \t]*|([^;\n)]*))$/
    .source;
/** Lines a signature may span (the first included); outlines join as many. */
const MAX_SIGNATURE_LINES = 6;
const methodsAt = new Map<string, RegExp>();

function esStarts(text: string): number[] {
  const starts: number[] = [];
  const exported = new Set<string>();
  const declared: [number, string][] = [];
  for (const [at, m] of atLineStarts(text, ES_LINE)) {
    if (m[1]) starts.push(at);
    else if (m[2] !== undefined) for (const part of m[2].split(',')) exported.add(part.trim().split(/\s+/)[0]!);
    else declared.push([at, m[3]!]);
  }
  for (const [at, name] of declared) if (exported.has(name)) starts.push(at);
  for (const start of [...starts]) {
    const first = text.indexOf('\n', start);
    const head = first < 0 ? '' : text.slice(start, first);
    if (!CLASS_LINE.test(head) || !head.trimEnd().endsWith('{')) continue;
    // The body runs to the first line that starts with `}`; methods sit at the indentation of its first non-empty line.
    const indent = /^\n*([ \t]+)/.exec(text.slice(first + 1, first + 1 + 256))?.[1];
    if (!indent) continue;
    let method = methodsAt.get(indent);
    if (!method) {
      if (methodsAt.size >= 64) methodsAt.clear(); // one per indentation seen: bounded
      methodsAt.set(indent, (method = new RegExp(`\\n${indent}${METHOD}`, 'gm')));
    }
    const close = text.indexOf('\n}', first);
    const body = text.slice(first, close < 0 ? text.length : close);
    for (const m of body.matchAll(method))
      if (m[1] === undefined || opensBody(text, first + m.index + 1)) starts.push(first + m.index + 1);
  }
  return starts.sort((a, b) => a - b);
}

/**
 * True when the parameter list opened on the line at `at` closes within a few lines, on a line that then opens the
 * body: a method, not an abstract one or an overload.
 */
function opensBody(text: string, at: number): boolean {
  let depth = 0;
  for (let n = 0, i = at; n < MAX_SIGNATURE_LINES; n++) {
    const end = text.indexOf('\n', i);
    const line = text.slice(i, end < 0 ? text.length : end);
    for (let k = 0; k < line.length; k++) {
      if (line[k] === '(') depth++;
      else if (line[k] === ')' && --depth === 0) return /^[^;=(){}]*\{[ \t]*$/.test(line.slice(k + 1));
    }
    if (end < 0) return false;
    i = end + 1;
  }
  return false;
}

const firstLine = new Map<RegExp, RegExp>();

/** Each line `re` matches (a global pattern whose source starts with \n): its start and the match. */
function atLineStarts(text: string, re: RegExp): [number, RegExpExecArray][] {
  let sticky = firstLine.get(re);
  if (!sticky) firstLine.set(re, (sticky = new RegExp(re.source.slice(2), 'y')));
  sticky.lastIndex = 0;
  const head = sticky.exec(text);
  const out: [number, RegExpExecArray][] = head ? [[0, head]] : [];
  for (const m of text.matchAll(re)) out.push([m.index + 1, m]);
  return out;
}

/** The outline text of entries ("<line>: <signature>" each), or '' when there are none. */
export const renderOutline = (entries: readonly OutlineEntry[]): string =>
  entries.map((e) => `${e.line}: ${e.sig}\n`).join('');

/** The outline text of a file ("<line>: <signature>" per declaration), or '' when there is nothing to list. */
export function outlineOf(path: string, text: string): string {
  return renderOutline(outlineEntries(path, text));
}

function balance(s: string): number {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')') d--;
  }
  return d;
}
