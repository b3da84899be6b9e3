// `npm run bench:localize`: does the pack put the right code in the prompt when the repository does
// not fit? For each task (a real fix commit, see buildTasks.ts) the repository is checked out at the
// commit's parent and packed for the task's question at each window, by the same engine and budget
// the CLI's `ask --window W` uses; a task is found when every file the fix changed is sent whole.
// The baseline is plain BM25 over whole files filling the same budget (bm25.ts). Follow-ups: the
// same task's question asked second, after another task's question opened the conversation on the
// same tree; found when its files are whole in the pack sent with it (the first pack, plus what a
// follow-up appends). Writes the `localize` section of BENCHMARKS.md; `--save LABEL` also keeps the
// run's table under results/LABEL.json, shown beside later runs.
// Also: ranking latency for a new question, warm, on the largest repository run (latency.ts).
//   npm run bench:localize [-- --sets svelte,cli] [--tasks N] [--windows 32768,131072] [--save LABEL] [--check-cli N]
//     [--no-follow] [--no-latency] [--no-write] [--part FILE] [--combine FILE,FILE,...]
// On two cores the sets run faster side by side: `--sets X --part FILE` each (no BENCHMARKS.md write), then
// `--combine` the parts into one section.
import { execFileSync, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { ContextEngine } from '../../../src/context/engine';
import { countTokens } from '../../../src/context/tokens';
import type { Pack } from '../../../src/context/types';
import { CLI, REPO } from '../../helpers/paths';
import { machineLine, writeSection } from '../report';
import { bm25Doc, bm25Fill, type Bm25Doc } from './bm25';
import { rankingLatency, type Latency } from './latency';
import type { TaskSet } from './tasks';

const { values } = parseArgs({
  options: {
    sets: { type: 'string' },
    tasks: { type: 'string' },
    windows: { type: 'string', default: '32768,131072,1048576' },
    clones: { type: 'string', default: path.join(REPO, '.bench', 'localize') },
    save: { type: 'string' },
    'check-cli': { type: 'string', default: '0' },
    'no-write': { type: 'boolean' },
    'no-follow': { type: 'boolean' },
    'no-latency': { type: 'boolean' },
    part: { type: 'string' },
    combine: { type: 'string' },
  },
});
const SETS_DIR = path.join(__dirname, 'sets');
const RESULTS_DIR = path.join(__dirname, 'results');
const WINDOWS = values.windows.split(',').map(Number);
const LIMIT = values.tasks ? Number(values.tasks) : Infinity;
const CHECK_CLI = Number(values['check-cli']);

interface Cell {
  tasks: number;
  ours: number;
  bm25: number;
  follow: number;
  followTasks: number;
}
interface SetResult {
  name: string;
  language: string;
  tasks: number;
  /** Tasks whose files the pack could never send (left out by path or content rules, or missing). */
  unreachable: number;
  files: number;
  tokens: number;
  byWindow: Record<number, Cell>;
}
export interface Run {
  label: string;
  date: string;
  commit: string;
  sets: SetResult[];
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).trimEnd();

function loadSets(): TaskSet[] {
  const want = values.sets?.split(',');
  return fs
    .readdirSync(SETS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(SETS_DIR, f), 'utf8')) as TaskSet)
    .filter((s) => !want || want.includes(s.name));
}

/** The bench's clone of a set's repository, or undefined (with how to make it) when missing. */
function cloneOf(set: TaskSet): string | undefined {
  const dir = path.join(values.clones, set.name);
  const ok = fs.existsSync(dir) && spawnSync('git', ['-C', dir, 'cat-file', '-e', `${set.head}^{commit}`]).status === 0;
  if (ok) return dir;
  process.stderr.write(
    `skipping ${set.name}: no clone with ${set.head.slice(0, 12)} at ${dir}\n  make it with: git clone ` +
      `${set.url} ${dir}\n`,
  );
  return undefined;
}

function checkout(dir: string, commit: string): void {
  git(dir, 'checkout', '-q', '-f', '--detach', commit);
  git(dir, 'clean', '-q', '-f', '-d', '-x');
}

