// The fast pre-tokenizer: the same pieces as pattern.ts's three regex steps, in one pass over the
// text with a class lookup per character (charclass.ts). Numbers and CJK runs (steps 1 and 2) are
// cut out first; step 3 is a hand-compiled form of its regex, run on the stretches between them and
// inside CJK runs. Number pieces need no step 3: digits match none of its rules. Pieces are
// reported as (string, start, end), so nothing is allocated for them here;
// test/unit/tokens.presplit.test.ts holds this file to splitReference().
import * as charclass from './charclass';
import { wellFormed } from './pattern';

// Module-local copies: the loops below read them for every character, and CommonJS output that is
// not bundled (tsx in tests and benchmarks) would reach an imported binding through a getter each time.
const {
  ASCII_CLASS,
  CJK,
  classOf,
  LETTER_ASCII,
  NEWLINE,
  NUMBER,
  OTHER,
  PUNCT_ASCII,
  PUNCTUATION,
  SPACE,
  WHITESPACE,
  WORD,
} = charclass;

/** Receives one piece: `s.slice(start, end)`. */
export type PieceVisitor = (s: string, start: number, end: number) => void;

/** Calls `visit` for each pre-split piece of `text`, in order (lone surrogates read as U+FFFD). */
export function forEachPiece(text: string, visit: PieceVisitor): void {
  const s = wellFormed(text);
  const n = s.length;
  let gap = 0; // start of the stretch that steps 1 and 2 leave to step 3
  let ascii = true; // the stretch from `gap` is ASCII so far
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x30 && c <= 0x39) {
        if (i > gap) (ascii ? splitAscii : splitWords)(s, gap, i, visit);
        i = gap = takeNumber(s, i, visit);
        ascii = true;
      } else i++;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const k = classOf(cp);
    if (k & NUMBER) {
      if (i > gap) (ascii ? splitAscii : splitWords)(s, gap, i, visit);
      i = gap = takeNumber(s, i, visit);
      ascii = true;
    } else if (k & CJK) {
      if (i > gap) (ascii ? splitAscii : splitWords)(s, gap, i, visit);
      let j = i + 1; // CJK characters are all in the BMP
      while (j < n && classOf(s.charCodeAt(j)) & CJK) j++;
      splitWords(s, i, j, visit); // a run of ideographs is one word; kana punctuation splits it
      i = gap = j;
      ascii = true;
    } else {
      ascii = false;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (n > gap) (ascii ? splitAscii : splitWords)(s, gap, n, visit);
}

/** Step 1: up to three \p{N} code points from `i` (which is one); returns the end. */
function takeNumber(s: string, i: number, visit: PieceVisitor): number {
  let j = i;
  for (let k = 0; k < 3 && j < s.length; k++) {
    const cp = s.codePointAt(j)!;
    if (!(classOf(cp) & NUMBER)) break;
    j += cp > 0xffff ? 2 : 1;
  }
  visit(s, i, j);
  return j;
}

// Code point at i (set by `at`) and its width in UTF-16 units; module state keeps `at` allocation-free.
let width = 1;

/** Class of the code point at `i` (0 at `end`), leaving its width in `width`. */
function at(s: string, i: number, end: number): number {
  if (i >= end) {
    width = 0;
    return 0;
  }
  const c = s.charCodeAt(i);
  if (c < 0x80) {
    width = 1;
    return ASCII_CLASS[c]!;
  }
  const cp = s.codePointAt(i)!;
  width = cp > 0xffff ? 2 : 1;
  return classOf(cp);
}

/** End of the run of characters of class `mask` starting at `i`. */
function run(s: string, i: number, end: number, mask: number): number {
  while (i < end && at(s, i, end) & mask) i += width;
  return i;
}

/**
 * Step 3's regex, hand-compiled. Its alternatives, first match wins:
 *   1  [ascii punct][A-Za-z]+    2  [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+     3   ?[\p{P}\p{S}]+[\r\n]*
 *   4  \s*[\r\n]+                5  \s+(?!\S)                                 6  \s+
 * A position where none matches joins the stretch of unmatched characters, itself a piece.
 */
