// The streaming client against the fake DeepSeek server over real HTTP: what it sends, how it
// accumulates thinking and answer, usage, finish reasons, cuts, deadlines (tiny ones: keep-alives
// must not count as activity) and cancellation (the server must see the connection close).
import * as assert from 'node:assert/strict';
import { streamChat } from '../../../src/llm/client';
import type { ChatResult } from '../../../src/llm/types';
import { SCENARIOS } from '../../fake-server/scenarios';
import { startFakeDeepSeek, type FakeServer, type RecordedRequest, type Step } from '../../fake-server/server';
import { DEFAULT_IDLE_MS } from '../../../src/llm/deadlines';
import { until } from '../../helpers/until';
import { KEY, manualClock, MESSAGES, PARAMS, recorder } from './kit';

/** Resolves once the server saw the client close the connection. */
const closedByClient = (record: RecordedRequest) =>
  until('the server to see the connection close', () => record.aborted);

describe('streamChat over HTTP', function () {
  let server: FakeServer;
  const opts = () => ({ baseUrl: server.url, apiKey: KEY });
  const play = (steps: Step[]) => server.setScenario(() => ({ steps }));
  beforeEach(async () => {
    server = await startFakeDeepSeek({ apiKeys: [KEY] });
  });
  afterEach(() => server.close());

  it('sends the body DeepSeek V4 wants, with the key only in the Authorization header', async () => {
    await streamChat(opts(), MESSAGES, PARAMS, {});
    await streamChat(opts(), MESSAGES, { ...PARAMS, thinking: false }, {});
    const [on, off] = server.chatRequests();
    assert.equal(on!.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(
      { ...on!.body, messages: undefined },
      {
        model: 'deepseek-v4-pro',
        messages: undefined,
        max_tokens: 4096,
        stream: true,
        stream_options: { include_usage: true },
        thinking: { type: 'enabled' },
        reasoning_effort: 'high',
      },
    );
    assert.deepEqual(on!.body!.messages, MESSAGES);
    assert.deepEqual(off!.body!.thinking, { type: 'disabled' });
    assert.equal('reasoning_effort' in off!.body!, false);
  });

  it('accumulates thinking then answer, forwards deltas in order, reports model, request id, usage once', async () => {
    const rec = recorder();
    const result = await streamChat(opts(), MESSAGES, PARAMS, rec.handlers);
    assert.equal(result.outcome, 'complete');
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.reasoning, 'Looking at the repository. Found the relevant files.');
    assert.match(result.content, /^Answer from the fake server\.\n\nYou asked: SECRET-PROMPT-TEXT/);
    const types = rec.events.map((e) => e.type);
    assert.deepEqual(types, ['reasoning', 'reasoning', 'content', 'content', 'usage']);
    assert.equal(result.model, 'deepseek-v4-pro');
    assert.match(result.requestId ?? '', /^chatcmpl-fake-/);
    assert.equal(result.usage!.cacheHitTokens + result.usage!.cacheMissTokens, result.usage!.promptTokens);
    assert.deepEqual(rec.of('usage')[0]!.value, result.usage);
  });

  it("reads usage from the finish chunk too, DeepSeek's cache fields before OpenAI's cached_tokens", async () => {
    const usage = {
      prompt_tokens: 1000,
      completion_tokens: 7,
      prompt_cache_hit_tokens: 900,
      prompt_cache_miss_tokens: 100,
      prompt_tokens_details: { cached_tokens: 5 },
      completion_tokens_details: { reasoning_tokens: 3 },
    };
    const last = {
      model: 'deepseek-v4-pro',
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }],
      usage,
    };
    const finish = `data: ${JSON.stringify(last)}\n\n`;
    play([{ kind: 'content', text: 'Hi' }, { kind: 'raw', text: finish }, { kind: 'done' }]);
    const result = await streamChat(opts(), MESSAGES, PARAMS, {});
    assert.equal(result.outcome, 'complete');
    assert.deepEqual(result.usage, {
      promptTokens: 1000,
      cacheHitTokens: 900,
      cacheMissTokens: 100,
      completionTokens: 7,
      reasoningTokens: 3,
    });
  });

  const finishes: [string, ChatResult['outcome'], string | undefined, string][] = [
    ['length', 'complete', undefined, 'The answer starts here and '],
    ['filter', 'error', 'content_filter', 'The answer starts here and '],
    ['resource', 'error', 'insufficient_resources', 'The answer starts here and '],
    ['empty', 'error', 'empty_answer', ''],
    ['no-finish', 'interrupted', 'stream_error', 'The answer starts here and '],
    ['error-midstream', 'error', 'stream_error', 'The answer starts here and '],
    ['cut', 'interrupted', 'network', 'The answer starts here and '],
    ['reset', 'interrupted', 'network', 'The answer starts here and '],
  ];
  for (const [name, outcome, kind, content] of finishes) {
    it(`scenario ${name}: ${outcome}${kind ? ` (${kind})` : ''}, partial text kept`, async () => {
      server.setScenario(SCENARIOS[name]);
      const result = await streamChat({ ...opts(), retry: { maxRetries: 0 } }, MESSAGES, PARAMS, {});
      assert.equal(result.outcome, outcome, JSON.stringify(result.error));
      assert.equal(result.error?.kind, kind);
      assert.equal(result.content, content);
      assert.ok(result.reasoning.length > 0, 'thinking kept');
      assert.equal(server.chatRequests().length, 1, 'never retried after text was shown');
    });
  }

  it('an empty answer cut by max_tokens says to raise the output limit', async () => {
    play([{ kind: 'reasoning', text: 'Long thought' }, { kind: 'finish', reason: 'length' }, { kind: 'done' }]);
    const result = await streamChat(opts(), MESSAGES, PARAMS, {});
    assert.equal(result.error?.kind, 'empty_answer');
    assert.match(result.error.message, /max_tokens 4096.*maxOutputTokens/);
  });

  it('a cut in the middle of an event (after N bytes) is interrupted with the text before it', async () => {
    server.setScenario((b) => ({ ...SCENARIOS.ok!(b, 0, 0), cutAfterBytes: 600 }));
    const result = await streamChat({ ...opts(), retry: { maxRetries: 0 } }, MESSAGES, PARAMS, {});
    assert.equal(result.outcome, 'interrupted');
    assert.ok(result.reasoning.startsWith('Looking at the repository.'));
    assert.equal(result.finishReason, undefined);
  });

  it('decodes a 4-byte character split across writes, and a huge single delta', async () => {
    const emoji = Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'a😀b' } }] })}\n\n`);
    const at = emoji.indexOf(Buffer.from('😀')) + 2;
    const huge = 'x'.repeat(8 * 1024 * 1024);
    play([
      { kind: 'bytes', data: emoji.subarray(0, at) },
      { kind: 'wait', ms: 20 },
      { kind: 'bytes', data: emoji.subarray(at) },
      { kind: 'content', text: huge },
      { kind: 'finish', reason: 'stop' },
      { kind: 'done' },
    ]);
    const result = await streamChat(opts(), MESSAGES, PARAMS, {});
    assert.equal(result.outcome, 'complete');
    assert.equal(result.content.length, 4 + huge.length);
    assert.ok(result.content.startsWith('a😀b') && result.content.endsWith('xxx'));
  });

  it('reports keep-alives before the first data through onKeepAlive, and completes', async () => {
    server.setScenario(SCENARIOS.queued);
    const rec = recorder();
    const result = await streamChat(opts(), MESSAGES, PARAMS, rec.handlers);
    assert.equal(result.outcome, 'complete');
    assert.equal(rec.of('keepalive').length, 5);
    assert.equal(
      rec.events.findIndex((e) => e.type !== 'keepalive'),
      5,
      'keep-alives come first',
    );
  });

  it("rethrows what a handler threw (a caller's bug, not a network error) and closes the request", async () => {
    server.setScenario(SCENARIOS.stall);
    const boom = new Error('renderer bug');
    await assert.rejects(
      streamChat(opts(), MESSAGES, PARAMS, {
        onContent: () => {
          throw boom;
        },
      }),
      (e) => e === boom,
    );
    await closedByClient(server.chatRequests()[0]!);
  });

  describe('deadlines count data events only', () => {
    it('first data: keep-alives forever end in a timeout error, and the connection is closed', async () => {
      play([{ kind: 'keepalive', count: Infinity, everyMs: 20 }]);
      const rec = recorder();
      // The deadline passes after the second keep-alive (a keep-alive counted as data would have replaced
      // it by the idle deadline: then every timer fires, and the error says so).
      const clock = manualClock();
      const handlers = {
        ...rec.handlers,
        onKeepAlive: () => {
          rec.handlers.onKeepAlive!();
          if (rec.of('keepalive').length === 2 && !clock.fire(200)) clock.fire(DEFAULT_IDLE_MS);
        },
      };
      const result = await streamChat({ ...opts(), clock, timeouts: { firstDataMs: 200 } }, MESSAGES, PARAMS, handlers);
      assert.equal(result.outcome, 'error');
      assert.equal(result.error?.kind, 'timeout');
      assert.match(result.error.message, /did not start answering within 200 ms/);
      assert.ok(rec.of('keepalive').length >= 2, 'keep-alives kept arriving');
      assert.equal(server.chatRequests().length, 1, 'a first-data timeout is not retried');
      await closedByClient(server.chatRequests()[0]!);
    });

    it('idle: a full answer then only keep-alives, no finish, is interrupted with the text kept', async () => {
      play([
        { kind: 'reasoning', text: 'Hmm. ' },
        { kind: 'content', text: 'Everything but the end' },
        { kind: 'keepalive', count: Infinity, everyMs: 20 },
      ]);
      const clock = manualClock();
      clock.fireWhenSet(400, 2); // reasoning, then content: the last data; keep-alives follow
      const result = await streamChat({ ...opts(), clock, timeouts: { idleMs: 400 } }, MESSAGES, PARAMS, {});
      assert.equal(result.outcome, 'interrupted');
      assert.equal(result.error?.kind, 'timeout');
      assert.match(result.error.message, /stalled.*partial answer is kept/);
      assert.equal(result.content, 'Everything but the end');
      await closedByClient(server.chatRequests()[0]!);
    });

    it('idle after the finish reason (no [DONE], no usage) still completes', async () => {
      play([
        { kind: 'content', text: 'Done.' },
        { kind: 'finish', reason: 'stop' },
        { kind: 'keepalive', count: Infinity, everyMs: 20 },
      ]);
      const clock = manualClock();
      clock.fireWhenSet(400, 2); // the answer, then the finish reason: the last data; keep-alives follow
      const result = await streamChat({ ...opts(), clock, timeouts: { idleMs: 400 } }, MESSAGES, PARAMS, {});
      assert.equal(result.outcome, 'complete');
      assert.equal(result.content, 'Done.');
    });

    it('overall: a stream that keeps trickling data is capped', async () => {
      const drip: Step[] = Array.from({ length: 400 }, (): Step[] => [
        { kind: 'content', text: '.' },
        { kind: 'wait', ms: 10 },
      ]).flat();
      play(drip);
      // The cap passes once some of the answer has arrived, whatever the machine's speed.
      const clock = manualClock();
      let pieces = 0;
      const onContent = () => void (++pieces === 20 && setImmediate(() => clock.fire(800)));
      const result = await streamChat(
        { ...opts(), clock, timeouts: { idleMs: 5_000, overallMs: 800 } },
        MESSAGES,
        PARAMS,
        { onContent },
      );
      assert.equal(result.outcome, 'interrupted');
      assert.equal(result.error?.kind, 'timeout');
      assert.match(result.error.message, /cap/);
      assert.ok(result.content.length > 0 && result.content.length < 400);
    });
  });

  describe('cancel', () => {
    it('aborts the HTTP request mid-answer: outcome cancelled, partial kept, server sees the close', async () => {
      server.setScenario(SCENARIOS.stall);
      const abort = new AbortController();
      const result = await streamChat(opts(), MESSAGES, PARAMS, { onContent: () => abort.abort() }, abort.signal);
      assert.equal(result.outcome, 'cancelled');
      assert.equal(result.content, 'The answer starts here and ');
      assert.equal(result.error, undefined);
      await closedByClient(server.chatRequests()[0]!);
    });

    it('aborts while waiting for the first data', async () => {
      server.setScenario(SCENARIOS.silent);
      const abort = new AbortController();
      const pending = streamChat(opts(), MESSAGES, PARAMS, {}, abort.signal);
      while (server.chatRequests().length === 0) await new Promise((r) => setTimeout(r, 5));
      abort.abort();
      assert.equal((await pending).outcome, 'cancelled');
      await closedByClient(server.chatRequests()[0]!);
    });

    it('an already aborted signal sends nothing', async () => {
      const abort = new AbortController();
      abort.abort();
      assert.equal((await streamChat(opts(), MESSAGES, PARAMS, {}, abort.signal)).outcome, 'cancelled');
      assert.equal(server.requests.length, 0);
    });
  });
});
