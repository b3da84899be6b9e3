// Term statistics of a file's text, for ranking by what the question says: how often each word
// occurs (identifiers split at camelCase and snake_case, lower-cased, and compound identifiers also
// whole, so `InsertQueryBuilder` matches as one rare term as well as three common ones), and which
// names the file defines (after class, def, function, func, fn, fun, interface, type, struct, enum,
// trait, const, let, var). Words are kept as 32-bit hashes in sorted typed arrays: a file's
// statistics cost a few bytes a distinct word, cross threads without copying strings, and one scan
// of the text makes them (about 60 MB/s), so they are made once per content, on the readers. The same
// scan keeps the defined names as text too, with their line and kind (definitions.ts), for `@` symbols.
import { DefinitionCollector, type FileSymbols } from './definitions';

/** A file's words and definitions, as hashes (`termHash`), ascending. */
export interface TermStats {
  keys: Uint32Array;
  /** Occurrences of each of `keys` (capped at 65,535). */
  counts: Uint16Array;
  /** Words in the text (its length, for BM25). */
  length: number;
  /** Names the file defines, as hashes of the whole lower-cased name. */
  defs: Uint32Array;
  /**
   * The definitions that open their line, as text with line and kind (definitions.ts), for `@` symbols; absent when
   * there are none (most files of many repositories: nothing to copy between threads).
   */
  symbols?: FileSymbols;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;
/** Mixed into a compound identifier's hash, so `foobar` written whole never equals parts `foo`+`bar` hashed alike. */
const WHOLE = 0x5bd1e995;

/** The hash of a lower-case word as `termStats` keeps it (a single word, or a compound identifier's parts joined). */
export function termHash(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** The hash a compound identifier is kept under whole (lower-case, underscores kept: `model_dump`). */
export function wholeHash(identifier: string): number {
  return (termHash(identifier.toLowerCase()) ^ WHOLE) >>> 0;
}

// Keywords after which the next identifier is a definition (hashes of the lower-case keyword).
const DEF_KEYWORDS = new Set(
  'class def function func fn fun interface type struct enum trait const let var module object protocol macro_rules'
    .split(' ')
    .map(termHash),
);

/** Paths of the languages whose methods have no keyword (`  load(id) {` in a class): TypeScript and JavaScript. */
const METHODS = /\.[cm]?[jt]sx?$/i;
/** Paths of the languages whose methods follow their return type (`  public int load(int id) {`): Java and C#. */
const TYPED_METHODS = /\.(java|cs)$/i;

/** Paths of prose files (documentation, changelogs, plain text), where no word follows a keyword as a definition. */
const PROSE = /\.(md|mdx|markdown|rst|txt|adoc|asciidoc)$/i;

/** Open addressing table reused between calls (one thread runs one scan at a time). */
class Counter {
  keys = new Int32Array(1 << 12);
  vals = new Int32Array(1 << 12);
  slots = new Int32Array(1 << 11);
  used = 0;
  mask = (1 << 12) - 1;

  add(h: number): void {
    let s = (Math.imul(h, 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const v = this.vals[s]!;
      if (v === 0) {
        this.keys[s] = h;
        this.vals[s] = 1;
        this.slots[this.used++] = s;
        if (this.used * 2 > this.mask) this.grow();
        return;
      }
      if (this.keys[s] === h) {
        this.vals[s] = v + 1;
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** The counted keys ascending with their counts; resets the table. */
  take(): { keys: Uint32Array; counts: Uint16Array } {
    const n = this.used;
    const keys = new Uint32Array(n);
    for (let j = 0; j < n; j++) keys[j] = this.keys[this.slots[j]!]! >>> 0;
    keys.sort();
    const counts = new Uint16Array(n);
    for (let j = 0; j < n; j++) {
      const h = keys[j]! | 0;
      let s = (Math.imul(h, 0x9e3779b1) >>> 0) & this.mask;
      while (this.keys[s] !== h) s = (s + 1) & this.mask;
      counts[j] = Math.min(65535, this.vals[s]!);
    }
    for (let j = 0; j < n; j++) this.vals[this.slots[j]!] = 0;
    this.used = 0;
    return { keys, counts };
  }

  private grow(): void {
    const { keys, vals } = this;
    const old = this.slots.subarray(0, this.used);
    const size = keys.length * 2;
    this.keys = new Int32Array(size);
    this.vals = new Int32Array(size);
    this.slots = new Int32Array(size >> 1);
    this.mask = size - 1;
    let m = 0;
    for (const slot of old) {
      const k = keys[slot]!;
      let s = (Math.imul(k, 0x9e3779b1) >>> 0) & this.mask;
      while (this.vals[s] !== 0) s = (s + 1) & this.mask;
      this.keys[s] = k;
      this.vals[s] = vals[slot]!;
      this.slots[m++] = s;
    }
    this.used = m;
  }
}

const counter = new Counter();
const collector = new DefinitionCollector(termHash);

/** What `termStats` keeps besides the words. */
export interface TermOptions {
  /** Keep the definitions as text (`TermStats.symbols`; default true): false for text that is no file. */
  symbols?: boolean;
}

/**
 * The term statistics of `text` (and of `path`'s words, which count three times: a file is named for what it holds).
 */
export function termStats(text: string, path = '', opts: TermOptions = {}): TermStats {
  const defs: number[] = [];
  // Prose defines nothing: "let them know", "type a name" in a changelog are words, not definitions.
  const prose = PROSE.test(path);
  const symbols = !prose && opts.symbols !== false ? collector : undefined;
  symbols?.reset(text, METHODS.test(path) ? 'untyped' : TYPED_METHODS.test(path) ? 'typed' : undefined);
  let length = scan(text, prose ? undefined : defs, symbols);
  for (let k = 0; k < 3; k++) length += scan(path, undefined, undefined);
  const { keys, counts } = counter.take();
  const found = symbols?.take();
  return { keys, counts, length, defs: Uint32Array.from(new Set(defs)).sort(), ...(found ? { symbols: found } : {}) };
}

/**
 * Counts the words of `text` into the shared counter; with `defs`, collects the names defined (and gives them to
 * `symbols`, reset to `text`). Returns the words counted.
 */
function scan(text: string, defs: number[] | undefined, symbols: DefinitionCollector | undefined): number {
  let length = 0;
  const n = text.length;
  let i = 0;
  let defining = false;
  let keywordAt = 0;
  let keyword = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36)) {
      // Only blanks, `*` (a Go receiver's pointer, a generator) and a Go receiver's parentheses keep a definition open.
      if (defining && !(c === 32 || c === 9 || c === 42)) {
        if (c === 40 && defs) {
          const close = text.indexOf(')', i);
          if (close > i && close - i < 80 && !text.slice(i, close).includes('\n')) {
            i = close + 1;
            continue;
          }
        }
        defining = false;
      }
      i++;
      continue;
    }
    const start = i;
    let whole = FNV_OFFSET;
    let part = FNV_OFFSET;
    let partLen = 0;
    let parts = 0;
    let prevLower = false;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        part = Math.imul(part ^ c, FNV_PRIME);
        whole = Math.imul(whole ^ c, FNV_PRIME);
        partLen++;
        prevLower = true;
      } else if (c >= 65 && c <= 90) {
        if (prevLower) {
          if (partLen >= 2) {
            counter.add(part);
            length++;
          }
          parts++;
          part = FNV_OFFSET;
          partLen = 0;
        }
        c += 32;
        part = Math.imul(part ^ c, FNV_PRIME);
        whole = Math.imul(whole ^ c, FNV_PRIME);
        partLen++;
        prevLower = false;
      } else if (c === 95 || c === 36) {
        if (partLen >= 2) {
          counter.add(part);
          length++;
        }
        if (partLen) parts++;
        part = FNV_OFFSET;
        partLen = 0;
        prevLower = false;
        whole = Math.imul(whole ^ c, FNV_PRIME);
      } else break;
    }
    if (partLen >= 2) {
      counter.add(part);
      length++;
    }
    if (partLen) parts++;
    const wholeKey = (whole ^ WHOLE) >>> 0;
    if (parts > 1) counter.add(wholeKey | 0);
    if (defs) {
      if (defining) {
        defs.push(wholeKey);
        symbols?.add(keywordAt, keyword, start, i);
        defining = false;
      } else if (parts === 1 && DEF_KEYWORDS.has(whole >>> 0)) {
        defining = true;
        keywordAt = start;
        keyword = whole >>> 0;
      } else if (text.charCodeAt(i) === 40) symbols?.method(start, i);
    }
  }
  return length;
}

/** Occurrences of the term hashed `key` in `stats` (0 when absent). */
export function countOf(stats: TermStats, key: number): number {
  const keys = stats.keys;
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid]!;
    if (k === key) return stats.counts[mid]!;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/** True when `stats` defines the name hashed `key` (`wholeHash`). */
export function definesName(stats: TermStats, key: number): boolean {
  const defs = stats.defs;
  let lo = 0;
  let hi = defs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = defs[mid]!;
    if (k === key) return true;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