/** BM25 documents of the files the pack could send, remembered by content between tasks. */
class Corpus {
  private readonly byKey = new Map<string, Bm25Doc>();
  docs(dir: string, pack: Pack): Bm25Doc[] {
    const out: Bm25Doc[] = [];
    for (const f of pack.files) {
      if (f.status === 'excluded' && f.reason !== 'budget') continue;
      const text = fs.readFileSync(path.join(dir, f.path), 'utf8');
      const key = `${f.path}\0${f.hash ?? ''}\0${text.length}\0${text.slice(0, 64)}\0${text.slice(-64)}`;
      let doc = this.byKey.get(key);
      if (doc?.path !== f.path) {
        doc = bm25Doc(f.path, text, countTokens(`<file path="${f.path}">\n${text}</file>\n`));
        this.byKey.set(key, doc);
      }
      out.push(doc);
    }
    return out;
  }
}

const statusOf = (pack: Pack) => new Map(pack.files.map((f) => [f.path, f]));
const wholeIn = (pack: Pack, files: string[]) => {
  const s = statusOf(pack);
  return files.every((f) => s.get(f)?.status === 'included');
};

/** The CLI's dry run (`ask QUESTION --json --window W`, no key): its files' statuses. */
function cliStatuses(dir: string, question: string, window: number): Map<string, string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DEEPSEEK_REPO_CACHE_DIR: path.join(values.clones, '.cli-cache') };
  delete env.DEEPSEEK_API_KEY;
  delete env.DEEPSEEK_BASE_URL;
  const r = spawnSync(process.execPath, [CLI, 'ask', question, '--dir', dir, '--json', '--window', String(window)], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const dry = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; files?: { path: string; status: string }[] })
    .find((e) => e.type === 'dryRun');
  if (!dry?.files) throw new Error(`the CLI printed no dry run (exit ${r.status}): ${r.stderr.slice(0, 400)}`);
  return new Map(dry.files.map((f) => [f.path, f.status]));
}

async function runSet(set: TaskSet, dir: string): Promise<SetResult> {
  const engine = new ContextEngine({
    roots: [{ name: set.name, path: dir }],
    cacheDir: path.join(values.clones, '.token-cache'),
  });
  const corpus = new Corpus();
  const tasks = set.tasks.slice(0, LIMIT);
  const byWindow: Record<number, Cell> = {};
  for (const w of WINDOWS) byWindow[w] = { tasks: 0, ours: 0, bm25: 0, follow: 0, followTasks: 0 };
  let unreachable = 0;
  let files = 0;
  let tokens = 0;
  const detail: object[] = [];
  try {
    for (const [i, task] of tasks.entries()) {
      checkout(dir, task.parent);
      const first = tasks[(i + Math.floor(tasks.length / 2)) % tasks.length]!;
      const row: Record<string, unknown> = {
        commit: task.commit.slice(0, 12),
        question: task.question,
        files: task.files,
      };
      for (const w of WINDOWS) {
        const budget = repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, w);
        const pack = await engine.pack({ budgetTokens: budget, question: task.question });
        const docs = corpus.docs(dir, pack);
        if (w === WINDOWS[0]) {
          const reachable = new Set(docs.map((d) => d.path));
          if (!task.files.every((f) => reachable.has(f))) unreachable++;
          if (i === 0) {
            files = docs.length;
            tokens = docs.reduce((n, d) => n + d.tokens, 0);
          }
        }
        const cell = byWindow[w]!;
        cell.tasks++;
        const ours = wholeIn(pack, task.files);
        const bm = bm25Fill(docs, task.question, budget);
        const base = task.files.every((f) => bm.has(f));
        if (ours) cell.ours++;
        if (base) cell.bm25++;
        const st = statusOf(pack);
        row[w] = { ours, bm25: base, statuses: task.files.map((f) => st.get(f)?.status ?? 'missing') };
        if (i < CHECK_CLI) {
          const cli = cliStatuses(dir, task.question, w);
          const differ = pack.files.filter((f) => cli.get(f.path) !== f.status);
          if (differ.length)
            throw new Error(
              `the CLI's dry run and the engine disagree on ${differ.length} files (${set.name} ` +
                `${task.commit.slice(0, 12)}, window ${w}), e.g. ${differ[0]!.path}`,
            );
        }
        if (!values['no-follow'] && tasks.length > 1) {
          const opened = await engine.pack({ budgetTokens: budget, question: first.question });
          // The follow-up as the chat sends it: what the first pack has whole, plus the files its question points
          // at joining whole in the room a follow-up may append (the chat's cap: a tenth of the budget).
          const delta = await engine.updatesSince(opened.manifest, {
            budgetTokens: budget,
            question: task.question,
            joinTokens: Math.floor(budget / 10),
          });
          const joined = new Set(delta.joined?.map((j) => j.path));
          const had = statusOf(opened);
          cell.followTasks++;
          const follow = task.files.every((f) => had.get(f)?.status === 'included' || joined.has(f));
          if (follow) cell.follow++;
          (row[w] as Record<string, unknown>).follow = follow;
        }
      }
      detail.push(row);
      process.stderr.write(
        `${set.name} ${i + 1}/${tasks.length} ${WINDOWS.map((w) => {
          const r = row[w] as { ours: boolean; bm25: boolean };
          return `${w}:${r.ours ? 'Y' : '-'}${r.bm25 ? 'Y' : '-'}`;
        }).join(' ')}  ${task.question.slice(0, 70)}\n`,
      );
    }
  } finally {
    engine.dispose();
    checkout(dir, set.head);
  }
  fs.writeFileSync(path.join(values.clones, `detail-${set.name}.json`), JSON.stringify(detail, null, 1));
  return { name: set.name, language: set.language, tasks: tasks.length, unreachable, files, tokens, byWindow };
}

