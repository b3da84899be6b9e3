// The conversation reducer (replay.ts): a turn's billed usage is summed over its requests (an
// interrupted answer and its continuation), billed thinking tokens included when reported.
import * as assert from 'node:assert/strict';
import { turnsOf } from '../../../src/chat/conversation';
import { applyEvent, initialState } from '../../../src/chat/replay';

const header = {
  type: 'conversation' as const,
  v: 1,
  id: 'c1',
  at: 0,
  params: { model: 'deepseek-v4-pro', maxTokens: 4096, thinking: true as const, reasoningEffort: 'high' as const },
  endpoint: 'https://api.deepseek.com',
  workspace: '/w',
  title: 'q',
};
const usage = (prompt: number, completion: number, reasoning?: number) => ({
  promptTokens: prompt,
  cacheHitTokens: 0,
  cacheMissTokens: prompt,
  completionTokens: completion,
  ...(reasoning !== undefined ? { reasoningTokens: reasoning } : {}),
});

describe('conversation reducer: a turn’s usage', () => {
  it('sums an interrupted answer and its continuation, thinking tokens included', () => {
    const state = initialState(header);
    applyEvent(state, { type: 'question', at: 1, turn: 0, text: 'q' });
    applyEvent(state, { type: 'end', at: 2, turn: 0, outcome: 'interrupted', request: { usage: usage(100, 40, 30) } });
    applyEvent(state, { type: 'resume', at: 3, turn: 0 });
    applyEvent(state, { type: 'end', at: 4, turn: 0, outcome: 'complete', request: { usage: usage(150, 20, 5) } });
    assert.deepEqual(turnsOf(state)[0]!.usage, usage(250, 60, 35));
  });

  it('reports no thinking tokens when no request did', () => {
    const state = initialState(header);
    applyEvent(state, { type: 'question', at: 1, turn: 0, text: 'q' });
    applyEvent(state, { type: 'end', at: 2, turn: 0, outcome: 'complete', request: { usage: usage(100, 40) } });
    assert.deepEqual(turnsOf(state)[0]!.usage, usage(100, 40));
  });
});
