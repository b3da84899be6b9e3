// The literals a rule's matches must contain, found once per text for all rules together. A rule whose pattern
// starts with a literal (`ghp_`, `AKIA`, `(?:Bearer|bearer)`) is its own prefilter, but each such rule is still a
// pass over the whole text (~50 rules, ~2 ms a MB each on code): one pass of a regex of every rule's literals tells
// which of them occur, and a rule none of whose literals occurs is skipped. Skipping it changes nothing: it could
// not have matched.

/** End (exclusive) of the character class that opens at `open` in `src`, or -1. */
function classEnd(src: string, open: number): number {
  for (let i = open + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']') return i + 1;
  }
  return -1;
}

/** End (exclusive) of the group that opens at `open` in `src`, or -1. */
function closeOf(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(src, i) - 1;
      if (i < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** `src` split at its top-level `|` (outside groups and classes). */
function alternatives(src: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[' || c === '(') {
      const end = c === '(' ? closeOf(src, i) : classEnd(src, i);
      if (end < 0) return [];
      i = end - 1;
    } else if (c === '|') {
      out.push(src.slice(start, i));
      start = i + 1;
    }
  }
  out.push(src.slice(start));
  return out;
}

/** Characters a pattern may escape to mean themselves. */
const ESCAPED_LITERAL = /^[.$/\-^*+?()[\]{}|\\~=:@#%&!,'"<> ]$/;

/** The literal text every match of `src` starts with ('' when it starts with anything else). */
function literalPrefix(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    let c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined || !ESCAPED_LITERAL.test(n)) break;
      c = n;
      i++;
    } else if ('[(.*+?{|^$)'.includes(c)) break;
    const next = src[i + 1];
    if (next === '?' || next === '*' || next === '{') break; // this character may be absent
    out += c;
    if (next === '+') break; // one or more: what follows need not follow it directly
  }
  return out;
}

/**
 * Literals one of which every match of `re` contains, read from its source: the literal each top-level alternative
 * starts with, after a leading lookbehind (which looks at what precedes a match). Undefined when some match need
 * not start with a literal, or the pattern ignores case.
 */
export function literalsOf(re: RegExp): string[] | undefined {
  if (re.flags.includes('i')) return undefined;
  let src = re.source;
  if (src.startsWith('(?<!') || src.startsWith('(?<=')) {
    const end = closeOf(src, 0);
    if (end < 0) return undefined;
    src = src.slice(end);
  }
  let alts = alternatives(src);
  if (alts.length === 1 && src.startsWith('(?:')) {
    const end = closeOf(src, 0);
    if (end < 0 || '?*{'.includes(src[end] ?? '?')) return undefined; // the group itself may be absent
    alts = alternatives(src.slice(3, end - 1));
  }
  const prefixes = alts.flatMap(literalStarts);
  return alts.length && prefixes.every((p) => p.length > 0) ? prefixes : undefined;
}

/**
 * The literals a match of `src` starts with: its literal prefix, and when a group of literal alternatives follows
 * it directly (`_(?:authToken|auth|password)`), the prefix with each of them.
 */
function literalStarts(src: string): string[] {
  const prefix = literalPrefix(src);
  const rest = src.slice(escapedLength(src, prefix.length));
  if (!prefix || !rest.startsWith('(?:')) return [prefix];
  const end = closeOf(rest, 0);
  if (end < 0 || '?*{'.includes(rest[end] ?? '?')) return [prefix];
  const alts = alternatives(rest.slice(3, end - 1)).map((a) => (literalPrefix(a) === a ? a : ''));
  return alts.every((a) => a.length > 0) ? alts.map((a) => prefix + a) : [prefix];
}

/** Characters of `src` that spell its first `n` literal characters (escapes count two). */
function escapedLength(src: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n; k++) i += src[i] === '\\' ? 2 : 1;
  return i;
}

/** Which of `literals` occur in a text, all found in one pass. */
export class LiteralSet {
  private readonly any: RegExp | undefined;
  private readonly byFirst = new Map<string, string[]>();

  constructor(literals: Iterable<string>) {
    const all = [...new Set(literals)].filter((l) => l.length > 0);
    for (const l of all) this.byFirst.set(l[0]!, [...(this.byFirst.get(l[0]!) ?? []), l]);
    this.any = all.length
      ? new RegExp(all.map((l) => l.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|'), 'g')
      : undefined;
  }

  /** The literals that occur in `text`. */
  foundIn(text: string): Set<string> {
    const found = new Set<string>();
    const any = this.any;
    if (!any) return found;
    // Every position where some literal starts, overlapping ones included: after a match, look again one further on.
    any.lastIndex = 0;
    for (let m = any.exec(text); m; m = any.exec(text)) {
      for (const l of this.byFirst.get(text[m.index]!)!) if (text.startsWith(l, m.index)) found.add(l);
      any.lastIndex = m.index + 1;
    }
    return found;
  }
}
