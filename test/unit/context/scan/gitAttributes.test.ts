// Linguist attributes from .gitattributes: git itself (`git check-attr`) is the oracle for which
// lines decide, and the walk, the pack and the ranking act on them: linguist-generated files are
// left out (an include pattern brings them back), linguist-generated=false keeps a file whose
// content says generated, linguist-vendored and linguist-documentation override the path roles.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../../src/context/engine';
import { pathRole } from '../../../../src/context/place/rank';
import { RepoCache } from '../../../../src/context/scan/repoCache';
import { DEFAULT_CONTEXT_SETTINGS, type Linguist } from '../../../../src/context/types';
import { walkRoots } from '../../../../src/context/scan/walk';
import { git, gitSandbox, writeTree } from '../../../helpers/tmp';

const ATTRS = ['linguist-generated', 'linguist-vendored', 'linguist-documentation'] as const;
const KEYS = {
  'linguist-generated': 'generated',
  'linguist-vendored': 'vendored',
  'linguist-documentation': 'documentation',
} as const;

const LAYOUT: Record<string, string> = {
  '.gitattributes': [
    '# generated code',
    '*.pb.go linguist-generated',
    'gen/** linguist-generated=true',
    'gen/keep.ts -linguist-generated',
    'dist/ linguist-generated', // a directory pattern: not the files inside
    'vendor/** linguist-vendored',
    'vendor/ours/** linguist-vendored=false',
    'docs/*.md linguist-documentation',
    '!neg.txt linguist-generated', // negative patterns are ignored
    '*.x text eol=lf linguist-generated',
    'api.ts linguist-generated=1',
    'plain.ts   linguist-generated=false\r',
    '  indented.ts\tlinguist-vendored',
    '',
  ].join('\n'),
  'sub/.gitattributes': '*.x !linguist-generated\n/local.ts linguist-vendored\ndeep/**/*.y linguist-documentation\n',
  ...Object.fromEntries(
    [
      'a.pb.go',
      'b/c.pb.go',
      'gen/x.ts',
      'gen/keep.ts',
      'dist/out.js',
      'vendor/lib.js',
      'vendor/ours/mine.js',
      'docs/guide.md',
      'docs/deep/more.md',
      'neg.txt',
      'top.x',
      'sub/s.x',
      'sub/local.ts',
      'local.ts',
      'sub/deep/a/b.y',
      'special.ts',
      'api.ts',
      'plain.ts',
      'indented.ts',
      'other.ts',
    ].map((f) => [f, `// ${f}\n`]),
  ),
};

/**
 * git check-attr's verdict as our values: set/any value but false → true, unset/false → false, unspecified → absent.
 */
function oracle(repo: string, files: string[], env: NodeJS.ProcessEnv): Map<string, Linguist> {
  const out = new Map<string, Linguist>(files.map((f) => [f, {}]));
  for (const line of git(repo, ['check-attr', ...ATTRS, '--', ...files], env)
    .trim()
    .split('\n')) {
    const m = /^(.*): (linguist-\w+): (.*)$/.exec(line)!;
    const value = m[3] === 'unspecified' ? undefined : m[3] !== 'unset' && m[3] !== 'false';
    if (value !== undefined) out.get(m[1]!)![KEYS[m[2] as (typeof ATTRS)[number]]] = value;
  }
  return out;
}

describe('.gitattributes (linguist attributes)', () => {
  // …linguist-generated files are left out with the deciding line
  it('gives every file the attributes git check-attr gives it', async () => {
    const { base, home, repo, env } = gitSandbox('dsr-attrs-');
    try {
      git(repo, ['init', '-q'], env);
      writeTree(repo, LAYOUT);
      fs.writeFileSync(
        path.join(repo, '.git', 'info', 'attributes'),
        'special.ts linguist-vendored\nlocal.ts linguist-documentation\n',
      );
      const files = Object.keys(LAYOUT).filter((f) => !f.endsWith('.gitattributes'));
      const expected = oracle(repo, files, env);
      // The layout exercises every kind of verdict.
      const verdicts = new Set([...expected.values()].flatMap((l) => Object.entries(l).map(([k, v]) => `${k}=${v}`)));
      assert.deepEqual([...verdicts].sort(), [
        'documentation=true',
        'generated=false',
        'generated=true',
        'vendored=false',
        'vendored=true',
      ]);
      const walked = await walkRoots([{ name: 'repo', path: repo }], {
        settings: DEFAULT_CONTEXT_SETTINGS,
        env: { home },
        repos: new RepoCache(),
      });
      const kept = new Map(walked.files.map((f) => [f.rel, f.linguist ?? {}]));
      for (const file of files) {
        const want = expected.get(file)!;
        if (want.generated) {
          const x = walked.excluded.find((e) => e.path === file);
          assert.equal(x?.reason, 'generated', file);
          assert.match(x.detail!, /^linguist-generated in \.gitattributes:\d+: /, file);
        } else assert.deepEqual(kept.get(file), want, file);
      }
      assert.equal(
        walked.excluded.find((e) => e.path === 'gen/x.ts')!.detail,
        'linguist-generated in .gitattributes:3: gen/** linguist-generated=true',
      );
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  // …linguist-generated=false keeps a file whose content says generated
  it('an include pattern brings a linguist-generated file back', async () => {
    const { base, home, repo } = gitSandbox('dsr-attrs-pack-');
    const MARKER = '// Code generated by protoc-gen-go. DO NOT EDIT.\npackage api\n';
    try {
      writeTree(repo, {
        '.gitattributes':
          'api/** linguist-generated\nkept.go -linguist-generated\nkept.pb.go linguist-generated=false\n',
        'api/client.ts': 'export const a = 1;\n',
        'kept.go': MARKER,
        'dropped.go': MARKER,
        'kept.pb.go': 'package api\n',
        'dropped.pb.go': 'package api\n',
      });
      const pack = async (include: string[] = []) => {
        const e = new ContextEngine({
          roots: [{ name: 'repo', path: repo }],
          workers: 0,
          allowGit: false,
          gitEnv: { home },
          settings: { include },
        });
        try {
          return new Map((await e.pack({ budgetTokens: 100_000 })).files.map((f) => [f.path, f]));
        } finally {
          e.dispose();
        }
      };
      const files = await pack();
      const verdict = (p: string) => [files.get(p)!.status, files.get(p)!.reason];
      assert.deepEqual(verdict('api/client.ts'), ['excluded', 'generated']);
      assert.deepEqual(verdict('dropped.go'), ['excluded', 'generated'], 'the content marker still applies');
      assert.deepEqual(verdict('dropped.pb.go'), ['excluded', 'generated'], 'and so does the name');
      assert.deepEqual(
        verdict('kept.go'),
        ['included', undefined],
        'linguist-generated=false overrides the content marker',
      );
      assert.deepEqual(verdict('kept.pb.go'), ['included', undefined], 'and the name');
      assert.equal((await pack(['api/client.ts'])).get('api/client.ts')!.status, 'included');
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('linguist-vendored and linguist-documentation override the roles the path suggests', () => {
    assert.equal(pathRole('src/bundle.js', { vendored: true }), 'vendored');
    assert.equal(pathRole('vendor/ours/mine.js', { vendored: false }), 'own');
    assert.equal(pathRole('src/guide.ts', { documentation: true }), 'auxiliary');
    assert.equal(pathRole('docs/api.ts', { documentation: false }), 'own');
    assert.equal(
      pathRole('tests/vendor/x.js', { vendored: false }),
      'auxiliary',
      'not vendored still leaves the other heuristics',
    );
  });
});
