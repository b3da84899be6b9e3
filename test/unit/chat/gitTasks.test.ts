// The editor tasks over git changes (gitTasks.ts): reviewing uncommitted changes and a branch, the
// commit message, and how huge and lockfile diffs are shortened.
import * as assert from 'node:assert/strict';
import {
  commitMessage,
  commitMessageFrom,
  compactDiff,
  hasChanges,
  MAX_DIFF_CHARS,
  reviewBranch,
  reviewChanges,
  type RepoChanges,
} from '../../../src/chat/gitTasks';

describe('editor tasks over git changes', () => {
  it('review of changes includes staged, unstaged and untracked per repository, and the line-reference format', () => {
    const changes: RepoChanges[] = [
      {
        name: 'app',
        staged: 'diff --git a/x.ts b/x.ts\n+staged line\n',
        unstaged: 'diff --git a/y.ts b/y.ts\n+unstaged line\n',
        untracked: ['new.ts'],
      },
      { name: 'lib', staged: '', unstaged: '', untracked: [] },
    ];
    const t = reviewChanges(changes, ['/w/x.ts']);
    assert.match(
      t.question,
      /### Repository `app`[\s\S]*Staged changes:[\s\S]*\+staged line[\s\S]*Unstaged changes:[\s\S]*\+unstaged line[\s\S]*`new.ts`/,
    );
    assert.match(t.question, /`path:line` — severity/);
    assert.deepEqual(t.focus, { changedFiles: ['/w/x.ts'] });
    assert.deepEqual(t.shown, { text: 'Review uncommitted changes · 3 files', files: ['x.ts', 'y.ts', 'new.ts'] });
  });

  // …and ranks the files it touches
  it('review of a branch gives its commits and its diff since the base, as a pull request', () => {
    const patch =
      'diff --git a/src/x.ts b/src/x.ts\n+branch line\ndiff --git a/package-lock.json b/package-lock.json\n+lock\n';
    const commits = Array.from({ length: 53 }, (_, i) => `Commit ${53 - i}`);
    const t = reviewBranch({
      branch: 'feature/x',
      base: 'origin/main',
      commits,
      patch,
      changedFiles: ['/w/src/x.ts', '/w/package-lock.json'],
    });
    assert.equal(t.kind, 'reviewBranch');
    assert.equal(t.title, 'Review feature/x against origin/main');
    assert.match(t.question, /branch `feature\/x` since it left `origin\/main`, as a pull request/);
    assert.match(t.question, /Uncommitted changes are not part of it\./);
    assert.match(t.question, /- Commit 53\n[\s\S]*- Commit 4\n- … and 3 older/, 'newest first, at most 50');
    assert.match(t.question, /```diff\n[\s\S]*\+branch line[\s\S]*lockfile diff omitted/);
    assert.match(t.question, /Not shown above: package-lock\.json \(lockfile\)/);
    assert.match(t.question, /`path:line` — severity/);
    assert.deepEqual(t.focus, { changedFiles: ['/w/src/x.ts', '/w/package-lock.json'] });
  });

  it('knows when there is nothing to review or commit', () => {
    const none: RepoChanges[] = [{ name: 'a', staged: ' ', unstaged: '', untracked: [] }];
    assert.equal(hasChanges(none), false);
    assert.equal(hasChanges([{ name: 'a', staged: '', unstaged: 'diff', untracked: [] }]), true);
    assert.equal(hasChanges([{ name: 'a', staged: '', unstaged: 'diff', untracked: [] }], true), false);
  });

  it('summarises lockfile diffs and caps huge diffs, naming what it left out', () => {
    const lock = 'diff --git a/package-lock.json b/package-lock.json\n' + '+x\n'.repeat(1000);
    const big = (n: number) => `diff --git a/f${n}.ts b/f${n}.ts\n` + '+y'.repeat(100) + '\n';
    const r = compactDiff(lock + big(1) + big(2), 350);
    assert.match(r.text, /lockfile diff omitted: 1002 lines/);
    assert.ok(r.text.includes('f1.ts'));
    assert.match(r.text, /diff of 1 more file\(s\) omitted: f2.ts/);
    assert.deepEqual(r.omitted, ['package-lock.json (lockfile)', 'f2.ts (over the 350-character diff limit)']);
    assert.ok(MAX_DIFF_CHARS >= 100_000);
  });

  it('commit message uses only staged changes and the repository commit style', () => {
    const t = commitMessage(
      [{ name: 'app', staged: 'diff --git a/x b/x\n+s\n', unstaged: 'diff --git a/u b/u\n+u\n', untracked: ['n'] }],
      ['Add X', 'Fix Y'],
    );
    assert.ok(t.question.includes('+s'));
    assert.ok(!t.question.includes('+u'));
    assert.ok(!t.question.includes('`n`'));
    assert.match(t.question, /- Add X\n- Fix Y/);
    assert.match(t.question, /message only/);
  });

  it('takes the commit message out of a code fence, and leaves an unfenced one as it is', () => {
    assert.equal(commitMessageFrom('```text\nAdd X\n\nBecause Y.\n```\n'), 'Add X\n\nBecause Y.');
    assert.equal(commitMessageFrom('  Add X\n\nBody with ``` inside\n'), 'Add X\n\nBody with ``` inside');
  });
});
