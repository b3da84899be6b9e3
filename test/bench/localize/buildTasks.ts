// Builds a localisation task set from a repository's public history (see README.md beside this
// file): each task is a fix commit whose subject starts with "fix", not a merge, that changed one
// to three source files (tests, docs, fixtures, examples, benchmarks and lockfiles aside). The
// question is the subject as a user would ask it (no "fix(scope):" prefix, no issue number); the
// files are the source files the fix changed that existed before it; the repository is the tree of
// the commit's parent. Reads the history of a local clone; writes JSON, never the repository's code.
//   npx tsx test/bench/localize/buildTasks.ts --repo DIR --name NAME --url URL --language LANG [--head REF] [--count
//   30] [--pool 150]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { TaskSet, Task } from './tasks';

const { values } = parseArgs({
  options: {
    repo: { type: 'string' },
    name: { type: 'string' },
    url: { type: 'string' },
    language: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    count: { type: 'string', default: '30' },
    pool: { type: 'string', default: '150' },
    out: { type: 'string' },
  },
});
if (!values.repo || !values.name || !values.url || !values.language) {
  process.stderr.write(
    'usage: buildTasks.ts --repo DIR --name NAME --url URL --language LANG [--head REF] [--count N] [--pool N]\n',
  );
  process.exit(2);
}
const repo = path.resolve(values.repo);
const git = (...args: string[]) =>
  execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).trimEnd();

/** Languages' source files: what a fix changes to fix the program (not its tests or docs). */
const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|svelte|vue|py|pyi|go|rs|java|kt|rb|c|h|cc|cpp|hpp|cs|swift|php)$/;
/** Paths set aside: tests, fixtures, docs, examples, benchmarks, playgrounds, CI, scripts' own tests. */
const ASIDE =
  /(^|\/)(tests?|__tests__|testing|testdata|test[_-]data|specs?|e2e|fixtures?|__fixtures__|__mocks__|snapshots?|__snapshots__|docs?|documentation|examples?|samples?|demos?|benchmarks?|bench|playgrounds?|sites?|\.github|\.changeset|acceptance)\/|\.(test|spec|bench)\.[^/]+$|_test\.go$|(^|\/)test_[^/]+\.py$|(^|\/)conftest\.py$/i;

export const isSource = (p: string) => SOURCE_EXT.test(p) && !ASIDE.test(p);

/** The subject as a question: no "fix(scope):" / "Fix:" / "Fixes" prefix, no issue or pull request numbers. */
export function questionOf(subject: string): string {
  return subject
    .replace(/^fix(e[sd])?\b(\([^)]*\))?!?:?\s*/i, '')
    .replace(/\s*\((?:#\d+(?:,\s*)?)+\)/g, '')
    .replace(/\s*\b(?:closes|fixes|resolves|refs?)\s+#\d+/gi, '')
    .replace(/\s*#\d+\b/g, '')
    .replace(/[\s:;,.-]+$/, '')
    .trim();
}

const count = Number(values.count);
/** The newest qualifying commits the tasks are spread over. */
const pool = Math.max(count, Number(values.pool));
const head = git('rev-parse', values.head);
const log = git('log', '--no-merges', '--format=%H%x00%P%x00%s', head).split('\n');
const qualifying: Task[] = [];
for (const line of log) {
  const [commit, parents, subject] = line.split('\0') as [string, string, string];
  if (!/^fix/i.test(subject) || parents.split(' ').length !== 1) continue;
  const changes = git('diff-tree', '-r', '-M', '-l1000', '--no-commit-id', '--name-status', commit)
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  const source = changes.filter((c) => isSource(c.at(-1)!) || (c.length === 3 && isSource(c[1]!)));
  if (source.length < 1 || source.length > 3) continue;
  // The files to find: those the fix changed that were there before it (added files cannot be found).
  const files = source.flatMap((c) => (c[0]!.startsWith('A') ? [] : [c[1]!]));
  if (!files.length) continue;
  const question = questionOf(subject);
  if (question.split(/\s+/).length < 2) continue;
  qualifying.push({ commit, parent: parents, subject, question, files: [...new Set(files)].sort() });
  if (qualifying.length >= pool) break;
}
const step = qualifying.length / count;
const tasks =
  qualifying.length <= count ? qualifying : Array.from({ length: count }, (_, i) => qualifying[Math.floor(i * step)]!);
const set: TaskSet = {
  name: values.name,
  url: values.url,
  language: values.language,
  head,
  pool: qualifying.length,
  tasks,
};
const out = values.out ?? path.join(__dirname, 'sets', `${values.name}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(set, null, 2) + '\n');
process.stdout.write(
  `${values.name}: ${tasks.length} tasks (spread over the newest ${qualifying.length} qualifying fix ` +
    `commits) -> ${out}\n`,
);
