// Tries changes of the ranking's weights on every task at once, in one process (the tasks are prepared once,
// prepare.ts): for each weight, each factor of `--factors`, the tasks found at each window, against the weights as
// they are. For looking, not for choosing by itself: a change that wins here must also win on sets it was not
// tried on (`--set-files`, see README.md).
//   npx tsx test/bench/localize/tune.ts [--sets a,b] [--set-files x.json] [--windows 32768,131072]
//     [--weights lexical,defines] [--factors 0.5,2]
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { allocate, rankWithReasons } from '../../../src/context/place/budget';
import { WEIGHTS } from '../../../src/context/place/rank';
import { REPO } from '../../helpers/paths';
import { chosenSets, prepareTasks, type Prepared } from './prepare';

const { values } = parseArgs({
  options: {
    sets: { type: 'string' },
    'set-files': { type: 'string' },
    windows: { type: 'string', default: '32768,131072' },
    clones: { type: 'string', default: path.join(REPO, '.bench', 'localize') },
    weights: { type: 'string' },
    factors: { type: 'string', default: '0.5,2' },
  },
});
const WINDOWS = values.windows.split(',').map(Number);

type Weight = keyof typeof WEIGHTS;
/** Weights the tasks never use (no editor, nothing changed in git): left out unless named. */
const EDITOR = new Set<string>(['pinned', 'active', 'open', 'changed']);

/** Tasks found at each window, per set. */
async function measure(sets: { name: string; tasks: Prepared[] }[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const s of sets) {
    const found = WINDOWS.map(() => 0);
    for (const { task, cands, resolver, head } of s.tasks) {
      const ranking = rankWithReasons(cands, { budgetTokens: 0, question: task.question }, resolver);
      for (const [i, w] of WINDOWS.entries()) {
        const budget = repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, w);
        const plan = await allocate(cands, { budgetTokens: budget, question: task.question }, head, ranking);
        if (task.files.every((f) => plan.placed.get(f)?.status === 'included')) found[i]!++;
      }
    }
    out.push(found);
  }
  return out;
}

const line = (label: string, r: number[][], base?: number[][]) => {
  const total = r.flat().reduce((a, b) => a + b, 0);
  const diff = base ? total - base.flat().reduce((a, b) => a + b, 0) : 0;
  const change = base ? ` (${diff >= 0 ? '+' : ''}${diff})` : '';
  return `${label.padEnd(24)} ${r.map((x) => x.join('/')).join('  ')}  total ${total}${change}\n`;
};

async function main() {
  const sets: { name: string; tasks: Prepared[] }[] = [];
  for (const { set, dir } of chosenSets(values.clones, values.sets, values['set-files'])) {
    const tasks: Prepared[] = [];
    for await (const p of prepareTasks(set, dir, values.clones)) tasks.push(p);
    sets.push({ name: set.name, tasks });
  }
  process.stdout.write(`sets ${sets.map((s) => s.name).join(', ')}; windows ${WINDOWS.join(', ')}\n`);
  const base = await measure(sets);
  process.stdout.write(line('as they are', base));
  const names = (values.weights?.split(',') ?? Object.keys(WEIGHTS).filter((w) => !EDITOR.has(w))) as Weight[];
  for (const name of names) {
    const was = WEIGHTS[name];
    for (const f of values.factors.split(',').map(Number)) {
      WEIGHTS[name] = was * f;
      process.stdout.write(line(`${name} x${f}`, await measure(sets), base));
    }
    WEIGHTS[name] = was;
  }
}

main().catch((e) => {
  process.stderr.write(`tune: ${(e as Error).stack}\n`);
  process.exit(1);
});
