// bench:scale — 100,000 small files packed under the default budget in a child process: time and peak
// RSS against the memory target (800 MB). The unit test of the same pack checks that every file is
// accounted for; memory is a target, so it is measured here, not asserted in a unit test.
//   npm run bench:scale
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { machineLine, writeSection } from './report';

const TARGET_RSS_MB = 800;
const RUNS = 3;
const CHILD = path.resolve(__dirname, '../helpers/packChild.ts');

interface ChildResult {
  status: Record<string, number>;
  tokens: number;
  elapsedMs: number;
  maxRssMB: number;
}

function makeTree(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-scale-'));
  for (let d = 0; d < 1000; d++) {
    const sub = path.join(dir, `pkg${d % 50}`, `mod${d}`);
    fs.mkdirSync(sub, { recursive: true });
    for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(sub, `f${i}.ts`), `export const v${d}_${i} = ${i};\n`);
  }
  return dir;
}

function packOnce(dir: string, budget: number): ChildResult {
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', CHILD, dir, String(budget)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`pack child failed: ${run.stderr.split('\n')[0]}`);
  return JSON.parse(run.stdout) as ChildResult;
}

function main(): void {
  const budget = 1_048_576 - 32_768;
  const dir = makeTree();
  try {
    const runs = Array.from({ length: RUNS }, () => packOnce(dir, budget));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const rss = median(runs.map((r) => r.maxRssMB));
    const ms = median(runs.map((r) => r.elapsedMs));
    const whole = runs[0]!.status.included ?? 0;
    const verdict = rss < TARGET_RSS_MB ? 'meets' : 'MISSES';
    const lines = [
      '## Scale (`npm run bench:scale`)',
      '',
      `100,000 one-line TypeScript files (1,000 folders) packed under the default 1M budget in a child process;`,
      `median of ${RUNS} runs. Target: peak RSS under ${TARGET_RSS_MB} MB.`,
      '',
      `Machine: ${machineLine()}; load average ${os.loadavg()[0]!.toFixed(1)} at the end.`,
      '',
      '| files | whole | tokens | pack time | peak RSS | target |',
      '|---|---|---|---|---|---|',
      `| 100,000 | ${whole.toLocaleString('en')} | ${runs[0]!.tokens.toLocaleString('en')} | ${ms} ms | ${rss} MB | ` +
        `${verdict} (< ${TARGET_RSS_MB} MB) |`,
    ];
    writeSection('scale', lines.join('\n'));
    console.log(lines.slice(-1)[0]);
    console.log(`runs: ${runs.map((r) => `${r.elapsedMs} ms / ${r.maxRssMB} MB`).join(', ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
