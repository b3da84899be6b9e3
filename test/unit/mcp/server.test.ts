// `deepseek-repo mcp` driven by the MCP SDK's own client over stdio, as a real process on the built
// CLI: the tools it lists, pack_repository byte for byte against `pack --out` on a repository with a
// planted secret, list_context against `pack --json`, bad arguments answered as tool errors while the
// server keeps serving, focus and progress, and ask_repository without a key.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { PackReport } from '../../../src/protocol/packReport';
import { CLI } from '../../helpers/paths';
import { until } from '../../helpers/until';
import { PAT, startServer, text, call, mcpProject } from './serverKit';

const clientInfo = { name: 'test', version: '0' };

describe('MCP server (deepseek-repo mcp)', function () {
  const mcp = mcpProject();

  it('lists its three tools, with their arguments', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
    const { tools } = await mcp.server.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()].sort(), ['ask_repository', 'list_context', 'pack_repository']);
    for (const name of ['pack_repository', 'list_context'])
      assert.deepEqual(Object.keys(byName.get(name)!.inputSchema.properties ?? {}).sort(), [
        'budget',
        'exclude',
        'focus',
        'include',
        'question',
        'window',
      ]);
    assert.deepEqual(byName.get('ask_repository')!.inputSchema.required, ['question']);
    assert.deepEqual(mcp.server.errors, []);
  });

  it('pack_repository is byte-identical to pack --out, secret redacted, for the same arguments', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
    const cases: { args: Record<string, unknown>; flags: string[] }[] = [
      { args: {}, flags: [] },
      {
        args: { budget: 1500, question: 'What does omega do?' },
        flags: ['--budget', '1500', '--question', 'What does omega do?'],
      },
      { args: { window: 4096, exclude: ['docs/'] }, flags: ['--window', '4096', '--exclude', 'docs/'] },
      { args: { include: ['/build/'], exclude: ['*.md'] }, flags: ['--include', '/build/', '--exclude', '*.md'] },
    ];
    for (const { args, flags } of cases) {
      const out = path.join(mcp.tmp, 'pack.txt');
      mcp.cli(['pack', mcp.repo, '--out', out, ...flags]);
      const expected = fs.readFileSync(out, 'utf8');
      const got = text(await call(mcp.server, 'pack_repository', args));
      assert.equal(
        Buffer.compare(Buffer.from(got), Buffer.from(expected)),
        0,
        `pack_repository ${JSON.stringify(args)}`,
      );
      assert.ok(!got.includes(PAT), 'the secret never leaves');
    }
    assert.match(text(await call(mcp.server, 'pack_repository', {})), /\[REDACTED:github-pat:[0-9a-f]{8}\]/);
    assert.deepEqual(mcp.server.errors, []);
  });

  it('once the tools are listed, reads the repository ahead as pack_repository with no arguments would', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
    const report = JSON.parse(mcp.cli(['pack', mcp.repo, '--json'])) as PackReport;
    await mcp.server.client.listTools();
    // No call made: the server reads on its own, and says what it read.
    await until('the read ahead', () => mcp.server.stderr().includes('read ahead: '));
    assert.match(mcp.server.stderr(), new RegExp(`read ahead: ${report.files.length} files, ${report.tokens} tokens`));
    const out = path.join(mcp.tmp, 'pack.txt');
    mcp.cli(['pack', mcp.repo, '--out', out]);
    assert.equal(text(await call(mcp.server, 'pack_repository', {})), fs.readFileSync(out, 'utf8'));
    assert.doesNotMatch(mcp.server.stderr(), /warning/);
  });

  it('a repeated pack_repository is served warm, and after a file changes it has the change', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
    const packOut = () => {
      const out = path.join(mcp.tmp, 'pack.txt');
      mcp.cli(['pack', mcp.repo, '--out', out]);
      return fs.readFileSync(out, 'utf8');
    };
    const before = packOut();
    assert.equal(text(await call(mcp.server, 'pack_repository', {})), before);
    assert.equal(text(await call(mcp.server, 'pack_repository', {})), before);
    fs.writeFileSync(path.join(mcp.repo, 'src/main.ts'), 'export const answer = 43;\n');
    fs.writeFileSync(path.join(mcp.repo, 'src/added.ts'), 'export const added = true;\n');
    const after = packOut();
    assert.match(after, /answer = 43[\s\S]*added = true|added = true[\s\S]*answer = 43/);
    assert.equal(text(await call(mcp.server, 'pack_repository', {})), after);
    assert.equal(text(await call(mcp.server, 'pack_repository', {})), after);
    assert.deepEqual(mcp.server.errors, []);
  });

  it('list_context reports what pack --json does, redactions included', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
    for (const [args, flags] of [
      [{}, []],
      [{ budget: 1500, question: 'alpha?' }, ['--budget', '1500', '--question', 'alpha?']],
    ] as const) {
      const expected: unknown = JSON.parse(mcp.cli(['pack', mcp.repo, '--json', ...flags]));
      const r = await call(mcp.server, 'list_context', args);
      assert.deepEqual(JSON.parse(text(r)), expected);
      assert.deepEqual(r.structuredContent, expected);
    }
    const report = JSON.parse(text(await call(mcp.server, 'list_context', {}))) as PackReport;
    assert.deepEqual(
      report.redactions.map((x) => [x.path, x.rule]),
      [['src/keys.ts', 'github-pat']],
    );
    assert.ok(!JSON.stringify(report).includes(PAT));
  });

  it('answers bad arguments with a tool error naming them, and keeps serving', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ budget: -5 }, /expected a positive integer \(tokens\), got -5 at budget/],
      [{ budget: 1.5 }, /expected a positive integer \(tokens\), got 1\.5 at budget/],
      [{ budget: 'lots' }, /expected a positive integer \(tokens\), got "lots" at budget/],
      [{ budget: 'x'.repeat(100_000) }, /got "x{40}"… \(100000 characters\) at budget$/],
      [{ budget: { n: 5 } }, /got an object at budget$/],
      [{ window: 100 }, /expected an integer of at least 1024 \(tokens\), got 100 at window/],
      [{ colour: 'red' }, /unknown argument: colour/],
      [{ focus: ['../outside.ts'] }, /focus: \.\.\/outside\.ts is outside the workspace/],
      [{ focus: ['/etc/passwd'] }, /focus: \/etc\/passwd is outside the workspace/],
      [{ focus: ['src/nope.ts'] }, /focus: src\/nope\.ts does not exist/],
    ];
    for (const [args, message] of bad)
      for (const tool of ['pack_repository', 'list_context']) {
        const r = await call(mcp.server, tool, args);
        assert.equal(r.isError, true, `${tool} ${JSON.stringify(args)}`);
        assert.match(text(r), message);
      }
    const r = await call(mcp.server, 'ask_repository', { question: '' });
    assert.equal(r.isError, true);
    assert.match(text(r), /expected a question, got an empty string/);
    // The next call after the errors is served as usual.
    assert.match(text(await call(mcp.server, 'pack_repository', { focus: ['src/alpha.ts'] })), /src\/alpha\.ts/);
    assert.deepEqual(mcp.server.errors, []);
  });

  it('focus puts the named file first and whole when the repository does not fit', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], mcp.env);
    const status = async (focus: string) => {
      const report = (await call(mcp.server, 'list_context', { budget: 5000, focus: [focus] })).structuredContent as {
        files: { path: string; status: string }[];
      };
      return report.files.find((f) => f.path === focus)?.status;
    };
    const unfocused = (await call(mcp.server, 'list_context', { budget: 5000 })).structuredContent as {
      files: { path: string; status: string }[];
    };
    const whole = unfocused.files.filter((f) => /src\/(alpha|omega)\.ts/.test(f.path) && f.status === 'included');
    assert.ok(whole.length < 2, 'without focus both fit whole: the test would prove nothing');
    assert.equal(await status('src/alpha.ts'), 'included');
    assert.equal(await status('src/omega.ts'), 'included');
  });

  it('reports progress on a call that asks for it, before its result', async () => {
    // Read as the server writes them, line by line: the SDK's client may handle a result before a notification that
    // came just before it (a call answered at once, as the pack read ahead is) and drop the notification.
    const child = spawn(process.execPath, [CLI, 'mcp', '--dir', mcp.repo], {
      env: { PATH: process.env.PATH ?? '', ...mcp.env },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const lines: { id?: number; method?: string; params?: { message?: string } }[] = [];
    readline.createInterface({ input: child.stdout }).on('line', (l) => lines.push(JSON.parse(l) as never));
    const send = (m: object) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
    try {
      send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo } });
      await until('the handshake', () => lines.some((l) => l.id === 1));
      send({ method: 'notifications/initialized' });
      const _meta = { progressToken: 'p1' };
      send({ id: 2, method: 'tools/call', params: { name: 'pack_repository', arguments: {}, _meta } });
      await until('the result', () => lines.some((l) => l.id === 2));
      const after = lines.slice(lines.findIndex((l) => l.id === 1) + 1);
      assert.deepEqual(
        after.map((l) => (l.id === 2 ? 'result' : `${l.method}: ${l.params?.message}`)),
        ['notifications/progress: packing repo', 'result'],
      );
    } finally {
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.stdin.end(); // its input ends: it stops as a client closing it stops it
      await closed;
    }
  });

  it('ask_repository without a key sends nothing and says so', async () => {
    mcp.server = await startServer(['--dir', mcp.repo], { ...mcp.env, DEEPSEEK_BASE_URL: 'https://deepseek.invalid' });
    const r = await call(mcp.server, 'ask_repository', { question: 'What is answer?' });
    assert.equal(r.isError, true);
    assert.match(text(r), /DEEPSEEK_API_KEY is not set .*nothing was sent/);
  });
});
