// `npm run bench:mcp`: `pack_repository` through the MCP server (the production build, driven by the MCP
// SDK's own client over stdio) against the CLI's own cold pack of the same corpus, interleaved: the
// first call of a fresh server (empty token cache), and warm calls served from the server's warm scan.
// Checks that every answer is byte-identical to `pack --out`. Writes the `mcp` section of BENCHMARKS.md.
//   npm run bench:mcp [-- --runs N]
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { corpus } from './corpora';
import { machineLine, writeSection } from './report';
import { CLI, REPO, requireBuiltCli } from '../helpers/paths';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 5;
const WARM_CALLS = 20;
const SPEC = 'three@0.170.0';
const SDK_VERSION = (
  JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/@modelcontextprotocol/sdk/package.json'), 'utf8')) as {
    version: string;
  }
).version;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(x < 100 ? 1 : 0)} ms`;
const freshCache = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-bench-mcp-cache-'));

/** The CLI's own cold pack: a fresh process with an empty token cache; wall and CPU time (ms), the text it wrote. */
function cliColdPack(dir: string): { ms: number; cpuMs: number; text: Buffer } {
  const cache = freshCache();
  const out = path.join(cache, 'pack.txt');
  const usage = path.join(cache, 'usage.json');
  const preload = path.join(cache, 'usage.cjs');
  fs.writeFileSync(
    preload,
    "process.on('exit', () => { const u = process.resourceUsage(); " +
      "require('fs').writeFileSync(process.env.DSR_USAGE_FILE, String(u.userCPUTime + u.systemCPUTime)); });\n",
  );
  try {
    const t0 = performance.now();
    const r = spawnSync(
      process.execPath,
      ['--require', preload, CLI, 'pack', dir, '--out', out, '--cache-dir', cache],
      {
        encoding: 'utf8',
        env: { ...process.env, DSR_USAGE_FILE: usage },
      },
    );
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`pack exited ${r.status}: ${r.stderr}`);
    return { ms: wall, cpuMs: Number(fs.readFileSync(usage, 'utf8')) / 1000, text: fs.readFileSync(out) };
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

interface McpRun {
  /** Spawn + initialize (ms). */
  startMs: number;
  /** The first pack_repository call of a fresh server, empty token cache (ms, request to result). */
  firstCallMs: number;
  /** CPU time of the server process from its start through the first call (ms; Linux /proc). */
  firstServerCpuMs: number;
  /** Later calls with the same arguments (ms). */
  warmMs: number[];
  /** CPU time of the server process over the warm calls, per call (ms; Linux /proc). */
  warmServerCpuMs: number;
  /** CPU time of this process (the SDK's client) over the warm calls, per call (ms). */
  warmClientCpuMs: number;
}

/**
 * The server's own time, apart from any client's parsing: a bare JSON-RPC speaker over the server's stdio that
 * times a `tools/call` from the request written to the response line's last byte read (chunks are only
 * collected while timing; the SDK's client concatenates and re-scans its whole buffer on every 64 KB chunk and
 * then validates the message, which for a 3 MB result costs more than the server's work). Each answer is checked
 * against `expected` after its timing.
 */
async function wireRun(dir: string, expected: Buffer): Promise<{ firstMs: number; warmMs: number[] }> {
  const cache = freshCache();
  const child = spawn(process.execPath, [CLI, 'mcp', '--dir', dir], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DEEPSEEK_REPO_CACHE_DIR: cache },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let waiting: ((line: Buffer) => void) | undefined;
  let chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    if (!chunk.includes(10)) return;
    const whole = Buffer.concat(chunks);
    const end = whole.indexOf(10);
    chunks = end + 1 < whole.length ? [whole.subarray(end + 1)] : [];
    const done = waiting;
    waiting = undefined;
    done?.(whole.subarray(0, end));
  });
  let id = 0;
  const request = (method: string, params: object) =>
    new Promise<{ line: Buffer; ms: number }>((resolve) => {
      const t = performance.now();
      waiting = (line) => resolve({ line, ms: performance.now() - t });
      child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) + '\n');
    });
  const call = async () => {
    const { line, ms: elapsed } = await request('tools/call', { name: 'pack_repository', arguments: {} });
    const r = (JSON.parse(line.toString('utf8')) as { result?: CallToolResult }).result;
    const first = r?.content[0];
    if (!r || r.isError || first?.type !== 'text' || !Buffer.from(first.text).equals(expected))
      throw new Error('pack_repository (wire) differs from pack --out');
    return elapsed;
  };
  try {
    await request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'bench-wire', version: '0' },
    });
    child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
    const firstMs = await call();
    const warmMs: number[] = [];
    for (let i = 0; i < WARM_CALLS; i++) warmMs.push(await call());
    return { firstMs, warmMs };
  } finally {
    child.kill();
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

/** User + system CPU time of process `pid` so far (ms), from /proc (clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * A fresh server with an empty token cache: its start, its first call and WARM_CALLS more, each checked against
 * `expected`.
 */
async function mcpRun(dir: string, expected: Buffer): Promise<McpRun> {
  const cache = freshCache();
  const client = new Client({ name: 'bench', version: '0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', '--dir', dir],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DEEPSEEK_REPO_CACHE_DIR: cache },
    stderr: 'ignore',
  });
  try {
    const t0 = performance.now();
    await client.connect(transport);
    const startMs = performance.now() - t0;
    const call = async () => {
      const t = performance.now();
      const r = (await client.callTool({ name: 'pack_repository', arguments: {} })) as CallToolResult;
      const elapsed = performance.now() - t;
      const first = r.content[0];
      if (r.isError || first?.type !== 'text' || !Buffer.from(first.text).equals(expected))
        throw new Error('pack_repository differs from pack --out');
      return elapsed;
    };
    const firstCallMs = await call();
    const firstServerCpuMs = cpuOf(transport.pid!);
    const warmMs: number[] = [];
    const server0 = cpuOf(transport.pid!);
    const client0 = process.cpuUsage();
    for (let i = 0; i < WARM_CALLS; i++) warmMs.push(await call());
    const clientCpu = process.cpuUsage(client0);
    return {
      startMs,
      firstCallMs,
      firstServerCpuMs,
      warmMs,
      warmServerCpuMs: (cpuOf(transport.pid!) - server0) / WARM_CALLS,
      warmClientCpuMs: (clientCpu.user + clientCpu.system) / 1000 / WARM_CALLS,
    };
  } finally {
    await client.close();
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  requireBuiltCli();
  const dir = corpus('three', SPEC);
  const load = os.loadavg()[0]!;
  const cli: number[] = [];
  const cliCpu: number[] = [];
  const runs: McpRun[] = [];
  const wires: { firstMs: number; warmMs: number[] }[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const c = cliColdPack(dir);
    cli.push(c.ms);
    cliCpu.push(c.cpuMs);
    bytes = c.text.length;
    const run = await mcpRun(dir, c.text);
    runs.push(run);
    const wire = await wireRun(dir, c.text);
    wires.push(wire);
    process.stderr.write(
      `run ${i + 1}/${RUNS}: cli ${ms(c.ms)}, mcp start ${ms(run.startMs)}, first call ${ms(run.firstCallMs)}, ` +
        `warm ${ms(median(run.warmMs))}; on the wire: first ${ms(wire.firstMs)}, warm ${ms(median(wire.warmMs))}\n`,
    );
  }
  const cliMs = median(cli);
  const first = median(runs.map((r) => r.firstCallMs));
  const withStart = median(runs.map((r) => r.startMs + r.firstCallMs));
  const warmAll = runs.flatMap((r) => r.warmMs);
  const warm = median(warmAll);
  const warmMax = Math.max(...warmAll);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const firstCpu = median(runs.map((r) => r.firstServerCpuMs));
  const warmServerCpu = median(runs.map((r) => r.warmServerCpuMs));
  const warmClientCpu = median(runs.map((r) => r.warmClientCpuMs));
  const wireFirst = median(wires.map((w) => w.firstMs));
  const wireWarmAll = wires.flatMap((w) => w.warmMs);
  const wireWarm = median(wireWarmAll);
  const times = (x: number) => `${(x / cliMs).toFixed(2)} × CLI`;
  const table = [
    '| | time | target |',
    '|---|--:|---|',
    '| CLI cold pack (`pack DIR --out FILE`, a fresh process, empty token cache) | ' +
      `${ms(cliMs)} (CPU ${ms(median(cliCpu))}) | |`,
    '| MCP `pack_repository`, first call of a fresh server (empty token cache) | ' +
      `${ms(first)} = ${times(first)} | ≤ 1.10 × CLI (${verdict(first <= 1.1 * cliMs)}) |`,
    `| the same, with the server's start (spawn + initialize) | ${ms(withStart)} = ${times(withStart)} | |`,
    '| CPU of the server process, start through the first call | ' +
      `${ms(firstCpu)} = ${(firstCpu / median(cliCpu)).toFixed(2)} × the CLI's CPU | |`,
    `| MCP \`pack_repository\`, warm call (same arguments; median / max of ${warmAll.length}) | ` +
      `${ms(warm)} / ${ms(warmMax)} | ≤ 100 ms (${verdict(warm <= 100)}) |`,
    '| **the server alone** (a bare JSON-RPC client: request written → last byte of the answer read, ' +
      'no parsing): first call of a fresh server | ' +
      `${ms(wireFirst)} = ${times(wireFirst)} | ≤ 1.10 × CLI (${verdict(wireFirst <= 1.1 * cliMs)}) |`,
    `| **the server alone**: warm call (median / max of ${wireWarmAll.length}) | ` +
      `${ms(wireWarm)} / ${ms(Math.max(...wireWarmAll))} | ≤ 100 ms (${verdict(wireWarm <= 100)}) |`,
    "| CPU per warm call: the server / the SDK's client (parsing the 3 MB result) | " +
      `${ms(warmServerCpu)} / ${ms(warmClientCpu)} | |`,
  ].join('\n');
  const text = `## MCP server (\`npm run bench:mcp\`)

${machineLine()}. ${SPEC} (\`npm pack\`, in .bench/corpora), default arguments (budget ${'983,040'} tokens), \
every answer
byte-identical to \`pack --out\` (${bytes.toLocaleString('en-US')} bytes). Median of ${RUNS} interleaved runs \
(load average
at the start: ${load.toFixed(1)}); times are wall clock from the client's side (request sent to result parsed, the text
included), with the production build driven by the MCP SDK's own client over stdio. That client (SDK ${SDK_VERSION})
joins its read buffer and searches it again for a line end on every 64 KB chunk, then validates the message: for a
3 MB answer that costs more than the server's work, and it is the client's, so the rows in bold time the same server
with a bare JSON-RPC client that only collects the bytes. The server reads the repository ahead once a client has
listed its tools (as \`pack_repository\` without arguments packs it); the clients here call without listing them,
so the first call times the cold pack itself.

${table}`;
  process.stdout.write(text + '\n');
  if (!args.includes('--no-write')) writeSection('mcp', text);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:mcp: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
