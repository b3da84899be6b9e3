// The names a file defines, with their line and kind, as the composer's `@` offers them (symbolIndex.ts).
// Made by the scan that makes a file's term statistics (terms.ts), which already stops at every word
// after a definition keyword (class, def, function, func, fn, fun, interface, type, struct, enum, trait,
// const, let, var, module, object, protocol): this file only turns such a stop into a symbol, so no
// second pass over the text is made. A stop counts when the keyword opens its line (after indentation
// and modifiers such as `export`, `pub(crate)`, `async`): "a class Foo" in a comment does not, nor does
// `for (let i`; a variable counts only at the top level (no indentation). TypeScript and JavaScript
// methods have no keyword: an indented line that opens with a name and its parameters and ends with `{`
// (`  async load(id: string): Promise<void> {`) is one; a call (`  load(id);`, `  it('x', () => {`) is
// not. Compact: one string of names and one typed array per file, not an object per symbol.

/** The kinds a symbol of the index has (VS Code's names, lower case), by index. */
export const SYMBOL_KINDS = [
  'class',
  'function',
  'interface',
  'type',
  'struct',
  'enum',
  'constant',
  'variable',
  'module',
  'method',
] as const;
export type SymbolKind = (typeof SYMBOL_KINDS)[number];

/** The definitions of one file, in file order. */
export interface FileSymbols {
  /** The names, each followed by `\n`. */
  names: string;
  /** For each name: its 1-based line << 4 | its kind's index in SYMBOL_KINDS. */
  at: Uint32Array;
}

/** A file that defines nothing. */
export const NO_SYMBOLS: FileSymbols = { names: '', at: new Uint32Array(0) };

/** Most symbols kept for one file (a generated file of 50,000 constants would crowd the index). */
export const MAX_FILE_SYMBOLS = 2000;
/** Longest name kept (characters). */
const MAX_NAME = 120;

/** Added to a kind's index: the keyword counts only at the top level. */
const TOP_LEVEL = 16;

/** The kind of a definition keyword (its lower-case text), and whether it counts only at the top level. */
const KEYWORD_KINDS: Record<string, [SymbolKind, boolean]> = {
  class: ['class', false],
  object: ['class', false],
  def: ['function', false],
  function: ['function', false],
  func: ['function', false],
  fn: ['function', false],
  fun: ['function', false],
  interface: ['interface', false],
  trait: ['interface', false],
  protocol: ['interface', false],
  type: ['type', false],
  struct: ['struct', false],
  enum: ['enum', false],
  module: ['module', false],
  const: ['constant', true],
  let: ['variable', true],
  var: ['variable', true],
};

/** What may stand before a definition keyword on its line: indentation and modifiers. */
const LEAD =
  /^[ \t]*(?:(?:export|default|declare|abstract|async|static|public|private|protected|internal|open|final|sealed|data|unsafe|extern|local|inline|override|partial|readonly|pub(?:\([\w:]*\))?)[ \t]+)*$/;

