// The extension's conversation backend over the real ChatService: what the UI sees (messages, results,
// snapshots, history list) for ask, regenerate, continue, shared sessions, export and delete.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CachePlan } from '../../../src/chat/cachePlan';
import { HistoryStore } from '../../../src/chat/history';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { ChatService } from '../../../src/chat/service';
import type { ChatSession } from '../../../src/chat/session';
import { streamChat } from '../../../src/llm/client';
import type { RequestParams } from '../../../src/llm/types';
import { paramsFor, SessionBackend } from '../../../src/ui/sessionBackend';
import { parseHostMessage, type HostToWebview } from '../../../src/protocol/messages';
import { answerReply } from '../../fake-server/scenarios';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { MemoryRepo } from '../../fakes/memoryRepo';

const defaults: RequestParams = { model: 'deepseek-v4-pro', maxTokens: 4096, thinking: true, reasoningEffort: 'high' };

describe('SessionBackend (the extension backend over ChatService)', () => {
  let server: FakeServer;
  let dir: string;
  let service: ChatService;
  let open: Map<string, ChatSession>;
  const backend = () =>
    new SessionBackend({
      service: () => service,
      focus: () => ({ activeFile: '/mem/src/a.ts' }),
      roots: () => [{ name: 'mem', path: '/mem' }],
      confirm: async () => true,
      defaults: () => defaults,
      open,
    });
  const collect = () => {
    const events: HostToWebview[] = [];
    const post = (m: HostToWebview) => {
      assert.ok(parseHostMessage(m), `the webview would reject ${JSON.stringify(m)}`);
      events.push(m);
    };
    return { events, req: { requestId: 'r1', signal: new AbortController().signal, post } };
  };

  beforeEach(async () => {
    server = await startFakeDeepSeek();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-backend-'));
    const repo = new MemoryRepo({ 'src/a.ts': 'export const a = 1;\n', 'README.md': '# demo\n' });
    const plan = new CachePlan(new MemoryPlanStore(), Date.now);
    service = new ChatService(
      () => ({
        client: () => ({ baseUrl: server.url, apiKey: 'sk-test' }),
        streamChat,
        context: repo,
        plan,
        confirmAboveUsd: 0,
      }),
      new HistoryStore(dir),
      () => defaults,
    );
    open = new Map();
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('maps the model/effort choice to fixed request parameters', () => {
    assert.deepEqual(paramsFor({ model: 'deepseek-flash', effort: 'off' }, defaults), {
      ...defaults,
      model: 'deepseek-flash',
      thinking: false,
    });
    assert.deepEqual(paramsFor({ model: 'deepseek-v4-pro', effort: 'max' }, defaults), {
      ...defaults,
      reasoningEffort: 'max',
    });
  });

  it('asks: context, reasoning, content and usage events, a complete result, and a stored conversation', async () => {
    const b = backend();
    const { events, req } = collect();
    const r = await b.ask('What does a.ts export?', { model: 'deepseek-flash', effort: 'low' }, req);
    const types = events.map((e) => e.type);
    const usage = events.at(-1) as Extract<HostToWebview, { type: 'usage' }>;
    assert.ok((usage.usage.costUsd ?? 0) > 0, 'the answer is priced');
    // One turn so far: the conversation has cost exactly what this answer cost (the status bar shows it).
    assert.deepEqual(r, { outcome: 'complete', conversationCostUsd: usage.usage.costUsd });
    assert.equal(types[0], 'context');
    assert.ok(types.indexOf('reasoningDelta') < types.indexOf('contentDelta'));
    assert.equal(types.at(-1), 'usage');
    const ctx = events[0] as Extract<HostToWebview, { type: 'context' }>;
    assert.equal(ctx.summary.files, 2);
    assert.ok(ctx.summary.tokens > 0);
    const sent = server.chatRequests()[0]!.body!;
    assert.equal(sent.model, 'deepseek-flash');
    assert.equal(sent.reasoning_effort, 'low');
    assert.ok(b.currentId);
    const list = await b.list();
    assert.equal(list.length, 1);
    assert.equal(list[0]!.title, 'What does a.ts export?');
    assert.equal(list[0]!.turns, 1);
    // The model the server says answered: named live (the chip's tooltip, the status bar) as after a reload.
    assert.equal(usage.usage.model, 'deepseek-flash');
    assert.equal((await b.open(b.currentId))?.turns[0]!.usage?.model, usage.usage.model);
    // A reloaded view shows the same billed usage, thinking tokens included.
    assert.ok((usage.usage.reasoningTokens ?? 0) > 0);
    assert.deepEqual((await b.open(b.currentId))?.turns[0]!.usage, usage.usage);
  });

  it('shares a conversation between views and replays it as a snapshot', async () => {
    const panel = backend();
    await panel.ask('first', { model: 'deepseek-v4-pro', effort: 'high' }, collect().req);
    const id = panel.currentId!;
    const sidebar = backend();
    const snap = await sidebar.open(id);
    assert.equal(snap?.turns.length, 1);
    assert.equal(snap?.turns[0]!.question, 'first');
    assert.match(snap.turns[0].answer, /You asked: first/);
    assert.equal(snap?.effort, 'high');
    assert.deepEqual(
      snap?.turns[0].context,
      { files: 2, tokens: snap?.turns[0].context?.tokens, outlined: 0, excluded: 0, redactions: 0 },
      'a replayed turn keeps its context chip',
    );
    assert.ok((snap?.turns[0].context?.tokens ?? 0) > 0);
    await sidebar.ask('second', { model: 'ignored-for-an-open-conversation', effort: 'off' }, collect().req);
    // The same session object: the panel sees the follow-up, and the model stayed fixed.
    assert.equal((await panel.open(id))?.turns.length, 2);
    assert.deepEqual(
      server.chatRequests().map((r) => r.body!.model),
      ['deepseek-v4-pro', 'deepseek-v4-pro'],
    );
  });

  it('regenerates the last answer, exports Markdown, and deletes', async () => {
    const b = backend();
    await b.ask('explain a', { model: 'deepseek-v4-pro', effort: 'high' }, collect().req);
    const r = await b.regenerate(collect().req);
    assert.equal(r.outcome, 'complete');
    const id = b.currentId!;
    assert.equal((await b.open(id))?.turns.length, 1);
    const md = await b.exportMarkdown(id);
    assert.match(md ?? '', /explain a/);
    await b.delete(id);
    assert.deepEqual(await b.list(), []);
    assert.equal(b.currentId, undefined);
    assert.equal(await b.open(id), undefined);
  });

  it('says so instead of throwing when there is nothing to continue or regenerate', async () => {
    const b = backend();
    assert.deepEqual(await b.regenerate(collect().req), {
      outcome: 'error',
      message: 'There is no conversation open.',
    });
    await b.ask('q', { model: 'deepseek-v4-pro', effort: 'high' }, collect().req);
    const r = await b.continue(collect().req);
    assert.equal(r.outcome, 'error');
    assert.match(r.message ?? '', /nothing to continue/);
  });

  it('reports an interrupted answer with a Continue hint, and Continue finishes it', async () => {
    server.setScenario((_b, i) =>
      i === 0 ? { steps: [{ kind: 'content', text: 'partial ' }, { kind: 'cut' }] } : answerReply('rest.'),
    );
    const b = backend();
    const first = await b.ask('long one', { model: 'deepseek-v4-pro', effort: 'high' }, collect().req);
    assert.equal(first.outcome, 'interrupted');
    assert.match(first.message ?? '', /reset[\s\S]*partial answer is kept/);
    const done = await b.continue(collect().req);
    assert.equal(done.outcome, 'complete');
    const snap = await b.open(b.currentId!);
    assert.equal(snap?.turns[0]!.answer, 'partial rest.');
  });

  it("carries a smaller model's window to the context chip, live and replayed", async () => {
    const windowed = new ChatService(
      () => ({
        client: () => ({ baseUrl: server.url, apiKey: 'sk-test' }),
        streamChat,
        context: new MemoryRepo({ 'src/a.ts': 'export const a = 1;\n' }),
        plan: new CachePlan(new MemoryPlanStore(), Date.now),
        confirmAboveUsd: 0,
        modelWindow: () => 32_768,
      }),
      new HistoryStore(dir),
      () => defaults,
    );
    const b = new SessionBackend({
      service: () => windowed,
      focus: () => ({}),
      roots: () => [{ name: 'mem', path: '/mem' }],
      confirm: async () => true,
      defaults: () => defaults,
      open: new Map(),
    });
    const { events, req } = collect();
    assert.equal((await b.ask('small?', { model: 'qwen3-coder', effort: 'high' }, req)).outcome, 'complete');
    const context = events.find((e) => e.type === 'context')!;
    assert.equal(context.summary.windowTokens, 32_768);
    const snap = await b.open(b.currentId!);
    assert.equal(snap?.turns[0]!.context?.windowTokens, 32_768);
    assert.ok(parseHostMessage({ type: 'replay', conversation: snap }), 'the webview would reject the replay');
    // DeepSeek V4's own window is not named.
    const v4 = backend();
    const plain = collect();
    await v4.ask('v4?', { model: 'deepseek-v4-pro', effort: 'high' }, plain.req);
    assert.equal(plain.events.find((e) => e.type === 'context')!.summary.windowTokens, undefined);
  });
});
