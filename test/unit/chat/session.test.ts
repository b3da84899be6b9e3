// ChatSession against the real streaming client and the fake DeepSeek server billing with V4's
// cache-unit rules: message layout, fixed parameters, the service, follow-ups and updated files, where the
// editor is, and an estimate that sends nothing.
import * as assert from 'node:assert/strict';
import { exportMarkdown } from '../../../src/chat/exportMarkdown';
import { fixedParamChanges, turnsOf } from '../../../src/chat/conversation';
import { MemoryConversationLog } from '../../../src/chat/history';
import { editorNote, REPOSITORY_ACK, SYSTEM_PROMPT, UPDATE_ACK } from '../../../src/chat/prompt';
import { ChatService } from '../../../src/chat/service';
import { ChatSession } from '../../../src/chat/session';
import { HistoryStore } from '../../../src/chat/history';
import type { RequestParams } from '../../../src/llm/types';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PARAMS, rig, collect, closeRigsAfterEach } from './sessionKit';

describe('chat session', function () {
  closeRigsAfterEach();

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
