// The header's file tree (render.ts): what it lists and what it only counts, so a pack far over the budget
// does not spend it on the names of files it left out.
import * as assert from 'node:assert/strict';
import { renderHeader, type TreeEntry } from '../../../../src/context/place/render';

const tree = (entries: TreeEntry[]) =>
  /<tree>\n([\s\S]*)<\/tree>/.exec(renderHeader([{ name: 'w', path: '/w' }], entries))![1];
/** `folders` folders under test/issues/, each with `files` files, all left out. */
const issueFolders = (folders: number, files: number): TreeEntry[] =>
  Array.from({ length: folders }, (_, i) =>
    Array.from({ length: files }, (_, j) => ({
      label: `test/issues/${100 + i}/f${j}.ts`,
      status: 'excluded' as const,
    })),
  ).flat();

describe('the header tree', () => {
  it('counts many folders left out whole instead of listing them, and lists the one with a file sent', () => {
    const entries: TreeEntry[] = [
      ...issueFolders(20, 3),
      { label: 'test/issues/107/subscriber/PostSubscriber.ts', status: 'included' },
      { label: 'src/index.ts', status: 'included' },
    ];
    assert.equal(
      tree(entries),
      [
        'src/',
        '  index.ts',
        'test/',
        '  issues/',
        '    107/',
        '      f0.ts (left out)',
        '      f1.ts (left out)',
        '      f2.ts (left out)',
        '      subscriber/',
        '        PostSubscriber.ts',
        '    (19 more folders left out, 57 files)',
        '',
      ].join('\n'),
    );
  });

  it('still names a few folders left out, and summarises a large one by its count', () => {
    const entries: TreeEntry[] = [
      ...issueFolders(2, 3),
      ...Array.from({ length: 9 }, (_, j) => ({ label: `test/big/g${j}.ts`, status: 'excluded' as const })),
      { label: 'test/main.ts', status: 'outline' },
    ];
    assert.equal(
      tree(entries),
      [
        'test/',
        '  big/ (9 files left out)',
        '  issues/',
        '    100/',
        '      f0.ts (left out)',
        '      f1.ts (left out)',
        '      f2.ts (left out)',
        '    101/',
        '      f0.ts (left out)',
        '      f1.ts (left out)',
        '      f2.ts (left out)',
        '  main.ts (outline)',
        '',
      ].join('\n'),
    );
  });

  it('writes a line break or other control character in a name as an escape, so a name cannot add lines', () => {
    const entries: TreeEntry[] = [
      { label: 'src/a.ts\n  secret.ts', status: 'included' },
      { label: 'src/b\rc/d.ts', status: 'excluded' },
    ];
    assert.equal(
      tree(entries),
      ['src/', '  a.ts\\u000a  secret.ts', '  b\\u000dc/', '    d.ts (left out)', ''].join('\n'),
    );
  });
});
