// The host <-> webview protocol: both validators accept exactly the documented shapes, drop unknown
// fields, and reject the rest; the shared transcript reducer rebuilds a conversation from messages.
import * as assert from 'node:assert/strict';
import {
  MAX_PICKER_MODELS,
  pickerModels,
  parseHostMessage,
  parseWebviewMessage,
  type HostToWebview,
} from '../../../src/protocol/messages';
import { applyHostMessage, emptyConversation, runningRequest, titleFrom } from '../../../src/protocol/transcript';

const config = {
  hasKey: true,
  trusted: true,
  hasWorkspace: true,
  models: ['deepseek-v4-pro', 'deepseek-flash'],
  model: 'deepseek-v4-pro',
  effort: 'high',
};

describe('protocol: webview -> host validation', () => {
  it('accepts every documented message and returns a clean copy', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'ask', question: 'How is auth done?' },
      { type: 'cancel', requestId: 'r1' },
      { type: 'regenerate' },
      { type: 'editAndResend', index: 2, question: 'again' },
      { type: 'continue' },
      { type: 'newChat' },
      { type: 'setOptions', model: 'deepseek-flash', effort: 'off' },
      { type: 'setApiKey' },
      { type: 'manageTrust' },
      { type: 'openLink', href: 'https://example.com' },
      { type: 'openFile', path: 'src/a.ts', line: 12, endLine: 20 },
      { type: 'copy', text: 'x' },
      { type: 'insertCode', code: 'let a = 1;' },
      { type: 'applyCode', code: 'let a = 1;', path: 'src/a.ts', language: 'ts' },
      { type: 'newFile', code: 'print(1)', language: 'python' },
      { type: 'showContext' },
      { type: 'ready', conversationId: 'c1' },
      { type: 'listHistory' },
      { type: 'openConversation', id: 'c1' },
      { type: 'deleteConversation', id: 'c1' },
      { type: 'exportConversation', id: 'c1' },
    ];
    for (const m of good) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
    assert.deepEqual(parseWebviewMessage({ type: 'ask', question: 'q', extra: '<script>' }), {
      type: 'ask',
      question: 'q',
    });
  });

  it('rejects malformed messages', () => {
    const bad: unknown[] = [
      null,
      'ask',
      42,
      [],
      {},
      { type: 'nope' },
      { type: 'toString' },
      { type: '__proto__' },
      { type: 'ask' },
      { type: 'ask', question: 7 },
      { type: 'cancel' },
      { type: 'editAndResend', index: -1, question: 'q' },
      { type: 'editAndResend', index: 1.5, question: 'q' },
      { type: 'setOptions', effort: 'extreme' },
      { type: 'openFile', path: 'a', line: Number.NaN },
      { type: 'openFile', path: 'a', line: '3' },
      { type: 'applyCode', code: 'x', path: 5 },
      { type: 'cancel', requestId: 'x'.repeat(201) },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
  });
});

describe('protocol: host -> webview validation', () => {
  // …capped so the message stays valid
  it('the model picker: configured ids first, then the DeepSeek ones an aggregator lists', () => {
    const listed = [
      ...Array.from({ length: 350 }, (_, i) => `vendor/model-${i}`),
      'deepseek/deepseek-v4-pro',
      'x'.repeat(201),
    ];
    const models = pickerModels(['deepseek-v4-pro', 'deepseek-flash', 'deepseek-v4-pro', ''], listed);
    assert.equal(models.length, MAX_PICKER_MODELS);
    assert.deepEqual(models.slice(0, 4), [
      'deepseek-v4-pro',
      'deepseek-flash',
      'deepseek/deepseek-v4-pro',
      'vendor/model-0',
    ]);
    assert.ok(parseHostMessage({ type: 'config', config: { ...config, models } }));
    assert.equal(
      parseHostMessage({ type: 'config', config: { ...config, models: listed } }),
      undefined,
      'uncapped, the webview would drop the whole config',
    );
    assert.deepEqual(pickerModels(['m'], ['a', 'm']), ['m', 'a']);
  });

  it('accepts the documented messages', () => {
    const good: unknown[] = [
      { type: 'init', surface: 'sidebar', config },
      { type: 'config', config: { ...config, hasKey: false, models: [] } },
      { type: 'config', config: { ...config, hasKey: false, localEndpoint: 'localhost:11434' } },
      {
        type: 'replay',
        conversation: {
          title: 't',
          turns: [
            {
              question: 'q',
              answer: 'a',
              reasoning: '',
              outcome: 'complete',
              usage: { promptTokens: 10, cacheHitTokens: 8, cacheMissTokens: 2, completionTokens: 5, costUsd: 0.001 },
            },
          ],
        },
      },
      { type: 'turnStart', requestId: 'r1', index: 0, question: 'q' },
      { type: 'turnStart', requestId: 'r2', index: 0, question: 'q', continued: true },
      {
        type: 'context',
        requestId: 'r1',
        summary: {
          files: 3,
          tokens: 900,
          outlined: 0,
          excluded: 1,
          redactions: 0,
          predictedHitTokens: 800,
          estimatedCostUsd: 0.01,
        },
      },
      { type: 'reasoningDelta', requestId: 'r1', text: 'hm' },
      { type: 'contentDelta', requestId: 'r1', text: '' },
      { type: 'retry', requestId: 'r1', attempt: 1, delayMs: 500, message: 'busy' },
      {
        type: 'usage',
        requestId: 'r1',
        usage: { promptTokens: 1, cacheHitTokens: 0, cacheMissTokens: 1, completionTokens: 1 },
      },
      { type: 'end', requestId: 'r1', outcome: 'error', message: 'bad key', errorKind: 'auth' },
      {
        type: 'history',
        conversations: [{ id: 'c1', title: 'x', updatedAt: 1_700_000_000_000, turns: 2, costUsd: 0.02 }],
      },
    ];
    for (const m of good) assert.deepEqual(parseHostMessage(m), m, JSON.stringify(m));
  });

  it('rejects malformed host messages, including a bad turn deep inside a replay', () => {
    const bad: unknown[] = [
      { type: 'init', surface: 'editor', config },
      { type: 'init', surface: 'panel', config: { ...config, effort: 'medium' } },
      { type: 'config', config: { ...config, localEndpoint: 11434 } },
      { type: 'turnStart', requestId: 'r1', question: 'q' },
      { type: 'contentDelta', requestId: 'r1' },
      { type: 'end', requestId: 'r1', outcome: 'done' },
      {
        type: 'usage',
        requestId: 'r1',
        usage: { promptTokens: -1, cacheHitTokens: 0, cacheMissTokens: 0, completionTokens: 0 },
      },
      { type: 'replay', conversation: { title: 't', turns: [{ question: 'q', answer: 5, reasoning: '' }] } },
      { type: 'replay', conversation: { title: 't', turns: 'none' } },
      { type: 'history', conversations: [{ id: 'c1', title: 'x', updatedAt: 'yesterday', turns: 1 }] },
    ];
    for (const m of bad) assert.equal(parseHostMessage(m), undefined, JSON.stringify(m));
  });
});

