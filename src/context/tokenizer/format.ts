// The compact on-disk form of the DeepSeek byte-level BPE: only what counting needs, and written
// once by scripts/gen-tokenizer-data.ts. Shared by that generator and the runtime loader so the
// layout is defined in one place.
//
// tokenizer.json (7.85 MB) holds 128,000 token strings and 127,741 merges "a b". Its structure
// makes most of that redundant: token ids 3..258 are the 256 bytes and the token made by merge i is
// id FIRST_MERGE_ID + i, so the merge list alone (as pairs of token ids, in rank order) is the
// whole model. Raw layout, little-endian, brotli-compressed on disk (~425 KB):
//   0   magic "DSBPE\0\0\x01"
//   8   u32 merge count N
//   12  u32 id of the token made by merge 0 (FIRST_MERGE_ID)
//   16  256 × u32: token id of byte value b
//   1040 six planes of N bytes: left id bits 0-7, 8-15, 16-23, then right id the same
// Byte planes compress ~12% better than interleaved integers (similar values line up).

/** The hash table of merge pairs: 2^bits slots of [left, right, merge] (merge -1 when empty). */
export interface MergeIndex {
  bits: number;
  slots: Int32Array;
}

const MAGIC = 'DSBPE\0\0\x01';
const HEADER = 16 + 256 * 4;

/** The BPE model: byte → token id, and merge i joins tokens left[i] + right[i] into firstMergeId + i. */
export interface MergeTable {
  /** Token id of each byte value (256 entries). */
  byteIds: Int32Array;
  /** Id of the token produced by merge 0; merge i produces firstMergeId + i. */
  firstMergeId: number;
  left: Int32Array;
  right: Int32Array;
}

/** Serialises a merge table to the raw (uncompressed) layout above. */
export function encodeMergeTable(t: MergeTable): Uint8Array {
  const n = t.left.length;
  if (t.right.length !== n || t.byteIds.length !== 256) throw new Error('malformed merge table');
  const out = new Uint8Array(HEADER + 6 * n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, n, true);
  view.setUint32(12, t.firstMergeId, true);
  for (let b = 0; b < 256; b++) view.setUint32(16 + 4 * b, t.byteIds[b]!, true);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      out[HEADER + k * n + i] = (t.left[i]! >>> (8 * k)) & 255;
      out[HEADER + (3 + k) * n + i] = (t.right[i]! >>> (8 * k)) & 255;
    }
  }
  return out;
}

/** Parses the raw layout; throws a clear error on anything that is not a well-formed table. */
export function decodeMergeTable(raw: Uint8Array): MergeTable {
  const bad = (why: string) => new Error(`tokenizer data is corrupt: ${why}`);
  if (raw.length < HEADER) throw bad('too short');
  for (let i = 0; i < 8; i++) if (raw[i] !== MAGIC.charCodeAt(i)) throw bad('bad magic');
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = view.getUint32(8, true);
  const firstMergeId = view.getUint32(12, true);
  if (raw.length !== HEADER + 6 * n) throw bad(`length ${raw.length} does not match ${n} merges`);
  const byteIds = new Int32Array(256);
  for (let b = 0; b < 256; b++) byteIds[b] = view.getUint32(16 + 4 * b, true);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  const p = HEADER;
  for (let i = 0; i < n; i++) {
    left[i] = raw[p + i]! | (raw[p + n + i]! << 8) | (raw[p + 2 * n + i]! << 16);
    right[i] = raw[p + 3 * n + i]! | (raw[p + 4 * n + i]! << 8) | (raw[p + 5 * n + i]! << 16);
    // A merge may only join tokens that exist before it (that is what makes ranks well-founded).
    const limit = firstMergeId + i;
    if (left[i]! >= limit || right[i]! >= limit) throw bad(`merge ${i} refers to a later token`);
  }
  return { byteIds, firstMergeId, left, right };
}

// The same model with its merge index, as Bpe holds them in memory (bpe.ts), so that loading it is one read and no
// work: scripts/build.mjs writes it beside the compressed table in dist/data/ (4 MB, not committed: it is a pure
// function of the table). Decoding and indexing the table instead costs a thread ~15 ms of CPU on its first count,
// which every cold pack pays on the counter thread, and again on any thread that helps count. Int32 words in the
// machine's byte order (a machine of the other order decodes the compressed table instead):
//   0  magic "DSBPX\0\0\x01", then N, FIRST_MERGE_ID, index bits B, byte order mark 0x01020304
//   24 256 byte ids, N left ids, N right ids, 3 × 2^B index slots
const INDEXED_MAGIC = 'DSBPX\0\0\x01';
const INDEXED_HEADER = 24;
const BYTE_ORDER_MARK = 0x01020304;

/** The merge table and its index (Bpe's own arrays) in the layout above. */
export function encodeIndexed(t: MergeTable, index: MergeIndex): Uint8Array {
  const n = t.left.length;
  const words = new Int32Array(INDEXED_HEADER / 4 + 256 + 2 * n + index.slots.length);
  const out = new Uint8Array(words.buffer);
  for (let i = 0; i < 8; i++) out[i] = INDEXED_MAGIC.charCodeAt(i);
  words.set([n, t.firstMergeId, index.bits, BYTE_ORDER_MARK], 2);
  let at = INDEXED_HEADER / 4;
  for (const part of [t.byteIds, t.left, t.right, index.slots]) {
    words.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The merge table and its index from the layout above, as views of `raw` (nothing is copied when it is 4-byte
 * aligned); undefined when `raw` is not a whole table in this layout written on a machine of this byte order.
 */
export function decodeIndexed(raw: Uint8Array): { table: MergeTable; index: MergeIndex } | undefined {
  if (raw.length < INDEXED_HEADER || raw.length % 4 !== 0) return undefined;
  for (let i = 0; i < 8; i++) if (raw[i] !== INDEXED_MAGIC.charCodeAt(i)) return undefined;
  const aligned = raw.byteOffset % 4 === 0 ? raw : raw.slice();
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
  const [n, firstMergeId, bits, mark] = [words[2]!, words[3]!, words[4]!, words[5]!];
  if (
    mark !== BYTE_ORDER_MARK ||
    bits < 1 ||
    bits > 30 ||
    words.length !== INDEXED_HEADER / 4 + 256 + 2 * n + (3 << bits)
  )
    return undefined;
  let at = INDEXED_HEADER / 4;
  const take = (k: number) => words.subarray(at, (at += k));
  const byteIds = take(256);
  const left = take(n);
  const right = take(n);
  return { table: { byteIds, firstMergeId, left, right }, index: { bits, slots: take(3 << bits) } };
}
