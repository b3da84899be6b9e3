// The chat prompt's message layout: reasoning sent back only on tool-call turns, the warm-up boundary.
import * as assert from 'node:assert/strict';
import { repositoryBoundary, promptTokens, renderLayout } from '../../../src/chat/prompt';
import { repo } from './cacheKit';

describe('chat prompt layout', () => {
  it('sends reasoning_content back only on tool-call turns; assistant content is always a string', () => {
    const msgs = renderLayout([
      repo,
      { kind: 'turn', turn: { question: 'plain', answer: 'a1' } },
      {
        kind: 'turn',
        turn: {
          question: 'tools',
          answer: '',
          steps: [
            {
              content: '',
              reasoning: 'must keep',
              toolCalls: [{ id: 't1', type: 'function', function: { name: 'read', arguments: '{}' } }],
              toolResults: [{ toolCallId: 't1', content: 'file text' }],
            },
          ],
        },
      },
      { kind: 'turn', turn: { question: 'failed', answer: '' } },
      { kind: 'question', text: 'next' },
    ]).map((m) => m.message);
    assert.deepEqual(
      msgs.map((m) => m.role),
      ['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'tool', 'user'],
    );
    assert.equal('reasoning_content' in msgs[4]!, false);
    assert.deepEqual(msgs[6], {
      role: 'assistant',
      content: '',
      reasoning_content: 'must keep',
      tool_calls: [{ id: 't1', type: 'function', function: { name: 'read', arguments: '{}' } }],
    });
    assert.deepEqual(msgs[7], { role: 'tool', content: 'file text', tool_call_id: 't1' });
    assert.ok(!msgs.some((m) => m.content === 'failed'), 'a turn with no answer is left out');
    assert.ok(msgs.every((m) => typeof m.content === 'string'));
  });

  it('marks the warm-up boundary right after the repository message, before any updated files', () => {
    const msgs = renderLayout([
      repo,
      { kind: 'update', text: '<updated_files/>', tokens: 5 },
      { kind: 'question', text: 'q' },
    ]);
    assert.equal(repositoryBoundary(msgs), 2);
    assert.equal(msgs[2]!.message.role, 'assistant', 'the message after the boundary is the assistant ack');
    assert.equal(repositoryBoundary(renderLayout([{ kind: 'question', text: 'q' }])), 0);
    assert.ok(promptTokens(msgs) > 1600);
  });
});