const pct = (n: number, d: number) => (d ? `${Math.round((100 * n) / d)}%` : '–');
const num = (n: number) => n.toLocaleString('en-US');

function table(run: Run): string {
  const head =
    `| set | tasks | ${WINDOWS.map((w) => `${num(w)} ours / BM25`).join(' | ')} | ` +
    `${WINDOWS.map((w) => `follow-ups ${num(w)}`).join(' | ')} |`;
  const sep = `|---|---:|${WINDOWS.map(() => '---:').join('|')}|${WINDOWS.map(() => '---:').join('|')}|`;
  const rows = run.sets.map((s) => {
    const unreachable = s.unreachable ? ` (${s.unreachable} unreachable)` : '';
    const found = WINDOWS.map((w) => {
      const c = s.byWindow[w];
      return c ? `${pct(c.ours, c.tasks)} / ${pct(c.bm25, c.tasks)}` : '–';
    });
    const follow = WINDOWS.map((w) => (s.byWindow[w] ? pct(s.byWindow[w].follow, s.byWindow[w].followTasks) : '–'));
    return (
      `| ${s.name} (${s.language}, ${num(s.files)} files, ${num(s.tokens)} tokens) | ${s.tasks}${unreachable} | ` +
      `${found.join(' | ')} | ${follow.join(' | ')} |`
    );
  });
  const mean = (f: (c: Cell) => number) =>
    WINDOWS.map((w) => {
      const cells = run.sets.map((s) => s.byWindow[w]).filter((c): c is Cell => !!c && c.tasks > 0);
      return cells.length ? `${Math.round((100 * cells.reduce((a, c) => a + f(c), 0)) / cells.length)}%` : '–';
    });
  const ours = mean((c) => c.ours / c.tasks);
  const bm = mean((c) => c.bm25 / c.tasks);
  const follow = WINDOWS.some((w) => run.sets.some((s) => s.byWindow[w]?.followTasks))
    ? mean((c) => (c.followTasks ? c.follow / c.followTasks : 0))
    : WINDOWS.map(() => '–');
  rows.push(
    `| **mean of sets** | ${run.sets.reduce((n, s) => n + s.tasks, 0)} | ` +
      `${ours.map((o, i) => `**${o}** / ${bm[i]}`).join(' | ')} | ${follow.join(' | ')} |`,
  );
  return [head, sep, ...rows].join('\n');
}

/** A run written by `--part`, for `--combine`. */
interface Part {
  run: Run;
  latency?: Latency & { name: string };
  seconds: number;
  loadBefore: number;
  loadAfter: number;
  command: string;
}

