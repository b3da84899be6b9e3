// AnswerAccumulator on the thinking formats of servers other than DeepSeek: `reasoning` instead of
// `reasoning_content`, and an inline `<think>…</think>` block opening the content, split across
// deltas at every possible point.
import * as assert from 'node:assert/strict';
import { AnswerAccumulator } from '../../../src/llm/answer';
import { streamChat } from '../../../src/llm/client';
import { chunkEvent, chunkedResponse, KEY, MESSAGES, PARAMS, scriptedFetch, text } from './kit';

const event = (delta: Record<string, unknown>) =>
  JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] });

/** Feeds `deltas` as content; returns the accumulator and what its handlers received. */
function feed(deltas: string[], first: Record<string, unknown>[] = []) {
  const said = { reasoning: '', content: '' };
  const acc = new AnswerAccumulator({
    onReasoning: (t) => (said.reasoning += t),
    onContent: (t) => (said.content += t),
  });
  for (const d of first) acc.apply(undefined, event(d));
  for (const d of deltas) acc.apply(undefined, event({ content: d }));
  acc.flush();
  return { acc, said };
}

/** Every split of `s` into three pieces (two cut points, empty pieces included). */
function* splits(s: string): Generator<string[]> {
  for (let i = 0; i <= s.length; i++)
    for (let j = i; j <= s.length; j++) yield [s.slice(0, i), s.slice(i, j), s.slice(j)];
}

describe('AnswerAccumulator: thinking from other servers', () => {
  it('reads `reasoning` as thinking; when both names come, `reasoning_content` alone counts', () => {
    const { acc, said } = feed(['The answer.'], [{ reasoning: 'Hmm. ' }, { reasoning: 'Yes.' }]);
    assert.deepEqual([acc.reasoning, acc.content, said.reasoning], ['Hmm. Yes.', 'The answer.', 'Hmm. Yes.']);
    const both = feed([], [{ reasoning_content: 'once', reasoning: 'once' }]);
    assert.equal(both.acc.reasoning, 'once');
  });

  it('an opening <think> block is thinking, however the deltas split it; the blank lines after it are dropped', () => {
    for (const stream of [
      '<think>Let me see.\nIt is 6×7.</think>\n\nThe answer is 42.',
      '\n<think>Let me see.\nIt is 6×7.</think>The answer is 42.',
    ]) {
      for (const pieces of splits(stream)) {
        const { acc, said } = feed(pieces);
        const where = JSON.stringify(pieces);
        assert.equal(acc.reasoning, 'Let me see.\nIt is 6×7.', where);
        assert.equal(acc.content, 'The answer is 42.', where);
        assert.deepEqual(said, { reasoning: acc.reasoning, content: acc.content }, where);
      }
    }
  });

  // …a tag later on, a look-alike tag, and <think> after thinking sent apart
  it('leaves everything else in the answer', () => {
    for (const stream of [
      'Use <think> tags like this: <think>x</think>',
      '<thinking>not ours</thinking> ok',
      '<b>bold</b>',
      '<',
      '  ',
    ]) {
      for (const pieces of splits(stream)) {
        const { acc, said } = feed(pieces);
        assert.deepEqual([acc.reasoning, acc.content, said.content], ['', stream, stream], JSON.stringify(pieces));
      }
    }
    const deepseek = feed(['<think>literal</think> in an answer'], [{ reasoning_content: 'thought apart' }]);
    assert.deepEqual(
      [deepseek.acc.reasoning, deepseek.acc.content],
      ['thought apart', '<think>literal</think> in an answer'],
    );
  });

  it('a stream cut inside the block keeps the thinking so far, a split closing tag included', () => {
    const { acc } = feed(['<think>half a thought </th']);
    assert.deepEqual([acc.reasoning, acc.content], ['half a thought </th', '']);
  });

  it('through streamChat: thinking-only output is an empty answer; a held-back tail is in the answer', async () => {
    const only = scriptedFetch(
      chunkedResponse([
        text(chunkEvent({ content: '<think>just thinking</think>' }) + chunkEvent({}, 'stop') + 'data: [DONE]\n\n'),
      ]),
    );
    const r1 = await streamChat(
      { baseUrl: 'http://localhost:11434/v1', apiKey: KEY, fetch: only.fetch },
      MESSAGES,
      PARAMS,
      {},
    );
    assert.deepEqual([r1.outcome, r1.error?.kind, r1.reasoning], ['error', 'empty_answer', 'just thinking']);
    const lt = scriptedFetch(
      chunkedResponse([text(chunkEvent({ content: '<' }) + chunkEvent({}, 'stop') + 'data: [DONE]\n\n')]),
    );
    const r2 = await streamChat(
      { baseUrl: 'http://localhost:11434/v1', apiKey: KEY, fetch: lt.fetch },
      MESSAGES,
      PARAMS,
      {},
    );
    assert.deepEqual([r2.outcome, r2.content], ['complete', '<']);
  });
});
