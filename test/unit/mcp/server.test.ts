// `deepseek-repo mcp` driven by the MCP SDK's own client over stdio, as a real process on the built
// CLI: the tools it lists, pack_repository byte for byte against `pack --out` on a repository with a
// planted secret, list_context against `pack --json`, bad arguments answered as tool errors while the
// server keeps serving, and ask_repository against the fake DeepSeek server (a follow-up hits the
// cache; a cancelled call closes the request).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { PackReport } from '../../../src/protocol/packReport';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { SCENARIOS } from '../../fake-server/scenarios';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { CLI, requireBuiltCli } from '../../helpers/paths';
import { tempDir, writeTree } from '../../helpers/tmp';

// A real token format, assembled at run time so this file holds no secret (the corpus test scans it).
const PAT = ['ghp', 'zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ0mLq17'].join('_');
const body = (name: string, lines: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 3 + 1; // keep going\n'.repeat(lines)}  return x;\n}\n`;

interface Server {
  client: Client;
  stderr: () => string;
  /** Errors the client's transport met (a line on stdout that is not a protocol message is one). */
  errors: Error[];
  close(): Promise<void>;
}

async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
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

const text = (r: CallToolResult, i = 0) => {
  const c = r.content[i];
  assert.ok(c?.type === 'text', `content ${i} is text`);
  return c.text;
};
const call = (
  s: Server,
  name: string,
  args: Record<string, unknown>,
  options: Parameters<Client['callTool']>[2] = {},
) => s.client.callTool({ name, arguments: args }, undefined, options) as Promise<CallToolResult>;

describe('MCP server (deepseek-repo mcp)', function () {
  this.timeout(60_000);
  let tmp: string;
  let repo: string;
  let env: Record<string, string>;
  let server: Server;
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  before(requireBuiltCli);
  beforeEach(async () => {
    tmp = tempDir('dsr-mcp-');
    repo = path.join(tmp, 'repo');
    writeTree(repo, {
      '.gitignore': 'build/\n',
      'build/out.js': 'ignored();\n',
      'src/keys.ts': `// deployment keys\nexport const GITHUB_TOKEN = '${PAT}';\n${body('rotate', 40)}`,
      'src/main.ts': `import { rotate } from './keys';\nexport const answer = rotate(42);\n`,
      'src/alpha.ts': body('alpha', 300),
      'src/omega.ts': body('omega', 300),
      'docs/guide.md': '# Guide\n\nHow to use it.\n',
    });
    env = { DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache'), DEEPSEEK_API_KEY: '', HOME: tmp };
  });
  afterEach(async () => {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists its three tools, with their arguments', async () => {
    server = await startServer(['--dir', repo], env);
    const { tools } = await server.client.listTools();
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
    assert.deepEqual(server.errors, []);
  });

  it('pack_repository is byte-identical to pack --out, secret redacted, for the same arguments', async () => {
    server = await startServer(['--dir', repo], env);
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
      const out = path.join(tmp, 'pack.txt');
      cli(['pack', repo, '--out', out, ...flags]);
      const expected = fs.readFileSync(out, 'utf8');
      const got = text(await call(server, 'pack_repository', args));
      assert.equal(
        Buffer.compare(Buffer.from(got), Buffer.from(expected)),
        0,
        `pack_repository ${JSON.stringify(args)}`,
      );
      assert.ok(!got.includes(PAT), 'the secret never leaves');
    }
    assert.match(text(await call(server, 'pack_repository', {})), /\[REDACTED:github-pat:[0-9a-f]{8}\]/);
    assert.deepEqual(server.errors, []);
  });

  it('a repeated pack_repository is served warm, and after a file changes it has the change', async () => {
    server = await startServer(['--dir', repo], env);
    const packOut = () => {
      const out = path.join(tmp, 'pack.txt');
      cli(['pack', repo, '--out', out]);
      return fs.readFileSync(out, 'utf8');
    };
    const before = packOut();
    assert.equal(text(await call(server, 'pack_repository', {})), before);
    assert.equal(text(await call(server, 'pack_repository', {})), before);
    fs.writeFileSync(path.join(repo, 'src/main.ts'), 'export const answer = 43;\n');
    fs.writeFileSync(path.join(repo, 'src/added.ts'), 'export const added = true;\n');
    const after = packOut();
    assert.match(after, /answer = 43[\s\S]*added = true|added = true[\s\S]*answer = 43/);
    assert.equal(text(await call(server, 'pack_repository', {})), after);
    assert.equal(text(await call(server, 'pack_repository', {})), after);
    assert.deepEqual(server.errors, []);
  });

  it('list_context reports what pack --json does, redactions included', async () => {
    server = await startServer(['--dir', repo], env);
    for (const [args, flags] of [
      [{}, []],
      [{ budget: 1500, question: 'alpha?' }, ['--budget', '1500', '--question', 'alpha?']],
    ] as const) {
      const expected: unknown = JSON.parse(cli(['pack', repo, '--json', ...flags]));
      const r = await call(server, 'list_context', args);
      assert.deepEqual(JSON.parse(text(r)), expected);
      assert.deepEqual(r.structuredContent, expected);
    }
    const report = JSON.parse(text(await call(server, 'list_context', {}))) as PackReport;
    assert.deepEqual(
      report.redactions.map((x) => [x.path, x.rule]),
      [['src/keys.ts', 'github-pat']],
    );
    assert.ok(!JSON.stringify(report).includes(PAT));
  });

  it('answers bad arguments with a tool error naming them, and keeps serving', async () => {
    server = await startServer(['--dir', repo], env);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ budget: -5 }, /expected a positive integer \(tokens\), got -5 at budget/],
      [{ budget: 1.5 }, /expected a positive integer \(tokens\), got 1\.5 at budget/],
      [{ budget: 'lots' }, /expected a positive integer \(tokens\), got "lots" at budget/],
      [{ window: 100 }, /expected an integer of at least 1024 \(tokens\), got 100 at window/],
      [{ colour: 'red' }, /unknown argument: colour/],
      [{ focus: ['../outside.ts'] }, /focus: \.\.\/outside\.ts is outside the workspace/],
      [{ focus: ['/etc/passwd'] }, /focus: \/etc\/passwd is outside the workspace/],
      [{ focus: ['src/nope.ts'] }, /focus: src\/nope\.ts does not exist/],
    ];
    for (const [args, message] of bad)
      for (const tool of ['pack_repository', 'list_context']) {
        const r = await call(server, tool, args);
        assert.equal(r.isError, true, `${tool} ${JSON.stringify(args)}`);
        assert.match(text(r), message);
      }
    const r = await call(server, 'ask_repository', { question: '' });
    assert.equal(r.isError, true);
    assert.match(text(r), /expected a question, got an empty string/);
    // The next call after the errors is served as usual.
    assert.match(text(await call(server, 'pack_repository', { focus: ['src/alpha.ts'] })), /src\/alpha\.ts/);
    assert.deepEqual(server.errors, []);
  });

  it('focus puts the named file first and whole when the repository does not fit', async () => {
    server = await startServer(['--dir', repo], env);
    const status = async (focus: string) => {
      const report = (await call(server, 'list_context', { budget: 5000, focus: [focus] })).structuredContent as {
        files: { path: string; status: string }[];
      };
      return report.files.find((f) => f.path === focus)?.status;
    };
    const unfocused = (await call(server, 'list_context', { budget: 5000 })).structuredContent as {
      files: { path: string; status: string }[];
    };
    const whole = unfocused.files.filter((f) => /src\/(alpha|omega)\.ts/.test(f.path) && f.status === 'included');
    assert.ok(whole.length < 2, 'without focus both fit whole: the test would prove nothing');
    assert.equal(await status('src/alpha.ts'), 'included');
    assert.equal(await status('src/omega.ts'), 'included');
  });

  it('reports progress on a call that asks for it', async () => {
    server = await startServer(['--dir', repo], env);
    const messages: string[] = [];
    await call(server, 'pack_repository', {}, { onprogress: (p) => messages.push(p.message ?? '') });
    assert.deepEqual(messages, ['packing repo']);
  });

  it('ask_repository without a key sends nothing and says so', async () => {
    server = await startServer(['--dir', repo], { ...env, DEEPSEEK_BASE_URL: 'https://deepseek.invalid' });
    const r = await call(server, 'ask_repository', { question: 'What is answer?' });
    assert.equal(r.isError, true);
    assert.match(text(r), /DEEPSEEK_API_KEY is not set .*nothing was sent/);
  });

  describe('with DeepSeek', () => {
    let deepseek: FakeServer;
    let cache: CacheModel;
    beforeEach(async () => {
      cache = new CacheModel();
      deepseek = await startFakeDeepSeek({ billing: (b, o) => cache.bill(b, o), scenario: cacheAwareReply });
      env = { ...env, DEEPSEEK_API_KEY: 'sk-test-key-123', DEEPSEEK_BASE_URL: deepseek.url };
    });
    afterEach(() => deepseek.close());

    it(
      'answers with cost and cache hits; the conversation id continues it, ' + 'and the follow-up hits the cache',
      async () => {
        server = await startServer(['--dir', repo], env);
        const first = await call(server, 'ask_repository', { question: 'What does main.ts export?' });
        assert.equal(first.isError, undefined, text(first));
        const s1 = first.structuredContent as {
          conversation: string;
          model: string;
          outcome: string;
          usage: { promptTokens: number; cacheHitTokens: number };
          cost: { conversationUsd: number };
        };
        assert.equal(s1.outcome, 'complete');
        assert.equal(s1.model, 'deepseek-v4-pro');
        assert.ok(s1.cost.conversationUsd > 0);
        assert.match(text(first, 1), new RegExp(`conversation ${s1.conversation}`));
        const sent = deepseek.chatRequests().at(-1)!.body!;
        assert.ok(sent.messages.some((m) => m.content?.includes('[REDACTED:github-pat')));
        assert.ok(!JSON.stringify(deepseek.requests).includes(PAT), 'the secret never reaches the server');

        const second = await call(server, 'ask_repository', {
          question: 'And what does keys.ts do?',
          conversation: s1.conversation,
        });
        const s2 = second.structuredContent as typeof s1;
        assert.equal(s2.conversation, s1.conversation);
        assert.ok(
          s2.usage.cacheHitTokens / s2.usage.promptTokens > 0.9,
          `${s2.usage.cacheHitTokens} of ${s2.usage.promptTokens}`,
        );
        const messages = deepseek.chatRequests().at(-1)!.body!.messages;
        assert.equal(messages.at(-1)!.content, 'And what does keys.ts do?');
        assert.ok(
          messages.some((m) => m.content === 'What does main.ts export?'),
          'the first turn is in the follow-up',
        );
        assert.ok(
          fs
            .readdirSync(path.join(tmp, 'cache', 'mcp-conversations'), { recursive: true })
            .some((f) => String(f).endsWith(`${s1.conversation}.jsonl`)),
          'kept in the cache dir',
        );
      },
    );

    it('a conversation id continues across servers; an unknown one is a tool error', async () => {
      server = await startServer(['--dir', repo], env);
      const first = await call(server, 'ask_repository', { question: 'What does main.ts export?' });
      const id = (first.structuredContent as { conversation: string }).conversation;
      await server.close();
      server = await startServer(['--dir', repo], env);
      const again = await call(server, 'ask_repository', { question: 'Why?', conversation: id });
      assert.equal(again.isError, undefined, text(again));
      assert.equal(
        deepseek
          .chatRequests()
          .at(-1)!
          .body!.messages.filter((m) => m.role === 'user').length,
        3,
      );
      const unknown = await call(server, 'ask_repository', { question: 'Why?', conversation: 'no-such-id' });
      assert.equal(unknown.isError, true);
      assert.match(text(unknown), /no conversation no-such-id/);
    });

    it('a cancelled call closes the request to DeepSeek; the next call is served', async () => {
      // The warm-up (max_tokens 1) is answered; the answer stalls after its first words, as a slow server's does.
      deepseek.setScenario((body, index, attempt) =>
        body.max_tokens === 1 ? cacheAwareReply(body) : SCENARIOS.stall!(body, index, attempt),
      );
      server = await startServer(['--dir', repo], env);
      const abort = new AbortController();
      const pending = call(
        server,
        'ask_repository',
        { question: 'Explain main.ts' },
        {
          signal: abort.signal,
          onprogress: (p) => {
            if ((p.message ?? '').startsWith('answering')) abort.abort();
          },
        },
      );
      await assert.rejects(pending, /abort/i);
      const record = deepseek.chatRequests().at(-1)!;
      for (let i = 0; i < 500 && !record.aborted; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(record.aborted, true, 'the server sees the connection close');
      deepseek.setScenario(cacheAwareReply);
      const next = await call(server, 'pack_repository', {});
      assert.ok(text(next).includes('export const answer'));
    });
  });
});
