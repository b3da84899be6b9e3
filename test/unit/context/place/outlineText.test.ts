// The outline as sent (outlineText.ts): the lines it shows are scanned for secrets, and when those lines were kept
// from when the outline was made they are what is scanned, without parsing the file again.
import * as assert from 'node:assert/strict';
import { outlineEntries } from '../../../../src/context/place/outline';
import { redactedOutline, shownLines } from '../../../../src/context/place/outlineText';
import { makeOutline, scanOutline } from '../../../../src/context/read/processFile';

// A real format, assembled at run time so this file itself holds no secret (the corpus test scans it).
const PAT = ['ghp', 'zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17'].join('_');

const text = [
  'export function load(path: string): void {', // 1
  '  read(path);', // 2
  '}', // 3
  '', // 4
  'function hidden() {}', // 5
  '', // 6
  '', // 7
  '', // 8
  '', // 9
  `export const token = '${PAT}';`, // 10
  '',
].join('\n');

describe('outlineText: the lines an outline shows', () => {
  it('keeps the first and last line of each entry, in order', () => {
    assert.deepEqual([...shownLines(outlineEntries('a.ts', text))], [1, 1, 10, 10]);
  });

  it('finds the same secrets on the lines it is given as on the lines it parses', () => {
    const parsed = redactedOutline('a.ts', text);
    const given = redactedOutline('a.ts', text, shownLines(outlineEntries('a.ts', text)));
    assert.ok(parsed && given);
    assert.deepEqual(given, parsed);
    assert.deepEqual(
      parsed.findings.map((f) => f.line),
      [10],
    );
    assert.ok(parsed.text !== undefined && !parsed.text.includes(PAT) && parsed.text.includes('10: export const'));
  });

  it('scans the lines it is given, not the file parsed again', () => {
    // Lines 1-1 only: line 10's secret is outside what is shown, so this scan cannot see it.
    const scan = redactedOutline('a.ts', text, Int32Array.of(1, 1));
    assert.deepEqual(scan, { findings: [] });
    assert.equal(redactedOutline('a.ts', text, new Int32Array(0)), undefined, 'nothing shown, nothing to list');
  });

  it('makes an outline sendable from the lines kept when it was made, then forgets them', () => {
    const part = makeOutline('a.ts', text, false);
    assert.ok(part);
    assert.deepEqual([...part.shown!], [1, 1, 10, 10]);
    assert.ok(part.block.includes(PAT), 'made for planning, not yet scanned');
    scanOutline('a.ts', text, part);
    assert.ok(part.scanned && !part.block.includes(PAT) && part.findings.length === 1);
    assert.equal(part.shown, undefined);
  });
});
