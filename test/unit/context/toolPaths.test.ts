// toolPaths: a path the model writes becomes a pack label or one line saying why it cannot name a
// workspace file, and every exclusion reason reads as one line a model can act on.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { absOfLabel, reasonText, toolLabel } from '../../../src/context/toolPaths';
import type { WorkspaceRoot } from '../../../src/context/types';

const one: WorkspaceRoot[] = [{ name: 'app', path: path.join(path.sep, 'w', 'app') }];
const two: WorkspaceRoot[] = [...one, { name: 'lib', path: path.join(path.sep, 'w', 'lib') }];

describe('toolPaths', () => {
  it('takes a root-relative path as its label, normalising separators, `.` and empty segments', () => {
    assert.deepEqual(toolLabel(one, ' src\\a.ts '), { ok: true, label: 'src/a.ts' });
    assert.deepEqual(toolLabel(one, './src//b.ts'), { ok: true, label: 'src/b.ts' });
    assert.deepEqual(toolLabel(two, 'lib/x.ts'), { ok: true, label: 'lib/x.ts' });
  });

  it('refuses empty, absolute, escaping and folder-less paths with one line each', () => {
    const reason = (roots: WorkspaceRoot[], raw: string) => {
      const r = toolLabel(roots, raw);
      assert.equal(r.ok, false, raw);
      return r.ok ? '' : r.reason;
    };
    assert.equal(reason(one, '  '), 'an empty path');
    assert.equal(reason(one, 'a\0b'), 'a path with a NUL character');
    for (const abs of ['/etc/passwd', 'C:/x', '~/.ssh/id_rsa'])
      assert.match(reason(one, abs), /^an absolute path/, abs);
    assert.match(reason(one, 'src/../../x'), /^outside the workspace/);
    assert.equal(reason(one, '.'), 'the workspace folder itself, not a file');
    assert.equal(reason(two, 'other/x.ts'), 'not in a workspace folder: paths start with one of app, lib');
    for (const r of [reason(one, 'a\0b'), reason(one, '/x'), reason(two, 'x')]) assert.ok(!r.includes('\n'));
  });

  it('locates a label in its root', () => {
    assert.equal(absOfLabel(one, 'src/a.ts'), path.join(one[0]!.path, 'src', 'a.ts'));
    assert.equal(absOfLabel(two, 'lib/x.ts'), path.join(two[1]!.path, 'x.ts'));
    assert.throws(() => absOfLabel(two, 'other/x.ts'), /in no workspace folder/);
  });

  it('says why a path is left out, naming the rule, the folder and the way back in where there is one', () => {
    assert.equal(
      reasonText('gitignore', '.gitignore:3: dist/', 'dist/'),
      'left out by .gitignore:3: dist/ (the folder dist/); the user can add it to deepseekRepo.context.include',
    );
    assert.equal(
      reasonText('deepseekignore'),
      'left out by a .deepseekignore rule; the user can add it to deepseekRepo.context.include',
    );
    assert.equal(reasonText('secret-file', 'env-file'), 'a secret file (env-file): never sent');
    assert.equal(
      reasonText('duplicate', 'same file as src/a.ts'),
      'a link to src/a.ts in the workspace: use that path',
    );
    assert.equal(
      reasonText('symlink-outside', undefined, 'vendor/'),
      'outside the workspace (a symlink at vendor/ leads out)',
    );
    assert.equal(reasonText('vanished'), 'no such file');
  });
});
