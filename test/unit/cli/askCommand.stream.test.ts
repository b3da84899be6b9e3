// The CLI's side of the streaming client, as a real child process against the fake server:
// Ctrl-C cancels the HTTP request (the server sees the close) and exits 130; the `end` event's
// error is exactly {kind, status?, message}; DEEPSEEK_IDLE_TIMEOUT_MS bounds a stalled answer; an answer the
// output limit cut says how to finish it and exits 1.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCENARIOS } from '../../fake-server/scenarios';
import { defaultReply, startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { KEY } from '../llm/kit';
import { cliEvents } from '../../helpers/cliEvents';
import { CLI, requireBuiltCli } from '../../helpers/paths';
import { until } from '../../helpers/until';

/** Token counts and cache-plan state of these runs: never the user's ~/.cache. */
const CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-llm-cli-cache-'));
after(() => fs.rmSync(CACHE_DIR, { recursive: true, force: true }));

function start(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, DEEPSEEK_API_KEY: KEY, DEEPSEEK_REPO_CACHE_DIR: CACHE_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out: () => stdout, err: () => stderr, exit };
}

/** Every line is checked against the NDJSON schema (src/protocol/cliEvents.ts). */
const events = (stdout: string) => cliEvents(stdout);

describe('CLI ask and the streaming client', function () {
  let server: FakeServer;
  let dir: string;
  before(function () {
    requireBuiltCli();
  });
  beforeEach(async () => {
    server = await startFakeDeepSeek({ apiKeys: [KEY], scenario: SCENARIOS.stall! });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-llm-cli-'));
    fs.writeFileSync(path.join(dir, 'main.ts'), 'export const answer = 42;\n');
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Ctrl-C mid-answer cancels the request, the server sees the close, exit 130', async () => {
    const run = start(['ask', 'Explain main.ts', '--dir', dir, '--json'], { DEEPSEEK_BASE_URL: server.url });
    await until('the first content event', () => run.out().includes('"type":"content"'));
    const record = server.chatRequests()[0]!;
    assert.equal(record.aborted, false, 'still streaming (only keep-alives) before Ctrl-C');
    run.child.kill('SIGINT');
    assert.equal(await run.exit, 130, run.err());
    await until('the server to see the connection close', () => record.aborted);
    const end = events(run.out()).at(-1)!;
    assert.deepEqual(end, { type: 'end', outcome: 'cancelled' });
  });

  it('DEEPSEEK_IDLE_TIMEOUT_MS ends a stalled answer as interrupted; the error is {kind, message}', async () => {
    const run = start(['ask', 'Explain main.ts', '--dir', dir, '--json'], {
      DEEPSEEK_BASE_URL: server.url,
      DEEPSEEK_IDLE_TIMEOUT_MS: '300',
    });
    assert.equal(await run.exit, 1, run.err());
    const all = events(run.out());
    const end = all.at(-1)!;
    assert.equal(end.outcome, 'interrupted');
    assert.deepEqual(Object.keys(end.error as object).sort(), ['kind', 'message']);
    assert.equal((end.error as { kind: string }).kind, 'timeout');
    assert.equal(
      all
        .filter((e) => e.type === 'content')
        .map((e) => e.text)
        .join(''),
      'The answer starts here and ',
    );
  });

  it('an HTTP error gives {kind, status, message} and nothing else', async () => {
    server.setScenario(SCENARIOS['402']);
    const run = start(['ask', 'hi', '--dir', dir, '--json'], { DEEPSEEK_BASE_URL: server.url });
    assert.equal(await run.exit, 1);
    const end = events(run.out()).at(-1)!;
    assert.deepEqual(Object.keys(end.error as object).sort(), ['kind', 'message', 'status']);
    assert.deepEqual(
      [(end.error as { kind: string }).kind, (end.error as { status: number }).status],
      ['balance', 402],
    );
  });

  describe('an answer the output limit cut (finish_reason "length")', () => {
    /** The first request is cut at max_tokens after some text; later ones (the continuation) answer whole. */
    const cutThenWhole = () =>
      server.setScenario((body, index) => (index === 0 ? SCENARIOS.length!(body, index, 0) : defaultReply(body)));
    const LIMIT_LINE = /^\(the answer reached the output limit, max_tokens 32,768: (.*)\)$/m;

    it('says so in one stderr line with how to finish it, exits 1; --continue finishes it and exits 0', async () => {
      cutThenWhole();
      const conv = path.join(dir, 'c.jsonl');
      const run = start(['ask', 'Explain main.ts', '--dir', dir, '--conversation', conv], {
        DEEPSEEK_BASE_URL: server.url,
      });
      assert.equal(await run.exit, 1, run.err());
      assert.equal(run.out(), 'The answer starts here and \n');
      assert.equal([...run.err().matchAll(new RegExp(LIMIT_LINE.source, 'gm'))].length, 1, run.err());
      assert.equal(LIMIT_LINE.exec(run.err())![1], `run again with --continue --conversation ${conv} to finish it`);

      const again = start(['ask', '--continue', '--dir', dir, '--conversation', conv], {
        DEEPSEEK_BASE_URL: server.url,
      });
      assert.equal(await again.exit, 0, again.err());
      assert.doesNotMatch(again.err(), /output limit/);
      const sent = server.chatRequests()[1]!.body!.messages;
      assert.deepEqual(
        sent.at(-2),
        { role: 'assistant', content: 'The answer starts here and ' },
        'the continuation carries the cut answer',
      );
      assert.match(again.out(), /Answer from the fake server\./);
    });

    it('without --conversation says a conversation file is needed to finish it, exits 1', async () => {
      cutThenWhole();
      const run = start(['ask', 'Explain main.ts', '--dir', dir], { DEEPSEEK_BASE_URL: server.url });
      assert.equal(await run.exit, 1, run.err());
      assert.equal(
        LIMIT_LINE.exec(run.err())?.[1],
        'ask again with --conversation FILE, then --continue --conversation FILE finishes it',
        run.err(),
      );
    });

    it('--json: the end event as before (complete, finishReason length), exit 1 as in plain mode', async () => {
      cutThenWhole();
      const run = start(['ask', 'Explain main.ts', '--dir', dir, '--json'], { DEEPSEEK_BASE_URL: server.url });
      assert.equal(await run.exit, 1, run.err());
      assert.deepEqual(events(run.out()).at(-1), { type: 'end', outcome: 'complete', finishReason: 'length' });
    });
  });

  it('a bad DEEPSEEK_IDLE_TIMEOUT_MS is a usage error (exit 2) before anything is sent', async () => {
    const run = start(['ask', 'hi', '--dir', dir], { DEEPSEEK_BASE_URL: server.url, DEEPSEEK_IDLE_TIMEOUT_MS: '2m' });
    assert.equal(await run.exit, 2);
    assert.match(run.err(), /DEEPSEEK_IDLE_TIMEOUT_MS must be a positive whole number of milliseconds, got "2m"/);
    assert.equal(server.requests.length, 0);
  });

  for (const [url, says] of [
    ['not a url', /"not a url" is not a valid URL/],
    ['ftp://example.com', /uses ftp, not http\(s\)/],
    ['http://me:changeme@127.0.0.1:1', /must not contain a user name or password/],
  ] as const)
    it(`DEEPSEEK_BASE_URL=${url}: one line naming the problem, exit 2, nothing packed or sent`, async () => {
      const run = start(['ask', 'hi', '--dir', dir], { DEEPSEEK_BASE_URL: url });
      assert.equal(await run.exit, 2);
      assert.match(run.err(), says);
      assert.equal(run.err().trim().split('\n').length, 1, run.err());
      assert.doesNotMatch(run.err(), /changeme/); // a password in the URL is not printed
      assert.equal(run.out(), '');
    });
});
