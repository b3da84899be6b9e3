// `deepseek-repo ask` over the chat session, as a real process against the fake server with the V4
// cache model: the NDJSON additions, --conversation across runs with files edited in between, the
// dry run's estimate (one pack for it and its file list), and a foreign --conversation file refused untouched.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CacheModel, cacheAwareReply } from '../../fake-server/cacheModel';
import { SCENARIOS } from '../../fake-server/scenarios';
import { roughPromptTokens, startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { requireBuiltCli } from '../../helpers/paths';
import { runCli } from '../../helpers/runCli';
import type { ContextSource } from '../../../src/chat/contextSource';
import { remembering } from '../../../src/cli/askCommand';
import type { Pack, PackDelta, PackManifest, PackRequest } from '../../../src/context/types';

describe('CLI ask over the chat session', function () {
  // Each test runs the CLI several times; a machine shared by many test runs needs minutes, not seconds.
  this.timeout(120_000);
  let tmp: string;
  let repo: string;
  let server: FakeServer;
  let cache: CacheModel;
  const run = (args: string[], key = 'sk-test-key-123') =>
    runCli(['ask', ...args], {
      env: { DEEPSEEK_API_KEY: key, DEEPSEEK_BASE_URL: server.url, DEEPSEEK_REPO_CACHE_DIR: path.join(tmp, 'cache') },
    });

  beforeEach(async () => {
    requireBuiltCli();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-chatcli-'));
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    for (let i = 0; i < 12; i++)
      fs.writeFileSync(
        path.join(repo, 'src', `m${i}.ts`),
        `export function f${i}(x: number): number {\n  return x * ${i};\n}\n`.repeat(40),
      );
    cache = new CacheModel();
    // By host name: a base URL on this machine would be asked without a key, and the dry run below needs one.
    server = await startFakeDeepSeek({
      byHostName: true,
      billing: (b, o) => cache.bill(b, o),
      scenario: cacheAwareReply,
    });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('emits context first, then the stream, usage, cost and end last; a follow-up appends edited files', async () => {
    const conv = path.join(tmp, 'c.jsonl');
    const first = await run(['How does f1 work?', '--dir', repo, '--conversation', conv, '--json']);
    assert.equal(first.code, 0, first.stderr);
    const types = first.events.map((e) => e.type);
    assert.equal(types[0], 'context');
    assert.equal(types.at(-1), 'end');
    assert.equal(types.at(-2), 'cost');
    assert.ok(types.indexOf('warmup') > 0 && types.indexOf('warmup') < types.indexOf('reasoning'), types.join(','));
    const ctx = first.events[0]!;
    assert.equal(ctx.files, 12);
    assert.ok((ctx.estimatedCostUsd as number) > 0 && (ctx.promptTokens as number) > (ctx.repositoryTokens as number));
    const [input, expected, max] = [ctx.estimatedInputUsd, ctx.estimatedCostUsd, ctx.estimatedMaxUsd] as number[];
    assert.ok(input! > 0 && input! < expected! && expected! < max!, 'input, then the output up to max_tokens');
    const cost = first.events.at(-2)!;
    assert.ok((cost.turnUsd as number) > (cost.answerUsd as number), 'the turn includes the warm-up');
    assert.equal(cost.conversationUsd, cost.turnUsd);

    fs.writeFileSync(path.join(repo, 'src', 'm1.ts'), 'export function f1(x: number): number {\n  return -x;\n}\n');
    const second = await run(['And now?', '--dir', repo, '--conversation', conv, '--json']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual((second.events[0]!.update as { changed: string[] }).changed, ['src/m1.ts']);
    const sent = server.chatRequests().at(-1)!.body!.messages;
    assert.match(
      sent.at(-3)!.content!,
      /<repository-update>\n[^\n]*\n<file path="src\/m1.ts">\nexport function f1\(x: number\): number {\n {2}return -x;/,
    );
    const usage = second.events.find((e) => e.type === 'usage')!;
    assert.ok((usage.cacheHitTokens as number) / (usage.promptTokens as number) > 0.9, JSON.stringify(usage));
    assert.ok((second.events.at(-2)!.conversationUsd as number) - (cost.conversationUsd as number) > 0);
  });

  it('a later one-shot in a new process reuses the base pack from the cache-plan directory', async () => {
    assert.equal((await run(['first one-shot', '--dir', repo, '--json'])).code, 0);
    const again = await run(['second one-shot', '--dir', repo, '--json']);
    assert.equal(again.events[0]!.warmup, false, 'the boundary is known to be cached');
    const usage = again.events.find((e) => e.type === 'usage')!;
    assert.ok((usage.cacheHitTokens as number) / (usage.promptTokens as number) > 0.9);
  });

  it('the dry run (no key) says what it would send and what it would cost, and exits 2', async () => {
    const r = await run(['What is f3?', '--dir', repo, '--json'], '');
    assert.equal(r.code, 2);
    const dry = r.events[0]!;
    assert.equal(dry.type, 'dryRun');
    assert.equal((dry.files as unknown[]).length, 12);
    assert.ok((dry.estimatedCostUsd as number) > 0);
    assert.match(r.stderr, /estimated cost \$/);
    assert.equal(server.requests.length, 0);
    assert.equal(
      fs.existsSync(path.join(tmp, 'cache', 'cache-plan')),
      false,
      'a dry run changes no cache-plan state (token counts may be cached)',
    );
  });

  it('--focus puts a file whole in the dry run of a repository that does not fit', async () => {
    const ask = (extra: string[]) => run(['What is f3?', '--dir', repo, '--json', '--budget', '1500', ...extra], '');
    const plain = await ask([]);
    const focused = await ask(['--focus', path.join(repo, 'src', 'm9.ts')]);
    assert.equal(focused.code, 2, focused.stderr);
    const status = (r: typeof plain) =>
      (r.events[0]!.files as { path: string; status: string; reasons?: string[] }[]).find((f) =>
        f.path.endsWith('m9.ts'),
      )!;
    assert.notEqual(status(plain).status, 'included', 'the test needs m9.ts not whole without --focus');
    assert.equal(status(focused).status, 'included');
    assert.deepEqual(status(focused).reasons?.[0], 'pinned');
  });

  // …a bad value is a usage error
  it('--budget caps the repository a question sends (a local model with a small window)', async () => {
    const full = await run(['What is f3?', '--dir', repo, '--json']);
    const capped = await run(['What is f3?', '--dir', repo, '--json', '--budget', '3000']);
    assert.equal(capped.code, 0, capped.stderr);
    const [a, b] = [full.events[0]!, capped.events[0]!];
    assert.equal(a.files, 12);
    assert.ok((a.repositoryTokens as number) > 3000, JSON.stringify(a));
    assert.ok((b.repositoryTokens as number) <= 3000, JSON.stringify(b));
    assert.ok((b.files as number) < 12 && (b.outlined as number) + (b.excluded as number) > 0, JSON.stringify(b));
    const asked = server.chatRequests().filter((r) => r.body!.messages.at(-1)!.content!.includes('What is f3?'));
    assert.equal(asked.length, 2);
    const size = (r: (typeof asked)[number]) => JSON.stringify(r.body!.messages).length;
    assert.ok(size(asked[1]!) < size(asked[0]!) / 2, `${size(asked[1]!)} vs ${size(asked[0]!)}`);
    const dry = await run(['What is f3?', '--dir', repo, '--json', '--budget', '3000'], '');
    assert.equal(dry.code, 2);
    assert.ok((dry.events[0]!.tokens as number) <= 3000, JSON.stringify(dry.events[0]));
    const bad = await run(['What is f3?', '--dir', repo, '--budget', 'lots']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--budget must be a positive integer/);
  });

  it('fits a question to the window the endpoint reports for the model, or to --window', async () => {
    await server.close();
    server = await startFakeDeepSeek({
      byHostName: true,
      models: [{ id: 'qwen3-coder', max_model_len: 8_192 }, { id: 'deepseek-v4-pro' }],
    });
    const small = await run(['What is f3?', '--dir', repo, '--json', '--model', 'qwen3-coder']);
    assert.equal(small.code, 0, small.stderr);
    const ctx = small.events[0]!;
    assert.ok(
      (ctx.repositoryTokens as number) <= 8_192 - 2_048 - 1_024 && (ctx.files as number) < 12,
      JSON.stringify(ctx),
    );
    assert.equal(ctx.windowTokens, 8_192);
    const asked = () => server.chatRequests().at(-1)!.body!;
    assert.equal(asked().max_tokens, 2_048, 'a quarter of the window');
    assert.ok((ctx.promptTokens as number) + 2_048 <= 8_192, JSON.stringify(ctx));
    const plain = await run(['What is f3?', '--dir', repo, '--model', 'qwen3-coder']);
    assert.match(
      plain.stderr,
      /^note: qwen3-coder has a context window of 8,192 tokens \(the endpoint says so\); the request is fitted to it$/m,
    );

    // A model it reports no window for keeps DeepSeek V4's; --window beats the list and asks no list.
    const v4 = (await run(['What is f3?', '--dir', repo, '--json'])).events[0]!;
    assert.deepEqual(
      [v4.files, v4.rebased, v4.windowTokens],
      [12, 'budget-grew', undefined],
      "the small window's base is not kept for a larger one",
    );
    assert.equal(asked().max_tokens, 32_768);
    const lists = server.requests.filter((r) => r.path === '/models').length;
    const set = await run(['What is f3?', '--dir', repo, '--json', '--model', 'qwen3-coder', '--window', '65536']);
    assert.equal(set.events[0]!.files, 12);
    assert.equal(asked().max_tokens, 16_384);
    assert.equal(server.requests.filter((r) => r.path === '/models').length, lists);
  });

  it('says what a retry is for, without the advice to try again later', async () => {
    server.setScenario(SCENARIOS['429']);
    const r = await run(['What is f3?', '--dir', repo]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^\S+ is rate-limiting this account \(429: too many requests at once\): retrying in 1 s \(attempt 1\)\.$/m,
    );
    assert.doesNotMatch(r.stderr, /Try again/);
  });

  it('asks again in the window a too-long error states, when the endpoint reports none', async () => {
    await server.close();
    const window = 8_192;
    server = await startFakeDeepSeek({
      byHostName: true,
      models: ['local-model'],
      scenario: (b) => {
        const asked = roughPromptTokens(b) + (b.max_tokens ?? 0);
        return asked > window
          ? {
              status: 400,
              body: JSON.stringify({
                object: 'error',
                message:
                  `This model's maximum context length is ${window} tokens. However, you requested ${asked} ` +
                  `tokens.`,
                type: 'BadRequestError',
                code: 400,
              }),
            }
          : cacheAwareReply(b);
      },
    });
    const r = await run(['What is f3?', '--dir', repo, '--json', '--model', 'local-model']);
    assert.equal(r.code, 0, r.stderr);
    const types = r.events.map((e) => e.type);
    const [first, stated, again] = r.events.filter((e) => e.type === 'context' || e.type === 'window');
    assert.deepEqual([first?.type, stated?.type, again?.type], ['context', 'window', 'context'], types.join(','));
    assert.ok(types.indexOf('window') < types.indexOf('reasoning'), types.join(','));
    assert.deepEqual(
      [first!.windowTokens, stated!.windowTokens, stated!.previousTokens, again!.windowTokens],
      [undefined, window, 1_048_576, window],
    );
    assert.equal(types.at(-1), 'end');
    assert.equal(r.events.at(-1)!.outcome, 'complete');
    const bodies = server.chatRequests().map((q) => q.body!);
    assert.equal(bodies.filter((b) => roughPromptTokens(b) + (b.max_tokens ?? 0) > window).length, 1, 'refused once');
    assert.equal(bodies.at(-1)!.max_tokens, 2_048);
    const plain = await run(['What is f4?', '--dir', repo, '--model', 'local-model']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stderr,
      /^note: The server says local-model's context window is 8,192 tokens, not the 1,048,576 this question was packed for: packing the repository for it and asking again\.$/m,
    );
  });

  it('fits a question to the window Ollama runs the model with, when its list reports none', async () => {
    await server.close();
    server = await startFakeDeepSeek({
      models: ['qwen3-coder:30b'],
      running: [{ name: 'qwen3-coder:30b', context_length: 8_192 }],
    }); // on this machine, like Ollama
    const r = await run(['What is f3?', '--dir', repo, '--model', 'qwen3-coder:30b']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^note: qwen3-coder:30b has a context window of 8,192 tokens \(the endpoint says so\)/m);
    assert.equal(server.chatRequests().at(-1)!.body!.max_tokens, 2_048);
  });

  it('warns when the server read only part of the prompt (a local model that cuts it to its window)', async () => {
    await server.close();
    // It reads 2,048 tokens, whatever is sent.
    server = await startFakeDeepSeek({ byHostName: true, billing: () => ({ promptTokens: 2048, hitTokens: 0 }) });
    const r = await run(['What is f3?', '--dir', repo, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((r.events[0]!.promptTokens as number) > 8000, JSON.stringify(r.events[0]));
    const end = r.events.at(-1)!;
    assert.deepEqual([end.type, end.outcome], ['end', 'complete']);
    assert.match(end.warning as string, /^The server read only 2,048 of the ~[\d,]+ prompt tokens sent/);
    const plain = await run(['What is f3?', '--dir', repo]);
    assert.match(plain.stderr, /\nwarning: The server read only 2,048 of/);
  });

  it('refuses a --conversation file that is not a conversation, and leaves it untouched', async () => {
    const file = path.join(tmp, 'notes.json');
    fs.writeFileSync(file, '{"turns": []}\n');
    const r = await run(['q', '--dir', repo, '--conversation', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not a deepseek-repo conversation/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{"turns": []}\n');
    assert.equal(server.requests.length, 0);
  });
});

describe('the dry run packs once', () => {
  it('gives the pack its estimate made for the same request again, and packs anew for another', async () => {
    const requests: PackRequest[] = [];
    const source: ContextSource = {
      workspaceKey: 'w',
      pack: async (request) => {
        requests.push(request);
        return { text: `pack ${requests.length}` } as Pack;
      },
      updatesSince: async () => ({ text: 'delta' }) as PackDelta,
    };
    const once = remembering(source);
    const first = await once.pack({ budgetTokens: 100, question: 'q' });
    assert.equal(await once.pack({ budgetTokens: 100, question: 'q' }), first);
    assert.equal(requests.length, 1);
    assert.equal((await once.pack({ budgetTokens: 100, question: 'other' })).text, 'pack 2');
    assert.equal((await once.pack({ budgetTokens: 200, question: 'q' })).text, 'pack 3');
    assert.equal(once.workspaceKey, 'w');
    assert.equal((await once.updatesSince({} as PackManifest, { budgetTokens: 1 })).text, 'delta');
  });
});
