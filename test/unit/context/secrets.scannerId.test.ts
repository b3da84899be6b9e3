// The secret scanner's ID (SCANNER_ID) names the verdicts the token cache keeps ("scanned whole, nothing found"): it
// must change whenever the scanner's sources do, or a text found clean by an older rule set would not be scanned by
// the new one.
import * as assert from 'node:assert/strict';
import { SCANNER_ID } from '../../../src/context/secrets';
import { readSource, sourceFingerprint, sourcesUnder } from '../../helpers/sourceFingerprint';

const SCANNER = ['src/context/secrets.ts', ...sourcesUnder('src/context/secrets')];

describe('secret scanner ID', () => {
  it('is the hash of the scanner as it is now (update SCANNER_ID in src/context/secrets.ts when it changes)', () => {
    assert.equal(
      SCANNER_ID,
      sourceFingerprint(SCANNER),
      'the secret scanner changed: set SCANNER_ID to the new fingerprint so texts found clean before are scanned again',
    );
  });

  it('changes with any file of the scanner, and not with the ID itself', () => {
    const rule = 'src/context/secrets/rules/ai.ts';
    assert.ok(SCANNER.includes(rule) && SCANNER.length > 10, SCANNER.join());
    const now = sourceFingerprint(SCANNER);
    assert.notEqual(
      sourceFingerprint(SCANNER, (f) => readSource(f) + (f === rule ? '\n//\n' : '')),
      now,
    );
    const idChanged = (f: string) => readSource(f).replace(/^(export const SCANNER_ID = ).*$/m, "$1'x';");
    assert.equal(sourceFingerprint(SCANNER, idChanged), now);
  });
});
