// A quick look at the ranking while changing it, without checking anything out: each task's tree is
// read from git objects and placed by the same ranking and budget (rank.ts, budget.ts) the engine runs
// (prepare.ts). It leaves out what the engine adds
// around them (ignore rules beyond the file kinds, secret redaction, git recency as a tie-break), so
// its rates come close to `npm run bench:localize`'s without being them: that bench is the measure,
// this is for iterating (seconds a set instead of minutes).
//   npx tsx test/bench/localize/quick.ts [--sets svelte,cli] [--tasks N] [--windows 32768,131072] [--show]
//     [--set-files a.json,b.json]  (sets built by buildTasks.ts --out, e.g. validation sets kept out of sets/)
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { allocate, rankWithReasons } from '../../../src/context/place/budget';
import { REPO } from '../../helpers/paths';
import { bm25Fill, bm25Order } from './bm25';
import { chosenSets, prepareTasks } from './prepare';
import type { TaskSet } from './tasks';

const { values } = parseArgs({
  options: {
    sets: { type: 'string' },
    tasks: { type: 'string' },
    windows: { type: 'string', default: '32768,131072' },
    clones: { type: 'string', default: path.join(REPO, '.bench', 'localize') },
    show: { type: 'boolean' },
    'set-files': { type: 'string' },
  },
});
const WINDOWS = values.windows.split(',').map(Number);
const LIMIT = values.tasks ? Number(values.tasks) : Infinity;

async function runSet(set: TaskSet, dir: string) {
  const res = WINDOWS.map(() => ({ ours: 0, bm: 0 }));
  let n = 0;
  for await (const { task, cands, docs, resolver, head } of prepareTasks(set, dir, values.clones, LIMIT)) {
    n++;
    const marks: string[] = [];
    const ranking = rankWithReasons(cands, { budgetTokens: 0, question: task.question }, resolver);
    for (const [wi, w] of WINDOWS.entries()) {
      const budget = repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, w);
      const request = { budgetTokens: budget, question: task.question };
      const plan = await allocate(cands, request, head, ranking);
      const ours = task.files.every((f) => plan.placed.get(f)?.status === 'included');
      const bm = bm25Fill(docs, task.question, budget);
      const base = task.files.every((f) => bm.has(f));
      if (ours) res[wi]!.ours++;
      if (base) res[wi]!.bm++;
      marks.push(`${ours ? 'Y' : '-'}${base ? 'Y' : '-'}`);
      if (values.show && !ours) {
        const rank = new Map(ranking.order.map((c, i) => [c.label, i + 1]));
        const whole = [...plan.placed].filter(([, p]) => p.status === 'included');
        const wholeTokens = whole.reduce((n, [, p]) => n + p.tokens, 0);
        const outl = [...plan.placed.values()].filter((p) => p.status === 'outline');
        process.stdout.write(
          `   w${w} whole ${whole.length} (${wholeTokens} t) outlines ${outl.length} ` +
            `(${outl.reduce((n, p) => n + p.tokens, 0)} t) header ${plan.headerTokens}\n`,
        );
        for (const f of task.files) {
          const r = ranking.info.get(f);
          process.stdout.write(
            `     ${f} #${rank.get(f)} ${plan.placed.get(f)?.status} ${plan.placed.get(f)?.tokens}t ` +
              `score ${r?.score.toFixed(1)} ev ${r?.evidence.toFixed(1)} ${r?.reasons.join('; ')}\n`,
          );
        }
        for (const c of ranking.order.slice(0, 6)) {
          const r = ranking.info.get(c.label)!;
          process.stdout.write(
            `       top ${c.label} ${plan.placed.get(c.label)?.status} ${c.knownTokens()}t ` +
              `ev ${r.evidence.toFixed(1)} ${r.reasons.join('; ')}\n`,
          );
        }
      }
    }
    const sizes = task.files.map((f) => cands.find((c) => c.label === f)?.knownTokens() ?? -1);
    const ourRank = new Map(ranking.order.map((c, i) => [c.label, i + 1]));
    const bmRank = new Map(bm25Order(docs, task.question).map((x, i) => [x.d.path, i + 1]));
    const worst = (m: Map<string, number>) => Math.max(...task.files.map((f) => m.get(f) ?? 99999));
    marks.push(`#${worst(ourRank)}/#${worst(bmRank)}`);
    process.stdout.write(
      `${set.name} ${marks.join(' ')} ${task.question.slice(0, 80)} ` +
        `[${task.files.map((f, i) => `${f}:${sizes[i]}`).join(' ')}]\n`,
    );
  }
  return { name: set.name, n, res };
}

async function main() {
  const all: Awaited<ReturnType<typeof runSet>>[] = [];
  for (const { set, dir } of chosenSets(values.clones, values.sets, values['set-files']))
    all.push(await runSet(set, dir));
  const pct = (a: number, n: number) => `${Math.round((100 * a) / n)}%`;
  const mean = (i: number, f: (x: { ours: number; bm: number }) => number) =>
    pct(
      all.reduce((a, r) => a + f(r.res[i]!) / r.n, 0),
      all.length,
    );
  for (const r of all)
    process.stdout.write(
      `${r.name.padEnd(10)} ` +
        `${r.res.map((x, i) => `${WINDOWS[i]}: ${pct(x.ours, r.n)} / ${pct(x.bm, r.n)}`).join('   ')}\n`,
    );
  process.stdout.write(
    `${'mean'.padEnd(10)} ` +
      `${WINDOWS.map((w, i) => `${w}: ${mean(i, (x) => x.ours)} / ${mean(i, (x) => x.bm)}`).join('   ')}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`quick: ${(e as Error).stack}\n`);
  process.exit(1);
});
