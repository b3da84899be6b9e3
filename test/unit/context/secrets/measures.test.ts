// The measures the secret rules lean on: entropy, word-likeness, sequences, the CRC32/base62 token
// checksum (checked against node:zlib, an independent implementation) and base64 sizes.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { isExampleOrFiller, isPlaceholderPassword, isPlaceholderValue } from '../../../../src/context/secrets/allow';
import { base64ByteLength, crc32, hasBase62Crc32Suffix } from '../../../../src/context/secrets/checksums';
import { charClasses, isWordLike, longestSequentialRun, shannonEntropy } from '../../../../src/context/secrets/entropy';
import { ALNUM, checksummedToken, Rng } from '../../../fixtures/secrets/random';

describe('secret measures', () => {
  it('computes Shannon entropy in bits per character', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abab'), 1);
    assert.equal(shannonEntropy('0123456789abcdef'), 4);
  });

  it('counts character classes and ascending or descending runs', () => {
    assert.equal(charClasses('abc'), 1);
    assert.equal(charClasses('aB3$'), 4);
    assert.equal(longestSequentialRun('xx123456yy'), 6);
    assert.equal(longestSequentialRun('zyxwv'), 5);
    assert.equal(longestSequentialRun('a1b2'), 1);
  });

  it('tells words and identifiers from random characters', () => {
    for (const w of [
      'MySecretToken',
      'db-credentials',
      'user:session:cache:v2',
      'IDENTIFIER',
      'passphrase',
      'Wachtwoord',
      'getElementById',
    ])
      assert.ok(isWordLike(w), w);
    for (const r of [
      'aB3dE5fG7hJ9',
      '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',
      'xkcdQpzR',
      '3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c',
      'iWxv85',
    ])
      assert.ok(!isWordLike(r), r);
    const rng = new Rng(7);
    let wordy = 0;
    for (let i = 0; i < 2000; i++) if (isWordLike(rng.chars(ALNUM, rng.int(16, 48)))) wordy++;
    assert.ok(wordy < 20, `${wordy} of 2000 random tokens looked like words`);
  });

  it('computes CRC-32 exactly as zlib does', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const s = rng.chars(ALNUM, rng.int(0, 64));
      assert.equal(crc32(s), zlib.crc32(s), s);
    }
  });

  it('recognises the base62 CRC32 suffix of GitHub and npm tokens, and only that', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 100; i++) assert.ok(hasBase62Crc32Suffix(checksummedToken(rng, 'ghp_').slice(4)));
    let lucky = 0;
    for (let i = 0; i < 1000; i++) if (hasBase62Crc32Suffix(rng.chars(ALNUM, 36))) lucky++;
    assert.equal(lucky, 0);
  });

  it('sizes base64 bodies', () => {
    assert.equal(base64ByteLength(Buffer.alloc(32).toString('base64')), 32);
    assert.equal(base64ByteLength(Buffer.alloc(32).toString('base64url')), 32);
    assert.equal(base64ByteLength('not base64!'), -1);
  });

  it('knows examples, filler, references and placeholders', () => {
    for (const v of ['AKIAIOSFODNN7EXAMPLE', 'ghp_xxxxxxxxxxxxxxxxxxxx', 'sk-abcdefghij', '00000000000000', '********'])
      assert.ok(isExampleOrFiller(v), v);
    for (const v of [
      '${DB_PASSWORD}',
      '$TOKEN',
      '<api-key>',
      '{{ .Values.token }}',
      'process.env.TOKEN',
      'your-api-key-here',
      'changeme',
      'bm90IG15IHJlYWwgcGFzc3dvcmQ=',
      '[REDACTED:generic-secret]',
    ])
      assert.ok(isPlaceholderValue(v), v);
    for (const v of ['Xk9#mQ2!vL7z', '4f3a2b1c0d9e8f7a6b5c3f9a8b7c6d5e']) assert.ok(!isPlaceholderValue(v), v);
    assert.ok(isPlaceholderPassword('postgres', 'postgres'));
    assert.ok(isPlaceholderPassword('guest'));
    assert.ok(!isPlaceholderPassword('K7q!x9Lm2', 'svc'));
  });
});
