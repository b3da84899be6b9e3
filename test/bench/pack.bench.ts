// `npm run bench:pack`: packs corpora built reproducibly from the npm registry (npm pack) with the built CLI, cold
// (empty cache) and with a warm cache (token counts, clean scans, outlines), measures a warm in-process re-pack
// after editing one file, and runs repomix (current version, default settings) on the same corpus in the same run.
// Prints a table and writes the `pack` section of BENCHMARKS.md. The processes it times (the CLI, repomix, the read
// and send floors) are run by packProcesses.ts.
//   npm run bench:pack [-- --runs N] [-- --only three]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repositoryBudget } from '../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../src/cli/common';
import { ContextEngine } from '../../src/context/engine';
import { corpus } from './corpora';
import { readFloor, repomix, runNode, sendFloor, type Run, type Split } from './packProcesses';
import { machineLine, writeSection } from './report';
import type { FloorFiles } from './sendFloor';
import { REPO, CLI, requireBuiltCli } from '../helpers/paths';

const BUDGET = repositoryBudget(DEFAULT_MAX_OUTPUT); // what the CLI's `pack` defaults to, as a question does
const CORPORA = [
  { name: 'three', spec: 'three@0.170.0', edit: 'src/core/Object3D.js' },
  { name: 'typescript', spec: 'typescript@5.9.3', edit: 'lib/lib.es5.d.ts' },
  { name: 'lodash', spec: 'lodash@4.17.21', edit: 'chunk.js' },
];
/**
 * Reasons a pack may leave a file out for without reading it: the send floor does not read those files (binary ones
 * neither, though a NUL byte is found by reading).
 */
const UNREAD = new Set([
  'gitignore',
  'deepseekignore',
  'setting',
  'too-large',
  'lockfile',
  'secret-file',
  'symlink-outside',
  'symlink-loop',
  'duplicate',
  'binary',
]);
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The ratio of the median wall times of two sets of runs, and of their CPU times. */
const ratioOf = (a: Run[], b: Run[]) =>
  `${(median(a.map((r) => r.ms)) / median(b.map((r) => r.ms))).toFixed(3)} (CPU ` +
  `${(median(a.map((r) => r.cpuMs)) / median(b.map((r) => r.cpuMs))).toFixed(3)})`;

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || path.relative(dir, e.parentPath).split(path.sep)[0] === '.git') continue;
    files++;
    bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

