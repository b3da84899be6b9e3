// The fast pre-tokenizer: the same pieces as pattern.ts's three regex steps, in one pass. Numbers
// and CJK runs (steps 1 and 2) are found by a character scan; each stretch between them goes
// through step 3, which for pure-ASCII stretches (nearly all code) is a hand-written scanner and
// otherwise the exact regex. Step 3 leaves number pieces whole (digits match none of its rules)
// and CJK runs too unless they hold kana punctuation or symbols. Pieces are reported as (string, start, end) so nothing is allocated
// for them here; test/unit/tokens.presplit.test.ts holds this file to splitReference().
import { isCjk, isCjkWord, isNumber, wellFormed, WORD_SPLIT } from './pattern';

/** Receives one piece: `s.slice(start, end)`. */
export type PieceVisitor = (s: string, start: number, end: number) => void;

// ASCII character classes for step 3, in the regex's terms.
const LETTER = 1; // [A-Za-z]: \p{L}
const PUNCT = 2; // the 32 ASCII punctuation and symbol characters: \p{P} or \p{S}
const SPACE = 4; // \s other than \r \n: \t \v \f and space
const NEWLINE = 8; // \r \n
const OTHER = 16; // control characters: none of the above (digits never reach step 3)
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CLASS[c] = /[A-Za-z]/.test(ch) ? LETTER : /[\r\n]/.test(ch) ? NEWLINE : /[\t\v\f ]/.test(ch) ? SPACE : /[!-/:-@[-`{-~]/.test(ch) ? PUNCT : OTHER;
}

/** Calls `visit` for each pre-split piece of `text`, in order. */
export function forEachPiece(text: string, visit: PieceVisitor): void {
  const n = text.length;
  let gap = 0; // start of the stretch that steps 1 and 2 leave to step 3
  let ascii = true;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x30 && c <= 0x39) {
        if (i > gap) splitWords(text, gap, i, ascii, visit);
        i = gap = takeNumber(text, i, visit);
        ascii = true;
      } else i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (isNumber(cp)) {
      if (i > gap) splitWords(text, gap, i, ascii, visit);
      i = gap = takeNumber(text, i, visit);
      ascii = true;
    } else if (isCjk(cp)) {
      if (i > gap) splitWords(text, gap, i, ascii, visit);
      let j = i;
      let word = true;
      for (let k = cp; j < n && isCjk((k = text.charCodeAt(j))); j++) word &&= isCjkWord(k);
      if (word) visit(text, i, j);
      else splitWords(text, i, j, false, visit);
      i = gap = j;
      ascii = true;
    } else {
      ascii = false;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (n > gap) splitWords(text, gap, n, ascii, visit);
}

/** Step 1: up to three \p{N} code points from `i` (which is one); returns the end. */
function takeNumber(text: string, i: number, visit: PieceVisitor): number {
  let j = i;
  for (let k = 0; k < 3 && j < text.length; k++) {
    const cp = text.codePointAt(j)!;
    if (!isNumber(cp)) break;
    j += cp > 0xffff ? 2 : 1;
  }
  visit(text, i, j);
  return j;
}

/** Step 3 on `text[start, end)`. */
function splitWords(text: string, start: number, end: number, ascii: boolean, visit: PieceVisitor): void {
  if (ascii) {
    splitAscii(text, start, end, visit);
    return;
  }
  const s = wellFormed(text.slice(start, end));
  const re = WORD_SPLIT;
  re.lastIndex = 0;
  let last = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m.index > last) visit(s, last, m.index);
    last = m.index + m[0].length;
    visit(s, m.index, last);
  }
  if (last < s.length) visit(s, last, s.length);
}

/**
 * Step 3's regex, hand-compiled for ASCII without digits. Its alternatives, first match wins:
 *   1  [punct][A-Za-z]+          2  [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+      3   ?[\p{P}\p{S}]+[\r\n]*
 *   4  \s*[\r\n]+                5  \s+(?!\S)                                 6  \s+
 * A position where none matches joins the stretch of unmatched characters, itself a piece.
 */
function splitAscii(s: string, start: number, end: number, visit: PieceVisitor): void {
  let unmatched = -1;
  let i = start;
  while (i < end) {
    const k = CLASS[s.charCodeAt(i)]!;
    const next = i + 1 < end ? CLASS[s.charCodeAt(i + 1)]! : 0;
    let j: number;
    if (k === PUNCT) {
      if (next === LETTER) j = run(s, i + 2, end, LETTER); // 1
      else j = run(s, run(s, i + 1, end, PUNCT), end, NEWLINE); // 3
    } else if (k === LETTER) {
      j = run(s, i + 1, end, LETTER); // 2
    } else if (next === LETTER && k !== NEWLINE) {
      j = run(s, i + 2, end, LETTER); // 2, with its optional prefix (a space or a control character)
    } else if (next === PUNCT && s.charCodeAt(i) === 0x20) {
      j = run(s, run(s, i + 2, end, PUNCT), end, NEWLINE); // 3, with its leading space
    } else if (k === SPACE || k === NEWLINE) {
      let r = i;
      let lastNewline = -1;
      for (; r < end; r++) {
        const kr = CLASS[s.charCodeAt(r)]!;
        if (kr === NEWLINE) lastNewline = r;
        else if (kr !== SPACE) break;
      }
      if (lastNewline >= 0) j = lastNewline + 1; // 4: through the last line break of the run
      else if (r === end || r - i === 1) j = r; // 5 at the end of the stretch, or 6
      else j = r - 1; // 5: leave the last space to the word after it
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

function run(s: string, i: number, end: number, cls: number): number {
  while (i < end && CLASS[s.charCodeAt(i)] === cls) i++;
  return i;
}
