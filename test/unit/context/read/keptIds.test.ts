// What the token cache keeps between runs besides counts is named after the code that made it: the secret scanner's
// clean verdicts after SCANNER_ID; what planning made of files (outlines, imports, term statistics) after KEPT_ID.
// Each ID is a hash of that code's sources, written down; it must change whenever they do, or a text found clean by
// an older rule set would not be scanned again, or a record made by older code would be planned with.
import * as assert from 'node:assert/strict';
import { KEPT_ID } from '../../../../src/context/read/tokenCache';
import { SCANNER_ID } from '../../../../src/context/secrets';
import { readSource, sourceFingerprint, sourcesUnder } from '../../../helpers/sourceFingerprint';

const IDS = [
  {
    name: 'SCANNER_ID',
    where: 'src/context/secrets.ts',
    id: SCANNER_ID,
    sources: ['src/context/secrets.ts', ...sourcesUnder('src/context/secrets')],
  },
  {
    name: 'KEPT_ID',
    where: 'src/context/read/tokenCache.ts',
    id: KEPT_ID,
    sources: [
      'src/context/read/processFile.ts',
      'src/context/read/tokenCache.ts',
      ...['outline', 'outlineText', 'render', 'terms', 'definitions', 'imports'].map(
        (f) => `src/context/place/${f}.ts`,
      ),
    ],
  },
];

describe('the IDs of what the cache keeps', () => {
  for (const { name, where, id, sources } of IDS)
    it(`${name} is the hash of its sources as they are now (update it in ${where} when they change)`, () => {
      assert.equal(
        id,
        sourceFingerprint(sources),
        `the code behind ${name} changed: set it to the new fingerprint so what was kept before is made again`,
      );
    });

  it('a fingerprint changes with any of its files, and not with the ID itself', () => {
    const scanner = IDS[0]!.sources;
    const rule = 'src/context/secrets/rules/ai.ts';
    assert.ok(scanner.includes(rule) && scanner.length > 10, scanner.join());
    const now = sourceFingerprint(scanner);
    assert.notEqual(
      sourceFingerprint(scanner, (f) => readSource(f) + (f === rule ? '\n//\n' : '')),
      now,
    );
    const idChanged = (f: string) => readSource(f).replace(/^(export const SCANNER_ID = ).*$/m, "$1'x';");
    assert.equal(sourceFingerprint(scanner, idChanged), now);
  });
});
