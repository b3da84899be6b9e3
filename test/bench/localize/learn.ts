// Learns how to weigh the ranking's signals from fix commits, and measures a learned weighting against the weights as
// they are, with the same budget and count as tune.ts (tasks whose files are all whole at each window). The training
// tasks must be disjoint from every task measured: build them from history older than the sets' (buildTasks.ts
// --head, see README.md). The features and models: learnFeatures.ts; fitting them: learnFit.ts.
//   npx tsx test/bench/localize/learn.ts features --set-files train-a.json,train-b.json [--negatives 1000] --out f.json
//   npx tsx test/bench/localize/learn.ts fit --features f.json --terms linear [--cost pairs|tokens|budget] --out m.json
//   npx tsx test/bench/localize/learn.ts search --features f.json [--terms linear | --from m.json] --out m.json
//   npx tsx test/bench/localize/learn.ts bound --features f.json
//   npx tsx test/bench/localize/learn.ts eval [--sets a,b] [--set-files x.json] --models hand,m.json
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { allocate, type Ranking } from '../../../src/context/place/budget';
import type { Ranked } from '../../../src/context/place/rank';
import { REPO } from '../../helpers/paths';
import { FEATURES, featuresOf, HAND, rankBy, type Model, type TaskRows } from './learnFeatures';
import { bound, fit, search, type FitOptions } from './learnFit';
import { chosenSets, prepareTasks, type Prepared } from './prepare';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sets: { type: 'string' },
    'set-files': { type: 'string' },
    windows: { type: 'string', default: '32768,131072' },
    clones: { type: 'string', default: path.join(REPO, '.bench', 'localize') },
    negatives: { type: 'string', default: '300' },
    features: { type: 'string' },
    terms: { type: 'string', default: 'linear' },
    cost: { type: 'string', default: 'pairs' },
    scale: { type: 'string', default: '100' },
    l2: { type: 'string', default: '0.001' },
    toward: { type: 'string', default: 'zero' },
    steps: { type: 'string', default: '2000' },
    only: { type: 'string' },
    from: { type: 'string' },
    gain: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    models: { type: 'string', default: 'hand' },
    out: { type: 'string' },
  },
});
const WINDOWS = values.windows.split(',').map(Number);

async function* prepared(): AsyncGenerator<{ set: string; p: Prepared }> {
  for (const { set, dir } of chosenSets(values.clones, values.sets, values['set-files']))
    for await (const p of prepareTasks(set, dir, values.clones)) yield { set: set.name, p };
}

const rankingOf = (p: Prepared, ranked: Ranked[]): Ranking => {
  const byLabel = new Map(p.cands.map((c) => [c.label, c]));
  return { order: ranked.map((r) => byLabel.get(r.label)!), info: new Map(ranked.map((r) => [r.label, r])) };
};

/** Whether each window finds the task (every file of its fix whole) with `ranking`, and the plans' header tokens. */
async function place(p: Prepared, ranking: Ranking): Promise<{ found: boolean[]; header: number[] }> {
  const found: boolean[] = [];
  const header: number[] = [];
  for (const win of WINDOWS) {
    const budget = repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, win);
    const plan = await allocate(p.cands, { budgetTokens: budget, question: p.task.question }, p.head, ranking);
    found.push(p.task.files.every((f) => plan.placed.get(f)?.status === 'included'));
    header.push(plan.headerTokens);
  }
  return { found, header };
}

/** Writes each task's features: of its fix's files, and of the best-ranked others (and about 50 more at random). */
async function features() {
  const out: TaskRows[] = [];
  const keep = Number(values.negatives);
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  for await (const { set, p } of prepared()) {
    const { x, ranked } = featuresOf(p);
    const at = new Map(p.cands.map((c, i) => [c.label, i]));
    const fix = new Set(p.task.files);
    const pos = p.task.files.filter((f) => at.has(f)).map((f) => [...x[at.get(f)!]!]);
    if (!pos.length) continue;
    const others = ranked.filter((r) => !fix.has(r.label));
    const neg = others.slice(0, keep).map((r) => [...x[at.get(r.label)!]!]);
    for (const r of others.slice(keep)) if (random() < 50 / others.length) neg.push([...x[at.get(r.label)!]!]);
    out.push({ set, question: p.task.question, pos, neg, ...(await place(p, rankingOf(p, ranked))) });
    process.stderr.write(`${set} ${out.length}\r`);
  }
  fs.writeFileSync(values.out!, JSON.stringify({ features: FEATURES, windows: WINDOWS, tasks: out }));
  process.stderr.write(`\n${out.length} tasks -> ${values.out}\n`);
}

