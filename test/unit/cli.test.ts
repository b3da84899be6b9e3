// The CLI contract, run as a real process against this repository's fixtures and the fake server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFakeDeepSeek, type FakeServer } from '../fake-server/server';
import { cliEvents } from '../helpers/cliEvents';
import { REPO, requireBuiltCli } from '../helpers/paths';
import { runCli, type CliRun } from '../helpers/runCli';

/** `pack --json`: the fields these tests read. */
interface PackJson {
  tokens: number;
  redactions: unknown;
  files: { path: string; status: string; reason?: string; tokens: number }[];
}
/** A line of a saved conversation: the fields these tests read. */
interface HistoryLine {
  type: string;
  text?: string;
}

const CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-cli-cache-'));

function run(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<CliRun> {
  return runCli(args, {
    env: { DEEPSEEK_API_KEY: undefined, DEEPSEEK_REPO_CACHE_DIR: CACHE_DIR, ...env },
    ...(cwd ? { cwd } : {}),
  });
}

function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-cli-'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'build/\n');
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, 'build'));
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), 'export const answer = 42;\n');
  fs.writeFileSync(path.join(dir, 'build', 'out.js'), 'ignored();\n');
  fs.writeFileSync(path.join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  return dir;
}

describe('CLI', function () {
  before(function () {
    requireBuiltCli();
  });
  after(() => fs.rmSync(CACHE_DIR, { recursive: true, force: true }));
  let server: FakeServer;
  let dir: string;
  beforeEach(async () => {
    server = await startFakeDeepSeek({ apiKeys: ['sk-test-key-123'] });
    dir = fixture();
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pack --json reports tokens, files with status and reasons, and redactions', async () => {
    const r = await run(['pack', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as PackJson;
    assert.ok(out.tokens > 0);
    assert.ok(Array.isArray(out.redactions));
    const byPath = new Map<string, { status: string; reason?: string; tokens: number }>(
      out.files.map((f) => [f.path, f]),
    );
    assert.equal(byPath.get('src/main.ts')?.status, 'included');
    assert.ok(byPath.get('src/main.ts')!.tokens > 0);
    assert.deepEqual([byPath.get('build/')?.status, byPath.get('build/')?.reason], ['excluded', 'gitignore']);
    assert.deepEqual([byPath.get('logo.png')?.status, byPath.get('logo.png')?.reason], ['excluded', 'binary']);
  });

  it('pack --out writes exactly the repository text, the same bytes on every run', async () => {
    const a = path.join(dir, '..', path.basename(dir) + '-a.txt');
    const b = path.join(dir, '..', path.basename(dir) + '-b.txt');
    assert.equal((await run(['pack', dir, '--out', a])).code, 0);
    assert.equal((await run(['pack', dir, '--out', b])).code, 0);
    const text = fs.readFileSync(a, 'utf8');
    assert.ok(text.includes('export const answer = 42;'));
    assert.ok(!text.includes('ignored();'));
    assert.deepEqual(fs.readFileSync(a), fs.readFileSync(b));
    fs.rmSync(a);
    fs.rmSync(b);
  });

  it('--version prints the version; --help the usage; an unknown command exits 2 pointing to the usage', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      assert.deepEqual([r.code, r.stdout], [0, `deepseek-repo ${version}\n`]);
    }
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /deepseek-repo pack \[DIR\.\.\.\]/);
    const bad = await run(['frobnicate']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'deepseek-repo: unknown command: frobnicate (see deepseek-repo --help)\n');
  });

  it('ask without a key sends nothing, says what it would send, and exits 2', async () => {
    // A remote endpoint that cannot resolve: were anything sent, the run would end in a network error (exit 1).
    const r = await run(['ask', 'What does main.ts export?', '--dir', dir], {
      DEEPSEEK_BASE_URL: 'https://deepseek.invalid',
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /No DEEPSEEK_API_KEY set: nothing was sent/);
    assert.match(r.stderr, /tokens/);
  });

  it('ask without a key asks a server on this machine (Ollama, LM Studio, vLLM) with a stand-in key', async () => {
    const local = await startFakeDeepSeek(); // accepts any key, like a local server without auth
    try {
      const r = await run(['ask', 'What does main.ts export?', '--dir', dir, '--model', 'qwen3-coder:30b'], {
        DEEPSEEK_BASE_URL: local.url,
      });
      assert.equal(r.code, 0, r.stderr);
      const chat = local.requests.filter((q) => q.path === '/chat/completions');
      assert.ok(chat.length >= 1);
      assert.equal(chat[0]!.headers.authorization, 'Bearer no-key');
      assert.equal((chat.at(-1)!.body as { model: string }).model, 'qwen3-coder:30b');
    } finally {
      await local.close();
    }
  });

  it('ask --json streams NDJSON events ending with a complete end event', async () => {
    const r = await run(['ask', 'What does main.ts export?', '--dir', dir, '--json'], {
      DEEPSEEK_API_KEY: 'sk-test-key-123',
      DEEPSEEK_BASE_URL: server.url,
    });
    assert.equal(r.code, 0, r.stderr);
    const events = cliEvents(r.stdout); // every line checked against src/protocol/cliEvents.ts
    assert.equal(events[0]!.v, 1, 'the first line carries the format version');
    assert.deepEqual(
      events.slice(1).filter((e) => 'v' in e),
      [],
      'only the first line does',
    );
    const types = events.map((e) => e.type);
    assert.ok(types.indexOf('reasoning') < types.indexOf('content'));
    assert.deepEqual(events.at(-1), { type: 'end', outcome: 'complete', finishReason: 'stop' });
    const usage = events.find((e) => e.type === 'usage');
    assert.deepEqual(Object.keys(usage!).sort(), [
      'cacheHitTokens',
      'cacheMissTokens',
      'completionTokens',
      'promptTokens',
      'type',
    ]);
    const content = events
      .filter((e) => e.type === 'content')
      .map((e) => e.text)
      .join('');
    assert.match(content, /You asked: What does main.ts export\?/);
    const sent = server.chatRequests()[0]!.body!;
    assert.equal(sent.model, 'deepseek-v4-pro');
    assert.ok(sent.messages.some((m) => m.content?.includes('export const answer = 42;')));
  });

  it('ask --json reports a rejected key as an error event and a non-zero exit', async () => {
    const r = await run(['ask', 'hi', '--dir', dir, '--json'], {
      DEEPSEEK_API_KEY: 'sk-wrong-key-456',
      DEEPSEEK_BASE_URL: server.url,
    });
    assert.equal(r.code, 1);
    const end = cliEvents(r.stdout).at(-1)!;
    assert.equal(end.type, 'end');
    assert.equal(end.outcome, 'error');
    assert.equal(end.error?.kind, 'auth');
    assert.equal(end.error?.status, 401);
    assert.ok(!r.stdout.includes('sk-wrong-key-456') && !r.stderr.includes('sk-wrong-key-456'));
  });

  it('ask --conversation continues a saved conversation', async () => {
    const conv = path.join(dir, '..', path.basename(dir) + '-conv.json');
    const env = { DEEPSEEK_API_KEY: 'sk-test-key-123', DEEPSEEK_BASE_URL: server.url };
    assert.equal((await run(['ask', 'first question', '--dir', dir, '--conversation', conv], env)).code, 0);
    assert.equal((await run(['ask', 'second question', '--dir', dir, '--conversation', conv], env)).code, 0);
    const second = server.chatRequests()[1]!.body!.messages;
    assert.deepEqual(
      second.map((m) => m.role),
      ['system', 'user', 'assistant', 'user', 'assistant', 'user'],
    );
    assert.match(second[4]!.content!, /You asked: first question/);
    assert.equal(second[5]!.content, 'second question');
    const events = fs
      .readFileSync(conv, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HistoryLine);
    assert.deepEqual(
      events.filter((e) => e.type === 'question').map((e) => e.text),
      ['first question', 'second question'],
    );
    fs.rmSync(conv);
  });
});
