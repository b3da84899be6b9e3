// DeepSeek token counting: token-for-token agreement with HF tokenizers (the Rust library, reading
// DeepSeek V3's published tokenizer.json) on tricky and random text, and the edge cases.
import * as assert from 'node:assert/strict';
import { cachedPieces, clearCache, encode } from '../../../src/context/tokenizer/counter';
import { bpeModel } from '../../../src/context/tokenizer/model';
import { countTokens } from '../../../src/context/tokens';
import { rustReference, type ReferenceTokenizer } from '../../bench/tokens-reference';
import { randomText, seeded, TRICKY } from './tokenizer/samples';

describe('countTokens (DeepSeek V3/V4 BPE)', function () {
  let ref: ReferenceTokenizer;
  before(async () => {
    ref = await rustReference();
  });

  it('matches the reference token for token on hand-picked code, scripts, digits and whitespace', async () => {
    for (const t of TRICKY) {
      const want = await ref.encode(t);
      assert.deepEqual(encode(t), want, JSON.stringify(t.slice(0, 80)));
      assert.equal(countTokens(t), want.length);
    }
  });

  it('matches the reference on 400 random strings mixing every character class', async () => {
    const rnd = seeded(3);
    for (let i = 0; i < 400; i++) {
      const t = randomText(rnd, 120);
      const want = await ref.encode(t);
      assert.deepEqual(encode(t), want, JSON.stringify(t));
      assert.equal(countTokens(t), want.length, JSON.stringify(t));
    }
  });

  it('matches the reference on long single pieces (the heap-based merge)', async () => {
    const rnd = seeded(5);
    for (const n of [97, 500, 5000, 40_000]) {
      let letters = '';
      for (let i = 0; i < n; i++) letters += 'etaoinshrdlucmfwyp'[Math.floor(rnd() * 18)];
      for (const t of [letters, 'a'.repeat(n), ' '.repeat(n), '='.repeat(n), '中'.repeat(n)]) {
        assert.equal(countTokens(t), (await ref.encode(t)).length, `${t.slice(0, 10)}… × ${n}`);
      }
    }
  });

  it('matches the reference on the longest tokens of the vocabulary, alone and repeated', async () => {
    const { byteIds, firstMergeId, left, right } = bpeModel();
    const bytes = new Map<number, number[]>();
    byteIds.forEach((id, b) => bytes.set(id, [b]));
    for (let m = 0; m < left.length; m++)
      bytes.set(firstMergeId + m, [...bytes.get(left[m]!)!, ...bytes.get(right[m]!)!]);
    const longest = [...bytes.values()].sort((a, b) => b.length - a.length).slice(0, 8);
    assert.ok(longest[0]!.length >= 64, `longest token has ${longest[0]!.length} bytes`);
    for (const b of longest) {
      const t = Buffer.from(b).toString('utf8');
      for (const text of [t, t + t + t]) assert.deepEqual(encode(text), await ref.encode(text), JSON.stringify(text));
    }
  });

  it('adds up over parts joined after a line break and before a non-space character', () => {
    const rnd = seeded(17);
    for (let i = 0; i < 2000; i++) {
      const a = randomText(rnd, 60) + '\n';
      const b = randomText(rnd, 60).replace(
        /^[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/,
        '',
      );
      assert.equal(countTokens(a + b), countTokens(a) + countTokens(b), JSON.stringify([a, b]));
    }
  });

  it('counts empty text as no tokens', () => {
    assert.equal(countTokens(''), 0);
    assert.deepEqual(encode(''), []);
  });

  it('reads lone surrogates as U+FFFD, like the reference', async () => {
    for (const t of ['\ud800', 'a\udc00b', 'x\ud83d', '\udc00\ud800']) {
      assert.equal(countTokens(t), countTokens(t.replace(/[\ud800-\udfff]/g, '\ufffd')));
      assert.deepEqual(encode(t), await ref.encode(t));
    }
  });

  it('treats special-token spellings in the text as plain text', () => {
    assert.ok(countTokens('<｜end▁of▁sentence｜>') > 1);
  });

  it('gives the same count from a cold and a warm piece cache', () => {
    const text = TRICKY.join('\n');
    clearCache();
    assert.equal(cachedPieces(), 0);
    const cold = countTokens(text);
    assert.ok(cachedPieces() > 0);
    assert.equal(countTokens(text), cold);
    assert.equal(cold, encode(text).length);
  });
});
