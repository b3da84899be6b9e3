// bench:scale — 100,000 small files packed by the CLI as it ships (`deepseek-repo pack DIR --out FILE`, the
// production build, default budget and worker threads): time and peak RSS of the whole process, cold (an empty
// cache) and warm (the cache that run wrote), against the memory target (800 MB). The peak is measured in the
// process itself (test/helpers/maxRss.cjs), threads included. The unit test of the same pack checks that every file
// is accounted for; memory is a target, so it is measured here, not asserted in a unit test.
//   npm run bench:scale
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';
import { machineLine, writeSection } from './report';

const TARGET_RSS_MB = 800;
const RUNS = 3;
const CLI = path.join(REPO, 'dist', 'cli.js');
const HOOK = path.join(REPO, 'test', 'helpers', 'maxRss.cjs');

interface Run {
  ms: number;
  rssMB: number;
  /** What the CLI printed (its one-line summary), without the temporary file it wrote. */
  line: string;
}

function makeTree(dir: string): void {
  for (let d = 0; d < 1000; d++) {
    const sub = path.join(dir, `pkg${d % 50}`, `mod${d}`);
    fs.mkdirSync(sub, { recursive: true });
    for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(sub, `f${i}.ts`), `export const v${d}_${i} = ${i};\n`);
  }
}

/** One `pack` of `tree` in a fresh process with the cache in `cache`. */
function packOnce(tree: string, out: string, cache: string): Run {
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['--require', HOOK, CLI, 'pack', tree, '--out', out], {
    encoding: 'utf8',
    env: { ...process.env, DEEPSEEK_REPO_CACHE_DIR: cache },
  });
  const ms = Math.round(performance.now() - t0);
  const rss = /maxRSS (\d+)\s*$/.exec(run.stderr);
  if (run.status !== 0 || !rss) throw new Error(`pack failed (${run.status}): ${run.stderr.trim().split('\n')[0]}`);
  return { ms, rssMB: Number(rss[1]), line: run.stdout.trim().replace(/ -> .*$/, '') };
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build -- --production` first');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-scale-'));
  try {
    const tree = path.join(work, 'tree');
    makeTree(tree);
    const cold: Run[] = [];
    const warm: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const cache = path.join(work, `cache${i}`);
      cold.push(packOnce(tree, path.join(work, 'pack.txt'), cache));
      warm.push(packOnce(tree, path.join(work, 'pack.txt'), cache));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const row = (name: string, runs: Run[]) => {
      const rss = median(runs.map((r) => r.rssMB));
      const verdict = rss < TARGET_RSS_MB ? 'meets' : 'MISSES';
      return `| ${name} | ${median(runs.map((r) => r.ms))} ms | ${rss} MB | ${verdict} (< ${TARGET_RSS_MB} MB) |`;
    };
    const lines = [
      '## Scale (`npm run bench:scale`)',
      '',
      '100,000 one-line TypeScript files (1,000 folders) packed by the CLI as it ships (`deepseek-repo pack DIR',
      '--out FILE`: the production build, the default 1M budget, worker threads); each run a fresh process, its peak',
      `resident set size taken in the process, threads included; median of ${RUNS} runs. Cold: an empty cache; warm:`,
      `the cache the cold run wrote. Target: peak RSS under ${TARGET_RSS_MB} MB.`,
      '',
      `Machine: ${machineLine()}; load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
      '',
      `The pack: ${cold[0]!.line}`,
      '',
      '| run | time (wall, with start-up) | peak RSS | target |',
      '|---|---|---|---|',
      row('cold', cold),
      row('warm', warm),
    ];
    writeSection('scale', lines.join('\n'));
    console.log(lines.slice(-2).join('\n'));
    const each = (runs: Run[]) => runs.map((r) => `${r.ms} ms / ${r.rssMB} MB`).join(', ');
    console.log(`cold: ${each(cold)}\nwarm: ${each(warm)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
