// The workspace index the composer's `@` completes from (pathIndex.ts): which files and folders a
// query finds and in what order, folders derived from the files, narrowing as the user types, and
// a query that matches nothing or is hostile.
import * as assert from 'node:assert/strict';
import { PathIndex } from '../../../src/context/pathIndex';

const files = [
  'README.md',
  'package.json',
  'src/ui/sidebar.ts',
  'src/ui/panel.ts',
  'src/ui/chatView.ts',
  'src/chat/session.ts',
  'src/chat/sessionTypes.ts',
  'src/context/engine.ts',
  'test/unit/ui/sidebar.test.ts',
  'docs/session-notes.md',
  'src/mysession.ts',
];
const labels = (ms: { label: string }[]) => ms.map((m) => m.label);

describe('PathIndex (the @ completion index)', () => {
  it('derives every folder from the files, once each', () => {
    const index = new PathIndex(files);
    const folders = index.query('', 100).filter((m) => m.kind === 'folder');
    assert.deepEqual(labels(folders).sort(), ['docs', 'src', 'test']);
    assert.equal(
      index.size,
      files.length + ['src', 'src/ui', 'src/chat', 'src/context', 'test', 'test/unit', 'test/unit/ui', 'docs'].length,
    );
  });

  it('an empty query lists the top level only', () => {
    const got = new PathIndex(files).query('', 100);
    assert.ok(
      got.every((m) => !m.label.includes('/')),
      labels(got).join(),
    );
    assert.deepEqual(labels(got).sort(), ['README.md', 'docs', 'package.json', 'src', 'test']);
  });

  it('puts a file whose name starts with the query before names and paths that only contain it', () => {
    const got = labels(new PathIndex(files).query('session', 10));
    assert.deepEqual(got.slice(0, 3).sort(), [
      'docs/session-notes.md',
      'src/chat/session.ts',
      'src/chat/sessionTypes.ts',
    ]);
    assert.equal(got[3], 'src/mysession.ts', got.join());
  });

  it('one letter lists the names that start with it, not every path that has it', () => {
    const got = labels(new PathIndex(files).query('p', 20));
    assert.deepEqual(got.sort(), ['package.json', 'src/ui/panel.ts']);
  });

  it('an exact name beats a longer one that starts the same', () => {
    const got = labels(new PathIndex(files).query('session.ts', 5));
    assert.equal(got[0], 'src/chat/session.ts');
  });

  it('finds a path by its characters in order (uisid -> src/ui/sidebar.ts), after direct matches', () => {
    const got = new PathIndex(files).query('uisid', 10);
    assert.ok(labels(got).includes('src/ui/sidebar.ts'), labels(got).join());
    assert.ok(!labels(got).includes('src/chat/session.ts'));
  });

  it('a query ending in / asks for folders', () => {
    const got = new PathIndex(files).query('ui/', 10);
    assert.ok(got.length > 0);
    assert.ok(
      got.every((m) => m.kind === 'folder'),
      JSON.stringify(got),
    );
    assert.deepEqual(labels(got).sort(), ['src/ui', 'test/unit/ui']);
  });

  it('matches a path written with a leading ./ or backslashes, any case', () => {
    const index = new PathIndex(files);
    assert.equal(index.query('./SRC/UI/panel', 1)[0]!.label, 'src/ui/panel.ts');
    assert.equal(index.query('src\\ui\\panel', 1)[0]!.label, 'src/ui/panel.ts');
  });

  it('narrows as the user types and widens again when they delete (same answers as a fresh index)', () => {
    const index = new PathIndex(files);
    for (const q of ['s', 'se', 'ses', 'sess', 'se', 's', 'ui', 'uis', 'x', ''])
      assert.deepEqual(index.query(q, 20), new PathIndex(files).query(q, 20), `query ${JSON.stringify(q)}`);
  });

  it('keeps the best `limit` of many matches, best first', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `pkg${i % 50}/mod${i}.ts`);
    const got = new PathIndex(many).query('mod12', 5);
    assert.equal(got.length, 5);
    assert.equal(got[0]!.label, 'pkg12/mod12.ts');
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]!.score >= got[i]!.score);
  });

  it('answers nothing for a query nothing matches, and survives a hostile one', () => {
    const index = new PathIndex(files);
    assert.deepEqual(index.query('zzzz'), []);
    assert.deepEqual(index.query('(.*'), []);
    assert.deepEqual(index.query('x'.repeat(100_000)), []);
    assert.ok(index.hasFile('src/ui/panel.ts'));
    assert.ok(!index.hasFile('src/ui'), 'a folder is not a file');
  });
});
