// Counting and encoding: pre-split pieces, each merged by the BPE, with a bounded cache of the
// count per piece. Code repeats its identifiers, keywords and indentation endlessly, so after the
// first few hundred KB nearly every piece is a cache hit and counting costs little more than the
// pre-split itself.
import type { Bpe } from './bpe';
import { bpeModel } from './model';
import { PieceCache } from './piece-cache';
import { forEachPiece } from './presplit';

/** Pieces longer than this (bytes) are merged in chunks of this size: exact below, within a token per chunk above. */
export const MAX_PIECE_BYTES = 1 << 20;
const KEEP_BUFFER = 1 << 16; // work buffers up to this size are kept between calls
const MAX_CACHED_PIECE = 128; // UTF-16 units; longer pieces are rare and counted each time

let bpe: Bpe;
let work = new Int32Array(1024);
let utf8 = new Uint8Array(1024);
const encoder = new TextEncoder();
const cache = new PieceCache();
let total = 0;

/** DeepSeek V3/V4 tokens of `text` (tokens): exact BPE, no special tokens. */
export function countTokens(text: string): number {
  bpe = bpeModel();
  total = 0;
  forEachPiece(text, countPiece);
  releaseBigBuffers();
  return total;
}

/** Token ids of `text` in DeepSeek V3's vocabulary (special tokens are not recognised in the text). */
export function encode(text: string): number[] {
  bpe = bpeModel();
  const out: number[] = [];
  forEachPiece(text, (s, start, end) => {
    const n = mergePiece(s, start, end);
    for (let i = 0; i < n; i++) out.push(work[i]!);
  });
  releaseBigBuffers();
  return out;
}

/** Entries in the piece-count cache (for benchmarks and tests). */
export function cachedPieces(): number {
  return cache.entries;
}

/** Empties the piece-count cache. */
export function clearCache(): void {
  cache.clear();
}

function countPiece(s: string, start: number, end: number): void {
  const len = end - start;
  if (len === 1 && s.charCodeAt(start) < 0x80) {
    total++; // every byte is a token
    return;
  }
  if (len > MAX_CACHED_PIECE) {
    total += mergePiece(s, start, end);
    return;
  }
  let count = cache.find(s, start, end);
  if (count < 0) {
    count = mergePiece(s, start, end);
    cache.insert(s, start, end, count);
  }
  total += count;
}

/** Merges one piece; its tokens are left in work[0..returned). */
function mergePiece(s: string, start: number, end: number): number {
  const byteIds = bpe.byteIds;
  let n = 0;
  let ascii = true;
  ensureWork(end - start);
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    work[n++] = byteIds[c]!;
  }
  if (!ascii) {
    if (utf8.length < 3 * (end - start)) utf8 = new Uint8Array(3 * (end - start));
    n = encoder.encodeInto(s.slice(start, end), utf8).written;
    ensureWork(n);
    for (let i = 0; i < n; i++) work[i] = byteIds[utf8[i]!]!;
  }
  if (n <= MAX_PIECE_BYTES) return bpe.merge(work, n);
  let kept = 0;
  for (let k = 0; k < n; k += MAX_PIECE_BYTES) {
    const m = bpe.merge(work.subarray(k, Math.min(n, k + MAX_PIECE_BYTES)), Math.min(n - k, MAX_PIECE_BYTES));
    work.copyWithin(kept, k, k + m);
    kept += m;
  }
  return kept;
}

function ensureWork(n: number): void {
  if (work.length < n) work = new Int32Array(Math.max(n, 2 * work.length));
}

/** Drops work buffers grown for a huge piece, so memory stays bounded between calls. */
function releaseBigBuffers(): void {
  if (work.length > KEEP_BUFFER) work = new Int32Array(KEEP_BUFFER);
  if (utf8.length > 3 * KEEP_BUFFER) utf8 = new Uint8Array(3 * KEEP_BUFFER);
}
