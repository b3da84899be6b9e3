// WalkCache: the last walk is reused while it holds, and a full walk follows anything that could
// change which files are in: a path it never listed, a rule file, a forgotten walk. In watched mode
// a warm walk re-stats the files it knows (an edit's new size shows) instead of listing folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WalkCache } from '../../../../src/context/scan/walkCache';
import { DEFAULT_CONTEXT_SETTINGS } from '../../../../src/context/types';
import { tempDir, writeTree } from '../../../helpers/tmp';

describe('WalkCache', () => {
  let base: string;
  let dir: string;
  let home: string;
  const request = () => ({ roots: [{ name: 'w', path: dir }], settings: DEFAULT_CONTEXT_SETTINGS });
  const cache = (watched: boolean) => new WalkCache({ allowGit: false, env: { home }, watched });

  beforeEach(() => {
    base = tempDir('dsr-walkcache-');
    dir = path.join(base, 'w');
    home = path.join(base, 'home');
    fs.mkdirSync(home);
    writeTree(dir, { 'a.ts': 'a\n', 'src/b.ts': 'b\n' });
  });

  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('has no current walk before the first, and keeps the last one until forgotten', async () => {
    const walks = cache(false);
    assert.equal(walks.current(), undefined);
    const first = await walks.walk(request());
    assert.deepEqual(first.files.map((f) => f.rel).sort(), ['a.ts', 'src/b.ts']);
    assert.equal(walks.current(), first);
    walks.forget();
    assert.equal(walks.current(), undefined);
    assert.equal(walks.holds(), false);
  });

  it('a known file invalidated keeps the walk; a new path or a rule file does not', async () => {
    const walks = cache(false);
    await walks.walk(request());
    walks.invalidate([path.join(dir, 'a.ts')]);
    assert.ok(walks.current(), 'a file the walk listed changes no list');
    walks.invalidate([path.join(dir, 'c.ts')]);
    assert.equal(walks.current(), undefined, 'a path the walk never listed makes the next walk full');
    await walks.walk(request());
    walks.invalidate([path.join(dir, 'src', '.gitignore')]);
    assert.equal(walks.current(), undefined, 'an ignore file decides which files are in');
  });

  it('holds until something the walk read changes', async () => {
    const walks = cache(false);
    await walks.walk(request());
    assert.equal(walks.holds(), true);
    fs.writeFileSync(path.join(dir, 'src', 'c.ts'), 'c\n');
    fs.utimesSync(path.join(dir, 'src'), new Date(0), new Date(0)); // a folder's new stat, whatever the clock
    assert.equal(walks.holds(), false);
  });

  it('in watched mode re-stats the known files of the last walk instead of walking again', async () => {
    const walks = cache(true);
    const first = await walks.walk(request());
    fs.writeFileSync(path.join(dir, 'a.ts'), 'a longer text\n');
    fs.writeFileSync(path.join(dir, 'new.ts'), 'not reported\n');
    const warm = await walks.walk(request());
    assert.equal(warm, first, 'the same walk, re-stated');
    assert.equal(warm.files.find((f) => f.rel === 'a.ts')?.size, 'a longer text\n'.length);
    assert.deepEqual(warm.files.map((f) => f.rel).sort(), ['a.ts', 'src/b.ts']);
    fs.rmSync(path.join(dir, 'src', 'b.ts'));
    const after = await walks.walk(request());
    assert.notEqual(after, first, 'a known file gone: a full walk');
    assert.deepEqual(after.files.map((f) => f.rel).sort(), ['a.ts', 'new.ts']);
  });

  it('without watching, every walk lists the folders again', async () => {
    const walks = cache(false);
    const first = await walks.walk(request());
    fs.writeFileSync(path.join(dir, 'new.ts'), 'n\n');
    const second = await walks.walk(request());
    assert.notEqual(second, first);
    assert.ok(second.files.some((f) => f.rel === 'new.ts'));
  });
});
