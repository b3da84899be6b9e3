// The text of the symbol index's names (symbolIndex.ts): where a camelCase or snake_case part starts, a name's
// parts' initials, and the sort keys that keep names ordered by their first 2 x KEY_CHARS characters.

/** Characters of each of a name's two sort keys (6 bits each). */
export const KEY_CHARS = 5;

/** 1..38 for a lower-case name character (a-z, 0-9, `_`, `$`; anything else counts as `_`); 0 is the name's end. */
function charClass(c: number): number {
  if (c >= 97 && c <= 122) return c - 96;
  if (c >= 48 && c <= 57) return c - 21;
  return c === 36 ? 38 : 37;
}

/** The sort key of the `length` characters of `text` from `at` (at most KEY_CHARS), the rest filled with `fill`. */
function keyOf(text: string, at: number, length: number, fill: number): number {
  let key = 0;
  for (let i = 0; i < KEY_CHARS; i++) key = key * 64 + (i < length ? charClass(text.charCodeAt(at + i)) : fill);
  return key;
}

/**
 * Half `half` of the sort key of the `length` characters of `text` from `at` (0: its first KEY_CHARS characters,
 * 1: the next KEY_CHARS), the characters past its end filled with `fill` (0 sorts before every character, 63 after).
 */
export function sortKey(text: string, at: number, length: number, half: 0 | 1, fill = 0): number {
  const from = half * KEY_CHARS;
  return keyOf(text, at + from, Math.max(0, Math.min(length - from, KEY_CHARS)), fill);
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/** True when a camelCase or snake_case part starts at `at` of `names` (not at a name's start). */
export function startsPart(names: string, at: number): boolean {
  const prev = names.charCodeAt(at - 1);
  const c = names.charCodeAt(at);
  if (prev === 95 || prev === 36) return c !== 95 && c !== 36; // after `_` or `$`
  if (isUpper(c) && isLowerOrDigit(prev)) return true; // fooBar
  return isUpper(c) && isUpper(prev) && isLowerOrDigit(names.charCodeAt(at + 1)); // HTTPServer
}

/** The initials of the `count` names of `original` (`\n` before each), lower-cased, and where each name's start. */
export function initialsOf(original: string, count: number): [string, Int32Array] {
  const out = new Uint8Array(original.length);
  const starts = new Int32Array(count);
  let n = 0;
  let s = -1;
  let start = true;
  for (let i = 0; i < original.length; i++) {
    const c = original.charCodeAt(i);
    if (c === 10) {
      out[n++] = 10;
      if (s + 1 < count) starts[++s] = n;
      start = true;
    } else if (c === 95 || c === 36) start = true;
    else if (start || (isUpper(c) && startsPart(original, i))) {
      out[n++] = isUpper(c) ? c + 32 : c;
      start = false;
    }
  }
  return [Buffer.from(out.buffer, 0, n).toString('latin1'), starts];
}
