// Where file references from model output may point (src/ui/pathGuard.ts, plain Node): inside a
// workspace folder only, also through `../`, absolute paths, `rootName/` prefixes and symlinks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { candidatePaths, isInside, resolveExistingFile } from '../../../src/ui/pathGuard';
import { tempDir } from '../../helpers/tmp';

describe('pathGuard: file references stay inside the workspace', () => {
  let tmp: string;
  let roots: { name: string; path: string }[];
  before(() => {
    tmp = tempDir('dsr-paths-');
    for (const d of ['app/src', 'lib/src', 'outside']) fs.mkdirSync(path.join(tmp, d), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'app/src/a.ts'), 'a');
    fs.writeFileSync(path.join(tmp, 'lib/src/b.ts'), 'b');
    fs.writeFileSync(path.join(tmp, 'outside/secret.txt'), 's');
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(tmp, 'app/link'));
    roots = [
      { name: 'app', path: path.join(tmp, 'app') },
      { name: 'lib', path: path.join(tmp, 'lib') },
    ];
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('resolves relative paths against each root, and root-name prefixes in multi-root workspaces', () => {
    assert.equal(resolveExistingFile('src/a.ts', roots), path.join(tmp, 'app/src/a.ts'));
    assert.equal(resolveExistingFile('./src/b.ts', roots), path.join(tmp, 'lib/src/b.ts'));
    assert.equal(resolveExistingFile('lib/src/b.ts', roots), path.join(tmp, 'lib/src/b.ts'));
    assert.equal(resolveExistingFile(path.join(tmp, 'app/src/a.ts'), roots), path.join(tmp, 'app/src/a.ts'));
  });

  it('refuses paths that leave the workspace: ../, absolute paths elsewhere, symlinks out', () => {
    assert.equal(resolveExistingFile('../outside/secret.txt', roots), undefined);
    assert.equal(resolveExistingFile('src/../../outside/secret.txt', roots), undefined);
    assert.equal(resolveExistingFile(path.join(tmp, 'outside/secret.txt'), roots), undefined);
    assert.equal(resolveExistingFile('link/secret.txt', roots), undefined);
    assert.deepEqual(
      candidatePaths('link/new.txt', roots),
      [path.join(tmp, 'lib/link/new.txt')],
      'not through app/link, which leads outside',
    );
    assert.equal(resolveExistingFile('/etc/passwd', roots), undefined);
    assert.equal(resolveExistingFile('src', roots), undefined, 'a folder is not a file');
    assert.deepEqual(candidatePaths('bad\0name', roots), []);
  });

  it('offers a new file inside a root for New File / Apply, never outside', () => {
    assert.deepEqual(candidatePaths('src/new.ts', roots), [
      path.join(tmp, 'app/src/new.ts'),
      path.join(tmp, 'lib/src/new.ts'),
    ]);
    assert.deepEqual(candidatePaths('../escape.ts', roots), []);
    assert.ok(
      isInside('/a/b', '/a/b/c') && isInside('/a/b', '/a/b') && !isInside('/a/b', '/a/bc') && !isInside('/a/b', '/a'),
    );
  });
});
