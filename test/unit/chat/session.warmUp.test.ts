// ChatSession's one-shot reuse of the base pack: warm-ups judged from billed usage, re-basing, the
// confirmation before an expensive question, and a warm-up the balance refuses.
import * as assert from 'node:assert/strict';
import { MemoryConversationLog } from '../../../src/chat/history';
import { ChatSession } from '../../../src/chat/session';
import type { SessionPorts } from '../../../src/chat/sessionTypes';
import { streamChat } from '../../../src/llm/client';
import { MemoryRepo, syntheticRepo } from '../../fakes/memoryRepo';
import { PARAMS, rig, collect, hitRatio, closeRigsAfterEach } from './sessionKit';

describe('chat session', function () {
  closeRigsAfterEach();

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
});
