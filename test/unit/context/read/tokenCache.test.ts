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
      assert.deepEqual(
        [h1, h2, h3].map((h) => c.clean(h!)),
        [true, true, true],
      );
      assert.equal(c.tokens(h1!), 12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
