// An agent turn end to end: ChatSession with the real streaming client against the fake DeepSeek
// server, which enforces DeepSeek's history rules (its 400s) and bills with V4's cache-unit rules.
// Every step's request is the previous request's input plus its output and the tool results, so
// steps 2..8 of a scripted 8-step task are billed almost entirely as cache hits.
import * as assert from 'node:assert/strict';
import { agentTools } from '../../../../src/chat/agent/toolDefs';
import { CachePlan } from '../../../../src/chat/cachePlan';
import { turnsOf } from '../../../../src/chat/conversation';
import { MemoryConversationLog } from '../../../../src/chat/history';
import { MemoryPlanStore } from '../../../../src/chat/planStore';
import { CONTINUE_PROMPT } from '../../../../src/chat/prompt';
import { ChatSession } from '../../../../src/chat/session';
import type { SessionEvent, SessionPorts } from '../../../../src/chat/sessionTypes';
import type { AgentOptions } from '../../../../src/chat/sessionTypes';
import { streamChat } from '../../../../src/llm/client';
import type { RequestParams } from '../../../../src/llm/types';
import { agentScenario, type ScriptedStep } from '../../../fake-server/agentScenario';
import { CacheModel } from '../../../fake-server/cacheModel';
import { startFakeDeepSeek, type ChatBody, type FakeServer } from '../../../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../../../fakes/memoryRepo';
import { repoPorts } from './fakes';

const PARAMS: RequestParams = {
  model: 'deepseek-v4-pro',
  maxTokens: 8192,
  thinking: true,
  reasoningEffort: 'high',
  tools: agentTools({ write: true }),
};
const NOW = Date.UTC(2026, 10, 4, 12);

/** Seven tool steps on the synthetic repository, then the answer. */
function eightSteps(repo: MemoryRepo): (body: ChatBody, step: number) => ScriptedStep {
  const [a, b] = [...repo.files.keys()].sort();
  const firstLine = (p: string) => repo.files.get(p)!.split('\n')[0]!;
  const steps: ScriptedStep[] = [
    { content: 'Reading the entry point.', calls: [{ name: 'read_files', args: { paths: [a] } }] },
    { calls: [{ name: 'search', args: { pattern: 'export function' } }] },
    {
      calls: [
        {
          name: 'edit_files',
          args: { edits: [{ path: a, search: firstLine(a!), replace: `${firstLine(a!)} // fixed` }] },
        },
      ],
    },
    { calls: [{ name: 'run_command', args: { command: 'npm test' } }] },
    { calls: [{ name: 'get_problems', args: { paths: [a] } }] },
    {
      calls: [
        { name: 'read_files', args: { paths: [b] } },
        { name: 'search', args: { pattern: 'cache', path: 'src' } },
      ],
    },
    { calls: [{ name: 'run_command', args: { command: 'npm test -- --grep cache' } }] },
    { content: 'Fixed: the first line of the entry point now says so, and the tests pass.' },
  ];
  return (_body, n) => steps[Math.min(n, steps.length - 1)]!;
}

