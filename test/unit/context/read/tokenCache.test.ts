// The token cache is named after the counter, so counts from another counter are never reused; its clean scans
// after the secret scanner. Both persist between runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SCANNER_ID } from '../../../../src/context/secrets';
import { COUNTER_ID, counterFingerprint, TokenCache } from '../../../../src/context/read/tokenCache';
import { tempDir } from '../../../helpers/tmp';

describe('token cache', () => {
  it('is named after the counter as it counts now (update COUNTER_ID when the counts change)', () => {
    assert.equal(
      COUNTER_ID,
      counterFingerprint(),
      'the token counter counts differently: set COUNTER_ID to the new fingerprint so old cached counts are not reused',
    );
  });

  it('keeps counts and clean scans between runs, each in a file named after its counter or scanner', () => {
    const dir = tempDir('dsr-token-cache-');
    try {
      const a = TokenCache.inDir(dir);
      const [h1, h2, h3] = ['1', '2', '3'].map((c) => c.repeat(64));
      a.set(h1!, 12);
      a.markClean(h2!);
      assert.ok(a.dirty);
      a.save();
      assert.ok(!a.dirty);
      assert.deepEqual(fs.readdirSync(dir).sort(), [`clean-${SCANNER_ID}.bin`, `tokens-${COUNTER_ID}.bin`]);
      const b = TokenCache.inDir(dir);
      assert.deepEqual(
        [b.tokens(h1!), b.tokens(h2!), b.clean(h1!), b.clean(h2!), b.clean(h3!)],
        [12, undefined, false, true, false],
      );
      b.markClean(h3!);
      a.markClean(h1!);
      b.save();
      a.save(); // merges what b wrote meanwhile
      const c = TokenCache.inDir(dir);
      assert.equal(c.takeOutline('src/a.ts'), undefined);
      assert.deepEqual(
        [h1, h2, h3].map((h) => c.clean(h!)),
        [true, true, true],
      );
      assert.equal(c.tokens(h1!), 12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps outlines by label, for the set of roots it was opened for', () => {
    const dir = tempDir('dsr-token-cache-');
    try {
      const a = TokenCache.inDir(dir, ['/r/one']);
      const shown = Int32Array.from([1, 4, 9]);
      a.keepOutline('ab'.repeat(32), 'src/é.ts', {
        block: '<file path="src/é.ts">\n1: x\n</file>\n',
        tokens: 9,
        shown,
      });
      a.keepOutline('cd'.repeat(32), 'src/b.ts', { block: 'b', tokens: 1, shown: new Int32Array(0) });
      a.save();
      const b = TokenCache.inDir(dir, ['/r/one']);
      assert.deepEqual(b.takeOutline('src/é.ts'), {
        hash: 'ab'.repeat(16),
        block: '<file path="src/é.ts">\n1: x\n</file>\n',
        tokens: 9,
        shown,
      });
      assert.equal(b.takeOutline('src/é.ts'), undefined, 'taken once');
      b.keepOutline('ef'.repeat(32), 'src/c.ts', { block: 'c', tokens: 2, shown: new Int32Array(0) });
      b.save(); // merged with the file: what was taken stays there
      const c = TokenCache.inDir(dir, ['/r/one']);
      assert.deepEqual(
        ['src/é.ts', 'src/b.ts', 'src/c.ts'].map((l) => c.takeOutline(l)?.block),
        ['<file path="src/é.ts">\n1: x\n</file>\n', 'b', 'c'],
      );
      assert.equal(TokenCache.inDir(dir, ['/r/two']).takeOutline('src/b.ts'), undefined, 'another set of roots');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
