// ChatSession's turns after the fact: regenerate and edit-and-resend, continue an interrupted answer,
// a cancelled answer, and a reopened conversation's prefix.
import * as assert from 'node:assert/strict';
import { CachePlan } from '../../../src/chat/cachePlan';
import { turnsOf } from '../../../src/chat/conversation';
import { MemoryConversationLog } from '../../../src/chat/history';
import { MemoryPlanStore } from '../../../src/chat/planStore';
import { CONTINUE_PROMPT } from '../../../src/chat/prompt';
import { ChatSession } from '../../../src/chat/session';
import type { SessionPorts } from '../../../src/chat/sessionTypes';
import { cacheAwareReply } from '../../fake-server/cacheModel';
import { rig, collect, closeRigsAfterEach } from './sessionKit';

describe('chat session', function () {
  closeRigsAfterEach();

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
});
