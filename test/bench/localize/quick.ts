// A quick look at the ranking while changing it, without checking anything out: each task's tree is
// read from git objects (`git ls-tree`, `git cat-file --batch`), filtered by the walk's name and
// content rules, and placed by the same ranking and budget (rank.ts, budget.ts) the engine runs,
// with exact token counts remembered by blob between runs, and the past commits of the 1,000 before each
// task's parent (git log, as the engine reads them). It leaves out what the engine adds
// around them (ignore rules beyond the file kinds, secret redaction, git recency as a tie-break), so
// its rates come close to `npm run bench:localize`'s without being them: that bench is the measure,
// this is for iterating (seconds a set instead of minutes).
//   npx tsx test/bench/localize/quick.ts [--sets svelte,cli] [--tasks N] [--windows 32768,131072] [--show]
//     [--set-files a.json,b.json]  (sets built by buildTasks.ts --out, e.g. validation sets kept out of sets/)
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { allocate, rankWithReasons, type Candidate } from '../../../src/context/place/budget';
import { historyLogArgs, parseHistoryLog } from '../../../src/context/place/gitHistory';
import { ImportResolver, importSpecifiers } from '../../../src/context/place/imports';
import { fileBlock, PACK_FOOTER, renderHeader } from '../../../src/context/place/render';
import { termStats, type TermStats } from '../../../src/context/place/terms';
import { makeOutline } from '../../../src/context/read/processFile';
import { contentExclusion, hasNul, isBinaryName, nameExclusion } from '../../../src/context/scan/fileKinds';
import { countTokens } from '../../../src/context/tokens';
import { REPO } from '../../helpers/paths';
import { bm25Doc, bm25Fill, bm25Order, type Bm25Doc } from './bm25';
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

interface Blob {
  text: string;
  tokens: number;
  terms?: TermStats;
  imports?: string[];
  outline?: { block: string; tokens: number } | null;
  bm?: Bm25Doc;
}

const counts = new Map<string, number>();
const countCached = (text: string, key: string) => {
  let n = counts.get(key);
  if (n === undefined) counts.set(key, (n = countTokens(text)));
  return n;
};

async function readBlobs(dir: string, shas: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!shas.length) return out;
  const p = spawn('git', ['-C', dir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  p.stdout.on('data', (c: Buffer) => chunks.push(c));
  p.stdin.end(shas.join('\n') + '\n');
  await new Promise((r) => p.on('close', r));
  const buf = Buffer.concat(chunks);
  let at = 0;
  for (const sha of shas) {
    const nl = buf.indexOf(10, at);
    const size = Number(buf.subarray(at, nl).toString().split(' ')[2]);
    const body = buf.subarray(nl + 1, nl + 1 + size);
    at = nl + 1 + size + 1;
    if (!hasNul(body.subarray(0, 8000))) out.set(sha, body.toString('utf8'));
  }
  return out;
}

async function runSet(set: TaskSet, dir: string) {
  const cacheFile = path.join(values.clones, `.quick-counts-${set.name}.json`);
  if (fs.existsSync(cacheFile))
    for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Record<string, number>))
      counts.set(k, v);
  const blobs = new Map<string, Blob>();
  const tasks = set.tasks.slice(0, LIMIT);
  const res = WINDOWS.map(() => ({ ours: 0, bm: 0 }));
  for (const task of tasks) {
    const tree = execFileSync('git', ['-C', dir, 'ls-tree', '-r', '-l', task.parent], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    })
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [meta, p] = l.split('\t') as [string, string];
        const [mode, type, sha, size] = meta.split(/\s+/) as [string, string, string, string];
        return { mode, type, sha, size: Number(size), path: p };
      })
      .filter(
        (e) =>
          e.type === 'blob' &&
          e.mode !== '120000' &&
          e.size <= 1_048_576 &&
          !isBinaryName(e.path) &&
          !nameExclusion(path.basename(e.path)),
      );
    const need = [...new Set(tree.filter((e) => !blobs.has(e.sha)).map((e) => e.sha))];
    const texts = await readBlobs(dir, need);
    for (const [sha, text] of texts) blobs.set(sha, { text, tokens: countCached(text, sha) });
    const files = tree.filter(
      (e) => blobs.has(e.sha) && !contentExclusion(path.basename(e.path), blobs.get(e.sha)!.text),
    );
    const resolver = new ImportResolver(files.map((f) => f.path));
    const past = parseHistoryLog(
      execFileSync('git', historyLogArgs(dir, task.parent), { encoding: 'utf8', maxBuffer: 1 << 28 }),
    ).commits;
    const cands: Candidate[] = files.map((f) => {
      const b = blobs.get(f.sha)!;
      const tags = countCached(fileBlock(f.path, ''), 'tags:' + f.path);
      const bytes = Buffer.byteLength(b.text);
      return {
        label: f.path,
        abs: '/r/' + f.path,
        bytes,
        text: () => b.text,
        imports: () => (b.imports ??= importSpecifiers(f.path, b.text)),
        terms: () => (b.terms ??= termStats(b.text, f.path)),
        tokens: async () => b.tokens + tags,
        knownTokens: () => b.tokens + tags,
        block: () => fileBlock(f.path, b.text),
        minTokens: Math.ceil(bytes / 8) + tags,
        recency: 0,
        changedInGit: false,
        pastCommits: past.get(f.path) ?? [],
        outline: () => {
          if (b.outline === undefined) {
            const o = makeOutline(f.path, b.text, false);
            b.outline = o ? { block: o.block, tokens: countCached(o.block, 'outline:' + f.sha + f.path) } : null;
          }
          return b.outline ?? undefined;
        },
        sentOutline: () => b.outline ?? undefined,
      };
    });
    const docs = files.map((f) => {
      const b = blobs.get(f.sha)!;
      return (b.bm ??= bm25Doc(f.path, b.text, b.tokens + countCached(fileBlock(f.path, ''), 'tags:' + f.path)));
    });
    const roots = [{ name: set.name, path: dir }];
    const head = async (t: { label: string; status: 'included' | 'outline' | 'excluded' }[]) => {
      const text = renderHeader(roots, t);
      return { text, tokens: countTokens(text + PACK_FOOTER) };
    };
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
  fs.writeFileSync(cacheFile, JSON.stringify(Object.fromEntries(counts)));
  counts.clear();
  return { name: set.name, n: tasks.length, res };
}

async function main() {
  const want = values.sets?.split(',');
  const dirOf = (n: string) => path.join(values.clones, n);
  const files =
    values['set-files']?.split(',') ??
    fs.readdirSync(path.join(__dirname, 'sets')).map((f) => path.join(__dirname, 'sets', f));
  const sets = files
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as TaskSet)
    .filter((s) => (!want || want.includes(s.name)) && fs.existsSync(dirOf(s.name)));
  const all: Awaited<ReturnType<typeof runSet>>[] = [];
  for (const s of sets) all.push(await runSet(s, dirOf(s.name)));
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
