// What the MCP server tests share: `deepseek-repo mcp` started as a real process on the built CLI and
// driven by the MCP SDK's own client over stdio (or by a bare client writing lines as given), and a small
// repository with a planted secret.
import { spawn, spawnSync } from 'node:child_process';
import * as readline from 'node:readline';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI, requireBuiltCli } from '../../helpers/paths';
import { tempDir, writeTree } from '../../helpers/tmp';
import { until } from '../../helpers/until';

// A real token format, assembled at run time so this file holds no secret (the corpus test scans it).
export const PAT = ['ghp', 'zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17'].join('_');
export const body = (name: string, lines: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 3 + 1; // keep going\n'.repeat(lines)}  return x;\n}\n`;

export interface Server {
  client: Client;
  stderr: () => string;
  /** Errors the client's transport met (a line on stdout that is not a protocol message is one). */
  errors: Error[];
  close(): Promise<void>;
}

export async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp', ...args],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const errors: Error[] = [];
  const client = new Client({ name: 'test', version: '0' });
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  return { client, stderr: () => stderr, errors, close: () => client.close() };
}

/** A line the server wrote, as JSON. */
export interface Reply {
  id?: string | number | null;
  method?: string;
  result?: { tools?: unknown[]; content?: { text?: string }[]; isError?: boolean };
  error?: { code: number; message: string };
}

/** `deepseek-repo mcp` driven by a bare JSON-RPC client, after the handshake. */
export interface BareServer {
  /**
   * Writes `line` (and a newline), then a tools/list request, and returns what the server wrote from then on, up to
   * and with the answer to tools/list (and to the request `id`, when given: a tool's answer may come after it):
   * whatever it answered `line` with, and proof that it still serves.
   */
  exchange(line: string, id?: string | number): Promise<Reply[]>;
  close(): Promise<void>;
}

export async function startBare(args: string[], env: Record<string, string>): Promise<BareServer> {
  const child = spawn(process.execPath, [CLI, 'mcp', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let exited = false;
  child.once('exit', () => (exited = true));
  child.stdin.on('error', () => {}); // a server that ended is reported below, not as EPIPE
  const lines: Reply[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (l) => lines.push(JSON.parse(l) as Reply));
  const write = (line: string) => child.stdin.write(line + '\n');
  /** Waits for a line with `id` from line `from` on (an earlier request may have had the same id). */
  const answered = async (id: string | number, what: string, from = 0) => {
    await until(what, () => exited || lines.slice(from).some((l) => l.id === id));
    assert.ok(!exited, `the server ended before answering ${what}; its stderr:\n${stderr}`);
  };
  const clientInfo = { name: 'test', version: '0' };
  write(
    JSON.stringify({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo },
    }),
  );
  await answered('init', 'the handshake');
  write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  let n = 0;
  return {
    async exchange(line, id) {
      const from = lines.length;
      const list = `list-${++n}`;
      write(line);
      write(JSON.stringify({ jsonrpc: '2.0', id: list, method: 'tools/list' }));
      await answered(list, `tools/list after ${line.slice(0, 60)}`, from);
      if (id !== undefined) await answered(id, `the answer to ${line.slice(0, 60)}`, from);
      return lines.slice(from);
    },
    async close() {
      if (exited) return;
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.stdin.end();
      await closed;
    },
  };
}

export const text = (r: CallToolResult, i = 0) => {
  const c = r.content[i];
  assert.ok(c?.type === 'text', `content ${i} is text`);
  return c.text;
};
export const call = (
  s: Server,
  name: string,
  args: Record<string, unknown>,
  options: Parameters<Client['callTool']>[2] = {},
) => s.client.callTool({ name, arguments: args }, undefined, options) as Promise<CallToolResult>;

/** The repository, environment and server of one test; `server` is closed after each test. */
export interface McpProject {
  /** The test's private folder (removed after it), holding `repo` and the CLI's cache and home. */
  tmp: string;
  repo: string;
  env: Record<string, string>;
  server: Server;
  /** Runs the built CLI with `args` in `env`; its stdout (a failure fails the test). */
  cli(args: string[]): string;
}

/** Registers the hooks that make the repository before each test and clean up after; call inside a describe. */
export function mcpProject(): McpProject {
  const p = {
    cli: (args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...p.env } });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    },
  } as McpProject;
  before(requireBuiltCli);
  beforeEach(async () => {
    p.tmp = tempDir('dsr-mcp-');
    p.repo = path.join(p.tmp, 'repo');
    writeTree(p.repo, {
      '.gitignore': 'build/\n',
      'build/out.js': 'ignored();\n',
      'src/keys.ts': `// deployment keys\nexport const GITHUB_TOKEN = '${PAT}';\n${body('rotate', 40)}`,
      'src/main.ts': `import { rotate } from './keys';\nexport const answer = rotate(42);\n`,
      'src/alpha.ts': body('alpha', 300),
      'src/omega.ts': body('omega', 300),
      'docs/guide.md': '# Guide\n\nHow to use it.\n',
    });
    p.env = { DEEPSEEK_REPO_CACHE_DIR: path.join(p.tmp, 'cache'), DEEPSEEK_API_KEY: '', HOME: p.tmp };
  });
  afterEach(async () => {
    await p.server?.close();
    fs.rmSync(p.tmp, { recursive: true, force: true });
  });
  return p;
}
