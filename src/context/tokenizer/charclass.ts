// The character classes the pre-tokenizer's regexes tell apart, for any code point. Each class is
// computed once, from the same Unicode properties the regexes use (\p{L}, \p{M}, \p{P}, \p{S},
// \p{N}, Oniguruma's \s), and remembered, so the scanner in presplit.ts pays a table lookup per
// character instead of running the regex.
import { isCjk, ONIG_SPACE } from './pattern';

// Classes for the third split step; exactly one is set per code point.
export const LETTER_ASCII = 1; // [A-Za-z]
export const LETTER = 2; // other \p{L}
export const MARK = 4; // \p{M}
export const PUNCT_ASCII = 8; // the 32 ASCII punctuation and symbol characters
export const PUNCT = 16; // other \p{P} or \p{S}
export const SPACE = 32; // \s other than \r and \n
export const NEWLINE = 64; // \r \n
export const OTHER = 128; // none of the above: controls, format characters, unassigned, numbers
// Flags for the first two steps, on top of the class.
export const NUMBER = 256; // \p{N}
export const CJK = 512; // in the second step's class

export const WORD = LETTER_ASCII | LETTER | MARK;
export const PUNCTUATION = PUNCT_ASCII | PUNCT;
export const WHITESPACE = SPACE | NEWLINE;

const RE_LETTER = /^\p{L}$/u;
const RE_MARK = /^\p{M}$/u;
const RE_PUNCT = /^[\p{P}\p{S}]$/u;
const RE_SPACE = new RegExp(`^[${ONIG_SPACE}]$`, 'u');
const RE_NUMBER = /^\p{N}$/u;

function classify(cp: number): number {
  const ch = String.fromCodePoint(cp);
  let c: number;
  if (RE_LETTER.test(ch)) c = cp < 0x80 ? LETTER_ASCII : LETTER;
  else if (RE_MARK.test(ch)) c = MARK;
  else if (RE_PUNCT.test(ch)) c = cp < 0x80 ? PUNCT_ASCII : PUNCT;
  else if (cp === 0x0a || cp === 0x0d) c = NEWLINE;
  else if (RE_SPACE.test(ch)) c = SPACE;
  else c = OTHER;
  if (RE_NUMBER.test(ch)) c |= NUMBER;
  if (isCjk(cp)) c |= CJK;
  return c;
}

/** Classes of the ASCII characters (index by char code). */
export const ASCII_CLASS = Uint16Array.from({ length: 0x80 }, (_, cp) => classify(cp));
const bmp = new Uint16Array(0x10000); // 0 = not computed yet
const astral = new Map<number, number>();

/** The class (and NUMBER / CJK flags) of a code point; a surrogate code unit is OTHER. */
export function classOf(cp: number): number {
  if (cp < 0x10000) {
    let c = bmp[cp]!;
    if (c === 0) bmp[cp] = c = classify(cp);
    return c;
  }
  let c = astral.get(cp);
  if (c === undefined) {
    c = classify(cp);
    if (astral.size < 4096) astral.set(cp, c); // emoji and the like; bounded against hostile input
  }
  return c;
}
