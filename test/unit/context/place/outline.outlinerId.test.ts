// The outliner's ID (OUTLINER_ID) names the planning outlines the token cache keeps between runs: it must change
// whenever the sources that make one do, or an outline made by older code would be planned with.
import * as assert from 'node:assert/strict';
import { OUTLINER_ID } from '../../../../src/context/place/outline';
import { sourceFingerprint } from '../../../helpers/sourceFingerprint';

const OUTLINER = [
  'src/context/place/outline.ts',
  'src/context/place/outlineText.ts',
  'src/context/place/render.ts',
  'src/context/read/processFile.ts',
];

describe('outliner ID', () => {
  it('is the hash of the outliner as it is now (update OUTLINER_ID in place/outline.ts when it changes)', () => {
    assert.equal(
      OUTLINER_ID,
      sourceFingerprint(OUTLINER),
      'the outliner changed: set OUTLINER_ID to the new fingerprint so outlines kept before are made again',
    );
  });
});
