// What a file sends whole (makeSent): a hash already made of the raw text is reused when redaction changes
// nothing, and never when a secret was redacted (the redacted text is hashed then).
import * as assert from 'node:assert/strict';
import { makeSent, NOTHING_KNOWN } from '../../../../src/context/read/processFile';
import { sha256 } from '../../../../src/shared/hash';
import { countTokens } from '../../../../src/context/tokens';

// A real format, assembled at run time so this file itself holds no secret (the corpus test scans it).
const PAT = ['ghp', 'zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17'].join('_');

describe('processFile: makeSent', () => {
  it('takes the raw hash it is given for a text with nothing to redact, and counts the text', () => {
    const raw = 'export const answer = 42;\n';
    const given = 'f'.repeat(64); // not the text's hash: shows it was taken as given, not made again
    const sent = makeSent(raw, { rawHash: given });
    assert.equal(sent.hash, given);
    assert.equal(sent.text, undefined, 'the raw text is what is sent');
    assert.equal(sent.tokens, countTokens(raw));
    assert.equal(makeSent(raw).hash, sha256(raw), 'without one, the text is hashed');
  });

  it('hashes the redacted text when a secret was redacted, whatever raw hash it is given', () => {
    const raw = `const token = '${PAT}';\n`;
    const sent = makeSent(raw, { rawHash: sha256(raw), count: false });
    assert.ok(sent.text !== undefined && !sent.text.includes(PAT));
    assert.equal(sent.hash, sha256(sent.text));
    assert.equal(sent.findings.length, 1);
    assert.equal(sent.tokens, -1, 'not counted when asked not to');
  });

  it('does not scan a text again that is known clean by its raw hash, and scans every other', () => {
    const raw = `const token = '${PAT}';\n`;
    const asked: string[] = [];
    const trustsIt = { ...NOTHING_KNOWN, tokens: () => 7, clean: (h: string) => (asked.push(h), h === sha256(raw)) };
    const trusted = makeSent(raw, { known: trustsIt, count: false });
    assert.deepEqual(asked, [sha256(raw)], 'asked about the raw text, before scanning');
    assert.equal(trusted.text, undefined, 'taken as found clean (the cache only says so of texts it scanned)');
    assert.deepEqual([trusted.hash, trusted.tokens, trusted.cached], [sha256(raw), 7, true]);
    for (const known of [NOTHING_KNOWN, { ...trustsIt, clean: () => false }]) {
      const scanned = makeSent(raw, { known, count: false });
      assert.ok(scanned.text !== undefined && !scanned.text.includes(PAT));
    }
  });
});
