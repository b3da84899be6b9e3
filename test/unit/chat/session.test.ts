// ChatSession against the real streaming client and the fake DeepSeek server billing with V4's
// cache-unit rules: message layout, fixed parameters, follow-ups and updated files, one-shot reuse
// with warm-ups judged from billed usage, re-basing, confirmation, regenerate/edit/continue, reload.
import * as assert from 'node:assert/strict';
import { CachePlan } from '../../../src/chat/cachePlan';
import { exportMarkdown } from '../../../src/chat/exportMarkdown';
import { fixedParamChanges, turnsOf } from '../../../src/chat/conversation';
import { MemoryConversationLog } from '../../../src/chat/history';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { CONTINUE_PROMPT, editorNote, REPOSITORY_ACK, SYSTEM_PROMPT, UPDATE_ACK } from '../../../src/chat/prompt';
import { ChatService } from '../../../src/chat/service';
import { fitWindow, repositoryBudget } from '../../../src/chat/requestPlan';
import { ChatSession, promptCutWarning } from '../../../src/chat/session';
import type { SessionEvent, SessionPorts } from '../../../src/chat/sessionTypes';
import { HistoryStore } from '../../../src/chat/history';
import { streamChat } from '../../../src/llm/client';
import type { RequestParams } from '../../../src/llm/types';
import { CacheModel, cacheAwareReply, type CacheModelOptions } from '../../fake-server/cacheModel';
import {
  roughPromptTokens,
  startFakeDeepSeek,
  type ChatBody,
  type FakeServer,
  type Reply,
} from '../../fake-server/server';
import { MemoryRepo, syntheticRepo } from '../../fakes/memoryRepo';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PARAMS: RequestParams = { model: 'deepseek-v4-pro', maxTokens: 8192, thinking: true, reasoningEffort: 'high' };

interface Rig {
  server: FakeServer;
  cache: CacheModel;
  repo: MemoryRepo;
  store: MemoryPlanStore;
  plan: CachePlan;
  ports: SessionPorts;
  bodies(): ChatBody[];
  session(log?: MemoryConversationLog, params?: RequestParams): ChatSession;
}

const rigs: Rig[] = [];
async function rig(
  options: {
    cache?: CacheModelOptions;
    scenario?: (b: ChatBody, i: number) => Reply;
    ports?: Partial<SessionPorts>;
    files?: Record<string, string>;
  } = {},
): Promise<Rig> {
  const cache = new CacheModel(options.cache);
  const server = await startFakeDeepSeek({
    billing: (b, o) => cache.bill(b, o),
    scenario: options.scenario ?? cacheAwareReply,
  });
  const repo = new MemoryRepo(options.files ?? syntheticRepo(20, 60_000));
  const store = new MemoryPlanStore();
  const now = Date.UTC(2026, 10, 4, 12); // a Wednesday, off-peak
  const plan = new CachePlan(store, () => now);
  const ports: SessionPorts = {
    client: () => ({ baseUrl: server.url, apiKey: 'sk-test-key-123' }),
    streamChat,
    context: repo,
    plan,
    clock: () => now,
    ...options.ports,
  };
  const r: Rig = {
    server,
    cache,
    repo,
    store,
    plan,
    ports,
    bodies: () => server.chatRequests().map((q) => q.body!),
    session: (log = new MemoryConversationLog(), params = PARAMS) => ChatSession.create(ports, log, params),
  };
  rigs.push(r);
  return r;
}

function collect(): {
  events: SessionEvent[];
  on: (e: SessionEvent) => void;
  of: <T extends SessionEvent['type']>(t: T) => Extract<SessionEvent, { type: T }>[];
} {
  const events: SessionEvent[] = [];
  return { events, on: (e) => events.push(e), of: (t) => events.filter((e) => e.type === t) as never };
}

const hitRatio = (c: CacheModel, from = 0) => {
  const b = c.billed.slice(from);
  return b.reduce((n, x) => n + x.hitTokens, 0) / b.reduce((n, x) => n + x.promptTokens, 0);
};

