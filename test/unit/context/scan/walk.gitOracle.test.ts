// git itself is the oracle: on hand-made and generated layouts (nested .gitignore files, negation,
// negation under ignored folders, escapes, `**`, trailing spaces, character classes, tracked-but-
// ignored files, info/exclude, core.excludesFile), the files the walk keeps must be exactly
// `git ls-files --cached --others --exclude-standard`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RepoCache } from '../../../../src/context/scan/repoCache';
import { walkRoots } from '../../../../src/context/scan/walk';
import { DEFAULT_CONTEXT_SETTINGS } from '../../../../src/context/types';
import { git, gitSandbox, writeTree } from '../../../helpers/tmp';
import { rng } from '../../../fakes/random';

interface Layout {
  files: Record<string, string>;
  tracked?: string[];
  infoExclude?: string;
  excludesFile?: string;
  /** Put core.excludesFile in ~/.gitconfig (else the XDG default location is used). */
  excludesInGitconfig?: boolean;
  /** Open this subfolder of the repository as the workspace folder. */
  sub?: string;
}

async function compare(layout: Layout, label: string): Promise<void> {
  const { base, home, repo, env } = gitSandbox('dsr-oracle-');
  try {
    git(repo, ['init', '-q'], env);
    writeTree(repo, layout.files);
    if (layout.infoExclude !== undefined)
      fs.writeFileSync(path.join(repo, '.git', 'info', 'exclude'), layout.infoExclude);
    if (layout.excludesFile !== undefined) {
      if (layout.excludesInGitconfig) {
        fs.writeFileSync(path.join(home, 'my-ignore'), layout.excludesFile);
        fs.writeFileSync(path.join(home, '.gitconfig'), '[core]\n\texcludesFile = ~/my-ignore\n');
      } else writeTree(home, { '.config/git/ignore': layout.excludesFile });
    }
    if (layout.tracked?.length) git(repo, ['add', '-f', '--', ...layout.tracked], env);
    const root = layout.sub ? path.join(repo, layout.sub) : repo;
    const expected = git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], env)
      .split('\0')
      .filter(Boolean)
      .sort();
    const walked = await walkRoots([{ name: 'repo', path: root }], {
      settings: DEFAULT_CONTEXT_SETTINGS,
      env: { home, xdgConfigHome: path.join(home, '.config') },
      repos: new RepoCache(),
    });
    const actual = walked.files.map((f) => f.rel).sort();
    assert.deepEqual(actual, expected, `${label}\n${JSON.stringify(layout, null, 1)}`);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

const CASES: [string, Layout][] = [
  [
    'nested .gitignore, deepest wins',
    {
      files: {
        '.gitignore': '*.log\n',
        'a/.gitignore': '!keep.log\n',
        'a/keep.log': 'x',
        'a/drop.log': 'x',
        'keep.log': 'x',
      },
    },
  ],
  [
    'negation cannot reach under an ignored folder',
    { files: { '.gitignore': 'build/\n!build/keep.txt\n', 'build/keep.txt': 'x', 'build/x.txt': 'x' } },
  ],
  [
    'a deeper file can re-include a folder a shallower one ignores',
    { files: { '.gitignore': 'a/b/\n', 'a/.gitignore': '!b/\n', 'a/b/c.txt': 'x' } },
  ],
  [
    'ignore everything, re-include folders and one type',
    { files: { '.gitignore': '*\n!*/\n!*.md\n', 'a/x.md': 'x', 'a/y.txt': 'x', 'top.md': 'x' } },
  ],
  [
    'directory-only pattern does not match a file',
    { files: { '.gitignore': 'out/\n', out: 'file named out', 'sub/out/x.txt': 'x' } },
  ],
  [
    'anchored patterns',
    {
      files: {
        '.gitignore': '/a.txt\nsub/b.txt\n',
        'a.txt': 'x',
        'sub/a.txt': 'x',
        'sub/b.txt': 'x',
        'other/sub/b.txt': 'x',
      },
    },
  ],
  [
    'double star forms',
    {
      files: {
        '.gitignore': '**/tmp\nlogs/**\na/**/z.txt\n',
        'tmp/x.txt': 'x',
        'q/tmp': 'x',
        'logs/l.txt': 'x',
        'a/z.txt': 'x',
        'a/b/c/z.txt': 'x',
        'a/b/y.txt': 'x',
      },
    },
  ],
  [
    'escapes: \\#, \\!, \\ trailing space, literal *',
    {
      files: {
        '.gitignore': '\\#h\n\\!bang\ntrail\\ \nsp  \n\\*star\nq\\?.c\n',
        '#h': 'x',
        '!bang': 'x',
        'trail ': 'x',
        sp: 'x',
        '*star': 'x',
        astar: 'x',
        'q?.c': 'x',
        'qa.c': 'x',
      },
    },
  ],
  [
    'trailing spaces are trimmed, CRLF too',
    { files: { '.gitignore': 'a.txt   \r\nb.txt\r\n', 'a.txt': 'x', 'b.txt': 'x', 'c.txt': 'x' } },
  ],
  [
    'character classes',
    {
      files: {
        '.gitignore': '[ab].txt\n[!x]y.txt\n[[:upper:]]*.md\n[0-9]n.txt\n',
        'a.txt': 'x',
        'c.txt': 'x',
        'xy.txt': 'x',
        'zy.txt': 'x',
        'Up.md': 'x',
        'low.md': 'x',
        '5n.txt': 'x',
        'an.txt': 'x',
      },
    },
  ],
  [
    'tracked files beat ignore rules',
    {
      files: {
        '.gitignore': '*.log\nvendor/\n',
        'a.log': 'x',
        'b.log': 'x',
        'vendor/lib.txt': 'x',
        'vendor/new.txt': 'x',
      },
      tracked: ['a.log', 'vendor/lib.txt'],
    },
  ],
  [
    'info/exclude and core.excludesFile (XDG default)',
    {
      files: { 'a.tmp': 'x', 'b.bak': 'x', 'c.txt': 'x', '.gitignore': '!c.bak\n', 'c.bak': 'x' },
      infoExclude: '*.tmp\n',
      excludesFile: '*.bak\n',
    },
  ],
  [
    'core.excludesFile named in ~/.gitconfig',
    { files: { 'a.swp': 'x', 'b.txt': 'x' }, excludesFile: '*.swp\n', excludesInGitconfig: true },
  ],
  [
    '.gitignore beats info/exclude',
    { files: { '.gitignore': '!a.tmp\n', 'a.tmp': 'x', 'b.tmp': 'x' }, infoExclude: '*.tmp\n' },
  ],
  [
    'single star does not cross folders',
    { files: { '.gitignore': 'a/*.txt\n*/x\n', 'a/1.txt': 'x', 'a/b/2.txt': 'x', 'q/x': 'x', 'q/r/x': 'x' } },
  ],
  ['unicode names', { files: { '.gitignore': 'ü.txt\n?.md\n', 'ü.txt': 'x', 'é.md': 'x', 'e.md': 'x' } }],
  [
    'a workspace folder inside a repository: rules from above it apply',
    {
      sub: 'pkg',
      files: {
        '.gitignore': '/pkg/gen/\n*.tmp\n',
        'pkg/.gitignore': '!keep.tmp\n',
        'pkg/gen/x.ts': 'x',
        'pkg/a.tmp': 'x',
        'pkg/keep.tmp': 'x',
        'pkg/src/a.ts': 'x',
        'other/b.ts': 'x',
      },
      tracked: ['pkg/gen/x.ts'],
    },
  ],
  [
    'comments and blank lines',
    { files: { '.gitignore': '# a.txt\n\n  \na.txt\n', '# a.txt': 'x', 'a.txt': 'x', 'b.txt': 'x' } },
  ],
];

