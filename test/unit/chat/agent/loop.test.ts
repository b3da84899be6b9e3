// The agent loop against a scripted conversation: every call of a message runs in order, results
// are recorded before the next request, Stop keeps everything (calls it kept from running are
// answered "not run"), the step limit and the spend confirmation end a turn, and a turn resumed
// with calls left unanswered runs them first.
import * as assert from 'node:assert/strict';
import { CUT_BY_LIMIT, NOT_RUN_STOPPED, runAgentLoop, type AgentTurnPort } from '../../../../src/chat/agent/loop';
import type { ToolOutcome } from '../../../../src/chat/agent/toolResult';
import type { ChatResult, ToolCall } from '../../../../src/llm/types';

const call = (id: string, name = 'search'): ToolCall => ({ id, type: 'function', function: { name, arguments: '{}' } });
const withCalls = (...calls: ToolCall[]): ChatResult => ({
  outcome: 'complete',
  content: '',
  reasoning: 'r',
  finishReason: 'tool_calls',
  toolCalls: calls,
});
const answer: ChatResult = { outcome: 'complete', content: 'Done.', reasoning: '', finishReason: 'stop' };
const ok = (id: string): ToolOutcome => ({
  ok: true,
  content: `result ${id}`,
  summary: id,
  detail: { kind: 'invalid' },
});

function scripted(replies: ChatResult[], costPerStep = 0) {
  const log: string[] = [];
  let i = 0;
  let spent = 0;
  const port: AgentTurnPort = {
    requestStep: async () => {
      log.push('request');
      spent += costPerStep;
      return replies[Math.min(i++, replies.length - 1)]!;
    },
    recordCalls: (calls) => log.push(`calls ${calls.map((c) => c.id).join(',')}`),
    recordResult: (c, o) => log.push(`result ${c.id}: ${o.content}`),
    spentUsd: () => spent,
  };
  return { port, log };
}

describe('agent loop', () => {
  it('runs every call of a message in order and asks again until an answer without calls', async () => {
    const { port, log } = scripted([withCalls(call('a'), call('b')), withCalls(call('c')), answer]);
    const ran: string[] = [];
    const end = await runAgentLoop(
      port,
      async (c) => (ran.push(c.id), ok(c.id)),
      { maxSteps: 25 },
      new AbortController().signal,
    );
    assert.deepEqual(end, { reason: 'answered', result: answer, steps: 3 });
    assert.deepEqual(ran, ['a', 'b', 'c']);
    assert.deepEqual(log, [
      'request',
      'calls a,b',
      'result a: result a',
      'result b: result b',
      'request',
      'calls c',
      'result c: result c',
      'request',
    ]);
  });

  it('a call the output limit cut off is told so and not run; a whole call of the same reply runs', async () => {
    const cut: ToolCall = {
      id: 'b',
      type: 'function',
      function: { name: 'edit_files', arguments: '{"edits":[{"path":"a.ts","search":"x","repl' },
    };
    const { port, log } = scripted([{ ...withCalls(call('a'), cut), finishReason: 'length' }, answer]);
    const ran: string[] = [];
    await runAgentLoop(port, async (c) => (ran.push(c.id), ok(c.id)), { maxSteps: 25 }, new AbortController().signal);
    assert.deepEqual(ran, ['a']);
    assert.deepEqual(log.slice(0, 4), ['request', 'calls a,b', 'result a: result a', `result b: ${CUT_BY_LIMIT}`]);
  });

  it('a call that is not valid JSON in a reply under the limit runs as it is (its tool says why)', async () => {
    const bad: ToolCall = { id: 'b', type: 'function', function: { name: 'search', arguments: '{"pattern":' } };
    const { port } = scripted([withCalls(bad), answer]);
    const ran: string[] = [];
    await runAgentLoop(port, async (c) => (ran.push(c.id), ok(c.id)), { maxSteps: 25 }, new AbortController().signal);
    assert.deepEqual(ran, ['b']);
  });

  it(
    'Stop while a tool runs: that call is told it stopped, the rest are recorded as not run, nothing is asked ' +
      'again',
    async () => {
      const { port, log } = scripted([withCalls(call('a'), call('b'), call('c')), answer]);
      const stop = new AbortController();
      const end = await runAgentLoop(
        port,
        async (c) => {
          if (c.id === 'b') stop.abort();
          return ok(c.id);
        },
        { maxSteps: 25 },
        stop.signal,
      );
      assert.deepEqual(end, { reason: 'stopped', steps: 1 });
      assert.deepEqual(log, [
        'request',
        'calls a,b,c',
        'result a: result a',
        'result b: result b',
        `result c: ${NOT_RUN_STOPPED}`,
      ]);
    },
  );

  it('a request that fails or is cut ends the turn with its result', async () => {
    const cut: ChatResult = { outcome: 'interrupted', content: '', reasoning: 'half', toolCalls: [call('x')] };
    const { port, log } = scripted([withCalls(call('a')), cut]);
    const end = await runAgentLoop(port, async (c) => ok(c.id), { maxSteps: 25 }, new AbortController().signal);
    assert.deepEqual(end, { reason: 'request', result: cut, steps: 2 });
    assert.ok(!log.includes('calls x'), 'calls of a cut answer are not run');
  });

  it('stops at the step limit', async () => {
    const { port, log } = scripted([withCalls(call('a'))]);
    const end = await runAgentLoop(port, async (c) => ok(c.id), { maxSteps: 3 }, new AbortController().signal);
    assert.deepEqual(end, { reason: 'step-limit', steps: 3 });
    assert.equal(log.filter((l) => l === 'request').length, 3);
  });

  it(
    'pauses and asks before the next request once the turn spends more than the threshold, and again at each ' +
      'multiple',
    async () => {
      const asked: number[] = [];
      const { port } = scripted([withCalls(call('a'))], 0.3);
      const end = await runAgentLoop(
        port,
        async (c) => ok(c.id),
        {
          maxSteps: 25,
          confirmAboveUsd: 0.5,
          confirmSpend: async (usd) => (asked.push(Math.round(usd * 10) / 10), asked.length < 2),
        },
        new AbortController().signal,
      );
      assert.deepEqual(asked, [0.6, 1.2]);
      assert.deepEqual(end, { reason: 'cost-declined', steps: 4, spentUsd: 1.2 });
    },
  );

  it('a resumed turn runs the calls left without a result first', async () => {
    const { port, log } = scripted([answer]);
    const end = await runAgentLoop(
      port,
      async (c) => ok(c.id),
      { maxSteps: 25, pending: [call('p')] },
      new AbortController().signal,
    );
    assert.equal(end.reason, 'answered');
    assert.deepEqual(log, ['result p: result p', 'request']);
  });
});
