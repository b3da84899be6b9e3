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
  excludeIsUndo,
  hasNoRules,
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

  it('exclude goes where the user chose (settings or .deepseekignore); include never writes .deepseekignore', () => {
    assert.deepEqual(excludeEdit({ rel: 'src/a.ts', status: 'included' }, S, 'setting'), {
      kind: 'setting',
      key: 'exclude',
      add: '/src/a.ts',
    });
    assert.deepEqual(excludeEdit({ rel: 'src/a.ts', status: 'included' }, S, 'ignoreFile'), {
      kind: 'ignoreFile',
      add: '/src/a.ts',
      remove: '!/src/a.ts',
    });
    const included = { ...S, include: ['/yarn.lock'] };
    assert.equal(excludeIsUndo({ rel: 'yarn.lock', status: 'included' }, included), true);
    assert.deepEqual(excludeEdit({ rel: 'yarn.lock', status: 'included' }, included, 'ignoreFile'), {
      kind: 'setting',
      key: 'include',
      remove: '/yarn.lock',
    });
    assert.deepEqual(includeEdit({ rel: 'dist/', status: 'excluded', reason: 'gitignore' }, S), {
      kind: 'setting',
      key: 'include',
      add: '/dist/',
    });
    assert.deepEqual(
      includeEdit({ rel: 'docs/', status: 'excluded', reason: 'deepseekignore' }, S, '# why\n/docs/\n'),
      { kind: 'ignoreFile', remove: '/docs/' },
      'the line that left it out is taken back',
    );
    assert.deepEqual(
      includeEdit({ rel: 'docs/a.md', status: 'excluded', reason: 'deepseekignore' }, S, 'docs/\n'),
      { kind: 'setting', key: 'include', add: '/docs/a.md' },
      'a broader rule of the repository stays: the include setting overrides it here',
    );
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
    assert.equal(hasNoRules('# header\n\n'), true, 'comment-only: deleted, not kept');
    assert.equal(hasNoRules(''), true);
    assert.equal(hasNoRules('# header\n/docs/\n'), false);
    assert.equal(hasNoRules('\\#literal\n'), false, 'an escaped # is a rule');
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
    const ignoreFile = path.join(dir, '.deepseekignore');
    const ignoreText = () => (fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, 'utf8') : '');
    const apply = (edit: ReturnType<typeof excludeEdit> | undefined) => {
      assert.ok(edit);
      if (edit.kind === 'setting') settings = { ...settings, [edit.key]: applyToPatterns(settings[edit.key], edit) };
      else {
        const text = applyToIgnoreText(ignoreText(), edit);
        if (hasNoRules(text)) fs.rmSync(ignoreFile, { force: true });
        else fs.writeFileSync(ignoreFile, text);
      }
    };
    try {
      apply(excludeEdit({ rel: 'src/a.ts', status: 'included' }, settings, 'setting'));
      assert.deepEqual(await status('src/a.ts'), { status: 'excluded', reason: 'setting' });
      assert.equal(fs.existsSync(ignoreFile), false, 'nothing written into the repository');
      apply(includeEdit({ rel: 'src/a.ts', status: 'excluded', reason: 'setting' }, settings));
      assert.deepEqual(await status('src/a.ts'), { status: 'included', reason: undefined });
      apply(excludeEdit({ rel: 'src/a.ts', status: 'included' }, settings, 'ignoreFile'));
      assert.deepEqual(await status('src/a.ts'), { status: 'excluded', reason: 'deepseekignore' });
      assert.deepEqual(
        await status('.deepseekignore'),
        { status: 'excluded', reason: 'deepseekignore' },
        'the ignore file itself is never sent',
      );
      apply(includeEdit({ rel: 'src/a.ts', status: 'excluded', reason: 'deepseekignore' }, settings, ignoreText()));
      assert.deepEqual(await status('src/a.ts'), { status: 'included', reason: undefined });
      assert.equal(fs.existsSync(ignoreFile), false, 'left with no rule: deleted');
      apply(includeEdit({ rel: 'dist/', status: 'excluded', reason: 'gitignore' }, settings));
      assert.deepEqual(await status('dist/out.js'), { status: 'included', reason: undefined });
      apply(includeEdit({ rel: 'yarn.lock', status: 'excluded', reason: 'lockfile' }, settings));
      assert.deepEqual(await status('yarn.lock'), { status: 'included', reason: undefined });
      apply(excludeEdit({ rel: 'yarn.lock', status: 'included' }, settings, 'ignoreFile'));
      assert.deepEqual(await status('yarn.lock'), { status: 'excluded', reason: 'lockfile' });
    } finally {
      engine.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
