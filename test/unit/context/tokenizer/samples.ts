// Inputs shared by the tokenizer tests: hand-picked tricky strings and a seeded random generator
// that mixes every character class the pre-tokenizer distinguishes.

/** Strings that exercise each rule of the pre-tokenizer and the BPE (code, scripts, digits, spaces). */
export const TRICKY: readonly string[] = [
  'Hello! 毕老师！1 + 1 = 2 ĠÑĤÐ²ÑĬÑĢ', // DeepSeek's own published example
  'function f(x) {\n  return x+1;\n}\n',
  '    if (a !== b) {\r\n        throw new Error(`bad ${a}`);\r\n    }\r\n',
  '\t\t\tfoo();\n\n\n\t}\n',
  'def f(self, *args, **kwargs):\n    """Doc."""\n    return {k: v for k, v in kwargs.items()}\n',
  '#include <stdio.h>\nint main(void){printf("%d\\n",42);return 0;}',
  'SELECT u.id, COUNT(*) FROM users u WHERE u.age >= 18 GROUP BY 1;',
  '| a | b |\n|---|:-:|\n| `x` | **y** |\n',
  '{"name":"x","version":"1.2.3","deps":{"a":"^0.0.1"}}',
  'https://example.com/a/b?query=1&b=%20#frag /usr/local/bin C:\\Users\\me\\file.txt',
  'data:image/png;base64,' +
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  '12345678901234567890 3.14159e-10 0x1F_FF 1,000,000 v2.0.0-rc.1',
  '٣٤٥٦ ²³ ½ Ⅻ 𝟘𝟙𝟚𝟛𝟜 ①②③', // numbers of other scripts, superscripts, Nl, astral digits
  '中文注释：这是一个测试。日本語のテキスト、カタカナ。한국어 텍스트 龦龥',
  '变量123名称abc中文',
  '😀👍🏽👨‍👩‍👧‍👦🇺🇸 ✓ → ∑ ≠ ≤ ©®™',
  'café naïve e\u0301 Ångström ﬁ ǅ',
  'Привет, мир! Ελληνικά עברית العربية हिन्दी ไทย',
  "It's don't I'M we'll they've",
  '   \n   \n\n  x  ',
  ' '.repeat(300) + 'x' + '\t'.repeat(40) + '\n'.repeat(30),
  '\u00a0\u2003\u3000x\u0085y\ufeffz\u200b w\u2028v\u2029u',
  '\x00\x01\x1f\x7f\x0b\x0cab\x0b.\x1c\x1d\x1e\x1f',
  '\r\n\r\n\r\r\n\n\r',
  '.foo ..bar _baz $qux @dec #priv ::ns ->arrow => fat',
  '=====\n-----\n*****\n/*******/\n// ---------------- //',
  '\ufffd\ud800 a\udc00b \udbff\udfff \ud83dx', // U+FFFD, lone surrogates, a valid astral pair
  'const primes = [' + Array.from({ length: 2000 }, (_, i) => (i * 7919) % 10007).join(', ') + '];', // a 12 KB line
  'function a(b){return b.map(function(c,d){return c+d*2}).filter(Boolean)}'.repeat(150), // minified, 10 KB
  'x'.repeat(5000),
  'ab'.repeat(3000) + ' ' + 'Z'.repeat(700),
];

/** A deterministic pseudo-random generator (LCG) in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

// Each class the regexes tell apart, with a few members each.
const CLASSES: readonly string[][] = [
  [...'abcxyzABCXYZ'],
  [...'0123456789'],
  [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'],
  [' ', ' ', ' ', '\t', '\n', '\r', '\v', '\f'],
  ['\x00', '\x01', '\x1b', '\x7f', '\x1c'],
  ['\x85', '\xa0', '\u2003', '\u3000', '\ufeff', '\u200b', '\u2028'],
  [...'中文字龥ひらがなカタカナヿ゠'],
  [...'éüßñøÅЖжαΩ한글אבعرह', 'e\u0301', '\u0301', '\u0903'],
  ['٣', '²', '½', 'Ⅻ', '𝟘', '①'],
  ['😀', '👍🏽', '©', '→', '∑', '€', '\ufffd'],
  ['\ud800', '\udc00', '\udbff'],
];

/** A random string of up to `maxLength` elements drawn from the classes above. */
export function randomText(rnd: () => number, maxLength: number): string {
  const n = Math.floor(rnd() * (maxLength + 1));
  let s = '';
  for (let i = 0; i < n; i++) {
    const cls = CLASSES[Math.floor(rnd() * CLASSES.length)]!;
    s += cls[Math.floor(rnd() * cls.length)]!;
  }
  return s;
}