async function warmRepack(
  dir: string,
  editRel: string,
): Promise<{ coldInProcessMs: number; warm: number[]; warmCpu: number[] }> {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-cache-'));
  const engine = new ContextEngine({
    roots: [{ name: path.basename(dir), path: dir }],
    cacheDir: cache,
    watched: true,
  });
  const file = path.join(dir, editRel);
  const original = fs.readFileSync(file);
  try {
    let t0 = performance.now();
    await engine.pack({ budgetTokens: BUDGET });
    const coldInProcessMs = performance.now() - t0;
    await engine.pack({ budgetTokens: BUDGET }); // settle: the first warm pack may still see young files
    const warm: number[] = [];
    const warmCpu: number[] = [];
    for (let i = 0; i < 20; i++) {
      fs.appendFileSync(file, `\n// bench edit ${i}\n`);
      engine.invalidate([file]); // what the extension's file watcher does
      t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const pack = await engine.pack({ budgetTokens: BUDGET });
      warm.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      warmCpu.push((cpu.user + cpu.system) / 1000);
      if (pack.stats.readFiles !== 1) throw new Error(`warm re-pack read ${pack.stats.readFiles} files, expected 1`);
    }
    return { coldInProcessMs, warm, warmCpu };
  } finally {
    fs.writeFileSync(file, original);
    engine.dispose();
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

async function main() {
  requireBuiltCli();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const rm = repomix();
  const runSendFloor = sendFloor();
  console.log(`repomix ${rm.version}; ${RUNS} runs per measurement; ${machineLine()}`);
  const rows: string[] = [];
  for (const c of CORPORA.filter((x) => !ONLY || x.name === ONLY)) {
    const dir = corpus(c.name, c.spec);
    const size = sizeOf(dir);
    const cold: Run[] = [];
    const cachedRuns: Run[] = [];
    const rmRuns: Run[] = [];
    const rmWarmRuns: Run[] = [];
    const floorRuns: Run[] = [];
    const sendFloorRuns: Record<Split, Run[]> = { even: [], counter: [], 'no-count': [] };
    let tokens = 0;
    let counts = '';
    let rmTokens = '?';
    // Interleaved, so both tools meet the same load on a shared machine.
    for (let i = 0; i < RUNS; i++) {
      const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-cli-'));
      const out = path.join(cache, 'pack.txt');
      const run = runNode([CLI, 'pack', dir, '--json', '--cache-dir', cache, '--out', out], REPO);
      cold.push(run);
      cachedRuns.push(runNode([CLI, 'pack', dir, '--json', '--cache-dir', cache, '--out', out], REPO));
      const json = JSON.parse(run.stdout) as {
        tokens: number;
        files: { path: string; status: string; reason?: string }[];
      };
      tokens = json.tokens;
      const n = (st: string) => json.files.filter((f) => f.status === st).length;
      counts = `${n('included')} whole, ${n('outline')} outline, ${n('excluded')} out`;
      const listFile = path.join(cache, 'floor-files.json');
      const list: FloorFiles = {
        read: json.files.filter((f) => !UNREAD.has(f.reason ?? '')).map((f) => f.path),
        sent: json.files.filter((f) => f.status === 'included').map((f) => f.path),
      };
      fs.writeFileSync(listFile, JSON.stringify(list));
      for (const split of ['even', 'counter', 'no-count'] as const) {
        const floor = runSendFloor(dir, listFile, split);
        const found = JSON.parse(floor.stdout) as { readFiles: number; sentFiles: number; tokens: number };
        if (
          found.readFiles !== list.read.length ||
          found.sentFiles !== list.sent.length ||
          (split !== 'no-count' && !found.tokens)
        )
          throw new Error(
            `send floor (${split}) found ${floor.stdout}, expected ${list.read.length} files to read, ` +
              `${list.sent.length} sent`,
          );
        sendFloorRuns[split].push(floor);
      }
      fs.rmSync(cache, { recursive: true, force: true });
      const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-repomix-'));
      // Cold like ours: repomix keeps token counts by content in $TMPDIR/repomix/cache, which made every run after
      // its first about twice as fast (three: 0.9 s instead of 1.8-2.9 s); each run gets an empty TMPDIR of its own.
      const rmRun = runNode([rm.bin, dir, '-o', path.join(outDir, 'repomix-output.xml')], outDir, { TMPDIR: outDir });
      rmRuns.push(rmRun);
      rmTokens = /Total Tokens:\s*([\d,]+)/.exec(rmRun.stdout)?.[1] ?? '?';
      // And again with the cache that run left, beside ours with its cache warm.
      rmWarmRuns.push(
        runNode([rm.bin, dir, '-o', path.join(outDir, 'repomix-output.xml')], outDir, { TMPDIR: outDir }),
      );
      fs.rmSync(outDir, { recursive: true, force: true });
      floorRuns.push(readFloor(dir));
    }
    const { warm, warmCpu } = await warmRepack(dir, c.edit);
    const coldMs = median(cold.map((r) => r.ms));
    const rmMs = median(rmRuns.map((r) => r.ms));
    const cachedMs = median(cachedRuns.map((r) => r.ms));
    const rmWarmMs = median(rmWarmRuns.map((r) => r.ms));
    const floorMs = median(floorRuns.map((r) => r.ms));
    // The faster of the two ways to split counting between the threads.
    const [split, sendFloorMs] = (['even', 'counter'] as const)
      .map((k) => [k, median(sendFloorRuns[k].map((r) => r.ms))] as const)
      .sort((a, b) => a[1] - b[1])[0]!;
    const scanFloorMs = median(sendFloorRuns['no-count'].map((r) => r.ms));
    const row = {
      corpus: `${c.spec} (${size.files} files, ${(size.bytes / 1e6).toFixed(1)} MB)`,
      tokens: `${tokens.toLocaleString('en-US')} (${counts})`,
      cold:
        `${Math.round(coldMs)} ms (CPU ${Math.round(median(cold.map((r) => r.cpuMs)))} ms), ` +
        `${(size.bytes / 1e6 / (coldMs / 1000)).toFixed(1)} MB/s, ` +
        `${Math.round(median(cold.map((r) => r.rssMB)))} MB RSS`,
      cached: `${Math.round(cachedMs)} ms (CPU ${Math.round(median(cachedRuns.map((r) => r.cpuMs)))} ms)`,
      warm:
        `${median(warm).toFixed(1)} ms (CPU ${median(warmCpu).toFixed(1)} ms, max ` +
        `${Math.max(...warm).toFixed(1)} ms)`,
      repomix:
        `${Math.round(rmMs)} ms (CPU ${Math.round(median(rmRuns.map((r) => r.cpuMs)))} ms), ` +
        `${Math.round(median(rmRuns.map((r) => r.rssMB)))} MB RSS, ${rmTokens} tokens`,
      ratio: ratioOf(cold, rmRuns),
      repomixWarm: `${Math.round(rmWarmMs)} ms (CPU ${Math.round(median(rmWarmRuns.map((r) => r.cpuMs)))} ms)`,
      warmRatio: ratioOf(cachedRuns, rmWarmRuns),
      coldToWarm: ratioOf(cold, rmWarmRuns),
      floor: `${Math.round(floorMs)} ms = ${(floorMs / rmMs).toFixed(3)} × repomix`,
      sendFloor:
        `${Math.round(sendFloorMs)} ms (${split}, CPU ` +
        `${Math.round(median(sendFloorRuns[split].map((r) => r.cpuMs)))} ms) = ` +
        `${(sendFloorMs / rmMs).toFixed(3)} × repomix; not counting: ${Math.round(scanFloorMs)} ms = ` +
        `${(scanFloorMs / rmMs).toFixed(3)} ×`,
    };
    console.log(row);
    rows.push(
      `| ${row.corpus} | ${row.tokens} | ${row.cold} | ${row.cached} | ${row.warm} | ${row.repomix} | ` +
        `${row.ratio} | ${row.repomixWarm} | ${row.warmRatio} | ${row.coldToWarm} | ${row.floor} | ${row.sendFloor} |`,
    );
  }
  writeSection(
    'pack',
    [
      '## pack (`npm run bench:pack`)',
      '',
      `${machineLine()}. Median of ${RUNS} runs (load average at the start: ` +
        `${loadAtStart.toFixed(1)}, at the end: ${(os.loadavg()[0] ?? 0).toFixed(1)}); ` +
        `cold = a fresh CLI process of the production build (\`node ` +
        `dist/cli.js pack DIR --json --out FILE\`) with an empty cache; "cache warm" = the same with the cache ` +
        `the previous run left (token counts, clean secret scans and planning outlines by content hash); ` +
        `warm re-pack = in-process \`ContextEngine.pack\` as the ` +
        `extension runs it (\`watched\`: the file watcher's \`invalidate\`) after appending a line to one ` +
        `file, median of 20. Cold runs of both tools are interleaved; CPU = user + system time of the ` +
        `process, all threads (steadier than wall time on a shared machine). Budget ` +
        `${BUDGET.toLocaleString('en-US')} tokens. repomix ${rm.version}, default settings, on the same ` +
        `directory in the same run, cold like ours: an empty TMPDIR each run (it keeps token counts in ` +
        `$TMPDIR/repomix/cache, which halves the time of every run after the first); "repomix, its cache ` +
        `warm" = repomix again with the cache that run left, compared with ours with its cache warm, and with ` +
        `ours cold. ` +
        `Corpora: \`npm pack\` of the named version, extracted to \`.bench/corpora\`. Token counts come from ` +
        `\`src/context/tokens.ts\` as built. Read floor = a fresh Node process that only walks the directory ` +
        `and reads and decodes every file outside .git (the file count and size in the first column; no ` +
        `ignore rules, counting, secrets or output), interleaved with the others: no packer started as a ` +
        `process can beat it. Send floor = a fresh Node process (test/bench/sendFloor.ts, built like the ` +
        `CLI) whose two worker threads read and decode the files this pack read (all but those it left out ` +
        `unread: ignored, over the size limit, binary) and, for the files it sent whole, scan them for ` +
        `secrets and count their tokens with the pack's own scanner and tokenizer; no ignore rules, ` +
        `outlines, hashes, ranking or output, and the work split between the threads knowing in advance ` +
        `which files are sent; the faster of two splits (\`even\`: both threads read, scan and count; ` +
        `\`counter\`: one counts, the other reads and scans, as the pack does): what scanning and exactly ` +
        `counting what is sent costs with this scanner and tokenizer, from a cold start, before any packing. ` +
        `"not counting" is the same without the token count, the floor of a packer that only estimates ` +
        `tokens.`,
      '',
      '| corpus | pack tokens | ours, cold | ours, cache warm | warm re-pack, 1 file edited | repomix ' +
        '| cold / repomix | repomix, its cache warm | cache warm / repomix cache warm | cold / repomix cache warm ' +
        '| read floor | send floor |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
