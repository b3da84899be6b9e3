import * as assert from 'node:assert/strict';
import {
  andVerify,
  askFolder,
  commitMessageFrom,
  compactDiff,
  commitMessage,
  describeTestStyle,
  explainFile,
  explainSelection,
  fence,
  fixProblems,
  generateTests,
  hasChanges,
  reviewBranch,
  reviewChanges,
  whereHandled,
  MAX_DIFF_CHARS,
  type RepoChanges,
} from '../../../src/chat/tasks';

const span = {
  path: 'src/a.ts',
  absPath: '/w/src/a.ts',
  language: 'typescript',
  startLine: 9,
  endLine: 11,
  text: 'const a = 1;\r\nconst b = 2;\nreturn a + b;',
};

describe('editor tasks', () => {
  it('fences text with a fence the text cannot close', () => {
    const inner = 'before\n````\nnot the end\n````\nafter';
    const f = fence(inner, 'md');
    assert.ok(f.startsWith('`````md\n'));
    assert.ok(f.endsWith('\n`````'));
    assert.equal(fence('plain').split('\n')[0], '```');
  });

  it('explain selection numbers the selected lines from their real line numbers and focuses the file', () => {
    const t = explainSelection(span);
    assert.equal(t.title, 'Explain src/a.ts:9-11');
    assert.match(t.question, / 9\| const a = 1;\n10\| const b = 2;\n11\| return a \+ b;/);
    assert.ok(!t.question.includes('\r'));
    assert.deepEqual(t.focus, { activeFile: '/w/src/a.ts', selection: { startLine: 9, endLine: 11 } });
  });

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

  it('each task says what the user asked for in a line, with the files it is about (the prompt is not shown)', () => {
    assert.deepEqual(explainFile('src/flask/views.py', '/w/src/flask/views.py').shown, {
      text: 'Explain src/flask/views.py',
      files: ['src/flask/views.py'],
    });
    assert.deepEqual(explainSelection(span).shown, { text: 'Explain src/a.ts:9-11', files: ['src/a.ts:9-11'] });
    const one: RepoChanges = { name: 'app', staged: '', unstaged: 'diff --git a/v.py b/v.py\n+x\n', untracked: [] };
    assert.equal(reviewChanges([one], []).shown.text, 'Review uncommitted changes · 1 file');
    const staged: RepoChanges = { ...one, staged: 'diff --git a/s.py b/s.py\n+s\n' };
    assert.deepEqual(commitMessage([staged], []).shown, {
      text: 'Write a commit message · 1 file staged',
      files: ['s.py'],
    });
    assert.equal(askFolder('src', '/w/src', 'What is here?').shown.text, 'What is here?');
    assert.equal(whereHandled('login').shown.text, 'Where is this handled: login');
    assert.ok(
      [explainFile('a.py', '/w/a.py'), reviewChanges([one], [])].every((t) => !t.question.startsWith(t.shown.text)),
      'the line shown is not the prompt',
    );
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

  it('fix problems lists every diagnostic with its range, severity and source', () => {
    const t = fixProblems('src/a.ts', '/w/src/a.ts', [
      {
        line: 3,
        column: 5,
        endLine: 3,
        endColumn: 9,
        severity: 'error',
        message: "Cannot find name 'foo'.",
        source: 'ts',
        code: '2304',
      },
      { line: 7, column: 1, endLine: 8, endColumn: 2, severity: 'warning', message: 'Unused variable' },
    ]);
    assert.match(t.question, /- src\/a.ts:3:5-3:9 error \[ts 2304\]: Cannot find name 'foo'\./);
    assert.match(t.question, /- src\/a.ts:7:1-8:2 warning: Unused variable/);
    assert.match(t.question, /path=src\/a.ts/);
    const v = andVerify(t);
    assert.equal(v.title, 'Fix problems in src/a.ts and verify');
    assert.match(v.question, /- src\/a.ts:3:5-3:9 error/);
    assert.match(v.question, /Make the changes with edit_files\./);
    assert.doesNotMatch(v.question, /SEARCH\/REPLACE/);
    assert.match(v.question, /Then verify: check the file with get_problems/);
  });

  it('generate tests carries the repository test style', () => {
    const t = generateTests(span, 'This repository tests with Mocha.');
    assert.match(t.question, /This repository tests with Mocha\./);
    assert.match(t.question, /11\| return a \+ b;/);
  });

  it('where-is answers are asked for as path:line in flow order', () => {
    const t = whereHandled('rate limiting', '/w/src/a.ts');
    assert.match(t.question, /rate limiting/);
    assert.match(t.question, /`path:line`/);
    assert.deepEqual(t.focus, { activeFile: '/w/src/a.ts' });
  });

  it('describes the test style from the manifests and the test files', () => {
    const js = describeTestStyle(['src/a.ts', 'test/unit/a.test.ts', 'test/unit/b.test.ts'], {
      'package.json': '{"devDependencies":{"mocha":"^12"}}',
    });
    assert.equal(
      js,
      'This repository tests with Mocha. Existing tests live in `test/unit/`; imitate `test/unit/a.test.ts` ' +
        '(imports, naming, assertion style).',
    );
    const py = describeTestStyle(['pkg/core.py', 'tests/test_core.py'], {});
    assert.match(py, /pytest/);
    assert.match(py, /`tests\/`/);
    const go = describeTestStyle(['main.go', 'main_test.go'], {});
    assert.match(go, /Go's testing package/);
    assert.match(go, /`\.\/`/);
    assert.match(describeTestStyle(['main.c'], {}), /no tests yet/);
  });
});
