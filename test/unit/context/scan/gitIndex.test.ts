// The stat a git index records for each file, and when it may stand in for hashing the file: only for an entry
// that is not racily clean (modified before the index was written), and only while the file's stat is the same.
// git itself writes the indexes here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanStatKey, parseIndex, statKey, type IndexEntry } from '../../../../src/context/scan/gitIndex';
import { loadGitRepo } from '../../../../src/context/scan/gitRepo';
import { NOTHING_KNOWN, processFile, type ProcessJob } from '../../../../src/context/read/processFile';
import { RepoCache } from '../../../../src/context/scan/repoCache';
import { walkRoots } from '../../../../src/context/scan/walk';
import { DEFAULT_CONTEXT_SETTINGS } from '../../../../src/context/types';
import { git, gitSandbox, writeTree } from '../../../helpers/tmp';

/** `seconds` ago (seconds since the epoch): older than any index written during the test. */
const ago = (seconds: number) => Date.now() / 1000 - seconds;

/** A repository with `files` added to its index, each modified a minute before (or `agoSeconds[rel]` before). */
function repoWith(files: Record<string, string>, agoSeconds: Record<string, number> = {}) {
  const box = gitSandbox('dsr-gitindex-');
  git(box.repo, ['init', '-q'], box.env);
  writeTree(box.repo, files);
  for (const rel of Object.keys(files)) {
    const when = ago(agoSeconds[rel] ?? 60);
    fs.utimesSync(path.join(box.repo, rel), when, when);
  }
  git(box.repo, ['add', '-A'], box.env);
  const gitEnv = { home: box.home, xdgConfigHome: path.join(box.home, '.config') };
  return { ...box, gitEnv };
}
const oidOf = (repo: string, rel: string, env: NodeJS.ProcessEnv) => git(repo, ['hash-object', '--', rel], env).trim();

describe('gitIndex: the stat an entry records', () => {
  it("records each file's stat as git saw it: the key of an unchanged file equals its stat's", () => {
    const { base, repo } = repoWith({ 'a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
    try {
      const index = path.join(repo, '.git', 'index');
      const entries = parseIndex(fs.readFileSync(index));
      assert.deepEqual(
        entries.map((e) => e.path),
        ['a.ts', 'src/b.ts'],
      );
      for (const e of entries)
        assert.equal(cleanStatKey(e, fs.statSync(index).mtimeMs), statKey(fs.statSync(path.join(repo, e.path))));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('trusts no entry modified in the same instant as the index or after it (racily clean)', () => {
    const { base, repo, gitEnv } = repoWith(
      { 'old.ts': 'export const old = 1;\n', 'young.ts': 'export const young = 2;\n' },
      { 'old.ts': 60, 'young.ts': 30 },
    );
    try {
      // The index written in the same instant as young.ts was modified: git would hash young.ts to be sure.
      const young = fs.statSync(path.join(repo, 'young.ts'));
      fs.utimesSync(path.join(repo, '.git', 'index'), young.atime, young.mtime);
      const loaded = loadGitRepo(repo, path.join(repo, '.git'), gitEnv);
      assert.equal(loaded.tracked.size, 2);
      assert.equal(loaded.cleanStat.get('young.ts'), undefined, 'racily clean: hashed');
      assert.equal(loaded.cleanStat.get('old.ts'), statKey(fs.statSync(path.join(repo, 'old.ts'))));
      // Written a second later, the index trusts both.
      fs.utimesSync(path.join(repo, '.git', 'index'), ago(29), ago(29));
      const later = loadGitRepo(repo, path.join(repo, '.git'), gitEnv);
      assert.equal(later.cleanStat.get('young.ts'), statKey(young));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('trusts no entry without a stat or with its size zeroed (git smudges a racily clean entry so)', () => {
    const stat = { ctimeSec: 1, ctimeNsec: 0, mtimeSec: 1, mtimeNsec: 0, ino: 7, size: 10 };
    const entry: IndexEntry = { path: 'a', oid: '0'.repeat(40), mode: 0o100644, stat };
    assert.equal(cleanStatKey(entry, 10_000), statKey({ mtimeMs: 1000, ctimeMs: 1000, ino: 7, size: 10 }));
    assert.equal(cleanStatKey({ ...entry, stat: { ...stat, size: 0 } }, 10_000), undefined);
    assert.equal(cleanStatKey({ path: 'a', oid: entry.oid, mode: entry.mode }, 10_000), undefined);
  });
});

describe('processFile: the git blob hash and the index stat', () => {
  const jobOf = (abs: string, rel: string, extra: Partial<ProcessJob>): ProcessJob => ({
    abs,
    rel,
    forced: false,
    ...extra,
  });

  it('takes an unchanged file with the recorded stat as unchanged without hashing it', () => {
    const { base, repo } = repoWith({ 'a.ts': 'export const a = 1;\n' });
    try {
      const abs = path.join(repo, 'a.ts');
      const key = statKey(fs.statSync(abs));
      // A blob id the text does not have: only the stat can have said "unchanged".
      const wrong = '0'.repeat(40);
      const skip = processFile(jobOf(abs, 'a.ts', { indexOid: wrong, indexStat: key }), NOTHING_KNOWN);
      assert.ok(skip.ok && !skip.changedInGit);
      const hashed = processFile(jobOf(abs, 'a.ts', { indexOid: wrong }), NOTHING_KNOWN);
      assert.ok(hashed.ok && hashed.changedInGit, 'without the stat key it is hashed');
      const otherStat = processFile(jobOf(abs, 'a.ts', { indexOid: wrong, indexStat: key + '1' }), NOTHING_KNOWN);
      assert.ok(otherStat.ok && otherStat.changedInGit, 'a stat that differs: hashed');
      const unsaved = processFile(
        jobOf(abs, 'a.ts', { indexOid: wrong, indexStat: key, unsaved: 'export const a = 1;\n' }),
        NOTHING_KNOWN,
      );
      assert.ok(unsaved.ok && unsaved.changedInGit, 'unsaved editor text is hashed: it is not the file stated');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('hashes a file changed after the index recorded it, its size and modification time put back', async () => {
    const { base, repo, env, gitEnv } = repoWith({
      'same.ts': 'export const x = 1;\n',
      'edited.ts': 'export const y = 1;\n',
    });
    try {
      const edited = path.join(repo, 'edited.ts');
      const before = fs.statSync(edited);
      fs.writeFileSync(edited, 'export const y = 2;\n'); // same size
      fs.utimesSync(edited, before.atime, before.mtime);
      assert.equal(fs.statSync(edited).mtimeMs, before.mtimeMs);
      const walked = await walkRoots([{ name: 'r', path: repo }], {
        settings: DEFAULT_CONTEXT_SETTINGS,
        env: gitEnv,
        repos: new RepoCache(),
      });
      const byRel = new Map(walked.files.map((f) => [f.rel, f]));
      const changed = new Map(
        ['same.ts', 'edited.ts'].map((rel) => {
          const f = byRel.get(rel)!;
          assert.ok(f.indexOid && f.indexStat, `${rel} is tracked with a trusted stat`);
          const r = processFile(jobOf(f.abs, rel, { indexOid: f.indexOid, indexStat: f.indexStat }), NOTHING_KNOWN);
          assert.ok(r.ok);
          return [rel, r.changedInGit] as const;
        }),
      );
      assert.deepEqual(Object.fromEntries(changed), { 'same.ts': false, 'edited.ts': true });
      assert.equal(byRel.get('same.ts')!.indexOid, oidOf(repo, 'same.ts', env));
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
