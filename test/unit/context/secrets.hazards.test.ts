// Hostile inputs for the content scan (test/fixtures/secrets/hazards.ts). Each is 1–2 MB, so a
// linear scan finishes in well under a second and a super-linear one would run for minutes and hit
// the mocha timeout. The results are checked too: hazards must not invent secrets.
import * as assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/context/secrets';
import { HAZARDS, times } from '../../fixtures/secrets/hazards';

describe('redactSecrets on hostile input', function () {
  for (const [name, text] of HAZARDS) {
    it(`stays linear on ${name}`, () => {
      const r = redactSecrets(text);
      assert.equal(r.findings.length, 0, `${name}: ${JSON.stringify(r.findings.slice(0, 3))}`);
      assert.equal(r.text, text);
    });
  }

  it('redacts a key whose END line is missing, up to 64 KB of body', () => {
    const text = '-----BEGIN PRIVATE KEY-----\n' + times('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3\n');
    const r = redactSecrets(text);
    assert.deepEqual(r.findings, [{ line: 2, rule: 'private-key' }]);
    assert.ok(r.text.length < text.length - 60_000);
  });

  it('stays linear on a megabyte of real secrets and redacts every one', () => {
    const line = 'token: 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\n';
    const text = times(line);
    const r = redactSecrets(text);
    assert.equal(r.findings.length, text.length / line.length);
    assert.equal(r.findings.at(-1)!.line, r.findings.length);
    assert.ok(!r.text.includes('ghp_z'));
  });
});
