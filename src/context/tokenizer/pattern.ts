// DeepSeek V3's pre-tokenizer, exactly as its tokenizer.json publishes it (V4 keeps the same rules:
// llama.cpp maps V4's GGUF pre-tokenizer id to the same three regexes), and the JavaScript regexes
// that behave like the Rust reference. This file is the specification; presplit.ts is the fast
// scanner that must produce the same pieces (a differential test holds it to that), using the
// character classes of charclass.ts.
//
// The pre-tokenizer is a Sequence of three `Split` steps with behaviour `Isolated` (each match and
// each non-empty stretch between matches becomes a piece, and every step re-splits the pieces of
// the step before), then ByteLevel without its own regex.

/** The three `Split` regexes of tokenizer.json, verbatim (scripts/gen-tokenizer-data.ts checks them). */
export const V3_SPLIT_PATTERNS: readonly string[] = [
  '\\p{N}{1,3}',
  '[一-龥぀-ゟ゠-ヿ]+',
  '[!"#$%&\'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ' +
    '?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+',
];

// The reference is HF tokenizers (Rust), whose regex engine is Oniguruma. Its Unicode `\s` is the
// White_Space property: it includes U+0085 and excludes U+FEFF, where JavaScript's `\s` does the
// opposite. Spell the class out so both engines agree.
export const ONIG_SPACE = '\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Translates a tokenizer.json (Oniguruma) pattern to a JavaScript regex source with the same meaning. */
export function toJsPattern(onig: string): string {
  return onig.replace(/\\\\|\\s|\\S/g, (m) => (m === '\\s' ? `[${ONIG_SPACE}]` : m === '\\S' ? `[^${ONIG_SPACE}]` : m));
}

const STEPS = V3_SPLIT_PATTERNS.map((source) => new RegExp(toJsPattern(source), 'gu'));

/** Whether the code point is in the second step's CJK class (U+3040–U+30FF, U+4E00–U+9FA5). */
export function isCjk(cp: number): boolean {
  return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x4e00 && cp <= 0x9fa5);
}

/**
 * `text` with each lone surrogate replaced by U+FFFD, as the Rust reference sees it (a Rust string
 * cannot hold one). It matters for splitting: U+FFFD is a symbol (\p{S}), a lone surrogate is not.
 * (String.prototype.toWellFormed, ES2024, native: the ES2023 typings here do not declare it.)
 */
export function wellFormed(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed();
}

/**
 * The pieces of `text`, computed the slow, obvious way: each Split step applied in turn to the
 * pieces of the one before. The specification the fast scanner is tested against.
 */
export function splitReference(text: string): string[] {
  let pieces = [wellFormed(text)];
  for (const re of STEPS) pieces = pieces.flatMap((p) => splitIsolated(p, re));
  return pieces;
}

function splitIsolated(s: string, re: RegExp): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}
