// Byte-level BPE merging for one pre-split piece, exactly as HF tokenizers does it: repeatedly
// join the adjacent pair with the lowest merge rank, the leftmost one on a tie. Short pieces (the
// vast majority) use an array scan; long ones a binary heap over a linked list, so a 1 MB run of
// one letter costs O(n log n), not O(n²).
import type { MergeIndex, MergeTable } from './format';

const NONE = 0x7fffffff;
const SMALL = 96; // pieces up to this many bytes use the array scan
const POS = 2 ** 32; // heap keys are rank * POS + position

/** Slot bits for `merges` merges: load factor ≤ 1/2, ~1.5 probes a hit, ~2.5 a miss. */
function indexBits(merges: number): number {
  let bits = 1;
  while (1 << bits < 2 * merges) bits++;
  return bits;
}

/** A loaded BPE model: merge lookups by pair, and merging of token-id sequences. */
export class Bpe {
  readonly byteIds: Int32Array;
  readonly firstMergeId: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  // Open addressing, keys inline so a lookup touches one cache line: [left, right, merge] per
  // slot, merge -1 when empty.
  private readonly slots: Int32Array;
  private readonly shift: number;
  private readonly mask: number;
  private ranks = new Int32Array(SMALL);

  /** `index`: the merge index as `index()` gave it for this table (prebuilt, model.ts), else built here. */
  constructor(table: MergeTable, index?: MergeIndex) {
    this.byteIds = table.byteIds;
    this.firstMergeId = table.firstMergeId;
    this.left = table.left;
    this.right = table.right;
    const bits = index?.bits ?? indexBits(table.left.length);
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    if (index) {
      if (index.slots.length !== 3 << bits) throw new Error('tokenizer data is corrupt: merge index size');
      this.slots = index.slots;
      return;
    }
    const slots = new Int32Array(3 << bits);
    for (let h = 2; h < slots.length; h += 3) slots[h] = -1;
    for (let m = 0; m < table.left.length; m++) {
      const a = table.left[m]!;
      const b = table.right[m]!;
      let h = this.hash(a, b);
      while (slots[3 * h + 2] !== -1) h = (h + 1) & this.mask;
      slots[3 * h] = a;
      slots[3 * h + 1] = b;
      slots[3 * h + 2] = m;
    }
    this.slots = slots;
  }

  /** The merge index (the hash table of pairs), to be stored and given back to the constructor. */
  index(): MergeIndex {
    return { bits: 32 - this.shift, slots: this.slots };
  }

  private hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> this.shift;
  }

  /** Rank of the merge joining token `a` then token `b`, or NONE (0x7fffffff). */
  rank(a: number, b: number): number {
    const slots = this.slots;
    for (let h = this.hash(a, b); ; h = (h + 1) & this.mask) {
      const m = slots[3 * h + 2]!;
      if (m === -1) return NONE;
      if (slots[3 * h] === a && slots[3 * h + 1] === b) return m;
    }
  }

  /** Merges `ids[0..n)` (byte token ids) in place; returns the number of tokens left in `ids`. */
  merge(ids: Int32Array, n: number): number {
    return n <= SMALL ? this.mergeSmall(ids, n) : this.mergeLarge(ids, n);
  }

  private mergeSmall(ids: Int32Array, n: number): number {
    const ranks = this.ranks;
    const first = this.firstMergeId;
    for (let i = 0; i < n - 1; i++) ranks[i] = this.rank(ids[i]!, ids[i + 1]!);
    while (n > 1) {
      let best = NONE;
      let at = -1;
      for (let i = 0; i < n - 1; i++) {
        if (ranks[i]! < best) {
          best = ranks[i]!;
          at = i;
        }
      }
      if (at < 0) break;
      ids[at] = first + best;
      n--;
      // Close the gap left by ids[at + 1] (plain loops: n is small, a builtin call costs more).
      for (let i = at + 1; i < n; i++) ids[i] = ids[i + 1]!;
      for (let i = at + 1; i < n - 1; i++) ranks[i] = ranks[i + 1]!;
      if (at + 1 < n) ranks[at] = this.rank(ids[at]!, ids[at + 1]!);
      if (at > 0) ranks[at - 1] = this.rank(ids[at - 1]!, ids[at]!);
    }
    return n;
  }

  private mergeLarge(ids: Int32Array, n: number): number {
    const first = this.firstMergeId;
    const { left, right } = this;
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    // Each merge pops one entry and pushes at most two, so at most 2n entries are ever live.
    const heap = new Float64Array(2 * n + 2);
    let size = 0;
    const push = (key: number) => {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p]! <= key) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = key;
    };
    const pop = (): number => {
      const top = heap[0]!;
      const last = heap[--size]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && heap[c + 1]! < heap[c]!) c++;
        if (heap[c]! >= last) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
      return top;
    };
    for (let i = 0; i < n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      if (i + 1 < n) {
        const r = this.rank(ids[i]!, ids[i + 1]!);
        if (r !== NONE) push(r * POS + i);
      }
    }
    while (size > 0) {
      const key = pop();
      const r = Math.floor(key / POS);
      const pos = key - r * POS;
      const q = next[pos]!;
      // Stale entries: the left token was merged away, or the pair at pos is no longer (left, right).
      if (ids[pos] === -1 || q >= n || ids[pos] !== left[r] || ids[q] !== right[r]) continue;
      ids[pos] = first + r;
      ids[q] = -1;
      const after = next[q]!;
      next[pos] = after;
      if (after < n) {
        prev[after] = pos;
        const r2 = this.rank(ids[pos], ids[after]!);
        if (r2 !== NONE) push(r2 * POS + pos);
      }
      const before = prev[pos]!;
      if (before >= 0) {
        const r1 = this.rank(ids[before]!, ids[pos]);
        if (r1 !== NONE) push(r1 * POS + before);
      }
    }
    let k = 0;
    for (let i = 0; i < n; i = next[i]!) ids[k++] = ids[i]!;
    return k;
  }
}
