// The piece-count cache: finds pieces in place inside larger strings, never answers for a
// different piece, and stays within its fixed entry and character budgets.
import * as assert from 'node:assert/strict';
import { PieceCache } from '../../../../src/context/tokenizer/piece-cache';
import { seeded } from './samples';

describe('piece cache', () => {
  it('finds a piece by position inside any string holding it', () => {
    const c = new PieceCache();
    assert.equal(c.find('hello world', 6, 11), -1);
    c.insert('hello world', 6, 11, 2);
    assert.equal(c.find('world', 0, 5), 2);
    assert.equal(c.find('a world!', 2, 7), 2);
    assert.equal(c.find('worlds', 0, 6), -1);
    assert.equal(c.find('World', 0, 5), -1);
  });

  it('agrees with a Map on 20,000 random lookups, across resets of a small cache', () => {
    const c = new PieceCache(64, 512);
    const model = new Map<string, number>();
    const rnd = seeded(9);
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      const n = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < n; k++) s += 'ab c\u00e9中'[Math.floor(rnd() * 6)];
      const got = c.find(s, 0, s.length);
      if (got >= 0) assert.equal(got, model.get(s), JSON.stringify(s));
      else {
        const count = model.get(s) ?? Math.floor(rnd() * 1000);
        model.set(s, count);
        c.insert(s, 0, s.length, count);
        assert.equal(c.find(s, 0, s.length), count);
      }
      assert.ok(c.entries <= 64);
    }
  });

  it('starts over when entries or characters run out', () => {
    const byEntries = new PieceCache(2, 100);
    for (const s of ['a', 'b', 'c']) {
      byEntries.find(s, 0, 1);
      byEntries.insert(s, 0, 1, 1);
    }
    assert.deepEqual([byEntries.entries, byEntries.find('a', 0, 1), byEntries.find('c', 0, 1)], [1, -1, 1]);
    const byChars = new PieceCache(100, 8);
    for (const s of ['abcde', 'fghij']) {
      byChars.find(s, 0, 5);
      byChars.insert(s, 0, 5, 3);
    }
    assert.deepEqual([byChars.entries, byChars.find('abcde', 0, 5), byChars.find('fghij', 0, 5)], [1, -1, 3]);
  });

  it('does not store pieces longer than 255 characters', () => {
    const c = new PieceCache();
    const long = 'x'.repeat(256);
    c.find(long, 0, 256);
    c.insert(long, 0, 256, 32);
    assert.deepEqual([c.entries, c.find(long, 0, 256)], [0, -1]);
  });
});
