// `npm run bench:localize`: does the pack put the right code in the prompt when the repository does
// not fit? For each task (a real fix commit, see buildTasks.ts) the repository is checked out at the
// commit's parent and packed for the task's question at each window, by the same engine and budget
// the CLI's `ask --window W` uses; a task is found when every file the fix changed is sent whole.
// The baseline is plain BM25 over whole files filling the same budget (bm25.ts). Follow-ups: the
// same task's question asked second, after another task's question opened the conversation on the
// same tree; found when its files are whole in the pack sent with it (the first pack, plus what a
// follow-up appends). Writes the `localize` section of BENCHMARKS.md; `--save LABEL` also keeps the
// run's table under results/LABEL.json, shown beside later runs.
// Also: ranking latency for a new question, warm, on the largest repository run (latency.ts). One set's run is
// in runSet.ts; the records, the table and the section in results.ts.
//   npm run bench:localize [-- --sets svelte,cli] [--tasks N] [--windows 32768,131072] [--save LABEL] [--check-cli N]
//     [--no-follow] [--no-latency] [--no-write] [--part FILE] [--combine FILE,FILE,...]
// On two cores the sets run faster side by side: `--sets X --part FILE` each (no BENCHMARKS.md write), then
// `--combine` the parts into one section.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from '../../helpers/paths';
import { writeSection } from '../report';
import { rankingLatency, type Latency } from './latency';
import { combined, commandLine, section, table, type Part, type Run } from './results';
import { git, runSet } from './runSet';
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
    run.sets.push(
      await runSet(set, dir, {
        windows: WINDOWS,
        limit: LIMIT,
        checkCli: CHECK_CLI,
        follow: !values['no-follow'],
        clones: values.clones,
      }),
    );
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
  const command = commandLine(process.argv.slice(2));
  const seconds = (performance.now() - t0) / 1000;
  return { run, ...(latency ? { latency } : {}), seconds, loadBefore, loadAfter: os.loadavg()[0]!, command };
}

async function main(): Promise<void> {
  const part = values.combine ? combined(values.combine.split(',')) : await runHere();
  const { run } = part;
  const md = table(run, WINDOWS);
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
  writeSection('localize', section(part, saved, WINDOWS));
}

main().catch((e) => {
  process.stderr.write(`bench:localize: ${(e as Error).message}\n`);
  process.exit(1);
});
