// The inspector's Exclude / Include actions as data, and their effect on a real pack.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../../src/context/engine';
import {
  applyToIgnoreText,
  applyToPatterns,
  exactPattern,
  excludeEdit,
  includeEdit,
} from '../../../../src/context/scan/ignoreEdits';
import { DEFAULT_CONTEXT_SETTINGS, type ContextSettings } from '../../../../src/context/types';
import { tempDir, writeTree } from '../../../helpers/tmp';

const S = DEFAULT_CONTEXT_SETTINGS;

describe('ignore edits', () => {
  it('writes exact, anchored, escaped patterns', () => {
    assert.equal(exactPattern('src/a.ts'), '/src/a.ts');
    assert.equal(exactPattern('build/'), '/build/');
    assert.equal(exactPattern('x[1]/#a*?!.txt'), '/x\\[1\\]/\\#a\\*\\?\\!.txt');
    assert.equal(exactPattern('trailing '), '/trailing\\ ');
  });

  it('exclude goes to .deepseekignore; include answers each reason in its own place', () => {
    assert.deepEqual(excludeEdit({ rel: 'src/a.ts', status: 'included' }, S), {
      kind: 'ignoreFile',
      add: '/src/a.ts',
      remove: '!/src/a.ts',
    });
    assert.deepEqual(excludeEdit({ rel: 'yarn.lock', status: 'included' }, { ...S, include: ['/yarn.lock'] }), {
      kind: 'setting',
      key: 'include',
      remove: '/yarn.lock',
    });
    assert.deepEqual(includeEdit({ rel: 'dist/', status: 'excluded', reason: 'gitignore' }, S), {
      kind: 'ignoreFile',
      add: '!/dist/',
    });
    assert.deepEqual(includeEdit({ rel: 'docs/', status: 'excluded', reason: 'deepseekignore' }, S), {
      kind: 'ignoreFile',
      add: '!/docs/',
      remove: '/docs/',
    });
    assert.deepEqual(includeEdit({ rel: 'yarn.lock', status: 'excluded', reason: 'lockfile' }, S), {
      kind: 'setting',
      key: 'include',
      add: '/yarn.lock',
    });
    assert.deepEqual(
      includeEdit({ rel: 'a.snap', status: 'excluded', reason: 'setting' }, { ...S, exclude: ['/a.snap'] }),
      { kind: 'setting', key: 'exclude', remove: '/a.snap' },
    );
    assert.equal(includeEdit({ rel: '.env', status: 'excluded', reason: 'secret-file' }, S), undefined);
    assert.equal(includeEdit({ rel: 'a.png', status: 'excluded', reason: 'binary' }, S), undefined);
  });

  it('edits ignore text and pattern lists idempotently', () => {
    assert.equal(applyToIgnoreText('', { add: '/a' }), '/a\n');
    assert.equal(applyToIgnoreText('/a\n', { add: '/a' }), '/a\n');
    assert.equal(
      applyToIgnoreText('# c\r\n/docs/\r\n', { add: '!/docs/', remove: '/docs/' }),
      '# c\n',
      'removing the only exclusion is enough',
    );
    assert.equal(applyToIgnoreText('docs/\n', { add: '!/docs/', remove: '/docs/' }), 'docs/\n!/docs/\n');
    assert.deepEqual(applyToPatterns(['a', 'b'], { remove: 'a', add: 'c' }), ['b', 'c']);
  });

  it('applied to a real tree, each action flips the path in the next pack', async () => {
    const dir = tempDir('dsr-edits-');
    writeTree(dir, {
      '.gitignore': 'dist/\n',
      'dist/out.js': 'out();\n',
      'src/a.ts': 'export const a = 1;\n',
      'yarn.lock': 'lock\n',
    });
    let settings: ContextSettings = { ...S };
    const engine = new ContextEngine({ roots: [{ name: 'r', path: dir }], workers: 0 });
    const status = async (p: string) => {
      engine.setSettings(settings);
      const f = (await engine.pack({ budgetTokens: 1_000_000 })).files.find((x) => x.path === p)!;
      return { status: f.status, reason: f.reason };
    };
    const apply = (edit: ReturnType<typeof excludeEdit> | undefined) => {
      assert.ok(edit);
      if (edit.kind === 'setting') settings = { ...settings, [edit.key]: applyToPatterns(settings[edit.key], edit) };
      else {
        const file = path.join(dir, '.deepseekignore');
        fs.writeFileSync(file, applyToIgnoreText(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', edit));
      }
    };
    try {
      apply(excludeEdit({ rel: 'src/a.ts', status: 'included' }, settings));
      assert.deepEqual(await status('src/a.ts'), { status: 'excluded', reason: 'deepseekignore' });
      apply(includeEdit({ rel: 'src/a.ts', status: 'excluded', reason: 'deepseekignore' }, settings));
      assert.deepEqual(await status('src/a.ts'), { status: 'included', reason: undefined });
      apply(includeEdit({ rel: 'dist/', status: 'excluded', reason: 'gitignore' }, settings));
      assert.deepEqual(await status('dist/out.js'), { status: 'included', reason: undefined });
      apply(includeEdit({ rel: 'yarn.lock', status: 'excluded', reason: 'lockfile' }, settings));
      assert.deepEqual(await status('yarn.lock'), { status: 'included', reason: undefined });
      apply(excludeEdit({ rel: 'yarn.lock', status: 'included' }, settings));
      assert.deepEqual(await status('yarn.lock'), { status: 'excluded', reason: 'lockfile' });
    } finally {
      engine.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
