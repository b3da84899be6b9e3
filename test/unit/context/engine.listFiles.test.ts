// ContextEngine.listFiles, the file list the composer's `@` completes from: the walk's files with
// the ignore rules, .deepseekignore and the exclusion settings applied (never a second kind of walk),
// labelled as the pack labels them; in watched mode the last walk is reused until invalidated.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import { gitSandbox, writeTree } from '../../helpers/tmp';

describe('ContextEngine.listFiles', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  let engine: ContextEngine | undefined;
  beforeEach(() => {
    sandbox = gitSandbox('dsr-list-');
    writeTree(sandbox.repo, {
      'src/a.ts': 'export const a = 1;\n',
      'src/secret.ts': 'x\n',
      '.gitignore': 'out/\n',
      '.deepseekignore': 'src/secret.ts\n',
      'out/x.js': 'built();\n',
      'docs/readme.md': '# hi\n',
    });
  });
  afterEach(() => {
    engine?.dispose();
    fs.rmSync(sandbox.base, { recursive: true, force: true });
  });

  it('lists what a pack may hold, with every ignore rule and exclusion applied', async () => {
    engine = new ContextEngine({
      roots: [{ name: 'repo', path: sandbox.repo }],
      settings: { exclude: ['docs/**'] },
      workers: 0,
      watched: true,
      gitEnv: { home: sandbox.home },
    });
    const files = (await engine.listFiles()).sort();
    assert.ok(files.includes('src/a.ts'), files.join());
    for (const out of ['out/x.js', 'src/secret.ts', 'docs/readme.md'])
      assert.ok(!files.includes(out), `${out} is not offered: ${files.join()}`);
    const pack = await engine.pack({ budgetTokens: 1_000_000 });
    const packed = pack.files.filter((f) => f.status !== 'excluded').map((f) => f.path);
    assert.deepEqual(
      files.filter((f) => !packed.includes(f)),
      [],
      'every listed file is one the pack takes',
    );
  });

  it('sees a new file once the watcher reports it, and labels files by folder in a multi-root workspace', async () => {
    const other = path.join(sandbox.base, 'lib');
    writeTree(other, { 'l.ts': 'export {};\n' });
    engine = new ContextEngine({
      roots: [
        { name: 'repo', path: sandbox.repo },
        { name: 'lib', path: other },
      ],
      workers: 0,
      watched: true,
      gitEnv: { home: sandbox.home },
    });
    assert.ok((await engine.listFiles()).includes('lib/l.ts'));
    writeTree(sandbox.repo, { 'src/new.ts': 'export {};\n' });
    engine.invalidate([path.join(sandbox.repo, 'src', 'new.ts')]);
    assert.ok((await engine.listFiles()).includes('repo/src/new.ts'));
  });
});
