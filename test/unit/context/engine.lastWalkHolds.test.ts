// ContextEngine.lastWalkHolds: after a pack it holds until something the walk read changes: a file's
// content, a file added to a folder (even one that held nothing the pack sent), a file removed, an
// ignore file, a commit (git history orders the pack), or the settings. The tree's times are set to
// the past before each pack, as a real repository's are, so every change below gives a new stat.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import { git, gitSandbox, writeTree } from '../../helpers/tmp';

const PAST = new Date('2020-01-01T00:00:00Z');

/** Sets every file's and folder's times under `dir` (its .git too) to PAST. */
function age(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) age(abs);
    fs.utimesSync(abs, PAST, PAST);
  }
  fs.utimesSync(dir, PAST, PAST);
}

describe('ContextEngine.lastWalkHolds', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  let engine: ContextEngine;
  const request = { budgetTokens: 1_000_000 };
  const packAged = async () => {
    age(sandbox.repo);
    await engine.pack(request);
  };

  beforeEach(() => {
    sandbox = gitSandbox('dsr-holds-');
    writeTree(sandbox.repo, {
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': "import { a } from './a';\nexport const b = a + 1;\n",
      'assets/data.txt': Buffer.from([1, 0, 2, 0]),
      '.gitignore': 'out/\n',
      'out/x.js': 'built();\n',
    });
    fs.mkdirSync(path.join(sandbox.repo, 'src', 'empty'));
    git(sandbox.repo, ['init', '-q'], sandbox.env);
    git(sandbox.repo, ['add', '-A'], sandbox.env);
    git(sandbox.repo, ['commit', '-q', '-m', 'first'], sandbox.env);
    engine = new ContextEngine({
      roots: [{ name: 'repo', path: sandbox.repo }],
      cacheDir: path.join(sandbox.base, 'cache'),
      workers: 0,
      gitEnv: { home: sandbox.home },
    });
  });
  afterEach(() => {
    engine.dispose();
    fs.rmSync(sandbox.base, { recursive: true, force: true });
  });

  it('does not hold before the first pack, and holds after it while nothing changes', async () => {
    assert.equal(engine.lastWalkHolds(), false);
    await packAged();
    assert.equal(engine.lastWalkHolds(), true);
    assert.equal(engine.lastWalkHolds(), true);
  });

  const changes: [string, () => void][] = [
    ['a file is edited', () => fs.writeFileSync(path.join(sandbox.repo, 'src/a.ts'), 'export const a = 2;\n')],
    ['a file is removed', () => fs.rmSync(path.join(sandbox.repo, 'src/b.ts'))],
    ['a file is added to a folder that held none', () => writeTree(sandbox.repo, { 'src/empty/c.ts': 'c;\n' })],
    ['a file is added at the top', () => writeTree(sandbox.repo, { 'c.ts': 'c;\n' })],
    ['a file excluded for its content changes', () => writeTree(sandbox.repo, { 'assets/data.txt': 'text now\n' })],
    ['an ignore file changes', () => writeTree(sandbox.repo, { '.gitignore': 'out/\nsrc/b.ts\n' })],
    ['a commit moves HEAD', () => git(sandbox.repo, ['commit', '-q', '--allow-empty', '-m', 'x'], sandbox.env)],
    ['the settings change', () => engine.setSettings({ exclude: ['src/a.ts'] })],
  ];
  for (const [what, change] of changes)
    it(`stops holding when ${what}, and holds again after the next pack`, async () => {
      await packAged();
      assert.equal(engine.lastWalkHolds(), true);
      change();
      assert.equal(engine.lastWalkHolds(), false);
      await packAged();
      assert.equal(engine.lastWalkHolds(), true);
    });

  it('a change under an ignored folder leaves it holding (the walk never read it)', async () => {
    await packAged();
    writeTree(sandbox.repo, { 'out/y.js': 'more();\n' });
    // `out/` itself changed, but the walk only saw its name in the top folder, which did not change.
    assert.equal(engine.lastWalkHolds(), true);
  });
});