describe('protocol: transcript reducer', () => {
  const run = (msgs: HostToWebview[]) => msgs.reduce(applyHostMessage, emptyConversation());

  it('builds turns from a stream and ends them', () => {
    const c = run([
      { type: 'turnStart', requestId: 'r1', index: 0, question: 'What does pack do?\nDetails please' },
      { type: 'context', requestId: 'r1', summary: { files: 2, tokens: 10, outlined: 0, excluded: 0, redactions: 0 } },
      { type: 'reasoningDelta', requestId: 'r1', text: 'Let me ' },
      { type: 'reasoningDelta', requestId: 'r1', text: 'look.' },
      { type: 'contentDelta', requestId: 'r1', text: 'It packs ' },
      { type: 'contentDelta', requestId: 'r0', text: 'stale request: ignored' },
    ]);
    assert.equal(runningRequest(c), 'r1');
    assert.equal(c.title, 'What does pack do?');
    const done = applyHostMessage(c, { type: 'end', requestId: 'r1', outcome: 'complete' });
    assert.deepEqual(done.turns, [
      {
        question: 'What does pack do?\nDetails please',
        answer: 'It packs ',
        reasoning: 'Let me look.',
        outcome: 'complete',
        context: { files: 2, tokens: 10, outlined: 0, excluded: 0, redactions: 0 },
      },
    ]);
    assert.equal(runningRequest(done), undefined);
  });

  it('drops later turns on regenerate / edit & resend, and extends on continue', () => {
    const c = run([
      { type: 'turnStart', requestId: 'a', index: 0, question: 'one' },
      { type: 'end', requestId: 'a', outcome: 'complete' },
      { type: 'turnStart', requestId: 'b', index: 1, question: 'two' },
      { type: 'contentDelta', requestId: 'b', text: 'partial' },
      { type: 'end', requestId: 'b', outcome: 'interrupted', message: 'cut' },
    ]);
    applyHostMessage(c, { type: 'turnStart', requestId: 'c', index: 1, question: 'two', continued: true });
    applyHostMessage(c, { type: 'contentDelta', requestId: 'c', text: ' and the rest' });
    assert.equal(c.turns[1]!.answer, 'partial and the rest');
    assert.equal(c.turns[1]!.message, undefined);
    applyHostMessage(c, { type: 'turnStart', requestId: 'd', index: 0, question: 'one, edited' });
    assert.deepEqual(
      c.turns.map((t) => t.question),
      ['one, edited'],
    );
    assert.equal(c.title, 'one, edited');
  });

  it('replaces everything on replay and shortens long titles', () => {
    const c = run([{ type: 'turnStart', requestId: 'a', index: 0, question: 'x' }]);
    const r = applyHostMessage(c, { type: 'replay', conversation: { title: 'other', turns: [] } });
    assert.deepEqual(r, { title: 'other', turns: [] });
    assert.equal(titleFrom('  ' + 'y'.repeat(200)).length, 80);
  });
});
