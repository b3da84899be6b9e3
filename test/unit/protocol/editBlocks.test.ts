// SEARCH/REPLACE edits in a proposed code block: parsed, applied in order to the file's current
// text, and refused whole when one does not match.
import * as assert from 'node:assert/strict';
import { acceptedText, applyEditBlocks, parseEditBlocks, proposedText } from '../../../src/protocol/editBlocks';

const FILE = [
  'import { a } from "./a";',
  '',
  'export function f(x: number): number {',
  '  return x + 1;',
  '}',
  '',
  'export function g(x: number): number {',
  '  return x + 1;',
  '}',
  '',
].join('\n');
const edit = (search: string[], replace: string[]) =>
  ['<<<<<<< SEARCH', ...search, '=======', ...replace, '>>>>>>> REPLACE'].join('\n');

describe('edit blocks (SEARCH/REPLACE)', () => {
  it('a block without a SEARCH marker is no edit: the whole file when it holds most of it, else merged into it', () => {
    assert.equal(parseEditBlocks('export const a = 1;\n'), undefined);
    const version = FILE.replace('x + 1', 'x + 3');
    assert.deepEqual(proposedText(version, FILE), {
      ok: true,
      text: version,
      how: { kind: 'whole', summary: 'a new version of the whole file' },
    });
    assert.deepEqual(
      proposedText('export const a = 1;', FILE),
      { ok: true, text: `${FILE}\nexport const a = 1;\n`, how: { kind: 'merge', summary: 'adds 1 line at the end' } },
      'a line is added, never the whole file replaced by it',
    );
    assert.deepEqual(
      proposedText('const conflict = "=======";\n', undefined),
      { ok: true, text: 'const conflict = "=======";\n', how: { kind: 'new', summary: 'creates the file' } },
      'a divider alone is text',
    );
  });

  it('replaces only the lines it names, and leaves the rest byte for byte', () => {
    const r = proposedText(
      edit(
        ['export function f(x: number): number {', '  return x + 1;'],
        ['export function f(x: number): number {', '  return x + 2;'],
      ),
      FILE,
    );
    assert.deepEqual(r, { ok: true, text: FILE.replace('  return x + 1;', '  return x + 2;') });
  });

  it('applies edits in file order, each below the one before: the same lines twice go to the next match', () => {
    const code = [
      edit(['  return x + 1;'], ['  return x * 2;']),
      'and then',
      edit(['  return x + 1;'], ['  return x * 3;']),
    ].join('\n');
    assert.equal(parseEditBlocks(code)!.length, 2);
    const r = proposedText(code, FILE);
    assert.ok(r.ok);
    assert.deepEqual(
      r.text.split('\n').filter((l) => l.includes('return')),
      ['  return x * 2;', '  return x * 3;'],
    );
    const backwards = [
      edit(['export function g(x: number): number {'], ['export function g(y: number): number {']),
      edit(['import { a } from "./a";'], ['import { b } from "./b";']),
    ].join('\n');
    assert.deepEqual(proposedText(backwards, FILE), {
      ok: false,
      error:
        'Edit 2 of 2 does not match the file below the edit before it: its SEARCH lines are not there (the ' +
        'file may have changed since). Nothing was applied.',
    });
  });

  it('matches whole lines but for trailing white space and line endings; indentation and line parts must match', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const r = proposedText(edit(['  return x + 1;   '], ['  return x - 1;']), crlf);
    assert.deepEqual(
      r,
      { ok: true, text: crlf.replace('  return x + 1;', '  return x - 1;') },
      'the file keeps its CRLF',
    );
    assert.equal(
      proposedText(edit(['return x + 1;'], ['return 0;']), FILE).ok,
      false,
      'another indentation is another line',
    );
    assert.equal(proposedText(edit(['  return x +'], ['  return 0;']), FILE).ok, false, 'part of a line is not a line');
    // A byte-order mark (a file read from disk, as the CLI's agent does) is no part of the first line, and stays.
    assert.deepEqual(applyEditBlocks('\uFEFFa\r\nb\r\n', [{ search: ['a'], replace: ['c'] }]), {
      ok: true,
      text: '\uFEFFc\r\nb\r\n',
    });
  });

  it('deletes lines with an empty replacement, and appends (or makes a new file) with an empty search', () => {
    assert.deepEqual(proposedText(edit(['import { a } from "./a";', ''], []), FILE), {
      ok: true,
      text: FILE.split('\n').slice(2).join('\n'),
    });
    assert.deepEqual(applyEditBlocks('a\nb', [{ search: [], replace: ['c'] }]), { ok: true, text: 'a\nb\nc\n' });
    assert.deepEqual(applyEditBlocks('a\n', [{ search: [], replace: ['c'] }]), { ok: true, text: 'a\nc\n' });
    assert.deepEqual(applyEditBlocks('', [{ search: [], replace: ['c'] }]), { ok: true, text: 'c\n' });
    assert.deepEqual(proposedText(edit([], ['export const fresh = 1;']), undefined), {
      ok: true,
      text: 'export const fresh = 1;\n',
    });
    assert.deepEqual(proposedText(edit(['x'], ['y']), undefined), {
      ok: false,
      error: 'The edit searches a file that does not exist yet. Nothing was applied.',
    });
  });

  it('refuses a block left open, and any edit that does not match, applying nothing', () => {
    assert.deepEqual(proposedText('<<<<<<< SEARCH\n  return x + 1;\n=======\n  return 0;\n', FILE), {
      ok: false,
      error:
        'The proposal\'s edit 1 is not closed: a SEARCH line needs a "=======" line and a ">>>>>>> REPLACE" ' +
        'line after it. Nothing was applied.',
    });
    const r = proposedText(
      [edit(['  return x + 1;'], ['  return 0;']), edit(['gone();'], ['back();'])].join('\n'),
      FILE,
    );
    assert.deepEqual(r, {
      ok: false,
      error:
        'Edit 2 of 2 does not match the file below the edit before it: its SEARCH lines are not there (the ' +
        'file may have changed since). Nothing was applied.',
    });
  });

  it('reads marker variants models write (7 to 9 marks, no space); keeps marker-like text inside a replacement', () => {
    const code = '<<<<<<<<<SEARCH\n  return x + 1;\n=========\n  return "<<<<<<< not a marker";\n>>>>>>>>>REPLACE';
    assert.deepEqual(parseEditBlocks(code), [
      { search: ['  return x + 1;'], replace: ['  return "<<<<<<< not a marker";'] },
    ]);
  });

  // …left alone it follows the file, edited by the user it goes only onto the text it was made from
  it('Accept applies the proposal as the diff shows it', () => {
    const code = edit(['  return x + 1;'], ['  return x + 2;']);
    const proposed = proposedText(code, FILE);
    assert.ok(proposed.ok);
    const typed = FILE.replace('import { a }', 'import { a, b }'); // the user typed in the file meanwhile
    const again = () => proposedText(code, typed);
    // Left alone: onto the file as it is, the edits made again when it changed.
    assert.deepEqual(acceptedText(proposed.text, proposed.text, true, again), proposed);
    assert.deepEqual(acceptedText(proposed.text, proposed.text, false, again), {
      ok: true,
      text: typed.replace('x + 1', 'x + 2'),
    });
    assert.deepEqual(
      acceptedText(proposed.text.replace(/\n/g, '\r\n'), proposed.text, true, again),
      proposed,
      'line endings alone are no edit',
    );
    // Edited in the diff (here: its change reverted, and a line of the user's own): applied as shown.
    const shown = `${FILE}// mine\n`;
    assert.deepEqual(acceptedText(shown, proposed.text, true, again), { ok: true, text: shown });
    const refused = acceptedText(shown, proposed.text, false, again);
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /edited the proposal.*Nothing was applied/);
  });
});