/** What may stand before a method's name on its line, besides indentation and a generator's `*`. */
const MODIFIERS = new Set(
  'async static public private protected override readonly abstract declare get set'.split(' '),
);
/** The index of 'method' in SYMBOL_KINDS. */
const METHOD_KIND = SYMBOL_KINDS.indexOf('method');
/** What a call's line has and a method's does not: `;`, an arrow, `function`, a string as the first argument. */
const CALL = /;|=>|\bfunction\b|^\(\s*['"`]/;
/** Words that open a line with `(` and a block without being methods. */
const NOT_METHODS = new Set(
  'if for while switch catch with return function constructor super await typeof new do else yield'.split(' '),
);

/**
 * What stands before a Java or C# method's name on its line: indentation, annotations, modifiers, type parameters,
 * and the type it returns (group 1; none for a constructor, whose name is its class's, kept already).
 */
const TYPED_LEAD =
  /^[ \t]+(?:(?:@[\w.]+(?:\([^)\n]*\))?[ \t]+)*(?:(?:public|protected|private|internal|static|final|abstract|synchronized|native|default|strictfp|override|virtual|async|sealed|extern|unsafe|partial|readonly)[ \t]+)*)(?:<[^\n()]*?>[ \t]+)?([\w$.]+(?:<[^\n()]*>)?(?:\[\])*\??[ \t]+)?$/;
/** Words in a type's place before a name and `(` that make the line a statement, not a method. */
const NOT_TYPES = new Set('return new else throw case goto yield await in is as out ref using lock'.split(' '));

/** How a language's methods look, for `method`: with no keyword (TypeScript, JavaScript), or after a type. */
export type MethodStyle = 'untyped' | 'typed';

/**
 * Collects one file's definitions while terms.ts scans it (one collector per thread: a scan runs to its end
 * before the next starts).
 */
export class DefinitionCollector {
  /** The definition keywords' hashes, and for each its kind's index (+ TOP_LEVEL when only top-level ones count). */
  private readonly keywords: Uint32Array;
  private readonly kinds: Uint8Array;
  private text = '';
  private names: string[] = [];
  private at: number[] = [];
  /** The names so far, once there are many (a few are compared one by one). */
  private seen: Set<string> | undefined;
  private line = 1;
  private counted = 0;

  /** @param hash the hash terms.ts keeps a lower-case keyword under */
  constructor(hash: (word: string) => number) {
    const entries = Object.entries(KEYWORD_KINDS);
    this.keywords = Uint32Array.from(entries, ([word]) => hash(word));
    this.kinds = Uint8Array.from(entries, ([, [kind, top]]) => SYMBOL_KINDS.indexOf(kind) + (top ? TOP_LEVEL : 0));
  }

  /** How the file's methods look, when they have no keyword (`method` is called for names before a `(`). */
  private methods: MethodStyle | undefined;

  /** Starts a file (the last one's definitions were taken); `methods`: how its language's methods look, if known. */
  reset(text: string, methods?: MethodStyle): void {
    this.text = text;
    this.methods = methods;
    this.line = 1;
    this.counted = 0;
  }

  /**
   * The name at [nameStart, nameEnd) follows the keyword hashed `keyword` at `kwStart` (offsets in UTF-16 units): kept
   * when the keyword opens its line and the name is new in this file.
   */
  add(kwStart: number, keyword: number, nameStart: number, nameEnd: number): void {
    const k = this.keywords.indexOf(keyword);
    if (k < 0 || this.names.length >= MAX_FILE_SYMBOLS || nameEnd - nameStart > MAX_NAME) return;
    const kind = this.kinds[k]!;
    const text = this.text;
    const lineStart = text.lastIndexOf('\n', kwStart - 1) + 1;
    const first = text.charCodeAt(lineStart);
    if (kind >= TOP_LEVEL && (first === 32 || first === 9)) return; // a variable inside a body
    const lead = kwStart - lineStart;
    if (lead && !(lead === 7 && text.startsWith('export ', lineStart))) {
      if (lead > 80 || !LEAD.test(text.slice(lineStart, kwStart))) return;
    }
    this.keep(text.slice(nameStart, nameEnd), kwStart, kind & (TOP_LEVEL - 1));
  }

  /**
   * The name at [nameStart, nameEnd) is followed by `(`: kept as a method when the file's language has methods
   * without a keyword, the name opens its indented line (after modifiers) and the line ends with `{` and has nothing
   * only a call has (CALL: `;`, a callback, a string first).
   */
  method(nameStart: number, nameEnd: number): void {
    if (!this.methods || this.names.length >= MAX_FILE_SYMBOLS) return;
    const text = this.text;
    if (this.methods === 'typed' ? !this.typedLead(nameStart) : !this.untypedLead(nameStart)) return;
    if (nameEnd - nameStart > MAX_NAME || NOT_METHODS.has(text.slice(nameStart, nameEnd))) return;
    let end = text.indexOf('\n', nameEnd);
    if (end < 0) end = text.length;
    let e = end - 1;
    for (let c = text.charCodeAt(e); c === 32 || c === 9 || c === 13; c = text.charCodeAt(--e));
    if (e - nameEnd > 400) return;
    // The line ends with `{`, or (Java, C#) the next line is one.
    let rest: string;
    if (text.charCodeAt(e) === 123) rest = text.slice(nameEnd, e);
    else if (this.methods === 'typed' && /^[ \t]*\{[ \t\r]*(?:\n|$)/.test(text.slice(end + 1, end + 200)))
      rest = text.slice(nameEnd, e + 1);
    else return;
    if (!rest.includes(')') || CALL.test(rest)) return;
    this.keep(text.slice(nameStart, nameEnd), nameStart, METHOD_KIND);
  }

  /** Only blanks, modifiers and a generator's `*` before the name on its line, at least one of them. */
  private untypedLead(nameStart: number): boolean {
    const text = this.text;
    let p = nameStart - 1;
    for (;;) {
      let c = text.charCodeAt(p);
      const blanks = p;
      while (c === 32 || c === 9 || c === 42) c = text.charCodeAt(--p);
      if (c === 10 || p < 0) break;
      if (p === blanks || c < 97 || c > 122) return false; // `.load(`, `= load(`, `(load(`: a call
      const wordEnd = p + 1;
      while (c >= 97 && c <= 122) c = text.charCodeAt(--p);
      if (!MODIFIERS.has(text.slice(p + 1, wordEnd))) return false; // `return load(`, `new Load(`
    }
    return p !== nameStart - 1; // indented
  }

  /**
   * Java and C#: indentation, annotations, modifiers, type parameters and a return type before the name (TYPED_LEAD);
   * `return load(`, `new Load(`, `x = load(` and a bare `load(` are calls.
   */
  private typedLead(nameStart: number): boolean {
    const text = this.text;
    // Blanks, then a type's last character (a letter, digit, `_`, `$`, `>`, `]` or `?`): most calls end here.
    let p = nameStart - 1;
    while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p--;
    if (p === nameStart - 1 || p < 0 || !/[\w$>\]?]/.test(text[p]!)) return false;
    const lineStart = text.lastIndexOf('\n', nameStart - 1) + 1;
    if (nameStart - lineStart > 200) return false;
    const type = TYPED_LEAD.exec(text.slice(lineStart, nameStart))?.[1]?.trimEnd();
    return !!type && !NOT_TYPES.has(type);
  }

  /** Keeps `name` (new in this file) at the line of offset `at`, of the kind at `kind` in SYMBOL_KINDS. */
  private keep(name: string, at: number, kind: number): void {
    if (this.isSeen(name)) return;
    const text = this.text;
    for (let i = text.indexOf('\n', this.counted); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) this.line++;
    this.counted = at;
    this.names.push(name);
    this.at.push((this.line << 4) | kind);
  }

  /** True when `name` was kept already (then not again: one entry a name and file). */
  private isSeen(name: string): boolean {
    if (this.seen) return this.seen.has(name) || (this.seen.add(name), false);
    if (this.names.length < 32) return this.names.includes(name);
    this.seen = new Set(this.names);
    return this.isSeen(name);
  }

  /** The file's definitions (undefined: none); the collector is then empty. */
  take(): FileSymbols | undefined {
    this.text = '';
    if (!this.names.length) return undefined;
    this.names.push(''); // each name followed by \n, in one flat string
    const out = { names: this.names.join('\n'), at: Uint32Array.from(this.at) };
    this.names.length = 0;
    this.at.length = 0;
    this.seen = undefined;
    return out;
  }
}

/** The number of symbols in `s`. */
export const symbolCount = (s: FileSymbols): number => s.at.length;

/** The 1-based line of symbol `i` of `s`. */
export const symbolLine = (s: FileSymbols, i: number): number => s.at[i]! >>> 4;

/** The kind of symbol `i` of `s`. */
export const symbolKind = (s: FileSymbols, i: number): SymbolKind => SYMBOL_KINDS[s.at[i]! & 15]!;
