// The one map from a conversation to what the webview is told: every session event becomes the
// message the webview accepts (or none), a turn's end its `end` fields, and a stored conversation the
// snapshot a reloaded view replays, with the same chip, usage and sentences as the live view.
import * as assert from 'node:assert/strict';
import { applyEvent, initialState } from '../../../src/chat/replay';
import type { SessionEvent } from '../../../src/chat/sessionTypes';
import type { RequestParams } from '../../../src/llm/types';
import { parseHostMessage } from '../../../src/protocol/messages';
import { sessionMessage, snapshotOf, turnResult } from '../../../src/ui/sessionMessages';

const defaults: RequestParams = { model: 'deepseek-v4-pro', maxTokens: 4096, thinking: true, reasoningEffort: 'high' };
const usage = {
  promptTokens: 1000,
  cacheHitTokens: 768,
  cacheMissTokens: 232,
  completionTokens: 50,
  reasoningTokens: 20,
};
const estimate = {
  model: 'deepseek-v4-pro',
  promptTokens: 1000,
  predictedHitTokens: 768,
  missTokens: 232,
  expectedOutputTokens: 500,
  maxOutputTokens: 4096,
  expectedUsd: 0.0021,
  peak: false,
  asOf: '2026-04-24',
};

/** A conversation's state before its first question (id c1, the default parameters). */
const newConversation = () =>
  initialState({
    type: 'conversation',
    v: 1,
    id: 'c1',
    at: 0,
    params: defaults,
    endpoint: 'https://api.deepseek.com',
    workspace: '/w',
    title: 'q',
  });