/** The sets run here, their latency, and how the run went. */
async function runHere(): Promise<Part> {
  const t0 = performance.now();
  const loadBefore = os.loadavg()[0]!;
  const run: Run = {
    label: values.save ?? 'this run',
    date: new Date().toISOString().slice(0, 10),
    commit: git(REPO, 'rev-parse', '--short', 'HEAD'),
    sets: [],
  };
  const ran: { set: TaskSet; dir: string }[] = [];
  for (const set of loadSets()) {
    const dir = cloneOf(set);
    if (!dir) continue;
    run.sets.push(await runSet(set, dir));
    ran.push({ set, dir });
  }
  // The largest repository run, at its head (where runSet leaves it).
  let latency: (Latency & { name: string }) | undefined;
  if (!values['no-latency'] && ran.length) {
    const largest = ran[run.sets.reduce((b, s, i) => (s.files > run.sets[b]!.files ? i : b), 0)]!;
    const questions = largest.set.tasks.map((t) => t.question);
    latency = { name: largest.set.name, ...(await rankingLatency(largest.dir, questions, 20_480)) };
    process.stdout.write(`ranking latency: ${JSON.stringify(latency)}\n`);
  }
  if (!run.sets.length)
    throw new Error('no task set could run: make the clones first (see test/bench/localize/README.md)');
  const command = ['npm run bench:localize', ...process.argv.slice(2)].join(' ');
  const seconds = (performance.now() - t0) / 1000;
  return { run, ...(latency ? { latency } : {}), seconds, loadBefore, loadAfter: os.loadavg()[0]!, command };
}

/** The parts `--combine` names, as one run (sets in the order given; the latency of the part that has one). */
function combined(files: string[]): Part {
  const parts = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Part);
  const latency = parts.find((p) => p.latency)?.latency;
  return {
    run: { ...parts[0]!.run, sets: parts.flatMap((p) => p.run.sets) },
    ...(latency ? { latency } : {}),
    seconds: Math.max(...parts.map((p) => p.seconds)),
    loadBefore: Math.max(...parts.map((p) => p.loadBefore)),
    loadAfter: Math.max(...parts.map((p) => p.loadAfter)),
    command: `${parts.map((p) => p.command).join(' & ')}, side by side`,
  };
}

async function main(): Promise<void> {
  const part = values.combine ? combined(values.combine.split(',')) : await runHere();
  const { run, latency } = part;
  const md = table(run);
  process.stdout.write(md + '\n');
  if (values.part) fs.writeFileSync(values.part, JSON.stringify(part, null, 1) + '\n');
  if (values.save) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, `${values.save}.json`), JSON.stringify(run, null, 2) + '\n');
  }
  if (values['no-write'] || values.part) return;
  const saved = fs.existsSync(RESULTS_DIR)
    ? fs
        .readdirSync(RESULTS_DIR)
        .filter((f) => f.endsWith('.json') && f !== `${values.save}.json`)
        .map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as Run)
    : [];
  writeSection(
    'localize',
    `## Localisation (\`npm run bench:localize\`)

${machineLine()}. Run on ${run.date} at ${run.commit}, ${Math.round(part.seconds)} s, load average
${part.loadBefore.toFixed(1)} at the start and ${part.loadAfter.toFixed(1)} at the end
(\`${part.command}\`).

Does the pack send whole the files a fix changed, given the fix's subject as the question? Task sets
in \`test/bench/localize/sets/\` (how they are made and rebuilt: \`test/bench/localize/README.md\`): real
fix commits of public repositories, each repository checked out at the fix's parent and packed for
the question by the engine the CLI's \`ask --window W\` runs, at the repository budget of that window.
Found = every file the fix changed is sent whole. BM25 = plain BM25 over whole files (identifiers
split at camelCase and snake_case) filling the same budget. Follow-ups = the same question asked after
another task's question opened the conversation on the same tree: its files whole by the time it is
sent. Sizes are at the first task.

${md}
${
  latency
    ? `
Ranking a new question, warm, on ${latency.name} at its head (${num(latency.files)} files the pack could send; term
statistics and imports made once, as the engine keeps them): median ${Math.round(latency.rankMedian)} ms wall clock
(slowest ${Math.round(latency.rankMax)} ms), **${Math.round(latency.rankCpuMedian)} ms CPU** over ${latency.questions}
questions; the engine's whole warm pack for a new question (walk, freshness, ranking, budget, assembly): median
${Math.round(latency.packMedian)} ms wall clock, ${Math.round(latency.packCpuMedian)} ms CPU (all threads). Wall clock
follows the machine's load (above); CPU time is what the work costs.
`
    : ''
}
${saved.map((s) => `\nEarlier: ${s.label} (${s.date}, ${s.commit})\n\n${table(s)}\n`).join('')}`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench:localize: ${(e as Error).message}\n`);
  process.exit(1);
});
