// What a file sends whole (makeSent): a hash already made of the raw text is reused when redaction changes
// nothing, and never when a secret was redacted (the redacted text is hashed then).
import * as assert from 'node:assert/strict';
import { makeSent, sha256 } from '../../../../src/context/read/processFile';
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
});
