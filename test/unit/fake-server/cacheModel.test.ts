// The fake server's V4 cache-unit model: DeepSeek's documented examples and the rules around them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CacheModel, renderInput, tokenize } from '../../fake-server/cacheModel';
import type { ChatBody } from '../../fake-server/server';
import { REPO } from '../../helpers/paths';

const A =
  'You answer questions about the repository.\n' +
  fs.readFileSync(path.join(REPO, 'test/fake-server/server.ts'), 'utf8');
const noOutput = { reasoning: '', content: '' };
const body = (messages: ChatBody['messages'], extra: Partial<ChatBody> = {}): ChatBody => ({
  model: 'deepseek-v4-pro',
  messages,
  max_tokens: 1000,
  thinking: { type: 'enabled' },
  reasoning_effort: 'high',
  ...extra,
});
const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });

describe('fake server cache model (V4 units)', () => {
  it('tokenizes deterministically at roughly 3-4 bytes per token of code', () => {
    assert.deepEqual(tokenize(A), tokenize(String(A)));
    const ratio = Buffer.byteLength(A) / tokenize(A).length;
    assert.ok(ratio > 2.5 && ratio < 4.5, `bytes per token ${ratio}`);
  });

  it('A+B then A+B+C hits A+B (a follow-up hits the previous input)', () => {
    const m = new CacheModel();
    const first = body([{ role: 'system', content: 'sys' }, user(A + '\nQ1')]);
    const b1 = m.bill(first, { reasoning: 'thinking', content: 'answer one' });
    assert.equal(b1.hitTokens, 0);
    const b2 = m.bill(body([...first.messages, assistant('answer one'), user('Q2')]), noOutput);
    assert.equal(b2.hitTokens, b1.promptTokens);
    assert.ok(b2.promptTokens > b2.hitTokens);
  });

  it('A+B then A+C misses; then A is a unit and A+D hits it', () => {
    const m = new CacheModel();
    const a = [{ role: 'system', content: 'sys' }, user(A)];
    m.bill(body([...a, assistant('ok'), user('question B')]), noOutput);
    assert.equal(m.bill(body([...a, assistant('ok'), user('question C')]), noOutput).hitTokens, 0);
    const d = m.bill(body([...a, assistant('ok'), user('question D')]), noOutput);
    const prefix = renderInput(body([...a, assistant('ok'), user('question ')])).length;
    assert.ok(d.hitTokens > 0 && d.hitTokens <= prefix, `${d.hitTokens} <= ${prefix}`);
    assert.ok(d.hitTokens >= renderInput(body(a)).length, 'the common prefix covers A');
  });

  it('a request ending at a boundary stores a unit that later requests fully match', () => {
    const m = new CacheModel();
    const warm = body([{ role: 'system', content: 'sys' }, user(A)], { max_tokens: 1 });
    const w = m.bill(warm, { reasoning: 'x', content: '' });
    const r = m.bill(body([...warm.messages, assistant('ok'), user('question B')]), noOutput);
    assert.equal(r.hitTokens, w.promptTokens);
    assert.equal(
      m.bill(body([...warm.messages, assistant('ok'), user('question C')]), noOutput).hitTokens,
      w.promptTokens,
    );
  });

  it('stores the output: without thinking the history re-sent as-is hits through the answer', () => {
    const m = new CacheModel();
    const q1 = body([{ role: 'system', content: 'sys' }, user(A + '\nQ1')], { thinking: { type: 'disabled' } });
    const b1 = m.bill(q1, { reasoning: '', content: 'the answer' });
    const b2 = m.bill(
      body([...q1.messages, assistant('the answer'), user('Q2')], { thinking: { type: 'disabled' } }),
      noOutput,
    );
    assert.equal(b2.hitTokens, b1.promptTokens + tokenize('the answer').length + 1);
  });

  it('with thinking the reasoning is not sent back, so the output unit does not match (the input unit does)', () => {
    const m = new CacheModel();
    const q1 = body([{ role: 'system', content: 'sys' }, user(A + '\nQ1')]);
    const b1 = m.bill(q1, { reasoning: 'long thoughts', content: 'the answer' });
    assert.equal(
      m.bill(body([...q1.messages, assistant('the answer'), user('Q2')]), noOutput).hitTokens,
      b1.promptTokens,
    );
  });

  it('keeps caches apart per model, thinking switch and effort', () => {
    const m = new CacheModel();
    const msgs = [{ role: 'system', content: 'sys' }, user(A)];
    m.bill(body(msgs), noOutput);
    assert.equal(m.bill(body(msgs, { model: 'deepseek-flash' }), noOutput).hitTokens, 0);
    assert.equal(m.bill(body(msgs, { thinking: { type: 'disabled' } }), noOutput).hitTokens, 0);
    assert.equal(m.bill(body(msgs, { reasoning_effort: 'max' }), noOutput).hitTokens, 0);
    assert.ok(m.bill(body(msgs), noOutput).hitTokens > 0);
  });

  it('a think-marker template keeps an input unit from covering the history', () => {
    const m = new CacheModel({ template: 'think-marker' });
    const q1 = body([{ role: 'system', content: 'sys' }, user(A + '\nQ1')]);
    const b1 = m.bill(q1, { reasoning: 'r', content: 'the answer' });
    const b2 = m.bill(body([...q1.messages, assistant('the answer'), user('Q2')]), noOutput);
    assert.ok(b2.hitTokens < b1.promptTokens);
  });

  it('interval units give partial hits when the middle of the input changes', () => {
    const m = new CacheModel({ intervalTokens: 256 });
    const sys = { role: 'system', content: 'sys' };
    m.bill(body([sys, user(A + '\nversion 1')]), noOutput);
    const b = m.bill(
      body([sys, user(A.replace('export async function startFakeDeepSeek', 'export async function startFake'))]),
      noOutput,
    );
    assert.ok(b.hitTokens > 0 && b.hitTokens % 256 === 0, String(b.hitTokens));
    const none = new CacheModel();
    none.bill(body([sys, user(A + '\nversion 1')]), noOutput);
    assert.equal(
      none.bill(
        body([sys, user(A.replace('export async function startFakeDeepSeek', 'export async function startFake'))]),
        noOutput,
      ).hitTokens,
      0,
    );
  });

  it('evictAll forgets every unit', () => {
    const m = new CacheModel();
    const b = body([{ role: 'system', content: 'sys' }, user(A)]);
    m.bill(b, noOutput);
    m.evictAll();
    assert.equal(m.bill(b, noOutput).hitTokens, 0);
    assert.equal(m.billed.length, 2);
  });

  it(
    'a tool step hits the previous input and output when its turn goes back with reasoning and calls as ' + 'received',
    () => {
      const m = new CacheModel();
      const tools = [{ type: 'function', function: { name: 'read_files', description: 'Read.', parameters: {} } }];
      const calls = [
        { id: 'c1', type: 'function' as const, function: { name: 'read_files', arguments: '{"paths":["a"]}' } },
      ];
      const first = body([{ role: 'system', content: 'sys' }, user(A + '\nFix a.')], { tools });
      const out = { reasoning: 'Read a first.', content: '', toolCalls: calls };
      const b1 = m.bill(first, out);
      const turn = { role: 'assistant', content: '', reasoning_content: 'Read a first.', tool_calls: calls };
      const step2 = body([...first.messages, turn, { role: 'tool', content: 'a: 1', tool_call_id: 'c1' }], { tools });
      const b2 = m.bill(step2, noOutput);
      assert.ok(b2.hitTokens > b1.promptTokens, `hits ${b2.hitTokens} cover the input and the output`);
      assert.ok(b2.promptTokens - b2.hitTokens < 16, `only the tool result misses (${b2.promptTokens - b2.hitTokens})`);
      const { reasoning_content: _dropped, ...noReasoning } = turn;
      const lossy = m.bill(
        body([...first.messages, noReasoning, { role: 'tool', content: 'a: 2', tool_call_id: 'c1' }], { tools }),
        noOutput,
      );
      assert.equal(lossy.hitTokens, b1.promptTokens, 'without its reasoning the turn hits only the input unit');
      const otherTools = m.bill(body(first.messages, { tools: [...tools, ...tools] }), noOutput);
      assert.equal(otherTools.hitTokens, 0, 'another tool list shares no prefix');
    },
  );
});
