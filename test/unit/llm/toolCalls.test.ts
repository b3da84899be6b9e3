// Tool calls streamed in OpenAI's indexed form (DeepSeek), and the variants other servers send.
import * as assert from 'node:assert/strict';
import { AnswerAccumulator } from '../../../src/llm/answer';
import { ToolCallAccumulator } from '../../../src/llm/toolCalls';

const delta = (d: Record<string, unknown>, finish: string | null = null) =>
  JSON.stringify({ choices: [{ index: 0, delta: d, finish_reason: finish }] });

describe('tool calls in a stream', () => {
  it('concatenates the arguments of each index and keeps id, name and order', () => {
    const seen: { index: number; name: string; argumentsChars: number }[] = [];
    const acc = new AnswerAccumulator({ onToolCall: (c) => seen.push(c) });
    acc.apply(undefined, delta({ role: 'assistant', content: null, reasoning_content: 'I will read two files.' }));
    acc.apply(
      undefined,
      delta({
        tool_calls: [{ index: 0, id: 'call_0', type: 'function', function: { name: 'read_files', arguments: '' } }],
      }),
    );
    acc.apply(undefined, delta({ tool_calls: [{ index: 0, function: { arguments: '{"paths": ["a' } }] }));
    acc.apply(
      undefined,
      delta({
        tool_calls: [{ index: 1, id: 'call_1', type: 'function', function: { name: 'search', arguments: '' } }],
      }),
    );
    acc.apply(undefined, delta({ tool_calls: [{ index: 0, function: { arguments: '.ts"]}' } }] }));
    acc.apply(undefined, delta({ tool_calls: [{ index: 1, function: { arguments: '{"pattern":"x"}' } }] }));
    acc.apply(undefined, delta({ content: '' }, 'tool_calls'));
    assert.equal(acc.finishReason, 'tool_calls');
    assert.equal(acc.reasoning, 'I will read two files.');
    assert.equal(acc.content, '');
    assert.deepEqual(acc.toolCalls, [
      { id: 'call_0', type: 'function', function: { name: 'read_files', arguments: '{"paths": ["a.ts"]}' } },
      { id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"pattern":"x"}' } },
    ]);
    assert.ok(acc.shown, 'a tool call counts as shown: no silent retry after it');
    assert.deepEqual(
      seen.map((s) => [s.index, s.name, s.argumentsChars]),
      [
        [0, 'read_files', 0],
        [0, 'read_files', 13],
        [1, 'search', 0],
        [0, 'read_files', 19],
        [1, 'search', 15],
      ],
    );
  });

  it('takes whole calls without an index (Ollama), and an index reused with a new id as a new call', () => {
    const acc = new ToolCallAccumulator({});
    acc.apply([
      { id: 'a', type: 'function', function: { name: 'search', arguments: '{"pattern":"a"}' } },
      { id: 'b', type: 'function', function: { name: 'search', arguments: '{"pattern":"b"}' } },
    ]);
    acc.apply([{ index: 0, id: 'c', function: { name: 'read_files', arguments: '{}' } }]);
    acc.apply([{ index: 0, id: 'd', function: { name: 'get_problems', arguments: '{' } }]);
    acc.apply([{ index: 0, id: 'd', function: { arguments: '}' } }]); // the id repeated on a later delta
    assert.deepEqual(
      acc.result().map((c) => [c.id, c.function.name, c.function.arguments]),
      [
        ['a', 'search', '{"pattern":"a"}'],
        ['b', 'search', '{"pattern":"b"}'],
        ['c', 'read_files', '{}'],
        ['d', 'get_problems', '{}'],
      ],
    );
  });

  it('gives a call without an id a stable one and skips entries that are not objects', () => {
    const acc = new ToolCallAccumulator({});
    acc.apply([null, 7, { index: 0, function: { name: 'search', arguments: '{}' } }]);
    assert.deepEqual(acc.result(), [{ id: 'call_0', type: 'function', function: { name: 'search', arguments: '{}' } }]);
  });
});
