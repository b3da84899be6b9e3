// Version history as evidence (pastCommits.ts): the files past commits changed rank higher for a question
// their subjects match, less for a commit that changed many files; and the engine reads those commits
// from the same `git log` as recency, up to HEAD only, and says so among a file's reasons.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../../src/context/engine';
import { parseHistoryLog } from '../../../../src/context/place/gitHistory';
import { pastCommit } from '../../../../src/context/place/pastCommits';
import { rankFiles } from '../../../../src/context/place/rank';
import { git, gitSandbox, writeTree } from '../../../helpers/tmp';
import { cand } from './placeKit';

// Every module mentions the same words once, so the words alone cannot tell them apart.
const module = (name: string, lines: number) =>
  `// Part of the editor: paste, caret, tooltip, wizard page.\nexport function ${name}(x: number): number {\n` +
  `${'  x = x * 3 - 1; // one more step\n'.repeat(lines)}  return x;\n}\n`;

describe('past commits as evidence', () => {
  it('ranks first the file a past commit about the same thing changed, and says why', () => {
    const caret = pastCommit('fix: keep the caret after a paste in the editor (#812)', 1);
    const other = pastCommit('feat: export the palette', 1);
    const files = [
      cand('src/alpha.ts', module('alpha', 30), { pastCommits: [other] }),
      cand('src/beta.ts', module('beta', 30), { pastCommits: [caret, other] }),
      cand('src/gamma.ts', module('gamma', 30)),
      cand('src/other.ts', 'export const other = 1;\n', { pastCommits: [caret] }),
    ];
    const ranked = rankFiles(files, 'caret jumps to the start after paste', undefined);
    assert.equal(
      ranked.find((r) => r.label === 'src/other.ts')!.evidence,
      0,
      'only for a file the question is about: none of its words are in other.ts',
    );
    assert.equal(ranked[0]!.label, 'src/beta.ts');
    assert.ok(ranked[0]!.evidence > 0);
    assert.ok(
      ranked[0]!.reasons.some((r) => r.startsWith('past commits: ') && r.includes('caret')),
      ranked[0]!.reasons.join('; '),
    );
    const alpha = ranked.find((r) => r.label === 'src/alpha.ts')!;
    const gamma = ranked.find((r) => r.label === 'src/gamma.ts')!;
    assert.equal(alpha.evidence, gamma.evidence, 'a commit about something else counts for nothing');
    assert.ok(!alpha.reasons.some((r) => r.startsWith('past commits')));
  });

  it('counts a commit that changed many files less for each of them', () => {
    const fix = pastCommit('fix caret after paste', 1);
    const sweep = pastCommit('fix caret after paste', 40);
    const files = [
      cand('src/wide.ts', module('wide', 30), { pastCommits: [sweep] }),
      cand('src/narrow.ts', module('narrow', 30), { pastCommits: [fix] }),
    ];
    const ranked = rankFiles(files, 'caret after paste', undefined);
    assert.deepEqual(
      ranked.map((r) => r.label),
      ['src/narrow.ts', 'src/wide.ts'],
    );
    const plain = rankFiles([cand('src/wide.ts', module('wide', 30))], 'caret after paste', undefined)[0]!.evidence;
    assert.ok(ranked[1]!.evidence > plain, 'the wide commit still counts a little');
    assert.ok(ranked[1]!.evidence - plain < (ranked[0]!.evidence - plain) / 2, 'but less than half as much');
  });

  it('counts an old commit less than a recent one saying the same', () => {
    const files = [
      cand('src/a.ts', module('a', 30), { pastCommits: [pastCommit('fix caret after paste', 1, 900)] }),
      cand('src/b.ts', module('b', 30), { pastCommits: [pastCommit('fix caret after paste', 1, 3)] }),
    ];
    const ranked = rankFiles(files, 'caret after paste', undefined);
    assert.deepEqual(
      ranked.map((r) => r.label),
      ['src/b.ts', 'src/a.ts'],
    );
    assert.ok(ranked[0]!.evidence > ranked[1]!.evidence);
  });

  it('reads each commit of the log with its subject, its files and its age, newest first', () => {
    const log = '\x01fix: newest\0\nsrc/a.ts\0src/b.ts\0\x01empty\0\x01older one\0\nsrc/b.ts\0';
    const { commits, ranks } = parseHistoryLog(log);
    assert.deepEqual(
      commits.get('src/b.ts')!.map((c) => [c.files, c.age]),
      [
        [2, 0],
        [1, 1],
      ],
    );
    assert.equal(commits.get('src/a.ts')![0], commits.get('src/b.ts')![0], 'one commit, shared');
    assert.ok(ranks.get('src/a.ts')! > 0 && ranks.get('src/a.ts') === ranks.get('src/b.ts'));
  });

  it('reads the subjects of the commits up to HEAD from git, and sends whole the file they point at', async () => {
    const { home, repo, env } = gitSandbox('dsr-past-', 'repo');
    try {
      git(repo, ['init', '-q', '-b', 'main'], env);
      const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
      writeTree(repo, Object.fromEntries(names.map((n) => [`src/${n}.ts`, module(n, 60)])));
      git(repo, ['add', '-A'], env);
      git(repo, ['commit', '-q', '-m', 'first'], env);
      fs.appendFileSync(path.join(repo, 'src/delta.ts'), '// more\n');
      git(repo, ['commit', '-q', '-am', 'fix(tooltip): the tooltip flickers on hover'], env);
      // Every other file changed since: by recency alone, delta.ts would rank last.
      for (const n of names) if (n !== 'delta') fs.appendFileSync(path.join(repo, `src/${n}.ts`), '// tidy\n');
      git(repo, ['commit', '-q', '-am', 'chore: tidy'], env);
      fs.appendFileSync(path.join(repo, 'src/beta.ts'), '// more\n');
      git(repo, ['commit', '-q', '-am', 'fix: the wizard loses its last page'], env);
      git(repo, ['checkout', '-q', 'HEAD~1'], env); // the wizard's commit is after HEAD now
      const engine = new ContextEngine({ roots: [{ name: 'repo', path: repo }], workers: 0, gitEnv: { home } });
      try {
        const budget = 2_000;
        const ask = async (question: string) =>
          new Map((await engine.pack({ budgetTokens: budget, question })).files.map((f) => [f.path, f]));
        const tooltip = await ask('tooltip flickers');
        assert.equal(tooltip.get('src/delta.ts')!.status, 'included');
        assert.ok(tooltip.get('src/delta.ts')!.reasons?.some((r) => r.startsWith('past commits: ')));
        assert.ok(
          [...tooltip.values()].filter((f) => f.status === 'included').length < names.length,
          'the repository does not fit',
        );
        const wizard = async () => (await ask('wizard loses a page')).get('src/beta.ts')!.reasons ?? [];
        assert.ok(!(await wizard()).some((r) => r.startsWith('past commits')), 'a commit after HEAD is not read');
        git(repo, ['checkout', '-q', 'main'], env);
        assert.ok(
          (await wizard()).some((r) => r.startsWith('past commits')),
          'once at HEAD, it is',
        );
      } finally {
        engine.dispose();
      }
    } finally {
      fs.rmSync(path.dirname(repo), { recursive: true, force: true });
    }
  });
});
