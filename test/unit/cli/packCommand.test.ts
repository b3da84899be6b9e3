// `deepseek-repo pack` flags added by the context engine: --include / --exclude (gitignore syntax),
// --no-cache and --cache-dir, run as real processes on the built CLI.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { JSON_FORMAT_VERSION, parsePackReport } from '../../../src/protocol/packReport';
import { tempDir, writeTree } from '../../helpers/tmp';
import { CLI, requireBuiltCli } from '../../helpers/paths';

function pack(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, 'pack', ...args, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  const report: unknown = JSON.parse(r.stdout);
  // Exactly the contract of src/protocol/packReport.ts: no field missing, none it does not define.
  assert.deepEqual(parsePackReport(report), report);
  assert.equal((report as { v: number }).v, JSON_FORMAT_VERSION);
  return report as {
    tokens: number;
    files: { path: string; status: string; reason?: string; detail?: string; rank?: number; placement?: string }[];
  };
}

describe('CLI pack flags', function () {
  let dir: string;
  let cacheHome: string;
  before(function () {
    requireBuiltCli();
  });
  beforeEach(() => {
    dir = tempDir('dsr-clipack-');
    cacheHome = tempDir('dsr-clicache-');
    writeTree(dir, {
      '.gitignore': 'gen/\n',
      'gen/api.ts': 'export const api = 1;\n',
      'src/a.ts': 'export const a = 1;\n',
      'src/a.test.ts': 'test();\n',
      'package-lock.json': '{}\n',
    });
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheHome, { recursive: true, force: true });
  });

  it('--include beats .gitignore and default exclusions; --exclude removes matches', () => {
    const out = pack([
      dir,
      '--include',
      '/gen/',
      '--include',
      'package-lock.json',
      '--exclude',
      '*.test.ts',
      '--no-cache',
    ]);
    const by = new Map(out.files.map((f) => [f.path, f]));
    assert.equal(by.get('gen/api.ts')?.status, 'included');
    assert.equal(by.get('package-lock.json')?.status, 'included');
    assert.deepEqual(
      [by.get('src/a.test.ts')?.status, by.get('src/a.test.ts')?.reason, by.get('src/a.test.ts')?.detail],
      ['excluded', 'setting', 'exclude setting: *.test.ts'],
    );
  });

  it('packs by default under the budget `ask` gives a new conversation, not the whole window less the output', () => {
    // Two files of 495,000 tokens each ("x" and "\n" are one token apiece): together over ask's
    // budget (983,040) and under the window less the output (1,015,808).
    writeTree(dir, { 'one.txt': 'x\n'.repeat(247_500), 'two.txt': 'x\n'.repeat(247_500) });
    const out = pack([dir, '--no-cache']);
    const big = out.files.filter((f) => f.path.endsWith('.txt'));
    assert.deepEqual(big.map((f) => f.status).sort(), ['excluded', 'included']);
    assert.equal(big.find((f) => f.status === 'excluded')?.reason, 'budget');
    assert.ok(out.tokens <= repositoryBudget(DEFAULT_MAX_OUTPUT), `${out.tokens} tokens`);
    assert.equal(
      pack([dir, '--no-cache', '--budget', '1015808']).files.filter(
        (f) => f.path.endsWith('.txt') && f.status === 'included',
      ).length,
      2,
    );
  });

  it('--window packs for a smaller model: its window less a quarter for output, an eighth for the conversation', () => {
    writeTree(dir, { 'big.txt': 'x\n'.repeat(3_000) }); // 6,000 tokens
    const out = pack([dir, '--no-cache', '--window', '8192']);
    assert.deepEqual(
      [out.files.find((f) => f.path === 'big.txt')?.status, out.files.find((f) => f.path === 'big.txt')?.reason],
      ['excluded', 'budget'],
    );
    assert.ok(out.tokens <= 8_192 - 2_048 - 1_024 && out.tokens > 0, `${out.tokens} tokens`);
    assert.equal(
      pack([dir, '--no-cache', '--window', '16384']).files.find((f) => f.path === 'big.txt')?.status,
      'included',
    );
    for (const v of ['32k', '512']) {
      const bad = spawnSync(process.execPath, [CLI, 'pack', dir, '--window', v], { encoding: 'utf8' });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, new RegExp(`--window must be an integer of at least 1024 \\(tokens\\), got ${v}`));
    }
  });

  it('--question ranks the files a question names first when the repository does not fit', () => {
    writeTree(dir, { 'alpha.txt': 'x\n'.repeat(3_000), 'omega.txt': 'y\n'.repeat(3_000) }); // 6,000 tokens each
    const whole = (args: string[]) =>
      pack([dir, '--no-cache', '--budget', '8000', ...args])
        .files.filter((f) => f.path.endsWith('.txt') && f.status === 'included')
        .map((f) => f.path);
    assert.deepEqual(whole(['--question', 'What is in omega.txt?']), ['omega.txt']);
    assert.deepEqual(whole(['--question', 'What is in alpha.txt?']), ['alpha.txt']);
  });

  // …a path outside is one line
  it("--focus sends a file whole and a folder's files first when the repository does not fit", () => {
    // 6,000 tokens each: a budget of 8,000 holds one of them whole.
    writeTree(dir, {
      'alpha.txt': 'x\n'.repeat(3_000),
      'omega.txt': 'y\n'.repeat(3_000),
      'deep/beta.txt': 'z\n'.repeat(3_000),
    });
    const whole = (args: string[]) =>
      pack([dir, '--no-cache', '--budget', '8000', ...args])
        .files.filter((f) => f.path.endsWith('.txt') && f.status === 'included')
        .map((f) => f.path);
    assert.deepEqual(whole(['--focus', path.join(dir, 'omega.txt')]), ['omega.txt']);
    // Relative to the one folder packed when not found from the current one; over the question's choice.
    assert.deepEqual(whole(['--focus', 'alpha.txt', '--question', 'What is in omega.txt?']), ['alpha.txt']);
    assert.deepEqual(whole(['--focus', 'deep']), ['deep/beta.txt']);
    // Each ranked file says its place and why the budget made it whole or not (the report is checked by its schema).
    const ranked = pack([dir, '--no-cache', '--budget', '8000', '--focus', 'deep']).files.filter((f) =>
      f.path.endsWith('.txt'),
    );
    assert.deepEqual(
      ranked.map((f) => [f.path, f.rank === 1, f.placement?.split(':')[0]]),
      [
        ['alpha.txt', false, 'left out'],
        ['deep/beta.txt', true, 'whole first'],
        ['omega.txt', false, 'left out'],
      ],
    );
    const outside = spawnSync(process.execPath, [CLI, 'pack', dir, '--focus', os.tmpdir()], { encoding: 'utf8' });
    assert.equal(outside.status, 2);
    assert.equal(outside.stderr.trim().split('\n').length, 1, outside.stderr);
    assert.match(outside.stderr, /--focus .* is outside/);
    const missing = spawnSync(process.execPath, [CLI, 'pack', dir, '--focus', 'nowhere.ts'], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--focus nowhere.ts does not exist/);
  });

  it('caches token counts in $XDG_CACHE_HOME/deepseek-repo, in --cache-dir, or nowhere with --no-cache', () => {
    pack([dir], { XDG_CACHE_HOME: cacheHome });
    assert.ok(fs.readdirSync(path.join(cacheHome, 'deepseek-repo')).some((f) => f.startsWith('tokens-')));
    const custom = path.join(cacheHome, 'custom');
    pack([dir, '--cache-dir', custom], { XDG_CACHE_HOME: path.join(cacheHome, 'unused') });
    assert.ok(fs.readdirSync(custom).some((f) => f.startsWith('tokens-')));
    assert.ok(!fs.existsSync(path.join(cacheHome, 'unused')));
    pack([dir, '--no-cache'], { XDG_CACHE_HOME: path.join(cacheHome, 'none') });
    assert.ok(!fs.existsSync(path.join(cacheHome, 'none')));
  });
});
