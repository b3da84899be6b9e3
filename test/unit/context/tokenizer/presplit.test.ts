// The fast pre-tokenizer must cut text into exactly the pieces that DeepSeek V3's three Split
// regexes produce (pattern.ts's splitReference, itself checked against the Rust reference through
// token ids in tokens.test.ts).
import * as assert from 'node:assert/strict';
import { splitReference, toJsPattern, V3_SPLIT_PATTERNS, wellFormed } from '../../../../src/context/tokenizer/pattern';
import { forEachPiece } from '../../../../src/context/tokenizer/presplit';
import { randomText, seeded, TRICKY } from './samples';

function pieces(text: string): string[] {
  const out: string[] = [];
  forEachPiece(text, (s, start, end) => out.push(s.slice(start, end)));
  return out;
}

describe('pre-tokenizer', () => {
  it('translates only \\s and \\S when turning the Oniguruma patterns into JavaScript', () => {
    const js = toJsPattern(V3_SPLIT_PATTERNS[2]!);
    assert.equal(
      js.replace(/\[\\t\\n[^\]]*\\u3000\]/g, '\\s').replace(/\[\^\\t\\n[^\]]*\\u3000\]/g, '\\S'),
      V3_SPLIT_PATTERNS[2],
    );
    assert.equal(toJsPattern('\\\\s'), '\\\\s'); // an escaped backslash followed by "s" is not \s
    assert.ok(new RegExp(`^[${'\\t\\n\\v\\f\\r \\x85'}]$`, 'u').test('\x85'));
  });

  it('splits the way the published regexes do on hand-picked strings', () => {
    for (const t of TRICKY) assert.deepEqual(pieces(t), splitReference(t), JSON.stringify(t.slice(0, 80)));
  });

  it('splits the way the published regexes do on 5,000 random strings of every character class', () => {
    const rnd = seeded(7);
    for (let i = 0; i < 5000; i++) {
      const t = randomText(rnd, 40);
      assert.deepEqual(pieces(t), splitReference(t), JSON.stringify(t));
    }
  });

  it('splits ASCII-only text (the fast path for most code) the way the published regexes do', () => {
    const rnd = seeded(13);
    const ascii =
      Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).join('') + '    \t\n\n  ();.,_$abcxyzABC';
    for (let i = 0; i < 5000; i++) {
      let t = '';
      for (let n = Math.floor(rnd() * 120); n > 0; n--) t += ascii[Math.floor(rnd() * ascii.length)];
      assert.deepEqual(pieces(t), splitReference(t), JSON.stringify(t));
    }
  });

  it('classifies every code point of the BMP, and of the busy astral blocks, as the regexes do', () => {
    const neighbours = ['a', ' ', '.', '', '\n', 'é', '\u0301', '  '];
    const check = (from: number, to: number) => {
      for (let block = from; block < to; block += 64) {
        let t = '';
        for (let cp = block; cp < Math.min(block + 64, to); cp++) {
          if (cp >= 0xd800 && cp <= 0xdfff) continue;
          t += String.fromCodePoint(cp) + neighbours[cp % neighbours.length];
        }
        assert.deepEqual(pieces(t), splitReference(t), `block U+${block.toString(16)}`);
      }
    };
    check(0, 0x10000);
    check(0x1d400, 0x1d800); // mathematical letters and digits
    check(0x1f300, 0x1fb00); // emoji and symbols
    check(0x20000, 0x20400); // CJK extension B
  });

  it('covers the text: the pieces join back to it (lone surrogates read as U+FFFD)', () => {
    const rnd = seeded(11);
    for (let i = 0; i < 500; i++) {
      const t = randomText(rnd, 200);
      assert.equal(pieces(t).join(''), wellFormed(t));
    }
  });

  it('keeps digits in groups of at most three and CJK runs whole', () => {
    assert.deepEqual(pieces('x1234567'), ['x', '123', '456', '7']);
    assert.deepEqual(pieces('中文abc日本語'), ['中文', 'abc', '日本語']);
    assert.deepEqual(pieces('𝟘𝟙𝟚𝟛'), ['𝟘𝟙𝟚', '𝟛']); // three code points, not three UTF-16 units
  });

  it('leaves the last space of a run to the word after it, and line breaks to the run before', () => {
    assert.deepEqual(pieces('a   b'), ['a', '  ', ' b']);
    assert.deepEqual(pieces('a\n\n  b'), ['a', '\n\n', ' ', ' b']);
    assert.deepEqual(pieces('x;\n\ny'), ['x', ';\n\n', 'y']);
    assert.deepEqual(pieces('a  '), ['a', '  ']);
  });

  it('makes a piece of control characters no rule matches', () => {
    assert.deepEqual(pieces('\x00\x01ab'), ['\x00', '\x01ab']);
    assert.deepEqual(pieces('a\x00\x01'), ['a', '\x00\x01']);
  });

  it('reports nothing for empty text', () => {
    assert.deepEqual(pieces(''), []);
  });
});
