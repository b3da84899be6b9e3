// The CLI's output reaches a slow reader whole, and a reader that closes early ends it quietly: run as
// real processes on the built CLI with a repository large enough that its `--json` output (about
// 450 KB) cannot sit in a pipe's buffer, so the process must wait for the reader before it ends.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { CLI, REPO, requireBuiltCli } from '../../helpers/paths';
import { tempDir } from '../../helpers/tmp';

const GATE = path.join(REPO, 'test/helpers/stdoutGate.cjs');
const FILES = 1_000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with a reader that reads nothing until the CLI has written the chunk matching
 * `lastChunk` (the stdout gate tells through fd 3), then reads everything.
 */
function runWithSlowReader(args: string[], lastChunk: RegExp, env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', GATE, CLI, ...args], {
      env: { ...process.env, ...env, DSR_GATE_PATTERN: lastChunk.source },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const out = child.stdout!;
    out.pause();
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const gate = child.stdio[3] as Readable;
    gate.once('data', () => {
      let stdout = '';
      out.on('data', (d) => (stdout += d));
      out.resume();
      out.on('end', () => child.once('close', (code) => resolve({ code, stdout, stderr })));
    });
    gate.resume();
    child.on('error', reject);
    // A CLI that ends without writing the expected last chunk still has its ending reported.
    child.once('close', (code) => {
      if (!out.listenerCount('data')) resolve({ code, stdout: '', stderr: stderr + '\n(no last chunk written)' });
    });
  });
}

/** The JSON lines of `stdout`, which must be whole and longer than a pipe holds. */
function wholeLines(stdout: string): unknown[] {
  assert.ok(stdout.endsWith('\n'), `the output was cut after ${stdout.length} bytes`);
  assert.ok(stdout.length > 300_000, `only ${stdout.length} bytes: the test needs more than a pipe holds`);
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
}

/** Runs `node CLI args | head -c 100` in bash with pipefail: the CLI's exit code and stderr. */
function runIntoHead(args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-c', 'set -o pipefail; "$@" | head -c 100 >/dev/null', 'bash', process.execPath, CLI, ...args],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: '', stderr }));
  });
}

describe('CLI output through pipes', function () {
  let repo: string;
  let env: NodeJS.ProcessEnv;
  before(function () {
    requireBuiltCli();
    const base = tempDir('dsr-clipipe-');
    // Long paths make a long file list: FILES entries of ~450 bytes each in the JSON.
    repo = path.join(base, 'repo');
    const deep = path.join(repo, 'd'.repeat(200));
    fs.mkdirSync(deep, { recursive: true });
    for (let i = 0; i < FILES; i++)
      fs.writeFileSync(
        path.join(deep, `${String(i).padStart(5, '0')}${'f'.repeat(190)}.ts`),
        `export const v${i} = ${i};\n`,
      );
    env = {
      DEEPSEEK_REPO_CACHE_DIR: path.join(base, 'cache'),
      DEEPSEEK_API_KEY: '',
      DEEPSEEK_BASE_URL: 'https://deepseek.invalid',
    };
  });
  after(() => fs.rmSync(path.dirname(repo), { recursive: true, force: true }));

  it('pack --json reaches a reader that waits before reading, whole', async () => {
    const r = await runWithSlowReader(['pack', repo, '--json'], /"redactions":\[/, env);
    assert.equal(r.code, 0, r.stderr);
    const [out] = wholeLines(r.stdout) as { files: unknown[] }[];
    assert.ok(out!.files.length >= FILES, 'every file is listed');
  });

  it('ask --json (a dry run listing every file) reaches a reader that waits before reading, whole', async () => {
    const r = await runWithSlowReader(['ask', 'What is v7?', '--dir', repo, '--json'], /"type":"dryRun"/, env);
    assert.equal(r.code, 2, r.stderr); // no key: nothing sent
    const events = wholeLines(r.stdout) as { type: string; files?: unknown[] }[];
    const dry = events.find((e) => e.type === 'dryRun');
    assert.ok(dry?.files && dry.files.length >= FILES, 'the dry run lists every file');
  });

  for (const args of [
    ['pack', '--json'],
    ['ask', 'What is v7?', '--json', '--dir'],
  ])
    it(`${args[0]} --json into a reader that closes early (head -c) ends quietly with exit code 141`, async () => {
      const r = await runIntoHead([...args, repo], env);
      assert.equal(r.code, 141, r.stderr);
      assert.doesNotMatch(r.stderr, /EPIPE|\n\s+at /);
    });
});