describe('chat session', function () {
  afterEach(async () => {
    while (rigs.length) await rigs.pop()!.server.close();
  });

  // …warms the prefix first with max_tokens 1 and the same model/thinking/effort
  it('lays out system, repository, acknowledgement, question', async () => {
    const r = await rig();
    const c = collect();
    const end = await r.session().ask('Where is the cache handled?', {}, c.on);
    assert.equal(end.outcome, 'complete');
    const [warm, main] = r.bodies();
    assert.deepEqual(
      warm!.messages.map((m) => m.role),
      ['system', 'user'],
    );
    assert.equal(warm!.max_tokens, 1);
    assert.deepEqual(
      [warm!.model, warm!.thinking, warm!.reasoning_effort],
      [main!.model, main!.thinking, main!.reasoning_effort],
    );
    assert.deepEqual(
      main!.messages.map((m) => m.role),
      ['system', 'user', 'assistant', 'user'],
    );
    assert.equal(main!.messages[0]!.content, SYSTEM_PROMPT);
    assert.equal(main!.messages[1]!.content, warm!.messages[1]!.content);
    assert.ok(main!.messages[1]!.content!.startsWith('<repository'));
    assert.equal(main!.messages[2]!.content, REPOSITORY_ACK);
    assert.equal(main!.messages[3]!.content, 'Where is the cache handled?');
    assert.equal(main!.max_tokens, PARAMS.maxTokens);
    // The warm-up made the prefix a unit: the real request hit all of it.
    assert.equal(r.cache.billed[1]!.hitTokens, r.cache.billed[0]!.promptTokens);
    const ctx = c.of('context')[0]!;
    assert.equal(ctx.warmup, true);
    assert.equal(ctx.files, 20);
    assert.ok(ctx.estimate.expectedUsd! > 0);
    assert.deepEqual(
      c.events.map((e) => e.type).filter((t, i, a) => a[i - 1] !== t),
      ['context', 'warmup', 'reasoning', 'content', 'usage', 'end'],
    );
    assert.ok(end.turnCostUsd! > 0 && end.conversationCostUsd === end.turnCostUsd);
  });

  it('keeps model, max_tokens, thinking and effort fixed; new settings apply to the next conversation', async () => {
    const r = await rig();
    let settings: RequestParams = PARAMS;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-svc-'));
    const service = new ChatService(
      () => r.ports,
      new HistoryStore(dir),
      () => settings,
    );
    const first = service.start();
    await first.ask('q1', {}, () => {});
    settings = { model: 'deepseek-flash', maxTokens: 4096, thinking: false, reasoningEffort: 'low' };
    assert.deepEqual(fixedParamChanges(first.params, settings), ['model', 'maxTokens', 'thinking', 'reasoningEffort']);
    await first.ask('q2', {}, () => {});
    const reopened = service.open(first.id).session;
    await reopened.ask('q3', {}, () => {});
    const second = service.start();
    await second.ask('q4', {}, () => {});
    const bodies = r.bodies().filter((b) => b.max_tokens !== 1);
    assert.deepEqual(
      bodies.map((b) => [b.model, b.max_tokens, b.thinking?.type]),
      [
        ['deepseek-v4-pro', 8192, 'enabled'],
        ['deepseek-v4-pro', 8192, 'enabled'],
        ['deepseek-v4-pro', 8192, 'enabled'],
        ['deepseek-flash', 4096, 'disabled'],
      ],
    );
    assert.equal(bodies[3]!.reasoning_effort, undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the service lists, exports and deletes saved conversations; start can override a parameter', async () => {
    const r = await rig();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-svc-'));
    const service = new ChatService(
      () => r.ports,
      new HistoryStore(dir),
      () => PARAMS,
    );
    const fast = service.start({ model: 'deepseek-flash' });
    assert.equal(service.list().length, 0, 'nothing is saved before the first question');
    await fast.ask('Where is the queue?\nmore detail', {}, () => {});
    const [info] = service.list();
    assert.deepEqual(
      [info!.id, info!.title, info!.turns, info!.model],
      [fast.id, 'Where is the queue?', 1, 'deepseek-flash'],
    );
    assert.ok(info!.spentUsd > 0);
    assert.match(service.exportMarkdown(fast.id), /## 1\. Question\n\n> Where is the queue\?\n> more detail/);
    assert.equal(service.delete(fast.id), true);
    assert.deepEqual(service.list(), []);
    assert.throws(() => service.open(fast.id), /No saved conversation/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // …assistant content is a string, reasoning is not sent back, hits are predicted and billed
  it('follow-ups only append', async () => {
    const r = await rig();
    const s = r.session();
    await s.ask('first question', {}, () => {});
    const c = collect();
    await s.ask('second question', {}, c.on);
    const [, first, second] = r.bodies();
    assert.deepEqual(second!.messages.slice(0, first!.messages.length), first!.messages);
    const answer = second!.messages[4]!;
    assert.equal(answer.role, 'assistant');
    assert.equal(typeof answer.content, 'string');
    assert.match(answer.content!, /first question/);
    assert.equal('reasoning_content' in answer, false);
    assert.equal(c.of('context')[0]!.warmup, false, 'no warm-up inside a conversation');
    const billed = r.cache.billed[2]!;
    assert.equal(billed.hitTokens, r.cache.billed[1]!.promptTokens);
    const predicted = c.of('context')[0]!.estimate.predictedHitTokens;
    assert.ok(
      Math.abs(predicted - billed.hitTokens) / billed.hitTokens < 0.15,
      `predicted ${predicted} vs billed ${billed.hitTokens}`,
    );
  });

  it('appends files edited between turns as an updated-files section and keeps the prefix byte-identical', async () => {
    const r = await rig();
    const s = r.session();
    await s.ask('q1', {}, () => {});
    r.repo.edit('src/user/user0.ts', 'export const edited = true;\n');
    r.repo.edit('src/new.ts', 'export const added = 1;\n');
    const c = collect();
    await s.ask('q2', {}, c.on);
    const [, first, second] = r.bodies();
    assert.deepEqual(
      second!.messages.slice(0, 5).map((m) => m.content),
      [...first!.messages.map((m) => m.content), second!.messages[4]!.content],
    );
    const update = second!.messages[5]!;
    assert.equal(update.role, 'user');
    assert.match(
      update.content!,
      /<repository-update>[\s\S]*<file path="src\/new.ts">[\s\S]*<file path="src\/user\/user0.ts">\nexport const edited = true;/,
    );
    assert.equal(second!.messages[6]!.content, UPDATE_ACK);
    assert.equal(second!.messages[7]!.content, 'q2');
    assert.deepEqual(c.of('context')[0]!.update, {
      changed: ['src/user/user0.ts'],
      added: ['src/new.ts'],
      removed: [],
      tokens: c.of('context')[0]!.update!.tokens,
    });
    // The next turn sends nothing new for those files (deltas chain through per-file hashes).
    await s.ask('q3', {}, () => {});
    const third = r.bodies()[3]!;
    assert.equal(
      third.messages.filter((m) => m.role === 'user' && m.content?.includes('<repository-update>')).length,
      1,
    );
    assert.ok(r.cache.billed[3]!.hitTokens / r.cache.billed[3]!.promptTokens > 0.95);
  });

  // …edits ride along as a delta
  it('one-shot questions reuse the base pack: a warm-up once, then every question hits', async () => {
    const r = await rig();
    for (const q of ['one', 'two', 'three']) await r.session().ask(`question ${q}`, {}, () => {});
    assert.equal(r.repo.calls.pack, 1, 'packed once');
    assert.equal(r.bodies().filter((b) => b.max_tokens === 1).length, 1, 'one warm-up');
    assert.ok(hitRatio(r.cache, 2) > 0.9, `one-shots 2-3: ${hitRatio(r.cache, 2)}`);
    assert.equal(r.plan.verdict(`${r.server.url}|deepseek-v4-pro|thinking`).state, 'pays');
    r.repo.edit('src/user/user0.ts', 'export const edited = true;\n');
    const c = collect();
    const before = r.cache.billed.length;
    await r.session().ask('question four', {}, c.on);
    assert.equal(r.repo.calls.pack, 1, 'still the same base');
    assert.deepEqual(c.of('context')[0]!.update?.changed, ['src/user/user0.ts']);
    assert.ok(hitRatio(r.cache, before) > 0.8);
  });

  it('learns that warm-ups do not pay where the server template defeats them, and stops sending them', async () => {
    const r = await rig({ cache: { template: 'think-marker' } });
    for (const w of [1, 2, 3, 4]) {
      const ports = { ...r.ports, context: new MemoryRepo(syntheticRepo(10, 30_000, w), `workspace-${w}`) };
      await ChatSession.create(ports, new MemoryConversationLog(), PARAMS).ask('question', {}, () => {});
    }
    const key = `${r.server.url}|deepseek-v4-pro|thinking`;
    assert.equal(r.plan.verdict(key).state, 'useless');
    assert.equal(r.bodies().filter((b) => b.max_tokens === 1).length, 2, 'two failed trials, then none');
  });

  it('stops warming up where the server reports no usage: nothing shows a warm-up pays there', async () => {
    const r = await rig();
    // A server without usage in its stream (Mistral without stream_options, some local servers).
    const noUsage: SessionPorts['streamChat'] = async (...args) => {
      const { usage: _usage, ...rest } = await streamChat(...args);
      return rest;
    };
    for (const w of [1, 2, 3, 4]) {
      const ports = {
        ...r.ports,
        streamChat: noUsage,
        context: new MemoryRepo(syntheticRepo(10, 30_000, w), `workspace-${w}`),
      };
      assert.equal(
        (await ChatSession.create(ports, new MemoryConversationLog(), PARAMS).ask('question', {}, () => {})).outcome,
        'complete',
      );
    }
    assert.equal(r.plan.verdict(`${r.server.url}|deepseek-v4-pro|thinking`).state, 'useless');
    assert.equal(r.bodies().filter((b) => b.max_tokens === 1).length, 2, 'two unjudged trials, then none');
  });

  it('warms the repository boundary only: a new delta on a cached base needs no warm-up', async () => {
    const r = await rig();
    await r.session().ask('one', {}, () => {});
    for (const q of ['two', 'three']) {
      r.repo.edit(`src/rotating-${q}.ts`, '// filler line for the delta\n'.repeat(400));
      await r.session().ask(q, {}, () => {});
    }
    assert.equal(r.bodies().filter((b) => b.max_tokens === 1).length, 1);
    const last = r.cache.billed.at(-1)!;
    assert.ok(last.hitTokens >= r.cache.billed[0]!.promptTokens, 'the base is hit');
    assert.ok(last.promptTokens - last.hitTokens > 2000, 'the new delta was not warmed');
  });

  it('re-bases when the delta outgrows half the base, and once enough delta tokens are paid (ski rental)', async () => {
    const r = await rig({ files: syntheticRepo(10, 40_000) });
    await r.session().ask('q', {}, () => {});
    for (const p of [...r.repo.files.keys()].slice(0, 6)) r.repo.edit(p, r.repo.files.get(p)! + '// edited\n');
    const c = collect();
    await r.session().ask('q after many edits', {}, c.on);
    assert.equal(c.of('context')[0]!.rebased, 'delta-large');
    assert.equal(r.repo.calls.pack, 2);
  });

  it('asks before an expensive question; declined sends and saves nothing', async () => {
    const r = await rig({ ports: { confirmAboveUsd: 0.000001 } });
    const log = new MemoryConversationLog();
    let asked = 0;
    const end = await r
      .session(log)
      .ask('q', { confirm: async (e) => (asked++, assert.ok(e.expectedUsd! > 0.000001), false) }, () => {});
    assert.deepEqual([end.outcome, end.notSent, asked], ['cancelled', true, 1]);
    assert.equal(r.bodies().length, 0);
    assert.equal(log.events.length, 0);
    const ok = await r.session(log).ask('q', { confirm: async () => true }, () => {});
    assert.equal(ok.outcome, 'complete');
    const none = await r.session().ask('q', {}, () => {});
    assert.equal(none.notSent, true, 'no confirm callback: not sent');
  });

  it('regenerate and edit-and-resend drop later turns from the request but keep their cost', async () => {
    const r = await rig();
    const log = new MemoryConversationLog();
    const s = r.session(log);
    await s.ask('q1', {}, () => {});
    await s.ask('q2', {}, () => {});
    await s.ask('q3', {}, () => {});
    const spentBefore = s.snapshot().spentUsd;
    await s.editAndResend(1, 'q2 edited', {}, () => {});
    const edited = r.bodies().at(-1)!;
    assert.deepEqual(
      edited.messages
        .filter((m) => m.role === 'user')
        .slice(1)
        .map((m) => m.content),
      ['q1', 'q2 edited'],
    );
    assert.deepEqual(
      turnsOf(s.snapshot()).map((t) => t.question),
      ['q1', 'q2 edited'],
    );
    await s.regenerate({}, () => {});
    assert.deepEqual(
      turnsOf(s.snapshot()).map((t) => t.question),
      ['q1', 'q2 edited'],
    );
    assert.equal(r.bodies().at(-1)!.messages.length, edited.messages.length);
    assert.ok(s.snapshot().spentUsd > spentBefore);
    assert.equal(log.events.filter((e) => e.type === 'truncate').length, 2);
    await assert.rejects(() => s.editAndResend(5, 'x', {}, () => {}), /No turn 5/);
  });

  // …and the same bytes with that turn on every follow-up, reopen and regenerate
  it("sends where the user's editor is after the question", async () => {
    const r = await rig();
    const log = new MemoryConversationLog();
    const s = r.session(log);
    const note = editorNote('src/user/user0.ts', 12, { startLine: 10, endLine: 14 });
    assert.equal(note, 'src/user/user0.ts, lines 10-14 selected');
    assert.equal(editorNote('src/a.ts', 7), 'src/a.ts, cursor on line 7');
    assert.equal(editorNote('src/a.ts', 7, { startLine: 7, endLine: 7 }), 'src/a.ts, line 7 selected');
    await s.ask('What does this do?', { editor: note }, () => {});
    const sent = 'What does this do?\n\n<editor>src/user/user0.ts, lines 10-14 selected</editor>';
    const questions = () =>
      r
        .bodies()
        .at(-1)!
        .messages.filter((m) => m.role === 'user')
        .slice(1)
        .map((m) => m.content);
    assert.deepEqual(questions(), [sent]);
    assert.match(r.bodies().at(-1)!.messages[0]!.content!, /<editor>/, 'the system prompt says what it is');
    assert.equal(turnsOf(s.snapshot())[0]!.question, 'What does this do?', 'the question as the user wrote it');
    await s.ask('And the caller?', {}, () => {});
    assert.deepEqual(questions(), [sent, 'And the caller?'], 'a follow-up resends the first turn byte for byte');
    const hits = r.cache.billed.at(-1)!.hitTokens;
    assert.ok(hits >= r.cache.billed.at(-2)!.promptTokens - 64, `the follow-up hit the cache (${hits})`);
    const reopened = ChatSession.open(r.ports, log).session;
    await reopened.regenerate({}, () => {});
    assert.deepEqual(
      questions(),
      [sent, 'And the caller?'],
      'the history keeps the note; regenerate asks the turn as it was',
    );
    await reopened.editAndResend(0, 'What does this do, briefly?', { editor: editorNote('src/a.ts', 3) }, () => {});
    assert.deepEqual(questions(), ['What does this do, briefly?\n\n<editor>src/a.ts, cursor on line 3</editor>']);
    assert.match(
      exportMarkdown(reopened.snapshot()),
      /> What does this do, briefly\?\n\n_In the editor: src\/a\.ts, cursor on line 3_/,
    );
  });

  it('continues an interrupted answer: the partial answer is sent back and extended', async () => {
    let cut = true;
    const r = await rig({
      scenario: (b) => {
        if (b.max_tokens === 1 || !cut) return cacheAwareReply(b);
        cut = false;
        return {
          steps: [
            { kind: 'reasoning', text: 'hmm' },
            { kind: 'content', text: 'The first half' },
            { kind: 'wait', ms: 50 },
            { kind: 'cut' },
          ],
        };
      },
    });
    const s = r.session();
    const first = await s.ask('explain', {}, () => {});
    assert.notEqual(first.outcome, 'complete'); // the connection was cut after part of the answer
    assert.equal(turnsOf(s.snapshot())[0]!.answer, 'The first half');
    const end = await s.continue({}, () => {});
    assert.equal(end.outcome, 'complete');
    const body = r.bodies().at(-1)!;
    assert.deepEqual(
      body.messages.slice(-3).map((m) => [m.role, m.content]),
      [
        ['user', 'explain'],
        ['assistant', 'The first half'],
        ['user', CONTINUE_PROMPT],
      ],
    );
    const turn = turnsOf(s.snapshot())[0]!;
    assert.ok(turn.answer.startsWith('The first half') && turn.answer.length > 'The first half'.length);
    await assert.rejects(() => s.continue({}, () => {}), /nothing to continue/);
  });

  it('a warm-up refused for the balance ends the turn with its error, keeps the question, sends no more', async () => {
    const r = await rig({
      scenario: () => ({
        status: 402,
        body: JSON.stringify({ error: { message: 'Insufficient Balance', type: 'payment_required' } }),
      }),
    });
    const log = new MemoryConversationLog();
    const s = r.session(log);
    const end = await s.ask('q', {}, () => {});
    assert.deepEqual([end.outcome, end.error?.kind], ['error', 'balance']);
    assert.equal(r.bodies().length, 1);
    assert.equal(r.bodies()[0]!.max_tokens, 1);
    assert.deepEqual(
      log.events.map((e) => e.type),
      ['conversation', 'context', 'question', 'end'],
    );
    assert.equal(s.snapshot().spentUsd, 0);
  });

  it('a cancelled answer keeps its partial text in the history', async () => {
    const r = await rig({
      scenario: (b) =>
        b.max_tokens === 1
          ? cacheAwareReply(b)
          : {
              steps: [
                { kind: 'content', text: 'partial ' },
                { kind: 'wait', ms: 30_000 },
                { kind: 'finish', reason: 'stop' },
                { kind: 'done' },
              ],
            },
    });
    const log = new MemoryConversationLog();
    const s = r.session(log);
    const abort = new AbortController();
    const end = await s.ask('q', { signal: abort.signal }, (e) => e.type === 'content' && abort.abort());
    assert.equal(end.outcome, 'cancelled');
    assert.equal(turnsOf(s.snapshot())[0]!.answer, 'partial ');
    assert.ok(log.events.some((e) => e.type === 'answer' && e.text === 'partial '));
  });

  it('reopened conversations resend the same prefix; a lost prefix is rebuilt on the current repository', async () => {
    const r = await rig();
    const log = new MemoryConversationLog();
    await r.session(log).ask('q1', {}, () => {});
    const reopened = ChatSession.open(r.ports, log).session;
    await reopened.ask('q2', {}, () => {});
    assert.equal(
      r.cache.billed.at(-1)!.hitTokens,
      r.cache.billed.at(-2)!.promptTokens,
      'the reopened conversation hit the cache',
    );
    // A new process with an empty blob store, on a changed repository.
    r.repo.edit('src/user/user0.ts', 'changed();\n');
    const fresh: SessionPorts = { ...r.ports, plan: new CachePlan(new MemoryPlanStore(), () => 0) };
    const c = collect();
    await ChatSession.open(fresh, log).session.ask('q3', {}, c.on);
    assert.equal(c.of('context')[0]!.rebased, 'base-text-missing');
    const body = r.bodies().at(-1)!;
    assert.match(body.messages[1]!.content!, /changed\(\);/);
    assert.deepEqual(
      body.messages
        .filter((m) => m.role === 'user')
        .slice(1)
        .map((m) => m.content),
      ['q1', 'q2', 'q3'],
    );
  });

  // …and keeps the warning in the history
  it('warns when the server read under half the prompt (a smaller window cut it)', async () => {
    const r = await rig();
    // The rig's server bills what it was sent: no warning.
    const c = collect();
    const end = await r.session().ask('q0', {}, c.on);
    assert.equal(end.outcome, 'complete');
    assert.equal(end.warning, undefined);
    // A server that reads only its 4,096-token window of the prompt, as Ollama does beyond num_ctx.
    const cut: SessionPorts['streamChat'] = async (...args) => {
      const res = await streamChat(...args);
      return res.usage
        ? { ...res, usage: { ...res.usage, promptTokens: 4096, cacheHitTokens: 0, cacheMissTokens: 4096 } }
        : res;
    };
    const log = new MemoryConversationLog();
    const cutEnd = await ChatSession.create({ ...r.ports, streamChat: cut }, log, PARAMS).ask('q1', {}, () => {});
    assert.equal(cutEnd.outcome, 'complete');
    assert.match(
      cutEnd.warning ?? '',
      /^The server read only 4,096 of the ~[\d,]+ prompt tokens sent, .*contextWindowTokens.*num_ctx/,
    );
    assert.equal(
      turnsOf(ChatSession.open(r.ports, log).session.snapshot())[0]!.warning,
      cutEnd.warning,
      'replayed from the history',
    );
  });

  // …a smaller window keeps a quarter for output and an eighth for the conversation
  it('repositoryBudget and fitWindow: unchanged for DeepSeek V4', () => {
    assert.equal(repositoryBudget(32_768), 1_048_576 - 32_768 - 32_768);
    assert.equal(repositoryBudget(32_768, null, 1_048_576), 983_040);
    assert.equal(repositoryBudget(32_768, 500_000), 500_000);
    assert.equal(repositoryBudget(32_768, null, 131_072), 131_072 - 32_768 - 16_384);
    assert.equal(repositoryBudget(32_768, null, 32_768), 32_768 - 8_192 - 4_096);
    assert.equal(repositoryBudget(1_024, null, 4_096), 4_096 - 1_024 - 512);
    assert.equal(repositoryBudget(32_768, 50_000, 32_768), 20_480, 'the budget setting is capped by the window');
    assert.equal(repositoryBudget(32_768, null, 2_000_000), 2_000_000 - 32_768 - 32_768);
    assert.deepEqual(fitWindow(PARAMS, undefined), PARAMS);
    assert.deepEqual(fitWindow(PARAMS, 1_048_576), PARAMS);
    assert.deepEqual(fitWindow({ ...PARAMS, maxTokens: 32_768 }, 65_536), {
      ...PARAMS,
      maxTokens: 16_384,
      windowTokens: 65_536,
    });
    assert.deepEqual(fitWindow(PARAMS, 262_144), { ...PARAMS, windowTokens: 262_144 }, 'an output that fits is kept');
    assert.deepEqual(fitWindow(PARAMS, 2_048), { ...PARAMS, maxTokens: 512, windowTokens: 2_048 });
  });

  // …and keeps it with the conversation
  it("fits a new conversation to its model's window (asked once, before the first request)", async () => {
    const asked: string[] = [];
    // Files that fit the window's budget (the fake repository sends any file left out as added in a follow-up).
    const r = await rig({
      ports: { modelWindow: (model) => (asked.push(model), 16_384) },
      files: syntheticRepo(4, 34_000),
    });
    const budgets: number[] = [];
    const pack = r.repo.pack.bind(r.repo);
    r.repo.pack = (request) => (budgets.push(request.budgetTokens), pack(request));
    const log = new MemoryConversationLog();
    const session = r.session(log);
    const c = collect();
    assert.equal((await session.ask('q0', {}, c.on)).outcome, 'complete');
    assert.deepEqual(asked, ['deepseek-v4-pro']);
    assert.deepEqual(budgets, [16_384 - 4_096 - 2_048]);
    // Output: a quarter of the window (the setting's 8,192 would not leave room); repository: the window less that
    // and an eighth for the conversation.
    assert.deepEqual(session.params, { ...PARAMS, maxTokens: 4_096, windowTokens: 16_384 });
    const ctx = c.of('context')[0]!;
    assert.ok(ctx.repositoryTokens <= 10_240 && ctx.repositoryTokens > 5_000, String(ctx.repositoryTokens));
    const main = r.bodies().at(-1)!;
    assert.equal(main.max_tokens, 4_096);
    assert.equal(main.windowTokens, undefined, 'never sent');
    const q1 = await session.ask('q1', {}, () => {});
    assert.equal(q1.outcome, 'complete', JSON.stringify(q1.error));
    assert.deepEqual(asked, ['deepseek-v4-pro'], 'a follow-up keeps the window');
    const reopened = ChatSession.open(r.ports, log).session;
    assert.deepEqual(reopened.params, session.params, 'the history keeps it');
    await reopened.ask('q2', {}, () => {});
    assert.deepEqual(asked, ['deepseek-v4-pro'], 'an opened conversation is not asked again');
    const long = Array.from({ length: 9_000 }, (_, i) => `w${i * 7919}`).join(' ');
    const grown = await reopened.ask(long, {}, () => {});
    assert.match(
      grown.error?.message ?? '',
      /^This conversation no longer fits the model's 16,384-token window\. Start a new chat/,
    );
    const tooLong = await r.session(new MemoryConversationLog()).ask(long, {}, () => {});
    assert.match(
      tooLong.error?.message ?? '',
      /^This question does not fit the model's 16,384-token window with room for the answer \(max_tokens 4,096\)\. Shorten the question or the selection\.$/,
    );
  });

  it("keeps DeepSeek V4's window when the model's is unknown, V4's own, or cannot be found out", async () => {
    for (const modelWindow of [() => undefined, () => 1_048_576, () => Promise.reject(new Error('no list'))]) {
      const r = await rig({ ports: { modelWindow } });
      const session = r.session();
      assert.equal((await session.ask('q0', {}, () => {})).outcome, 'complete');
      assert.deepEqual(session.params, PARAMS);
      assert.equal(r.bodies().at(-1)!.max_tokens, PARAMS.maxTokens);
    }
  });

  /** A server with a window of `window` tokens (by the fake's bytes/4 count), refusing longer requests as vLLM does. */
  const refusesOver =
    (window: number, reply: (b: ChatBody, i: number) => Reply = cacheAwareReply) =>
    (b: ChatBody, i: number): Reply =>
      roughPromptTokens(b) + b.max_tokens! > window
        ? {
            status: 400,
            body: JSON.stringify({
              object: 'error',
              message:
                `This model's maximum context length is ${window} tokens. However, you requested ` +
                `${roughPromptTokens(b) + b.max_tokens!} tokens.`,
              type: 'BadRequestError',
              code: 400,
            }),
          }
        : reply(b, i);

  // …and tells the runtime
  it('asks again in the window a too-long error states, keeps that window with the conversation', async () => {
    const stated: [string, number][] = [];
    const r = await rig({
      scenario: refusesOver(16_384),
      ports: { windowStated: (model, w) => stated.push([model, w]) },
      files: syntheticRepo(8, 120_000),
    });
    const log = new MemoryConversationLog();
    const session = r.session(log);
    const c = collect();
    const end = await session.ask('q0', {}, c.on);
    assert.equal(end.outcome, 'complete', JSON.stringify(end.error));
    assert.deepEqual(c.of('window'), [
      {
        type: 'window',
        windowTokens: 16_384,
        previousTokens: 1_048_576,
        message:
          "The server says deepseek-v4-pro's context window is 16,384 tokens, not the 1,048,576 this " +
          'question was packed for: packing the repository for it and asking again.',
      },
    ]);
    assert.deepEqual(stated, [['deepseek-v4-pro', 16_384]]);
    assert.deepEqual(session.params, { ...PARAMS, maxTokens: 4_096, windowTokens: 16_384 });
    const contexts = c.of('context');
    assert.deepEqual(
      contexts.map((x) => x.windowTokens),
      [undefined, 16_384],
      'packed again for the stated window',
    );
    assert.ok(
      contexts[1]!.repositoryTokens <= 10_240 && contexts[0]!.repositoryTokens > 16_384,
      `${contexts[0]!.repositoryTokens} then ${contexts[1]!.repositoryTokens}`,
    );
    const bodies = r.bodies();
    assert.equal(
      bodies.filter((b) => roughPromptTokens(b) + b.max_tokens! > 16_384).length,
      1,
      'one refused request (the warm-up), then none',
    );
    assert.equal(bodies.at(-1)!.max_tokens, 4_096);
    assert.deepEqual(
      turnsOf(session.snapshot()).map((t) => [t.question, t.outcome, t.error]),
      [['q0', 'complete', undefined]],
      'the refused try is not a turn',
    );
    const reopened = ChatSession.open(r.ports, log);
    assert.deepEqual(reopened.warnings, []);
    assert.deepEqual(reopened.session.params, session.params, 'the history keeps the stated window');
  });

  it('a first question too large for the stated window is not sent again; its history keeps the refusal', async () => {
    const r = await rig({ scenario: refusesOver(16_384), files: syntheticRepo(4, 34_000) });
    const log = new MemoryConversationLog();
    const c = collect();
    const long = Array.from({ length: 9_000 }, (_, i) => `w${i * 7919}`).join(' ');
    const end = await r.session(log).ask(long, {}, c.on);
    assert.equal(c.of('window').length, 1);
    assert.equal(end.notSent, true);
    assert.match(end.error?.message ?? '', /^This question does not fit the model's 16,384-token window/);
    const last = r.bodies().at(-1)!;
    assert.ok(roughPromptTokens(last) + last.max_tokens! > 16_384, 'nothing was sent after the refused question');
    const turns = turnsOf(ChatSession.open(r.ports, log).session.snapshot());
    assert.deepEqual(
      turns.map((t) => [t.outcome, t.error?.kind]),
      [['error', 'context_too_long']],
    );
  });

  // …the conversation takes the window, a new chat is advised
  it('a follow-up refused for a smaller stated window ends with the error', async () => {
    const stated: number[] = [];
    let refuse = false;
    const r = await rig({
      scenario: (b, i) => (refuse ? refusesOver(16_384)(b, i) : cacheAwareReply(b)),
      ports: { windowStated: (_m, w) => stated.push(w) },
      files: syntheticRepo(8, 120_000),
    });
    const session = r.session();
    assert.equal((await session.ask('q0', {}, () => {})).outcome, 'complete');
    refuse = true; // e.g. the local server was restarted with a smaller context
    const sent = r.bodies().length;
    const c = collect();
    const end = await session.ask('q1', {}, c.on);
    assert.equal(end.error?.kind, 'context_too_long');
    assert.equal(
      end.error?.message,
      "The server says deepseek-v4-pro's context window is 16,384 tokens, not the 1,048,576 this " +
        'conversation was planned for. Start a new chat: it is packed for 16,384 tokens.',
    );
    assert.equal(r.bodies().length - sent, 1, 'not asked again');
    assert.deepEqual([c.of('window').length, stated], [0, [16_384]]);
    assert.equal(session.params.windowTokens, 16_384);
    assert.deepEqual(
      turnsOf(session.snapshot()).map((t) => t.outcome),
      ['complete', 'error'],
    );
  });

  // …then says why it still does not fit
  it('asks again only once, and not for a window no smaller than the one it had', async () => {
    // States 16,384 but refuses anything over 2,000 (as if its tokenizer counted far more than DeepSeek's).
    const refused: Reply = {
      status: 400,
      body: JSON.stringify({ error: { message: "This model's maximum context length is 16384 tokens." } }),
    };
    const r = await rig({
      scenario: (b) => (roughPromptTokens(b) > 2_000 ? refused : cacheAwareReply(b)),
      files: syntheticRepo(4, 34_000),
    });
    const c = collect();
    const session = r.session();
    const end = await session.ask('q0', {}, c.on);
    assert.equal(end.error?.kind, 'context_too_long');
    assert.equal(c.of('window').length, 1);
    assert.equal(
      end.error?.message,
      "The request does not fit the model's 16,384-token window by the model's own tokenizer, though it does " +
        "by DeepSeek's, which sized it: lower deepseekRepo.contextBudgetTokens (CLI: --budget), then ask in a " +
        'new chat.',
    );
    assert.equal(r.bodies().length, 2, 'the first try and one more');
    const again = await session.ask('q1', {}, c.on);
    assert.equal(again.error?.kind, 'context_too_long');
    assert.equal(c.of('window').length, 1, 'the same window is not taken again');
  });

  it('promptCutWarning: only for a long prompt billed at under half its tokens', () => {
    const usage = (promptTokens: number) => ({
      promptTokens,
      cacheHitTokens: 0,
      cacheMissTokens: promptTokens,
      completionTokens: 10,
    });
    assert.match(promptCutWarning(100_000, usage(4096)) ?? '', /read only 4,096 of the ~100,000 prompt tokens/);
    assert.ok(promptCutWarning(100_000, usage(49_999)));
    assert.equal(
      promptCutWarning(100_000, usage(50_000)),
      undefined,
      'another tokenizer counts differently, never half',
    );
    assert.equal(promptCutWarning(7_999, usage(100)), undefined, 'short prompts are not judged');
    assert.equal(promptCutWarning(100_000, usage(0)), undefined, 'a server that reports no prompt tokens');
    assert.equal(promptCutWarning(100_000, undefined), undefined);
  });

  it('refuses a question that does not fit the window, without sending or saving it', async () => {
    const r = await rig();
    const log = new MemoryConversationLog();
    const end = await r
      .session(log)
      .ask(Array.from({ length: 450_000 }, (_, i) => `w${i * 7919}`).join(' '), {}, () => {});
    assert.equal(end.error?.kind, 'context_too_long');
    assert.equal(end.notSent, true);
    assert.equal(r.bodies().length, 0);
    assert.equal(log.events.length, 0);
  });

  it('estimates a question without sending or saving anything', async () => {
    const r = await rig();
    const log = new MemoryConversationLog();
    const info = await r.session(log).estimate('what would this cost?');
    assert.ok(info.repositoryTokens > 10_000 && info.estimate.promptTokens > info.repositoryTokens);
    assert.equal(info.warmup, true);
    assert.equal(r.bodies().length, 0);
    assert.equal(log.events.length, 0);
  });
});
