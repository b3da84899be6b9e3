// Ranking latency for a new question, warm: the files a pack of the repository could send, with
// each file's term statistics, import specifiers and past commits made once (as the engine keeps them
// between questions, made on its readers and from one git log), ranked for questions the ranking has not seen. Measures
// rankFiles alone (the part of a pack that depends on the question) and, beside it, the engine's
// whole warm pack for a new question (walk, freshness checks, ranking, budget, assembly).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import { historyLogArgs, parseHistoryLog } from '../../../src/context/place/gitHistory';
import { ImportResolver, importSpecifiers } from '../../../src/context/place/imports';
import { rankFiles, type RankInput } from '../../../src/context/place/rank';
import { termStats, type TermStats } from '../../../src/context/place/terms';

export interface Latency {
  files: number;
  /** Questions ranked. */
  questions: number;
  /** Median and slowest ranking of a new question (ms, wall clock). */
  rankMedian: number;
  rankMax: number;
  /** Median CPU time of a ranking (ms): what it costs when the machine is not shared. */
  rankCpuMedian: number;
  /** Median of the engine's whole warm pack for a new question (ms, wall clock), and its CPU time (all threads). */
  packMedian: number;
  packCpuMedian: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Ranks `questions` over `dir` (a repository at rest) after one warm-up pack; `budget` in tokens. */
export async function rankingLatency(dir: string, questions: string[], budget: number): Promise<Latency> {
  const engine = new ContextEngine({
    roots: [{ name: 'r', path: dir }],
    cacheDir: path.join(dir, '..', '.token-cache'),
  });
  try {
    const first = await engine.pack({ budgetTokens: budget, question: 'warm up the engine' });
    const pack: number[] = [];
    const packCpu: number[] = [];
    for (const q of questions.slice(0, 5)) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await engine.pack({ budgetTokens: budget, question: `${q} (again)` });
      pack.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      packCpu.push((c.user + c.system) / 1000);
    }
    const past = parseHistoryLog(
      execFileSync('git', historyLogArgs(dir, 'HEAD'), { encoding: 'utf8', maxBuffer: 1 << 28 }),
    ).commits;
    const files: RankInput[] = first.files
      .filter((f) => f.status !== 'excluded' || f.reason === 'budget')
      .map((f) => {
        const abs = path.join(dir, f.path);
        const text = fs.readFileSync(abs, 'utf8');
        let terms: TermStats | undefined;
        let specs: string[] | undefined;
        return {
          label: f.path,
          abs,
          text: () => text,
          terms: () => (terms ??= termStats(text, f.path)),
          imports: () => (specs ??= importSpecifiers(abs, text)),
          recency: 0,
          changedInGit: false,
          pastCommits: past.get(f.path) ?? [],
        };
      });
    const resolver = new ImportResolver(files.map((f) => f.label));
    rankFiles(files, 'warm up the ranking', undefined, resolver);
    const rank: number[] = [];
    const cpu: number[] = [];
    for (const q of questions) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      rankFiles(files, q, undefined, resolver);
      rank.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    return {
      files: files.length,
      questions: questions.length,
      rankMedian: median(rank),
      rankMax: Math.max(...rank),
      rankCpuMedian: median(cpu),
      packMedian: median(pack),
      packCpuMedian: median(packCpu),
    };
  } finally {
    engine.dispose();
  }
}
