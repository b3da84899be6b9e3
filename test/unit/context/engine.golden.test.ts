// The pack is deterministic bytes: a fixture repository (with fixed commit dates) packs to exactly
// the committed golden file, again after being rebuilt in another order with other file times, and
// with a warm engine. Regenerate deliberately with UPDATE_GOLDEN=1 after a format change.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import { git, gitSandbox, writeTree } from '../../helpers/tmp';

const GOLDEN = path.join(__dirname, 'golden', 'pack.golden.txt');

const FILES: Record<string, string> = {
  '.gitignore': 'dist/\n*.log\n',
  'README.md': '# Fixture\r\n\r\nA small project.\r\n',
  'src/app.ts': "import { add } from './math';\nexport function main(): number {\n  return add(1, 2);\n}\n",
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'src/util/strings.ts': "export const shout = (s: string) => s.toUpperCase() + '!';\n",
  'docs/guide.md': 'Usage: run it.\n',
  'package.json': '{ "name": "fixture", "version": "1.0.0" }\n',
  'dist/app.js': 'compiled();\n',
  'debug.log': 'noise\n',
  'assets/icon.png': '\u0089PNG',
  'yarn.lock': '# lock\n',
};

function build(order: string[]): { repo: string; home: string; env: NodeJS.ProcessEnv } {
  const { home, repo, env } = gitSandbox('dsr-golden-', 'fixture');
  const at = (date: string) => ({ ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  git(repo, ['init', '-q', '-b', 'main'], env);
  for (const rel of order) writeTree(repo, { [rel]: FILES[rel]! });
  git(repo, ['add', '-A'], env);
  git(repo, ['commit', '-q', '-m', 'one'], at('2024-01-01T00:00:00Z'));
  fs.writeFileSync(path.join(repo, 'src/math.ts'), FILES['src/math.ts'] + 'export const ZERO = 0;\n');
  git(repo, ['commit', '-q', '-am', 'two'], at('2024-02-01T00:00:00Z'));
  fs.appendFileSync(path.join(repo, 'docs/guide.md'), 'More.\n');
  git(repo, ['commit', '-q', '-am', 'three'], at('2024-03-01T00:00:00Z'));
  writeTree(repo, { 'notes.txt': 'untracked notes\n' });
  return { repo, home, env };
}

async function packOf(repo: string, home: string, warm = false): Promise<string> {
  const engine = new ContextEngine({ roots: [{ name: 'fixture', path: repo }], workers: 0, gitEnv: { home } });
  try {
    if (warm) await engine.pack({ budgetTokens: 1_000_000 });
    return (await engine.pack({ budgetTokens: 1_000_000 })).text;
  } finally {
    engine.dispose();
  }
}

describe('golden pack', function () {
  it('gives the same bytes as the golden file, across rebuilds, file orders and warm engines', async () => {
    const a = build(Object.keys(FILES));
    const b = build(Object.keys(FILES).reverse());
    try {
      const text = await packOf(a.repo, a.home);
      if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, text);
      assert.equal(text, fs.readFileSync(GOLDEN, 'utf8'));
      fs.utimesSync(path.join(b.repo, 'src/app.ts'), new Date(2000, 1, 1), new Date(2000, 1, 1));
      assert.equal(await packOf(b.repo, b.home), text);
      assert.equal(await packOf(a.repo, a.home, true), text);
    } finally {
      fs.rmSync(path.dirname(a.repo), { recursive: true, force: true });
      fs.rmSync(path.dirname(b.repo), { recursive: true, force: true });
    }
  });

  it('orders files by how recently git history changed them: oldest first, untracked, staged-only last', async () => {
    const a = build(Object.keys(FILES));
    try {
      writeTree(a.repo, { 'src/staged.ts': 'export const staged = true;\n' });
      git(a.repo, ['add', 'src/staged.ts'], a.env); // in the index, never committed: as new as an untracked file
      const text = await packOf(a.repo, a.home);
      const order = [...text.matchAll(/<file path="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(order.slice(-4), ['src/math.ts', 'docs/guide.md', 'notes.txt', 'src/staged.ts']);
      assert.deepEqual(order.slice(0, 5), [
        '.gitignore',
        'README.md',
        'package.json',
        'src/app.ts',
        'src/util/strings.ts',
      ]);
    } finally {
      fs.rmSync(path.dirname(a.repo), { recursive: true, force: true });
    }
  });
});
