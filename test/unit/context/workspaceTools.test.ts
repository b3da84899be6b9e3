// The agent's read_files, search and edit targets go through the context engine: the pack's ignore
// rules, secret files, binaries, symlinks out of the workspace and redaction apply to them exactly
// as to the repository block, and every bad path gets one line, never an exception.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import type { WorkspaceRoot } from '../../../src/context/types';
import { workspacePort } from '../../../src/chat/agent/workspacePort';
import { tempDir, writeTree } from '../../helpers/tmp';

// A real token format, assembled at run time so this file holds no secret.
const PAT = ['ghp', 'zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17'].join('_');

describe('workspace tools (read_files, search, edit targets) through the context engine', () => {
  let dir: string;
  let outside: string;
  let engine: ContextEngine;
  let roots: WorkspaceRoot[];
  const port = () => workspacePort(engine, roots);
  beforeEach(() => {
    dir = tempDir('dsr-tools-');
    outside = tempDir('dsr-outside-');
    writeTree(dir, {
      'src/a.ts': 'export const a = 1;\r\nexport function twice(x: number) {\r\n  return 2 * x;\r\n}\r\n',
      'src/keys.ts': `export const TOKEN = '${PAT}';\n`,
      '.env': 'API_KEY=abc\n',
      '.gitignore': 'out/\n*.log\n',
      'out/built.js': 'built();\n',
      'debug.log': 'twice\n',
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]),
      'package-lock.json': '{"lockfileVersion": 3}\n',
    });
    writeTree(outside, { 'secret.txt': 'twice outside\n' });
    fs.symlinkSync(outside, path.join(dir, 'linkdir'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'link.txt'));
    roots = [{ name: 'proj', path: dir }];
    engine = new ContextEngine({ roots, workers: 0, allowGit: false });
  });
  afterEach(() => {
    engine.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('reads a file as the pack sends it: line endings normalised, secrets redacted', async () => {
    const [a, keys] = await port().readFiles(['./src/a.ts', 'src\\keys.ts']);
    assert.deepEqual(a, {
      path: 'src/a.ts',
      ok: true,
      text: 'export const a = 1;\nexport function twice(x: number) {\n  return 2 * x;\n}\n',
      redactions: 0,
    });
    assert.ok(keys!.ok && !keys!.text.includes(PAT) && keys!.text.includes('[REDACTED:') && keys!.redactions === 1);
  });

  it('refuses every path the pack would not send, with one line each', async () => {
    const paths = [
      '../x.ts',
      '/etc/passwd',
      'C:\\Windows\\win.ini',
      '~/.ssh/id_rsa',
      'src/../../x',
      '.env',
      'logo.png',
      'out/built.js',
      'debug.log',
      'linkdir/secret.txt',
      'link.txt',
      'src/missing.ts',
      'src',
      'package-lock.json',
      '',
    ];
    const results = await port().readFiles(paths);
    const reasons = results.map((r) => (r.ok ? 'READ' : r.reason));
    assert.equal(reasons.filter((r) => r === 'READ').length, 0, reasons.join('\n'));
    const expect: [number, RegExp][] = [
      [0, /outside the workspace/],
      [1, /absolute path/],
      [2, /absolute path/],
      [3, /absolute path/],
      [4, /outside the workspace/],
      [5, /secret file/],
      [6, /binary/],
      [7, /\.gitignore|out\//],
      [8, /\.gitignore|\*\.log/],
      [9, /outside the workspace/],
      [10, /outside the workspace/],
      [11, /no such file/],
      [12, /a folder/],
      [13, /lockfile/],
      [14, /empty path/],
    ];
    for (const [i, re] of expect) assert.match(reasons[i]!, re, `${JSON.stringify(paths[i])}: ${reasons[i]}`);
    assert.ok(
      reasons.every((r) => !r.includes('\n') && !r.includes(outside)),
      'one line, no local path outside',
    );
  });

  it('reads a file created after the first walk', async () => {
    await port().readFiles(['src/a.ts']);
    writeTree(dir, { 'src/new.ts': 'export const n = 1;\n' });
    const [n] = await port().readFiles(['src/new.ts']);
    assert.ok(n!.ok, n!.ok ? '' : n!.reason);
  });

  it('searches the files the pack considers, redacted before matching, capped with the count left out', async () => {
    const twice = await port().search({ pattern: 'twice', maxMatches: 10 });
    assert.ok(twice.ok);
    assert.deepEqual(
      twice.matches.map((m) => `${m.path}:${m.line}: ${m.text}`),
      ['src/a.ts:2: export function twice(x: number) {'],
      'ignored, outside and binary files are not searched',
    );
    const secret = await port().search({ pattern: 'ghp_', maxMatches: 10 });
    assert.ok(secret.ok && secret.matches.length === 0, 'a secret cannot be found by its text');
    const capped = await port().search({ pattern: 'export', maxMatches: 1 });
    assert.ok(capped.ok && capped.matches.length === 1 && capped.more === 2);
    const scoped = await port().search({ pattern: 'export', path: 'src/keys.ts', maxMatches: 10 });
    assert.ok(scoped.ok && scoped.matches.length === 1 && scoped.matches[0]!.path === 'src/keys.ts');
    const bad = await port().search({ pattern: '(unclosed', maxMatches: 10 });
    assert.ok(!bad.ok && bad.reason.includes('not a valid regular expression'));
    const escape = await port().search({ pattern: 'x', path: '../', maxMatches: 10 });
    assert.ok(!escape.ok && escape.reason.includes('outside the workspace'));
  });

  it('gives edit targets their exact bytes, allows new files inside, refuses the rest', async () => {
    const [a, created, nested, env, out, link, abs] = await port().editTargets([
      'src/a.ts',
      'src/new.ts',
      'src/deep/er/new.ts',
      '.env',
      'out/x.js',
      'linkdir/new.ts',
      path.join(dir, 'src/a.ts'),
    ]);
    assert.ok(a!.ok && a!.text === fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8') && a!.text.includes('\r\n'));
    assert.ok(created!.ok && created!.text === undefined);
    assert.ok(nested!.ok && nested!.text === undefined);
    assert.ok(!env!.ok && env!.reason.includes('secret file'));
    assert.ok(!out!.ok && out!.reason.includes('out/'));
    assert.ok(!link!.ok && link!.reason.includes('outside the workspace'));
    assert.ok(!abs!.ok && abs!.reason.includes('absolute path'));
  });
});