const DIRS = ['a', 'b', 'build', 'src', 'x[1]', 'Foo', 'deep'];
const FILES = [
  'x.txt',
  'y.log',
  'z.md',
  'keep.log',
  'a b',
  '!bang',
  '#h',
  'trail ',
  'q?.c',
  'Foo.txt',
  'ü.txt',
  'n1.txt',
];
const PATTERNS = [
  '*.log',
  '!keep.log',
  'build/',
  '/a',
  'a/**/x.txt',
  '**/z.md',
  'b/*',
  '!b/x.txt',
  '\\#h',
  '\\!bang',
  'trail\\ ',
  'trail ',
  'x\\[1\\]/',
  '[ab]/',
  '[!a]*.txt',
  '**/build',
  'src/**',
  '*',
  '!*/',
  '!src/',
  'a/b/',
  '?.md',
  'z.m?',
  '[[:upper:]]*',
  'Foo',
  'foo/',
  'ü.txt',
  'q\\?.c',
  '*.txt',
  '!a/**',
  '#x.txt',
  '',
  'b/**/',
  '/*/x.txt',
  '*/',
  '!*.txt',
  'deep/**/n1.txt',
  '!deep/',
  'n[0-9].txt',
  '**',
  '!/build/',
  'x[1]',
  '/deep/*/*',
  'a b',
  'a\\ b',
];

function randomLayout(seed: number): Layout {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const files: Record<string, string> = {};
  const dirs = [''];
  const grow = (dir: string, depth: number) => {
    for (let i = 0, n = 1 + Math.floor(r() * 3); i < n; i++) files[(dir ? dir + '/' : '') + pick(FILES)] = 'x';
    if (r() < 0.45)
      files[(dir ? dir + '/' : '') + '.gitignore'] =
        Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(PATTERNS)).join('\n') + '\n';
    if (depth < 3)
      for (let i = 0, n = Math.floor(r() * 3); i < n; i++) {
        const sub = (dir ? dir + '/' : '') + pick(DIRS);
        dirs.push(sub);
        grow(sub, depth + 1);
      }
  };
  grow('', 0);
  const all = Object.keys(files);
  const layout: Layout = { files, tracked: all.filter(() => r() < 0.12) };
  if (r() < 0.3) layout.infoExclude = pick(PATTERNS) + '\n' + pick(PATTERNS) + '\n';
  if (r() < 0.3) {
    layout.excludesFile = pick(PATTERNS) + '\n';
    layout.excludesInGitconfig = r() < 0.5;
  }
  return layout;
}

describe('ignore rules against git (oracle)', function () {
  for (const [label, layout] of CASES) it(label, () => compare(layout, label));
  it('agrees with git on 80 generated layouts', async () => {
    for (let seed = 1; seed <= 80; seed++) await compare(randomLayout(seed), `seed ${seed}`);
  });
});
