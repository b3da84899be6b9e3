// The processes bench:pack times (pack.bench.ts runs them and writes the report): a Node CLI as a child
// process with its CPU time and peak RSS, repomix installed at its current version, and the two floors
// under any packer (reading every file; reading, scanning and counting what is sent).
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BENCH, npm } from './corpora';
import { REPO } from '../helpers/paths';

/** Installs the current repomix into .bench/tools (not a devDependency); returns its CLI path and version. */
export function repomix(): { bin: string; version: string } {
  const tools = path.join(BENCH, 'tools');
  const pkg = path.join(tools, 'node_modules/repomix/package.json');
  let latest: string | undefined;
  try {
    latest = npm(['view', 'repomix', 'version']);
  } catch {
    latest = undefined; // offline: use what is installed
  }
  const installed = fs.existsSync(pkg)
    ? (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version
    : undefined;
  if (!installed || (latest && installed !== latest)) {
    fs.mkdirSync(tools, { recursive: true });
    if (!fs.existsSync(path.join(tools, 'package.json')))
      fs.writeFileSync(path.join(tools, 'package.json'), '{"private":true}\n');
    npm(['install', '--no-audit', '--no-fund', '--silent', `repomix@${latest ?? 'latest'}`], tools);
  }
  const version = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version: string }).version;
  return { bin: path.join(tools, 'node_modules/repomix/bin/repomix.cjs'), version };
}

export interface Run {
  ms: number;
  /** CPU time of the process, all threads (ms): steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMB: number;
  stdout: string;
}

/** Runs a Node CLI as a child process; wall time and its peak RSS (threads included); `env` adds to this process's. */
export function runNode(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const rssFile = path.join(os.tmpdir(), `dsr-rss-${process.pid}-${Date.now()}`);
  const preload = path.join(BENCH, 'rss-preload.cjs');
  fs.writeFileSync(
    preload,
    "process.on('exit', () => { const u = process.resourceUsage(); " +
      "require('fs').writeFileSync(process.env.DSR_RSS_FILE, JSON.stringify({ rssKB: u.maxRSS, cpuUs: " +
      'u.userCPUTime + u.systemCPUTime })); });\n',
  );
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', preload, ...argv], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, ...env, DSR_RSS_FILE: rssFile, NO_COLOR: '1' },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const usage = JSON.parse(fs.readFileSync(rssFile, 'utf8')) as { rssKB: number; cpuUs: number };
  fs.rmSync(rssFile, { force: true });
  return { ms, cpuMs: usage.cpuUs / 1000, rssMB: usage.rssKB / 1024, stdout: r.stdout };
}

/**
 * The floor under any packer: a fresh Node process that only walks the directory and reads and
 * decodes every file, with no ignore rules, counting, secrets or output. Measured in the same
 * interleaved runs, so the cold ratio can be read against what merely reading the files costs.
 */
export function readFloor(dir: string): Run {
  const script = path.join(BENCH, 'read-floor.cjs');
  fs.writeFileSync(
    script,
    "const fs = require('fs'), path = require('path'); let n = 0;\n" +
      '(function walk(d) { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = ' +
      "path.join(d, e.name); if (e.isDirectory()) { if (e.name !== '.git') walk(p); } else if (e.isFile()) n " +
      "+= fs.readFileSync(p).toString('utf8').length; } })(process.argv[2]);\n" +
      'process.stdout.write(String(n));\n',
  );
  return runNode([script, dir], REPO);
}

/**
 * Builds test/bench/sendFloor.ts the way the CLI is built (bundled, minified, the tokenizer's data
 * beside it) and returns a runner: the floor under a packer that counts exactly and scans for
 * secrets what it sends (that file says what it does and leaves out).
 */
export type Split = 'even' | 'counter' | 'no-count';
export function sendFloor(): (dir: string, listFile: string, split: Split) => Run {
  const out = path.join(BENCH, 'send-floor');
  fs.mkdirSync(path.join(out, 'data'), { recursive: true });
  fs.cpSync(path.join(REPO, 'dist/data'), path.join(out, 'data'), { recursive: true });
  const script = path.join(out, 'send-floor.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'sendFloor.ts')],
    outfile: script,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
  });
  return (dir, listFile, split) => runNode([script, dir, listFile, split], REPO);
}