function splitWords(s: string, start: number, end: number, visit: PieceVisitor): void {
  let unmatched = -1;
  let i = start;
  while (i < end) {
    const k = at(s, i, end);
    const next = i + width;
    const nk = at(s, next, end);
    const after = next + width;
    let j: number;
    if (k & PUNCT_ASCII && nk & LETTER_ASCII) {
      j = run(s, after, end, LETTER_ASCII); // 1
    } else if (k & WORD) {
      j = run(s, next, end, WORD); // 2 (a mark may stand in the optional place: same match)
    } else if (k & (SPACE | OTHER) && nk & WORD) {
      j = run(s, after, end, WORD); // 2, with its optional prefix
    } else if (k & PUNCTUATION) {
      j = run(s, run(s, next, end, PUNCTUATION), end, NEWLINE); // 3
    } else if (s.charCodeAt(i) === 0x20 && nk & PUNCTUATION) {
      j = run(s, run(s, after, end, PUNCTUATION), end, NEWLINE); // 3, with its leading space
    } else if (k & WHITESPACE) {
      j = whitespaceEnd(s, i, end); // 4, 5, 6
    } else {
      if (unmatched < 0) unmatched = i;
      i = next;
      continue;
    }
    if (unmatched >= 0) {
      visit(s, unmatched, i);
      unmatched = -1;
    }
    visit(s, i, j);
    i = j;
  }
  if (unmatched >= 0) visit(s, unmatched, end);
}

/** Where the piece of the whitespace run at `i` ends (steps 4-6). */
function whitespaceEnd(s: string, i: number, end: number): number {
  let r = i; // whitespace characters are all in the BMP
  let lastNewline = -1;
  for (; r < end; r++) {
    const kr = at(s, r, end);
    if (kr & NEWLINE) lastNewline = r;
    else if (!(kr & SPACE)) break;
  }
  if (lastNewline >= 0) return lastNewline + 1; // 4: through the last line break of the run
  if (r === end || r - i === 1) return r; // 5 at the end of the stretch, or 6
  return r - 1; // 5: leave the last space to the word after it
}

/**
 * splitWords for a stretch of ASCII only (most code), where its classes narrow to letters,
 * punctuation, spaces, line breaks and control characters: the same decisions with one table
 * lookup per character and no code-point decoding.
 */
function splitAscii(s: string, start: number, end: number, visit: PieceVisitor): void {
  let unmatched = -1;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    const k = ASCII_CLASS[c]!;
    const nk = i + 1 < end ? ASCII_CLASS[s.charCodeAt(i + 1)]! : 0;
    let j = i + 2;
    if ((k & PUNCT_ASCII && nk & LETTER_ASCII) || (k & (SPACE | OTHER) && nk & LETTER_ASCII)) {
      while (j < end && ASCII_CLASS[s.charCodeAt(j)]! & LETTER_ASCII) j++; // 1, and 2 with its optional prefix
    } else if (k & LETTER_ASCII) {
      j = i + 1;
      while (j < end && ASCII_CLASS[s.charCodeAt(j)]! & LETTER_ASCII) j++; // 2
    } else if (k & PUNCT_ASCII || (c === 0x20 && nk & PUNCT_ASCII)) {
      if (k & PUNCT_ASCII) j = i + 1;
      while (j < end && ASCII_CLASS[s.charCodeAt(j)]! & PUNCT_ASCII) j++; // 3
      while (j < end && ASCII_CLASS[s.charCodeAt(j)]! & NEWLINE) j++;
    } else if (k & WHITESPACE) {
      j = whitespaceEnd(s, i, end); // 4, 5, 6 (the same rule: ASCII needs no shortcut here)
    } else {
      if (unmatched < 0) unmatched = i;
      i++;
      continue;
    }
    if (unmatched >= 0) {
      visit(s, unmatched, i);
      unmatched = -1;
    }
    visit(s, i, j);
    i = j;
  }
  if (unmatched >= 0) visit(s, unmatched, end);
}
