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