describe('agent turns in a chat session (fake DeepSeek server, V4 cache units)', function () {
  let server: FakeServer;
  let cache: CacheModel;
  let repo: MemoryRepo;
  let ports: SessionPorts;
  let script: (body: ChatBody, step: number) => ScriptedStep;
  beforeEach(async () => {
    cache = new CacheModel();
    repo = new MemoryRepo(syntheticRepo(40, 300_000));
    script = eightSteps(repo);
    server = await startFakeDeepSeek({
      billing: (b, o) => cache.bill(b, o),
      scenario: agentScenario((b, n) => script(b, n)),
    });
    ports = {
      client: () => ({ baseUrl: server.url, apiKey: 'sk-test-key-123' }),
      streamChat,
      context: repo,
      plan: new CachePlan(new MemoryPlanStore(), () => NOW),
      clock: () => NOW,
    };
  });
  afterEach(() => server.close());
  const agent = (over: Partial<AgentOptions> = {}): AgentOptions & { calls: ReturnType<typeof repoPorts>['calls'] } => {
    const p = repoPorts(repo, { problems: [] });
    return {
      workspace: p.workspace,
      frontEnd: p.frontEnd,
      policy: { edits: 'apply', commands: { allowed: ['npm test'], ask: false } },
      calls: p.calls,
      ...over,
    };
  };

  it('runs an 8-step task: steps 2..8 are billed ≥ 95% as cache hits, and the history replays every step', async () => {
    const events: SessionEvent[] = [];
    const log = new MemoryConversationLog();
    const session = ChatSession.create(ports, log, PARAMS);
    const a = agent();
    const end = await session.ask('Fix the entry point and check the tests.', { agent: a }, (e) => events.push(e));
    assert.equal(end.outcome, 'complete', end.error?.message);
    assert.equal(end.steps, 7);
    const bodies = server.chatRequests().map((r) => r.body!);
    assert.equal(bodies.length, 9, 'a warm-up, then 8 requests');
    assert.equal(bodies[0]!.max_tokens, 1);
    // Every request carries the same tool list, byte for byte, and never forces a tool.
    for (const b of bodies) assert.equal(JSON.stringify(b.tools), JSON.stringify(PARAMS.tools));
    assert.ok(bodies.every((b) => b.tool_choice === undefined));
    // Each step's request starts with the previous request's messages, unchanged.
    for (let i = 2; i < bodies.length; i++) {
      const prev = bodies[i - 1]!.messages;
      assert.deepEqual(bodies[i]!.messages.slice(0, prev.length), prev, `step ${i} appends only`);
    }
    const steps = cache.billed.slice(2); // steps 2..8
    assert.equal(steps.length, 7);
    const hits = steps.reduce((n, x) => n + x.hitTokens, 0) / steps.reduce((n, x) => n + x.promptTokens, 0);
    assert.ok(hits >= 0.95, `steps 2..8 billed ${(hits * 100).toFixed(1)}% as hits`);
    // The tools ran in order and the events say so.
    const order = events
      .filter((e) => e.type === 'tool_call' || e.type === 'tool_result')
      .map((e) => `${e.type}:${(e as { name: string }).name}`);
    assert.deepEqual(order.slice(0, 4), [
      'tool_call:read_files',
      'tool_result:read_files',
      'tool_call:search',
      'tool_result:search',
    ]);
    assert.equal(order.length, 16);
    assert.deepEqual(a.calls.runs, ['npm test', 'npm test -- --grep cache']);
    assert.ok(
      repo.files
        .get([...repo.files.keys()].sort()[0]!)!
        .split('\n')[0]!
        .endsWith('// fixed'),
    );
    // Reopened from its log, the conversation has the same steps and results.
    const reopened = ChatSession.open(ports, log).session.snapshot();
    assert.deepEqual(turnsOf(reopened), turnsOf(session.snapshot()));
    const t = turnsOf(reopened)[0]!;
    assert.equal(t.steps!.length, 7);
    assert.equal(t.answer, 'Fixed: the first line of the entry point now says so, and the tests pass.');
    assert.ok(
      t.costUsd! > 0 && t.usage!.promptTokens === cache.billed.slice(1).reduce((n, x) => n + x.promptTokens, 0),
    );
  });

  it(
    'a follow-up question after an agent turn appends the edited file as an updated-files section, ' +
      'and hits the cache',
    async () => {
      const session = ChatSession.create(ports, new MemoryConversationLog(), PARAMS);
      await session.ask('Fix the entry point.', { agent: agent() }, () => undefined);
      script = () => ({ content: 'It is fixed.' });
      const before = cache.billed.length;
      await session.ask('Is it fixed?', { agent: agent() }, () => undefined);
      const last = server.chatRequests().at(-1)!.body!;
      const edited = [...repo.files.keys()].sort()[0]!;
      const update = last.messages.at(-3)!;
      assert.equal(update.role, 'user');
      assert.ok(
        update.content!.includes(edited) && update.content!.includes('// fixed'),
        'the edited file goes in as an update',
      );
      const b = cache.billed[before]!;
      assert.ok(b.hitTokens / b.promptTokens > 0.9, `${b.hitTokens}/${b.promptTokens}`);
    },
  );

  it(
    'a conversation with tools caches apart: its warm-up carries the tools, ' +
      'and no hit is predicted from one without',
    async () => {
      script = () => ({ content: 'An answer.' });
      const plain = ChatSession.create(ports, new MemoryConversationLog(), { ...PARAMS, tools: undefined });
      await plain.ask('What is this?', {}, () => undefined);
      const before = server.chatRequests().length;
      let warmup: boolean | undefined;
      const acting = ChatSession.create(ports, new MemoryConversationLog(), PARAMS);
      await acting.ask('Fix it.', { agent: agent() }, (e) => {
        if (e.type === 'context') warmup = e.warmup;
      });
      // Planned only because nothing is predicted to hit: the plain conversation's prefix has no tools.
      assert.equal(warmup, true);
      const [warm] = server
        .chatRequests()
        .slice(before)
        .map((r) => r.body!);
      assert.equal(warm!.max_tokens, 1, 'the acting conversation warms its own prefix');
      assert.equal(JSON.stringify(warm!.tools), JSON.stringify(PARAMS.tools));
    },
  );

  it('without acting, a conversation with tools sends tool_choice none', async () => {
    script = () => ({ content: 'Just an answer.' });
    const end = await ChatSession.create(ports, new MemoryConversationLog(), PARAMS).ask(
      'Explain it.',
      {},
      () => undefined,
    );
    assert.equal(end.outcome, 'complete');
    assert.equal(server.chatRequests().at(-1)!.body!.tool_choice, 'none');
  });

  it('Stop during a tool keeps every step; continue resumes at the step it stopped, without a 400', async () => {
    const log = new MemoryConversationLog();
    const session = ChatSession.create(ports, log, PARAMS);
    const stop = new AbortController();
    const a = agent({
      policy: { edits: 'apply', commands: { allowed: [], ask: true } },
    });
    a.frontEnd = {
      ...a.frontEnd,
      approveCommand: async () => {
        stop.abort();
        return { approved: false, reason: 'stopped' };
      },
    };
    const end = await session.ask('Fix it.', { agent: a, signal: stop.signal }, () => undefined);
    assert.equal(end.outcome, 'cancelled');
    assert.equal(end.stopped, 'user');
    const t = turnsOf(session.snapshot())[0]!;
    assert.equal(t.steps!.length, 4, 'read, search, edit and the command step are kept');
    const resumed = await ChatSession.open(ports, log).session.continue({ agent: agent() }, () => undefined);
    assert.equal(resumed.outcome, 'complete', resumed.error?.message);
    const done = turnsOf(session.snapshot())[0]!;
    assert.ok(done);
    const bodies = server.chatRequests().map((r) => r.body!);
    assert.ok(bodies.every((b) => b.messages.every((m) => m.role !== 'assistant' || m.content !== null)));
  });

  for (const acting of [true, false]) {
    const how = acting ? 'with' : 'without';
    it(`continue ${how} acting goes on from an agent answer the output limit cut, after its steps`, async () => {
      const [a] = [...repo.files.keys()].sort();
      // One tool step, then an answer the limit cuts; a request that ends with the continue prompt finishes it.
      script = (body, n) => {
        const last = body.messages.at(-1)!;
        if (last.role === 'user' && last.content === CONTINUE_PROMPT) return { content: ' and the second half.' };
        return n === 0
          ? { calls: [{ name: 'read_files', args: { paths: [a] } }] }
          : { content: 'The first half', finish: 'length' };
      };
      const log = new MemoryConversationLog();
      const cut = await ChatSession.create(ports, log, PARAMS).ask(
        'Explain the entry point.',
        { agent: agent() },
        () => {},
      );
      assert.equal(cut.outcome, 'complete');
      assert.equal(turnsOf(ChatSession.open(ports, log).session.snapshot())[0]!.finishReason, 'length');
      const before = server.chatRequests().at(-1)!.body!.messages;
      const session = ChatSession.open(ports, log).session;
      const end = await session.continue(acting ? { agent: agent() } : {}, () => {});
      assert.equal(end.outcome, 'complete', end.error?.message);
      const body = server.chatRequests().at(-1)!.body!;
      assert.equal(body.tool_choice, acting ? undefined : 'none');
      const sent = body.messages;
      // The cut request's input, unchanged (the tool step included), then its text and the continue prompt.
      assert.deepEqual(sent.slice(0, before.length), before);
      assert.deepEqual(
        sent.slice(before.length).map((m) => [m.role, m.content]),
        [
          ['assistant', 'The first half'],
          ['user', CONTINUE_PROMPT],
        ],
      );
      const t = turnsOf(session.snapshot())[0]!;
      assert.equal(t.answer, 'The first half and the second half.');
      assert.equal(t.steps!.length, 1, 'the tool step stays; nothing ran again');
      assert.equal(t.finishReason, 'stop');
    });
  }

  it('continue, not acting, after a turn stopped between steps, answers from its steps, no tool called', async () => {
    const log = new MemoryConversationLog();
    const stop = new AbortController();
    const a = agent({ policy: { edits: 'apply', commands: { allowed: [], ask: true } } });
    a.frontEnd = {
      ...a.frontEnd,
      approveCommand: async () => {
        stop.abort();
        return { approved: false, reason: 'stopped' };
      },
    };
    const stopped = await ChatSession.create(ports, log, PARAMS).ask(
      'Fix it.',
      { agent: a, signal: stop.signal },
      () => {},
    );
    assert.equal(stopped.stopped, 'user');
    const before = server.chatRequests().at(-1)!.body!.messages;
    const acting = script;
    script = (b, n) =>
      b.tool_choice === 'none' ? { content: 'From the steps so far: the entry point.' } : acting(b, n);
    const session = ChatSession.open(ports, log).session;
    const end = await session.continue({}, () => {});
    assert.equal(end.outcome, 'complete', end.error?.message);
    const body = server.chatRequests().at(-1)!.body!;
    assert.equal(body.tool_choice, 'none');
    // The question and every step so far, the stopped call's result included: not the question asked again alone.
    assert.deepEqual(body.messages.slice(0, before.length), before);
    assert.equal(body.messages.at(-1)!.role, 'tool');
    const t = turnsOf(session.snapshot())[0]!;
    assert.equal(t.steps!.length, 4, 'the steps stay');
    assert.equal(t.answer, 'From the steps so far: the entry point.');
  });

  it('stops at the step limit, and says so', async () => {
    const end = await ChatSession.create(ports, new MemoryConversationLog(), PARAMS).ask(
      'Fix it.',
      { agent: agent({ maxSteps: 3 }) },
      () => undefined,
    );
    assert.equal(end.stopped, 'step-limit');
    assert.equal(end.outcome, 'interrupted');
    assert.equal(end.steps, 3);
  });
});