/** The training tasks' features (`features`'s file), checked against this FEATURES and WINDOWS. */
function training(): TaskRows[] {
  const data = JSON.parse(fs.readFileSync(values.features!, 'utf8')) as {
    features: string[];
    windows?: number[];
    tasks: TaskRows[];
  };
  if (FEATURES.some((f, k) => data.features[k] !== f)) throw new Error(`${values.features}: other features`);
  if (data.windows && data.windows.join() !== WINDOWS.join()) throw new Error(`${values.features}: other windows`);
  return data.tasks;
}

const options = (): FitOptions => ({
  windows: WINDOWS,
  only: values.only === undefined ? undefined : Number(values.only),
  terms: values.terms,
  cost: values.cost,
  scale: Number(values.scale),
  l2: Number(values.l2),
  toward: values.toward,
  steps: Number(values.steps),
  from: values.from ? (JSON.parse(fs.readFileSync(values.from, 'utf8')) as Model) : undefined,
  gain: Number(values.gain),
  rounds: Number(values.rounds),
});

const log = (line: string) => process.stderr.write(line + '\n');
function written(model: Model) {
  if (values.out) fs.writeFileSync(values.out, JSON.stringify(model) + '\n');
  process.stdout.write(model.terms.map((t, k) => `${t} ${model.weights[k]}`).join('\n') + '\n');
}

/** Tasks found at each window, per set, for each model and rank.ts's ranking. */
async function evaluate() {
  const names = [...values.models.split(','), 'rank.ts'];
  const models = names
    .slice(0, -1)
    .map((n) => (n === 'hand' ? HAND : (JSON.parse(fs.readFileSync(n, 'utf8')) as Model)));
  const found = new Map<string, number[][]>();
  const count = async (set: string, which: number, p: Prepared, ranking: Ranking) => {
    if (!found.has(set))
      found.set(
        set,
        names.map(() => WINDOWS.map(() => 0)),
      );
    (await place(p, ranking)).found.forEach((f, i) => f && found.get(set)![which]![i]!++);
  };
  for await (const { set, p } of prepared()) {
    const { x, ranked } = featuresOf(p);
    await count(set, models.length, p, rankingOf(p, ranked));
    for (const [k, model] of models.entries()) await count(set, k, p, rankBy(p.cands, x, model));
  }
  process.stdout.write(`windows ${WINDOWS.join(', ')}; per set ${[...found.keys()].join(', ')}\n`);
  names.forEach((name, k) => {
    const per = [...found.values()].map((f) => f[k]!);
    const total = per.flat().reduce((a, b) => a + b, 0);
    process.stdout.write(
      `${path.basename(name).padEnd(24)} ${per.map((r) => r.join('/')).join('  ')}  total ${total}\n`,
    );
  });
}

const commands: Record<string, () => unknown> = {
  features,
  fit: () => written(fit(training(), options(), log)),
  search: () => written(search(training(), options(), log)),
  bound: () => {
    process.stdout.write(`windows ${WINDOWS.join(', ')}: found as ranked now, files alone fit, within reach\n`);
    process.stdout.write(bound(training(), WINDOWS).join('\n') + '\n');
  },
  eval: evaluate,
};
const command = commands[positionals[0] ?? ''];
if (!command) {
  process.stderr.write('learn: features, fit, search, bound or eval (see the header of learn.ts)\n');
  process.exit(2);
}
Promise.resolve()
  .then(command)
  .catch((e) => {
    process.stderr.write(`learn: ${(e as Error).stack}\n`);
    process.exit(1);
  });
