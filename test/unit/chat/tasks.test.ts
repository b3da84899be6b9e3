// The editor tasks about code (tasks.ts): explain, fix, tests, where-is, and what each says it asked for.
import * as assert from 'node:assert/strict';
import {
  andVerify,
  askFolder,
  commitMessage,
  explainFile,
  explainSelection,
  fence,
  fixProblems,
  generateTests,
  reviewChanges,
  whereHandled,
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
});
