// Outlines: a file reduced to its exported signatures (with line numbers), for files that do not
// fit the budget whole. Regex-based per language family, no parser: good enough to tell the model
// what a file offers, cheap enough to run on every file of a large repository.

interface Lang {
  /** Matches at the start of a line that declares something worth listing (multiline, global). */
  decl: RegExp;
}

// Written with [ \t] rather than \s, so a match never starts on one line and runs into the next.
const LANGS: Array<[RegExp, Lang]> = [
  [/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, { decl: /^(?:export[ \t]+(?:default[ \t]+)?(?:declare[ \t]+)?(?:abstract[ \t]+)?(?:async[ \t]+)?(?:function\*?|class|interface|type|enum|const|let|var|namespace|module)\b|export[ \t]+default\b|module\.exports\b|exports\.\w+[ \t]*=)/gm }],
  [/\.py$/, { decl: /^(?:[ \t]{0,8}(?:async[ \t]+)?def[ \t]+(?!_)\w+|[ \t]{0,8}def[ \t]+__init__|class[ \t]+\w+)/gm }],
  [/\.go$/, { decl: /^(?:func[ \t]+(?:\([^)\n]*\)[ \t]*)?[A-Z]\w*|type[ \t]+[A-Z]\w*|(?:var|const)[ \t]+[A-Z]\w*)/gm }],
  [/\.rs$/, { decl: /^(?:[ \t]*pub(?:\([^)\n]*\))?[ \t]+(?:async[ \t]+)?(?:unsafe[ \t]+)?(?:const[ \t]+)?(?:fn|struct|enum|trait|type|const|static|mod|union|macro)\b|[ \t]*impl\b|macro_rules!)/gm }],
  [/\.(java|kt|kts|scala|cs|swift|dart)$/, { decl: /^(?:[ \t]*(?:public|open|protected|internal|export)?[ \t]*(?:(?:static|final|abstract|sealed|data|override|async|partial)[ \t]+)*(?:class|interface|enum|record|struct|object|trait|fun|func|def|protocol|extension)\b|[ \t]*public[ \t]+[\w<>\[\], ?]+[ \t]+\w+[ \t]*\()/gm }],
  [/\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm)$/, { decl: /^(?:typedef\b|struct[ \t]+\w+[ \t]*\{|class[ \t]+\w+|enum\b|namespace[ \t]+\w+|#define[ \t]+[A-Z_]\w*|[A-Za-z_][\w \t*&:<>,]*[ \t][*&]?[A-Za-z_][\w:]*[ \t]*\([^;\n]*\)[ \t]*(?:const[ \t]*)?;?[ \t]*\{?[ \t]*$)/gm }],
  [/\.(rb|rake)$/, { decl: /^[ \t]*(?:def|class|module)[ \t]/gm }],
  [/\.php$/, { decl: /^(?:[ \t]*(?:(?:public|protected)[ \t]+)?(?:static[ \t]+)?function[ \t]+\w+|[ \t]*(?:abstract[ \t]+|final[ \t]+)?(?:class|interface|trait|enum)[ \t]+\w+)/gm }],
  [/\.lua$/, { decl: /^(?:local[ \t]+)?function[ \t]+[\w.:]+/gm }],
  [/\.(sh|bash|zsh)$/, { decl: /^(?:function[ \t]+)?[\w-]+[ \t]*\(\)[ \t]*\{?/gm }],
  [/\.(md|mdx|rst|adoc)$/, { decl: /^#{1,3}[ \t]+\S/gm }],
  [/\.sql$/, { decl: /^[ \t]*create[ \t]+(?:or[ \t]+replace[ \t]+)?(?:table|view|function|procedure|index|type)\b/gim }],
  [/\.(proto|graphql|gql|thrift)$/, { decl: /^[ \t]*(?:message|service|rpc|enum|type|interface|input|schema|struct)[ \t]+\w+/gm }],
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
  let line = 1;
  let counted = 0;
  for (const m of text.matchAll(lang.decl)) {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    counted = m.index;
    let end = lineEnd(m.index);
    let sig = text.slice(m.index, end);
    let last = line;
    // Join a parameter list that spans lines (up to 6 lines) so the signature is complete.
    for (let j = 1, depth = balance(sig); depth > 0 && j < 6 && end < text.length; j++) {
      const next = lineEnd(end + 1);
      sig += ' ' + text.slice(end + 1, next).trim();
      end = next;
      last++;
      depth = balance(sig);
    }
    sig = sig.replace(/\s*\{\s*$/, '').replace(/\s*(=>|=)\s*\{?\s*$/, '').trimEnd();
    if (sig.length > MAX_LINE) sig = sig.slice(0, MAX_LINE) + ' …';
    out.push({ line, last, sig });
  }
  return out;
}

/** The outline text of entries ("<line>: <signature>" each), or '' when there are none. */
export const renderOutline = (entries: readonly OutlineEntry[]): string => entries.map((e) => `${e.line}: ${e.sig}\n`).join('');

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
