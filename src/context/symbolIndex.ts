// The workspace's symbols as the composer's `@` completes them, without a language server: the names each
// file defines (place/definitions.ts, kept by the scan that makes its term statistics), queried on every
// keystroke. Case-insensitive; an exact name first, then a name that starts with the query, then one where
// it starts a camelCase or snake_case part (`builder`, `QueryBuilder` find `InsertQueryBuilder`) or spells
// its parts' initials (`qb`, `iqb`), then one that merely contains it. Fast on 100,000 files (1.5 million
// names): the names are kept sorted by their first ten characters (a radix sort), so the names that start
// with the query are one range found by binary search; only when those do not fill the list is one
// lower-cased string of every name searched (and one of their initials; a longer query typed after a
// shorter one checks only where the shorter one was found). Rebuilt whole on an update (bench:mentions
// measures both).
import { SYMBOL_KINDS, type FileSymbols, type SymbolKind } from './place/definitions';
import { initialsOf, KEY_CHARS, sortKey, startsPart } from './symbolNames';

/** One completion: a symbol, where it is defined, and its score (higher is better). */
export interface SymbolMatch {
  name: string;
  /** The defining file's workspace label. */
  label: string;
  /** 1-based line of the definition. */
  line: number;
  kind: SymbolKind;
  score: number;
}

/** A candidate: its symbol id (file order), its score. */
type Hit = [symbol: number, score: number];

const EXACT = 5000;
const PREFIX = 4000;
const PART = 3000;
const INITIALS = 2500;
const CONTAINS = 1000;
/** A query is at most this long (characters); longer ones are cut. */
const MAX_QUERY = 120;
/** Kinds that name a type rank a little above functions, functions above variables (by SYMBOL_KINDS index). */
const KIND_BONUS = [30, 20, 30, 30, 30, 30, 0, 0, 10, 10];
const MAX_BONUS = 30;
/** Most places where the last query was found that are kept to narrow the next one. */
const MAX_KEPT = 200_000;

export class SymbolIndex {
  private files: { label: string; symbols: FileSymbols }[] = [];
  /** Per file, its first symbol's id (and the count at the end). */
  private firstSymbol: Int32Array = new Int32Array(1);
  /** Every name lower-cased, each after a `\n` and the last followed by one. */
  private hay = '\n';
  /** Per symbol, where its name starts in `hay`. */
  private starts: Int32Array = new Int32Array(0);
  /** Every name's parts' initials (`InsertQueryBuilder` → `iqb`), in the same way, and where each starts. */
  private initials = '\n';
  private initialStarts: Int32Array = new Int32Array(0);
  /** Symbol ids by their name's first 2 × KEY_CHARS characters. */
  private sorted = new Uint32Array(0);
  /** The last query's places in `hay` (inside names) and in `initials`, when not too many. */
  private last: { q: string; inside: number[]; initials: number[] } | undefined;

  /** Files with at least one symbol. */
  get fileCount(): number {
    return this.files.length;
  }

  /** Symbols in the index. */
  get symbolCount(): number {
    return this.starts.length;
  }

  /**
   * Replaces what the index holds with `files` (label and definitions each); nothing is rebuilt when every file has
   * the same definitions object as in the last update.
   */
  update(files: Iterable<readonly [label: string, symbols: FileSymbols]>): void {
    const next = [...files].filter(([, s]) => s.at.length > 0).map(([label, symbols]) => ({ label, symbols }));
    const same =
      next.length === this.files.length &&
      next.every((f, i) => f.symbols === this.files[i]!.symbols && f.label === this.files[i]!.label);
    if (same) return;
    this.files = next;
    this.build();
  }

