// The token cache is named after the counter, so counts from another counter are never reused.
import * as assert from 'node:assert/strict';
import { COUNTER_ID, counterFingerprint } from '../../../../src/context/read/tokenCache';

describe('token cache', () => {
  it('is named after the counter as it counts now (update COUNTER_ID when the counts change)', () => {
    assert.equal(
      COUNTER_ID,
      counterFingerprint(),
      'the token counter counts differently: set COUNTER_ID to the new fingerprint so old cached counts are not reused',
    );
  });
});
