// Tool calls end to end through the real client and the fake DeepSeek server: the request carries
// `tools` and `tool_choice`, the calls stream back in indexed form, and a history that breaks
// DeepSeek's rules gets DeepSeek's own 400 (reasoning of a tool turn dropped, tool_choice forced in
// thinking mode, a call without its tool message, content null).
import * as assert from 'node:assert/strict';
import { streamChat } from '../../../src/llm/client';
import type { ChatMessage, RequestParams, ToolDefinition } from '../../../src/llm/types';
import { MESSAGES as RULES } from '../../fake-server/deepseekRules';
import { startFakeDeepSeek, type ChatBody, type FakeServer, type Reply } from '../../fake-server/server';
import { KEY, MESSAGES, NO_DEADLINES, PARAMS, instantClock } from './kit';

const TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'read_files',
      description: 'Read files.',
      parameters: { type: 'object', properties: { paths: { type: 'array', items: { type: 'string' } } } },
    },
  },
];
const WITH_TOOLS: RequestParams = { ...PARAMS, tools: TOOLS };

const toolTurn: Reply = {
  steps: [
    { kind: 'reasoning', text: 'I need to see a.ts first.' },
    { kind: 'toolCall', id: 'call_00_abc', name: 'read_files', arguments: '{"paths":["src/a.ts","src/b.ts"]}' },
    { kind: 'finish', reason: 'tool_calls' },
    { kind: 'usage' },
    { kind: 'done' },
  ],
};

describe('client: tool calls against the fake DeepSeek server', () => {
  let server: FakeServer;
  let bodies: ChatBody[];
  before(async () => {
    server = await startFakeDeepSeek({
      scenario: (body, index) => {
        bodies.push(body);
        return index === 0
          ? toolTurn
          : {
              steps: [
                { kind: 'content', text: 'Done.' },
                { kind: 'finish', reason: 'stop' },
                { kind: 'usage' },
                { kind: 'done' },
              ],
            };
      },
    });
  });
  beforeEach(() => (bodies = []));
  after(() => server.close());
  const opts = () => ({ baseUrl: server.url, apiKey: KEY, clock: instantClock(), timeouts: NO_DEADLINES });

  it('sends tools and tool_choice, and returns the streamed calls with finish_reason tool_calls', async () => {
    const first = await streamChat(opts(), MESSAGES, { ...WITH_TOOLS, toolChoice: 'auto' }, {});
    assert.equal(first.outcome, 'complete');
    assert.equal(first.finishReason, 'tool_calls');
    assert.equal(first.content, '');
    assert.equal(first.reasoning, 'I need to see a.ts first.');
    assert.deepEqual(first.toolCalls, [
      {
        id: 'call_00_abc',
        type: 'function',
        function: { name: 'read_files', arguments: '{"paths":["src/a.ts","src/b.ts"]}' },
      },
    ]);
    assert.deepEqual(bodies[0]!.tools, TOOLS);
    assert.equal(bodies[0]!.tool_choice, 'auto');

    // The next step sends the tool turn back exactly as received, with its reasoning, then the result.
    const history: ChatMessage[] = [
      ...MESSAGES,
      { role: 'assistant', content: '', reasoning_content: first.reasoning, tool_calls: first.toolCalls },
      { role: 'tool', tool_call_id: 'call_00_abc', content: 'src/a.ts: export const a = 1;' },
    ];
    const second = await streamChat(opts(), history, WITH_TOOLS, {});
    assert.equal(second.outcome, 'complete', second.error?.message);
    assert.equal(second.content, 'Done.');
    assert.equal(second.toolCalls, undefined);
    assert.equal(bodies[1]!.tool_choice, undefined, 'no tool_choice unless asked: the server default (auto)');
  });

  it('refuses tool_choice "required" or a named function in thinking mode without sending', async () => {
    const before = server.chatRequests().length;
    for (const toolChoice of ['required', { type: 'function', function: { name: 'read_files' } }] as const) {
      const r = await streamChat(opts(), MESSAGES, { ...WITH_TOOLS, toolChoice }, {});
      assert.equal(r.outcome, 'error');
      assert.equal(r.error?.kind, 'config');
      assert.match(r.error.message, /not allowed in thinking mode/);
    }
    assert.equal(server.chatRequests().length, before, 'nothing was sent');
    const off = await streamChat(opts(), MESSAGES, { ...WITH_TOOLS, thinking: false, toolChoice: 'required' }, {});
    assert.equal(off.outcome, 'complete', 'without thinking a forced choice is allowed');
  });
});

describe('fake DeepSeek server: the history rules, with DeepSeek’s 400s', () => {
  let server: FakeServer;
  before(async () => (server = await startFakeDeepSeek()));
  after(() => server.close());
  const call = { id: 'call_1', type: 'function' as const, function: { name: 'read_files', arguments: '{}' } };
  const send = (messages: unknown[], extra: Partial<RequestParams> = {}) =>
    streamChat(
      { baseUrl: server.url, apiKey: KEY, clock: instantClock(), timeouts: NO_DEADLINES },
      messages as ChatMessage[],
      { ...WITH_TOOLS, ...extra },
      {},
    );

  it('a tool turn without its reasoning_content, in thinking mode', async () => {
    const r = await send([
      ...MESSAGES,
      { role: 'assistant', content: '', tool_calls: [call] },
      { role: 'tool', tool_call_id: 'call_1', content: 'x' },
    ]);
    assert.equal(r.error?.kind, 'bad_request');
    assert.equal(r.error?.status, 400);
    assert.match(r.error.message, /The reasoning_content in the thinking mode must be passed back to the API\./);
    const off = await send(
      [
        ...MESSAGES,
        { role: 'assistant', content: '', tool_calls: [call] },
        { role: 'tool', tool_call_id: 'call_1', content: 'x' },
      ],
      { thinking: false },
    );
    assert.equal(off.outcome, 'complete', 'without thinking the reasoning is not required');
  });

  it('forced tool_choice in thinking mode (sent raw, past the client’s own check)', async () => {
    const res = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deepseek-v4-pro', messages: MESSAGES, tools: TOOLS, tool_choice: 'required' }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { message: string } }).error.message, RULES.toolChoice);
  });

  it('a call without its tool message, a stray tool message, and content null', async () => {
    const turn = {
      role: 'assistant',
      content: '',
      reasoning_content: 'r',
      tool_calls: [call, { ...call, id: 'call_2' }],
    };
    const missing = await send([...MESSAGES, turn, { role: 'tool', tool_call_id: 'call_1', content: 'x' }]);
    assert.match(missing.error!.message, /must be followed by tool messages responding to each 'tool_call_id'/);
    const stray = await send([...MESSAGES, { role: 'tool', tool_call_id: 'call_9', content: 'x' }]);
    assert.match(stray.error!.message, /Messages with role 'tool' must be a response/);
    const nullContent = await send([
      ...MESSAGES,
      { role: 'assistant', content: null },
      { role: 'user', content: 'and?' },
    ]);
    assert.match(nullContent.error!.message, /content or tool_calls must be set/);
    const ok = await send([
      ...MESSAGES,
      turn,
      { role: 'tool', tool_call_id: 'call_1', content: 'x' },
      { role: 'tool', tool_call_id: 'call_2', content: 'y' },
    ]);
    assert.equal(ok.outcome, 'complete', ok.error?.message);
  });
});