  private build(): void {
    const first = new Int32Array(this.files.length + 1);
    let count = 0;
    this.files.forEach((f, i) => {
      first[i] = count;
      count += f.symbols.at.length;
    });
    first[this.files.length] = count;
    this.firstSymbol = first;
    const original = '\n' + this.files.map((f) => f.symbols.names).join('');
    const hay = original.toLowerCase(); // ASCII identifiers: the same offsets
    const starts = new Int32Array(count);
    for (let s = 0, at = 1; s < count; s++, at = hay.indexOf('\n', at) + 1) starts[s] = at;
    this.hay = hay;
    this.starts = starts;
    [this.initials, this.initialStarts] = initialsOf(original, count);
    // Three stable 10-bit radix passes by the second key, three by the first: sorted by the first ten characters.
    const keys = [new Uint32Array(count), new Uint32Array(count)] as const;
    for (let s = 0; s < count; s++) {
      const at = starts[s]!;
      const length = this.nameEnd(s) - at;
      keys[0][s] = sortKey(hay, at, length, 0);
      keys[1][s] = sortKey(hay, at, length, 1);
    }
    let order = new Uint32Array(count);
    for (let s = 0; s < count; s++) order[s] = s;
    for (const key of [keys[1], keys[0]])
      for (let shift = 0; shift < 30; shift += 10) {
        const buckets = new Int32Array(1025);
        for (let i = 0; i < count; i++) buckets[((key[order[i]!]! >>> shift) & 1023) + 1]!++;
        for (let b = 1; b <= 1024; b++) buckets[b]! += buckets[b - 1]!;
        const next = new Uint32Array(count);
        for (let i = 0; i < count; i++) next[buckets[(key[order[i]!]! >>> shift) & 1023]!++] = order[i]!;
        order = next;
      }
    this.sorted = order;
    this.last = undefined;
  }

  /** The sort keys of symbol `s` (its first ten characters) compared with `k0`, `k1`: <0, 0, >0. */
  private compareKey(s: number, k0: number, k1: number): number {
    const at = this.starts[s]!;
    const length = this.nameEnd(s) - at;
    const d = sortKey(this.hay, at, length, 0) - k0;
    return d || sortKey(this.hay, at, length, 1) - k1;
  }

