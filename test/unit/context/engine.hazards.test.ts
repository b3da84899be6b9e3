// Hostile trees: symlink loops, symlinks leaving the workspace, duplicates through symlinks, a 50 MB
// file, binary content under a text extension, invalid UTF-8, an unreadable file (packed by a child
// that cannot read it: as root, one that drops to an unprivileged user, since root reads everything)
// and a file that vanishes: all reported, none fatal.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import { NOTHING_KNOWN, processFile } from '../../../src/context/read/processFile';
import type { Pack } from '../../../src/context/types';
import { notRunHere } from '../../helpers/notRunHere';
import { tempDir, writeTree } from '../../helpers/tmp';
import { REPO } from '../../helpers/paths';

const BIG = 10_000_000;
const CHILD = path.join(REPO, 'test/helpers/unprivilegedPackChild.ts');
const reasons = (pack: Pack) =>
  Object.fromEntries(pack.files.map((f) => [f.path, f.status === 'excluded' ? f.reason : f.status]));

describe('hazards', function () {
  let dir: string;
  let outside: string;
  beforeEach(() => {
    dir = tempDir('dsr-hazard-');
    outside = tempDir('dsr-outside-');
    writeTree(dir, { 'src/a.ts': 'export const a = 1;\n', 'sub/deep/file.txt': 'deep\n' });
    writeTree(outside, { 'secret.txt': 'outside the workspace\n', 'd/x.txt': 'x\n' });
  });
  afterEach(() => {
    const closed = path.join(dir, 'closed');
    if (fs.existsSync(closed)) fs.chmodSync(closed, 0o755); // a user other than root cannot delete it otherwise
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });
  const pack = async () => {
    const e = new ContextEngine({ roots: [{ name: 'h', path: dir }], workers: 0 });
    try {
      return await e.pack({ budgetTokens: BIG });
    } finally {
      e.dispose();
    }
  };

  it('symlink loops are reported, not followed forever', async () => {
    fs.symlinkSync('.', path.join(dir, 'self'));
    fs.symlinkSync('../..', path.join(dir, 'sub/deep/up'));
    const r = reasons(await pack());
    assert.equal(r['self/'], 'symlink-loop');
    assert.equal(r['sub/deep/up/'], 'symlink-loop');
    assert.equal(r['src/a.ts'], 'included');
  });

  it('symlinks that leave the workspace are not followed', async () => {
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'leak.txt'));
    fs.symlinkSync(outside, path.join(dir, 'leakdir'));
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'broken'));
    const p = await pack();
    const r = reasons(p);
    assert.equal(r['leak.txt'], 'symlink-outside');
    assert.equal(r.leakdir, 'symlink-outside');
    assert.equal(r.broken, 'unreadable');
    assert.ok(!p.text.includes('outside the workspace'));
  });

  it('symlinks inside the workspace are followed once; a second path to the same file is a duplicate', async () => {
    fs.symlinkSync('src/a.ts', path.join(dir, 'alias.ts'));
    fs.symlinkSync('src', path.join(dir, 'again'));
    fs.symlinkSync('../outside-of-src', path.join(dir, 'src/nope'));
    writeTree(dir, { 'outside-of-src/o.ts': 'export const o = 0;\n' });
    const r = reasons(await pack());
    assert.equal(r['alias.ts'], 'duplicate');
    assert.equal(r['again/'], 'duplicate');
    assert.equal(r['src/nope/'], 'duplicate');
    assert.equal(r['outside-of-src/o.ts'], 'included');
  });

  it('a symlinked folder whose target is not packed otherwise is walked under the link path', async () => {
    writeTree(dir, { 'real/r.ts': 'export const r = 1;\n', '.gitignore': 'real/\n' });
    fs.symlinkSync('real', path.join(dir, 'link'));
    const r = reasons(await pack());
    assert.equal(r['real/'], 'gitignore');
    assert.equal(r['link/r.ts'], 'included');
  });

  it('a 50 MB file is left out by size without being read', async () => {
    const big = path.join(dir, 'huge.txt');
    const fd = fs.openSync(big, 'w');
    const chunk = Buffer.alloc(1 << 20, 'a');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const p = await pack();
    const f = p.files.find((x) => x.path === 'huge.txt')!;
    assert.deepEqual([f.status, f.reason, f.bytes], ['excluded', 'too-large', 50 << 20]);
    assert.ok(p.stats.readBytes < 1000, `read ${p.stats.readBytes} bytes`);
  });

  it('binary content under a text extension, invalid UTF-8 and binary types are reported', async () => {
    writeTree(dir, {
      'data.ts': Buffer.concat([Buffer.from('export const x = 1;\n'), Buffer.from([0, 1, 2, 3])]),
      'latin1.c': Buffer.from([0x2f, 0x2f, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      'late-nul.txt': Buffer.concat([Buffer.alloc(9000, 'a'), Buffer.from([0])]),
    });
    const r = reasons(await pack());
    assert.equal(r['data.ts'], 'binary');
    assert.equal(r['latin1.c'], 'invalid-utf8');
    assert.equal(r['logo.png'], 'binary');
    assert.equal(r['late-nul.txt'], 'included', 'git looks for NUL in the first 8,000 bytes only');
  });

  it('an unreadable file (and folder) is reported when packing as an unprivileged user', function () {
    writeTree(dir, { 'locked.txt': 'no\n', 'closed/in.txt': 'no\n' });
    fs.chmodSync(path.join(dir, 'locked.txt'), 0o000);
    fs.chmodSync(path.join(dir, 'closed'), 0o000);
    for (const d of [dir, path.join(dir, 'src'), path.join(dir, 'sub'), path.join(dir, 'sub/deep')])
      fs.chmodSync(d, 0o755);
    for (const f of ['src/a.ts', 'sub/deep/file.txt']) fs.chmodSync(path.join(dir, f), 0o644);
    const run = spawnSync(
      process.execPath,
      ['--require', 'tsx/cjs', CHILD, dir, path.join(dir, 'locked.txt'), String(BIG)],
      { encoding: 'utf8', cwd: REPO, env: { ...process.env, HOME: '/nonexistent' } },
    );
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as {
      notRunHere?: string;
      uid: number;
      reasons: Record<string, string>;
      status: Record<string, number>;
    };
    if (out.notRunHere) notRunHere(this, out.notRunHere);
    assert.notEqual(out.uid, 0, 'the pack ran as a user that cannot read everything');
    assert.equal(out.reasons['locked.txt'], 'unreadable');
    assert.equal(out.reasons['closed/'], 'unreadable');
    assert.equal(out.status.included, 2);
  });

  it('a file or folder whose name is not valid UTF-8 is unreadable for its name, not vanished', async () => {
    const raw = (name: number[]) => Buffer.concat([Buffer.from(dir + '/'), Buffer.from(name)]);
    fs.writeFileSync(raw([0x66, 0xff, 0x2e, 0x74, 0x73]), 'export const f = 1;\n'); // f\xff.ts
    fs.mkdirSync(raw([0x64, 0xfe]));
    fs.writeFileSync(Buffer.concat([raw([0x64, 0xfe]), Buffer.from('/x.ts')]), 'export const x = 1;\n');
    const p = await pack();
    const bad = p.files.filter((f) => f.path.includes('\uFFFD'));
    assert.deepEqual(
      bad.map((f) => [f.path, f.status, f.reason, f.detail]),
      [
        ['d\uFFFD/', 'excluded', 'unreadable', 'its name is not valid UTF-8'],
        ['f\uFFFD.ts', 'excluded', 'unreadable', 'its name is not valid UTF-8'],
      ],
    );
    assert.equal(reasons(p)['src/a.ts'], 'included');
  });

  it('a file that vanishes between listing and reading is reported as vanished', () => {
    const r = processFile({ abs: path.join(dir, 'gone.ts'), rel: 'gone.ts', forced: false }, NOTHING_KNOWN);
    assert.deepEqual([r.ok, !r.ok && r.reason], [false, 'vanished']);
  });
});
