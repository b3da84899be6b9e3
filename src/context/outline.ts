// Outlines: a file reduced to its exported signatures (with line numbers), for files that do not
// fit the budget whole. Regex-based per language family, no parser: good enough to tell the model
// what a file offers, cheap enough to run on every file of a large repository.

interface Lang {
  /** A line that starts a declaration worth listing (tested on the line as written). */
  decl: RegExp;
}

const LANGS: Array<[RegExp, Lang]> = [
  [/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, { decl: /^(export\s+(default\s+)?(declare\s+)?(abstract\s+)?(async\s+)?(function\*?|class|interface|type|enum|const|let|var|namespace|module)\b|export\s+default\b|module\.exports\b|exports\.\w+\s*=)/ }],
  [/\.py$/, { decl: /^(\s{0,8}(async\s+)?def\s+(?!_)\w+|\s{0,8}def\s+__init__|class\s+\w+)/ }],
  [/\.go$/, { decl: /^(func\s+(\([^)]*\)\s*)?[A-Z]\w*|type\s+[A-Z]\w*|(var|const)\s+[A-Z]\w*)/ }],
  [/\.rs$/, { decl: /^\s*pub(\([^)]*\))?\s+(async\s+)?(unsafe\s+)?(const\s+)?(fn|struct|enum|trait|type|const|static|mod|union|macro)\b|^\s*impl\b|^macro_rules!/ }],
  [/\.(java|kt|kts|scala|cs|swift|dart)$/, { decl: /^\s*(public|open|protected|internal|export)?\s*(static\s+|final\s+|abstract\s+|sealed\s+|data\s+|override\s+|async\s+|partial\s+)*(class|interface|enum|record|struct|object|trait|fun|func|def|protocol|extension)\b|^\s*public\s+[\w<>\[\], ?]+\s+\w+\s*\(/ }],
  [/\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm)$/, { decl: /^(typedef\b|struct\s+\w+\s*\{|class\s+\w+|enum\b|namespace\s+\w+|#define\s+[A-Z_]\w*|[A-Za-z_][\w\s\*&:<>,]*\s[\*&]?[A-Za-z_][\w:]*\s*\([^;]*\)\s*(const\s*)?;?\s*\{?\s*$)/ }],
  [/\.(rb|rake)$/, { decl: /^\s*(def|class|module)\s/ }],
  [/\.php$/, { decl: /^\s*((public|protected)\s+)?(static\s+)?function\s+\w+|^\s*(abstract\s+|final\s+)?(class|interface|trait|enum)\s+\w+/ }],
  [/\.(lua)$/, { decl: /^(local\s+)?function\s+[\w.:]+/ }],
  [/\.(sh|bash|zsh)$/, { decl: /^(function\s+)?[\w-]+\s*\(\)\s*\{?/ }],
  [/\.(md|mdx|rst|adoc)$/, { decl: /^#{1,3}\s+\S/ }],
  [/\.(sql)$/, { decl: /^\s*create\s+(or\s+replace\s+)?(table|view|function|procedure|index|type)\b/i }],
  [/\.(proto|graphql|gql|thrift)$/, { decl: /^\s*(message|service|rpc|enum|type|interface|input|schema|struct)\s+\w+/ }],
];

const MAX_LINE = 200;

/** The outline text of a file ("<line>: <signature>" per declaration), or '' when there is nothing to list. */
export function outlineOf(path: string, text: string): string {
  const lang = LANGS.find(([re]) => re.test(path))?.[1];
  if (!lang) return '';
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lang.decl.test(lines[i]!)) continue;
    let sig = lines[i]!;
    // Join a parameter list that spans lines (up to 6 lines) so the signature is complete.
    for (let j = i + 1, depth = balance(sig); depth > 0 && j < lines.length && j < i + 6; j++) {
      sig += ' ' + lines[j]!.trim();
      depth = balance(sig);
    }
    sig = sig.replace(/\s*\{\s*$/, '').replace(/\s*(=>|=)\s*\{?\s*$/, '').trimEnd();
    if (sig.length > MAX_LINE) sig = sig.slice(0, MAX_LINE) + ' …';
    out.push(`${i + 1}: ${sig}`);
  }
  return out.length ? out.join('\n') + '\n' : '';
}

function balance(s: string): number {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')') d--;
  }
  return d;
}
