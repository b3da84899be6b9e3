// One task set through the engine: each task's tree checked out at the fix's parent and packed for its
// question at each window, against plain BM25 filling the same budget, and the question asked again as a
// follow-up. localize.bench.ts runs it for each set; results.ts tables what it found.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { ContextEngine } from '../../../src/context/engine';
import { countTokens } from '../../../src/context/tokens';
import type { Pack } from '../../../src/context/types';
import { CLI } from '../../helpers/paths';
import { bm25Doc, bm25Fill, type Bm25Doc } from './bm25';
import type { Cell, SetResult } from './results';
import type { TaskSet } from './tasks';

/** How a set runs: the command line's choices. */
export interface SetOptions {
  /** The windows each task is packed at (tokens). */
  windows: number[];
  /** At most this many tasks of the set. */
  limit: number;
  /** The first this many tasks also go through the CLI's dry run, which must place every file alike. */
  checkCli: number;
  /** Each task's question is also asked as a follow-up. */
  follow: boolean;
  /** The clones' folder; the token cache, the CLI's cache and each set's detail go there. */
  clones: string;
}

export const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }).trimEnd();

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
function cliStatuses(dir: string, question: string, window: number, clones: string): Map<string, string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DEEPSEEK_REPO_CACHE_DIR: path.join(clones, '.cli-cache') };
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

/** Runs a set's tasks in its clone `dir` (left at the set's head) and writes their detail beside the clones. */
export async function runSet(set: TaskSet, dir: string, options: SetOptions): Promise<SetResult> {
  const engine = new ContextEngine({
    roots: [{ name: set.name, path: dir }],
    cacheDir: path.join(options.clones, '.token-cache'),
  });
  const corpus = new Corpus();
  const tasks = set.tasks.slice(0, options.limit);
  const byWindow: Record<number, Cell> = {};
  for (const w of options.windows) byWindow[w] = { tasks: 0, ours: 0, bm25: 0, follow: 0, followTasks: 0, tooBig: 0 };
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
      for (const w of options.windows) {
        const budget = repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, w);
        const pack = await engine.pack({ budgetTokens: budget, question: task.question });
        const docs = corpus.docs(dir, pack);
        if (w === options.windows[0]) {
          const reachable = new Set(docs.map((d) => d.path));
          if (!task.files.every((f) => reachable.has(f))) unreachable++;
          if (i === 0) {
            files = docs.length;
            tokens = docs.reduce((n, d) => n + d.tokens, 0);
          }
        }
        const cell = byWindow[w]!;
        cell.tasks++;
        const sizes = new Map(docs.map((d) => [d.path, d.tokens]));
        if (task.files.reduce((n, f) => n + (sizes.get(f) ?? 0), 0) > budget) cell.tooBig = (cell.tooBig ?? 0) + 1;
        const ours = wholeIn(pack, task.files);
        const bm = bm25Fill(docs, task.question, budget);
        const base = task.files.every((f) => bm.has(f));
        if (ours) cell.ours++;
        if (base) cell.bm25++;
        const st = statusOf(pack);
        row[w] = { ours, bm25: base, statuses: task.files.map((f) => st.get(f)?.status ?? 'missing') };
        if (i < options.checkCli) {
          const cli = cliStatuses(dir, task.question, w, options.clones);
          const differ = pack.files.filter((f) => cli.get(f.path) !== f.status);
          if (differ.length)
            throw new Error(
              `the CLI's dry run and the engine disagree on ${differ.length} files (${set.name} ` +
                `${task.commit.slice(0, 12)}, window ${w}), e.g. ${differ[0]!.path}`,
            );
        }
        if (options.follow && tasks.length > 1) {
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
        `${set.name} ${i + 1}/${tasks.length} ${options.windows
          .map((w) => {
            const r = row[w] as { ours: boolean; bm25: boolean };
            return `${w}:${r.ours ? 'Y' : '-'}${r.bm25 ? 'Y' : '-'}`;
          })
          .join(' ')}  ${task.question.slice(0, 70)}\n`,
      );
    }
  } finally {
    engine.dispose();
    checkout(dir, set.head);
  }
  fs.writeFileSync(path.join(options.clones, `detail-${set.name}.json`), JSON.stringify(detail, null, 1));
  return { name: set.name, language: set.language, tasks: tasks.length, unreachable, files, tokens, byWindow };
}
