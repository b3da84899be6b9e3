// Slower tokenizer cases: a pre-split piece longer than MAX_PIECE_BYTES (merged in chunks so that
// memory stays bounded) and a long text of many pieces.
import * as assert from 'node:assert/strict';
import { MAX_PIECE_BYTES } from '../../../src/context/tokenizer/counter';
import { countTokens } from '../../../src/context/tokens';
import { rustReference } from '../../bench/tokens-reference';
import { seeded, TRICKY } from './tokenizer/samples';

describe('countTokens on very large input', function () {
  it('counts a piece over MAX_PIECE_BYTES within one token per chunk of the reference', async () => {
    const rnd = seeded(13);
    const n = MAX_PIECE_BYTES + 50_000;
    const chars: string[] = [];
    for (let i = 0; i < n; i++) chars.push('etaoinshrdlu'[Math.floor(rnd() * 12)]!);
    const text = chars.join('');
    const want = (await (await rustReference()).encode(text)).length;
    const got = countTokens(text);
    assert.ok(Math.abs(got - want) <= Math.ceil(n / MAX_PIECE_BYTES), `${got} vs ${want}`);
  });

  it('counts 200 KB of mixed text exactly, and the same again from the cache', async () => {
    const text = TRICKY.join('\n').repeat(15);
    const want = (await (await rustReference()).encode(text)).length;
    assert.equal(countTokens(text), want);
    assert.equal(countTokens(text), want);
  });
});
