// A bounded cache from piece text to token count that finds a piece where it lies in the source
// string: no substring is made on a hit, which is nearly every lookup. A JavaScript Map would need a
// fresh string per lookup (allocation plus hashing by V8), and roughly doubled the cost of counting.
// Memory is fixed when the cache is made (about 7 MB with the defaults); when the entries or the
// character arena run out, the cache starts over, and the hot pieces come back within a few files.

/** Piece text → token count, for pieces of at most 255 UTF-16 units. */
export class PieceCache {
  private readonly slots: Int32Array; // entry index, or -1 when empty
  private readonly shift: number;
  private readonly hashes: Int32Array;
  private readonly offsets: Int32Array;
  private readonly lengths: Uint8Array;
  private readonly counts: Int32Array;
  private readonly chars: Uint16Array;
  private size = 0;
  private used = 0;
  private missHash = 0;
  private missSlot = 0;

  /** `maxEntries` and `maxChars` bound the memory: ~4 × 2 + 13 bytes an entry, 2 bytes a character. */
  constructor(
    private readonly maxEntries = 1 << 17,
    maxChars = 1 << 21,
  ) {
    let bits = 1;
    while (1 << bits < 2 * maxEntries) bits++;
    this.slots = new Int32Array(1 << bits).fill(-1);
    this.shift = 32 - bits;
    this.hashes = new Int32Array(maxEntries);
    this.offsets = new Int32Array(maxEntries);
    this.lengths = new Uint8Array(maxEntries);
    this.counts = new Int32Array(maxEntries);
    this.chars = new Uint16Array(maxChars);
  }

  /** Entries held. */
  get entries(): number {
    return this.size;
  }

  /** The count stored for `s.slice(start, end)`, or -1. A miss primes `insert` for the same piece. */
  find(s: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    const len = end - start;
    const mask = this.slots.length - 1;
    for (let slot = Math.imul(h, 0x9e3779b1) >>> this.shift; ; slot = (slot + 1) & mask) {
      const e = this.slots[slot]!;
      if (e === -1) {
        this.missHash = h;
        this.missSlot = slot;
        return -1;
      }
      if (this.hashes[e] === h && this.lengths[e] === len && this.same(e, s, start, len)) return this.counts[e]!;
    }
  }

  /** Stores `count` for the piece the last `find` missed (call it right after that miss). */
  insert(s: string, start: number, end: number, count: number): void {
    const len = end - start;
    if (len > 255) return;
    if (this.size >= this.maxEntries || this.used + len > this.chars.length) {
      this.clear();
      this.find(s, start, end);
    }
    const e = this.size++;
    this.slots[this.missSlot] = e;
    this.hashes[e] = this.missHash;
    this.offsets[e] = this.used;
    this.lengths[e] = len;
    this.counts[e] = count;
    for (let i = 0; i < len; i++) this.chars[this.used + i] = s.charCodeAt(start + i);
    this.used += len;
  }

  /** Forgets everything. */
  clear(): void {
    this.slots.fill(-1);
    this.size = 0;
    this.used = 0;
  }

  private same(e: number, s: string, start: number, len: number): boolean {
    const off = this.offsets[e]!;
    for (let i = 0; i < len; i++) if (this.chars[off + i] !== s.charCodeAt(start + i)) return false;
    return true;
  }
}