  /** The first place in `sorted` whose keys are `k0`, `k1` or above. */
  private lowerBound(k0: number, k1: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKey(this.sorted[mid]!, k0, k1) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The best `limit` symbols for `query` (typed after `@`, case-insensitive), best first. */
  query(query: string, limit = 8): SymbolMatch[] {
    const q = query
      .toLowerCase()
      .replace(/[^\w$]/g, '')
      .slice(0, MAX_QUERY);
    if (!q || limit <= 0) return [];
    const best = new Best(limit);
    this.starting(q, best);
    // Any name that starts with the query ranks above every other: only when they do not fill the list, look further.
    if (!best.full) {
      const found = new Map<number, Hit>();
      const narrow = this.last && q.startsWith(this.last.q) ? this.last : undefined;
      const inside = this.inside(q, best, found, narrow?.inside);
      const initials = q.length >= 2 ? this.byInitials(q, best, found, narrow?.initials) : [];
      this.last = inside.length + initials.length <= MAX_KEPT ? { q, inside, initials } : undefined;
    }
    return best.sorted().map(([s, score]) => {
      const fi = this.fileOf(s);
      const { label, symbols } = this.files[fi]!;
      const at = symbols.at[s - this.firstSymbol[fi]!]!;
      const name = symbols.names.slice(this.local(fi, this.starts[s]!), this.local(fi, this.nameEnd(s)));
      return { name, label, line: at >>> 4, kind: SYMBOL_KINDS[at & 15]!, score };
    });
  }

  /** The names that are `q` or start with it: one range of the sorted names. */
  private starting(q: string, best: Best): void {
    const from = this.lowerBound(sortKey(q, 0, q.length, 0), sortKey(q, 0, q.length, 1));
    const to = this.lowerBound(sortKey(q, 0, q.length, 0, 63), sortKey(q, 0, q.length, 1, 63) + 1);
    const check = q.length > 2 * KEY_CHARS; // the keys hold only the first characters
    for (let i = from; i < to; i++) {
      const s = this.sorted[i]!;
      const at = this.starts[s]!;
      const length = this.nameEnd(s) - at;
      const tier = length === q.length ? EXACT : PREFIX;
      if (!best.mayTake(tier + MAX_BONUS - Math.min(400, length * 8))) continue;
      if (!check || this.hay.startsWith(q, at)) best.add([s, this.score(s, tier, length)]);
    }
  }

  /**
   * The names that contain `q` past their start, scored by where (a part's start, or inside), looked for at `only`
   * (where a shorter query was found) when given; returns where it was found.
   */
  private inside(q: string, best: Best, found: Map<number, Hit>, only?: number[]): number[] {
    const { hay } = this;
    const places: number[] = [];
    const each = (p: number) => {
      places.push(p);
      const end = hay.indexOf('\n', p);
      const start = hay.lastIndexOf('\n', p) + 1;
      const length = end - start;
      if (found.has(this.symbolAt(start)) || !best.mayTake(PART + MAX_BONUS - Math.min(400, length * 8))) return;
      const s = this.symbolAt(start);
      const fi = this.fileOf(s);
      let tier = CONTAINS;
      for (let at = p; at >= 0 && at + q.length <= end; at = hay.indexOf(q, at + 1))
        if (startsPart(this.files[fi]!.symbols.names, this.local(fi, at))) {
          tier = PART;
          break;
        }
      const hit: Hit = [s, this.score(s, tier, length)];
      found.set(s, hit);
      best.add(hit);
    };
    if (only) {
      for (const p of only) if (hay.startsWith(q, p)) each(p);
      return places;
    }
    for (let p = hay.indexOf(q, 1); p >= 0; p = hay.indexOf(q, p + 1)) if (hay.charCodeAt(p - 1) !== 10) each(p);
    return places;
  }

  /**
   * The names whose parts' initials contain `q` (that do not start with it), unless found scoring higher; looked for
   * at `only` when given; returns where it was found.
   */
  private byInitials(q: string, best: Best, found: Map<number, Hit>, only?: number[]): number[] {
    const { initials, initialStarts, hay } = this;
    const places: number[] = [];
    const each = (p: number) => {
      places.push(p);
      const s = upperBound(initialStarts, p) - 1;
      const at = this.starts[s]!;
      const length = this.nameEnd(s) - at;
      if (hay.startsWith(q, at) || !best.mayTake(INITIALS + MAX_BONUS - Math.min(400, length * 8))) return;
      const score = this.score(s, INITIALS, length);
      const there = found.get(s);
      if (there && there[1] >= score) return;
      if (there) there[1] = score; // Best holds the same array
      else best.add([s, score]);
    };
    if (only) {
      for (const p of only) if (initials.startsWith(q, p)) each(p);
      return places;
    }
    for (let p = initials.indexOf(q, 1); p >= 0; p = initials.indexOf(q, p + 1)) each(p);
    return places;
  }

  /** A name's score in `tier`: shorter names, then type-like kinds, first. */
  private score(s: number, tier: number, length: number): number {
    const fi = this.fileOf(s);
    const kind = this.files[fi]!.symbols.at[s - this.firstSymbol[fi]!]! & 15;
    return tier - Math.min(400, length * 8) + KIND_BONUS[kind]!;
  }

  /** Where symbol `s`'s name ends in `hay` (its `\n`). */
  private nameEnd(s: number): number {
    return (s + 1 < this.starts.length ? this.starts[s + 1]! : this.hay.length) - 1;
  }

  /** The symbol whose name starts at `at` of `hay`. */
  private symbolAt(at: number): number {
    return upperBound(this.starts, at) - 1;
  }

  /** The file of symbol `s`. */
  private fileOf(s: number): number {
    return upperBound(this.firstSymbol, s) - 1;
  }

  /** Offset `at` of `hay` as an offset in file `fi`'s own names. */
  private local(fi: number, at: number): number {
    return at - this.starts[this.firstSymbol[fi]!]!;
  }
}

/** The first index of ascending `xs` whose value is above `v`. */
function upperBound(xs: Int32Array, v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The best `k` hits by score, kept with a cheap cut instead of sorting every match. */
class Best {
  private items: Hit[] = [];
  private floor = -Infinity;

  constructor(private readonly k: number) {}

  /** True when `k` hits are held. */
  get full(): boolean {
    this.cut();
    return this.items.length >= this.k;
  }

  /** False when a hit of this score could not get in. */
  mayTake(score: number): boolean {
    return this.items.length < this.k || score > this.floor;
  }

  add(hit: Hit): void {
    if (this.items.length >= this.k && hit[1] <= this.floor) return;
    this.items.push(hit);
    if (this.items.length >= this.k * 4) this.cut();
  }

  sorted(): Hit[] {
    this.cut();
    return this.items;
  }

  private cut(): void {
    // Ties: the symbol found first (files in the index's order, stable from run to run).
    this.items.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    this.items.length = Math.min(this.items.length, this.k);
    if (this.items.length >= this.k) this.floor = this.items[this.items.length - 1]![1];
  }
}