describe('session events -> webview messages (sessionMessages.ts)', () => {
  it('maps every live event to exactly the message the webview accepts, or to none', () => {
    const cases: [SessionEvent, unknown][] = [
      [
        {
          type: 'context',
          turn: 0,
          files: 3,
          outlined: 1,
          excluded: 2,
          redactions: 1,
          repositoryTokens: 900,
          warmup: true,
          windowTokens: 65536,
          estimate,
        },
        {
          type: 'context',
          requestId: 'r1',
          summary: {
            files: 3,
            tokens: 900,
            outlined: 1,
            excluded: 2,
            redactions: 1,
            predictedHitTokens: 768,
            inputTokens: 1000,
            estimatedCostUsd: 0.0021,
            estimateNote:
              "~768 of 1,000 input tokens are expected from DeepSeek's cache; ~232 will miss: " +
              'what is new since the cached prefix (changed files, the conversation since, the question).',
            windowTokens: 65536,
          },
        },
      ],
      [
        {
          type: 'retry',
          attempt: 2,
          delayMs: 2000,
          error: { kind: 'rate_limit', status: 429, message: 'Busy. Try again later.' },
        },
        { type: 'retry', requestId: 'r1', attempt: 2, delayMs: 2000, message: 'Busy' },
      ],
      [
        { type: 'window', windowTokens: 32768, previousTokens: 1048576, message: 'Asked again in 32,768.' },
        { type: 'notice', requestId: 'r1', message: 'Asked again in 32,768.' },
      ],
      [
        { type: 'reasoning', text: 'hm' },
        { type: 'reasoningDelta', requestId: 'r1', text: 'hm' },
      ],
      [
        { type: 'content', text: 'It ' },
        { type: 'contentDelta', requestId: 'r1', text: 'It ' },
      ],
      [
        {
          type: 'usage',
          usage,
          cost: { hitUsd: 0.001, missUsd: 0.001, outputUsd: 0.0005, totalUsd: 0.0025, peak: false, asOf: '2026-04-24' },
        },
        { type: 'usage', requestId: 'r1', usage: { ...usage, costUsd: 0.0025 } },
      ],
      [
        { type: 'usage', usage },
        { type: 'usage', requestId: 'r1', usage },
      ],
      [
        { type: 'usage', usage, model: `/models/${'deep/'.repeat(60)}model.gguf` },
        {
          type: 'usage',
          requestId: 'r1',
          usage: { ...usage, model: `/models/${'deep/'.repeat(60)}model.gguf`.slice(0, 200) },
        },
      ],
      [{ type: 'warmup', usage, costUsd: 0.001, verdict: 'unknown' }, undefined],
      [{ type: 'end', turn: 0, outcome: 'complete', conversationCostUsd: 0.0035 }, undefined],
    ];
    for (const [event, message] of cases) {
      const m = sessionMessage('r1', event);
      assert.deepEqual(m, message, event.type);
      if (m) assert.deepEqual(parseHostMessage(m), m, `the webview would reject ${JSON.stringify(m)}`);
    }
  });

  it(
    "counts the files a request sends as the Context view does: the prefix's, " +
      'plus those added since, less those removed',
    () => {
      const m = sessionMessage('r1', {
        type: 'context',
        turn: 0,
        files: 1134,
        outlined: 0,
        excluded: 10,
        redactions: 0,
        repositoryTokens: 900_000,
        update: {
          changed: ['a.ts'],
          added: Array.from({ length: 30 }, (_, i) => `new${i}.ts`),
          removed: ['gone.ts'],
          tokens: 4000,
        },
        warmup: false,
        estimate,
      });
      assert.ok(m?.type === 'context');
      assert.equal(m.summary.files, 1163);
      assert.equal(m.summary.tokens, 904_000);
      assert.equal(m.summary.joined, undefined, 'nothing joined: no list');
    },
  );

  it('names the files a follow-up joined whole, and why, in a message the webview accepts', () => {
    const joined = [
      { path: 'src/auth/session.ts', was: 'outlined' as const, reasons: ['defines `refreshToken`'] },
      { path: 'src/auth/store.ts', was: 'left out' as const, reasons: [] },
    ];
    const m = sessionMessage('r1', {
      type: 'context',
      turn: 1,
      files: 40,
      outlined: 200,
      excluded: 3,
      redactions: 0,
      repositoryTokens: 20_000,
      update: { changed: [], added: [], removed: [], tokens: 1800, joined },
      warmup: false,
      estimate,
    });
    assert.ok(m?.type === 'context');
    assert.deepEqual(m.summary.joined, joined);
    assert.deepEqual(parseHostMessage(JSON.parse(JSON.stringify(m))), m, 'the webview accepts it as sent');
  });

  it('says why a turn ended: its error, a cut answer, a question not sent, or nothing', () => {
    const error = { kind: 'auth' as const, status: 401, message: 'The key was rejected.' };
    assert.deepEqual(turnResult({ turn: 0, outcome: 'error', error, conversationCostUsd: 0 }), {
      outcome: 'error',
      message: 'The key was rejected.',
      errorKind: 'auth',
      conversationCostUsd: 0,
    });
    assert.equal(
      turnResult({ turn: 0, outcome: 'interrupted', conversationCostUsd: 0.5 }).message,
      'The answer was cut off before it finished: Continue finishes it.',
    );
    assert.equal(
      turnResult({ turn: 1, outcome: 'cancelled', notSent: true, conversationCostUsd: 0 }).message,
      'Not sent.',
    );
    assert.equal(turnResult({ turn: 1, outcome: 'cancelled', conversationCostUsd: 0 }).message, undefined);
  });

  it('an answer the output limit cut says so and is continuable, live and replayed; its continuation is not', () => {
    assert.deepEqual(
      turnResult({
        turn: 0,
        outcome: 'complete',
        finishReason: 'length',
        outputLimitTokens: 8192,
        conversationCostUsd: 0,
      }),
      {
        outcome: 'complete',
        message: 'The answer reached the output limit (8,192 tokens): Continue finishes it.',
        conversationCostUsd: 0,
        continuable: true,
      },
    );
    const state = newConversation();
    applyEvent(state, { type: 'question', at: 1, turn: 0, text: 'q' });
    applyEvent(state, { type: 'answer', turn: 0, text: 'The start' });
    applyEvent(state, { type: 'end', at: 2, turn: 0, outcome: 'complete', finishReason: 'length' });
    const cut = snapshotOf(state).turns[0]!;
    assert.deepEqual(
      [cut.outcome, cut.message, cut.continuable],
      ['complete', 'The answer reached the output limit (4,096 tokens): Continue finishes it.', true],
    );
    assert.ok(parseHostMessage({ type: 'replay', conversation: snapshotOf(state) }), 'the webview accepts it');
    applyEvent(state, { type: 'resume', at: 3, turn: 0 });
    applyEvent(state, { type: 'answer', turn: 0, text: ' and the end.' });
    applyEvent(state, { type: 'end', at: 4, turn: 0, outcome: 'complete', finishReason: 'stop' });
    const whole = snapshotOf(state).turns[0]!;
    assert.deepEqual([whole.message, whole.continuable], [undefined, undefined]);
  });

  it('shows a complete answer’s warning, live and replayed; a long model path keeps the replay valid', () => {
    const warning = 'The server read only 4,096 of the ~90,000 prompt tokens sent, …';
    assert.deepEqual(turnResult({ turn: 0, outcome: 'complete', conversationCostUsd: 0, warning }), {
      outcome: 'complete',
      message: warning,
      conversationCostUsd: 0,
    });
    assert.deepEqual(turnResult({ turn: 0, outcome: 'complete', conversationCostUsd: 0 }), {
      outcome: 'complete',
      conversationCostUsd: 0,
    });
    const state = newConversation();
    applyEvent(state, { type: 'question', at: 1, turn: 0, text: 'q' });
    applyEvent(state, {
      type: 'end',
      at: 2,
      turn: 0,
      outcome: 'complete',
      warning,
      model: `/models/${'very-long-directory/'.repeat(15)}model.gguf`,
      request: { usage: { promptTokens: 1, cacheHitTokens: 0, cacheMissTokens: 1, completionTokens: 1 } },
    });
    const snapshot = snapshotOf(state);
    assert.equal(snapshot.turns[0]!.message, warning);
    // A server may report a model path longer than the protocol allows: the replay must still be valid.
    assert.ok(parseHostMessage({ type: 'replay', conversation: snapshot }), 'the webview would reject the replay');
  });
});
