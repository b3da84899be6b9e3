// The chat view's conversation runner (conversationRunner.ts), driven through a fake webview over
// the real session and the fake server: each request posts turnStart, the session's messages and
// exactly one end; one request at a time; Stop, regenerate, edit & resend, continue, New Chat and an
// editor command's task; nothing is sent when the gate says no.
import * as assert from 'node:assert/strict';
import type { TaskPrompt } from '../../../src/chat/tasks';
import type { HostToWebview } from '../../../src/protocol/messages';
import { answerReply } from '../../fake-server/scenarios';
import { chatViewKit, readyKitEach, typesOf, type Kit } from './chatViewKit';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;
const task = (question: string): TaskPrompt => ({
  kind: 'explainFile',
  title: question,
  question,
  shown: { text: question },
  focus: {},
});

describe('chat view: the conversation runner', () => {
  let kit: Kit;
  readyKitEach((k) => (kit = k));

  it('asks: turnStart, context, thinking, answer, usage, one end naming the stored conversation', async () => {
    await kit.view.receive({ type: 'ask', question: 'What does a.ts export?' });
    const posted = kit.take();
    const types = typesOf(posted);
    assert.equal(types[0], 'turnStart');
    assert.equal(types[1], 'context');
    assert.ok(types.indexOf('reasoningDelta') < types.indexOf('contentDelta'), types.join());
    assert.deepEqual(types.slice(-2), ['usage', 'end']);
    assert.equal(types.filter((t) => t === 'end').length, 1);
    const start = posted[0] as Msg<'turnStart'>;
    assert.deepEqual(start, {
      type: 'turnStart',
      requestId: start.requestId,
      index: 0,
      question: 'What does a.ts export?',
    });
    assert.ok(posted.every((m) => !('requestId' in m) || m.requestId === start.requestId));
    const end = posted.at(-1) as Msg<'end'>;
    assert.equal(end.outcome, 'complete');
    assert.ok(end.conversationId, 'the end names the stored conversation');
    const usage = (posted.at(-2) as Msg<'usage'>).usage;
    assert.deepEqual(kit.costs, [{ usage, total: usage.costUsd }], 'the status bar shows the answer and the total');
    assert.match(kit.view.channel.transcript.turns[0]!.answer, /You asked: What does a.ts export\?/);
  });

  it('sends where the editor is only when the composer chip is on', async () => {
    kit.editor = { label: 'src/a.ts:1', note: 'src/a.ts, cursor on line 1' };
    await kit.view.receive({ type: 'ask', question: 'with', withEditor: true });
    await kit.view.receive({ type: 'ask', question: 'without', withEditor: false });
    const starts = kit.posted.filter((m): m is Msg<'turnStart'> => m.type === 'turnStart');
    assert.equal(starts[0]!.editor, 'src/a.ts, cursor on line 1');
    assert.equal(starts[1]!.editor, undefined);
    const questions = kit.server.chatRequests().map((r) => r.body!.messages.at(-1)!.content);
    assert.equal(questions[0], 'with\n\n<editor>src/a.ts, cursor on line 1</editor>');
    assert.equal(questions[1], 'without');
  });

  it('runs one request at a time, and Stop ends it as cancelled with its partial answer', async () => {
    kit.server.setScenario(() => ({ steps: [{ kind: 'content', text: 'partial ' }, { kind: 'stall' }] }));
    const first = kit.view.receive({ type: 'ask', question: 'long' });
    const delta = (await kit.next((m) => m.type === 'contentDelta')) as Msg<'contentDelta'>;
    await kit.view.receive({ type: 'ask', question: 'meanwhile' });
    assert.deepEqual(kit.shown, ['info: An answer is still streaming: stop it first (Escape).']);
    await kit.view.receive({ type: 'cancel', requestId: 'not-this-one' });
    await kit.view.receive({ type: 'cancel', requestId: delta.requestId });
    await first;
    const end = kit.posted.at(-1) as Msg<'end'>;
    assert.deepEqual([end.type, end.outcome, end.requestId], ['end', 'cancelled', delta.requestId]);
    assert.equal(kit.posted.filter((m) => m.type === 'turnStart').length, 1, 'the second question was not started');
    assert.equal(kit.view.channel.transcript.turns[0]!.answer, 'partial ');
    assert.equal(kit.server.chatRequests().length, 1);
  });

  it('regenerates the last answer with its editor note, and edits and resends an earlier question', async () => {
    kit.editor = { label: 'src/a.ts:1', note: 'src/a.ts, cursor on line 1' };
    await kit.view.receive({ type: 'ask', question: 'one' });
    await kit.view.receive({ type: 'ask', question: 'two', withEditor: true });
    kit.editor = { label: 'src/a.ts:2', note: 'src/a.ts, cursor on line 2' };
    kit.take();
    await kit.view.receive({ type: 'regenerate' });
    const regen = kit.take()[0] as Msg<'turnStart'>;
    assert.deepEqual([regen.index, regen.question, regen.editor], [1, 'two', 'src/a.ts, cursor on line 1']);
    await kit.view.receive({ type: 'editAndResend', index: 0, question: 'one, again', withEditor: true });
    const edit = kit.take()[0] as Msg<'turnStart'>;
    assert.deepEqual([edit.index, edit.question, edit.editor], [0, 'one, again', 'src/a.ts, cursor on line 2']);
    assert.deepEqual(
      kit.view.channel.transcript.turns.map((t) => t.question),
      ['one, again'],
      'the turns after the edited one are gone',
    );
    await kit.view.receive({ type: 'editAndResend', index: 5, question: 'no such turn' });
    assert.deepEqual(kit.take(), []);
  });

  it('continues an interrupted answer in place, and says so when there is nothing to continue', async () => {
    kit.server.setScenario((_b, i) =>
      i === 0 ? { steps: [{ kind: 'content', text: 'partial ' }, { kind: 'cut' }] } : answerReply('rest.'),
    );
    await kit.view.receive({ type: 'ask', question: 'long one' });
    assert.equal((kit.posted.at(-1) as Msg<'end'>).outcome, 'interrupted');
    kit.take();
    await kit.view.receive({ type: 'continue' });
    const posted = kit.take();
    assert.deepEqual((posted[0] as Msg<'turnStart'>).continued, true);
    assert.equal((posted.at(-1) as Msg<'end'>).outcome, 'complete');
    assert.equal(kit.view.channel.transcript.turns[0]!.answer, 'partial rest.');
    await kit.view.receive({ type: 'continue' });
    const end = kit.take().at(-1) as Msg<'end'>;
    assert.equal(end.outcome, 'error');
    assert.match(end.message ?? '', /nothing to continue/);
  });

  it('offers Continue for a complete answer the output limit cut, and Continue finishes it in place', async () => {
    kit.server.setScenario((_b, i) => (i === 0 ? answerReply('partial ', 'length') : answerReply('rest.')));
    await kit.view.receive({ type: 'ask', question: 'long one' });
    const cut = kit.take().at(-1) as Msg<'end'>;
    assert.deepEqual(
      [cut.outcome, cut.message, cut.continuable],
      ['complete', 'The answer reached the output limit (4,096 tokens): Continue finishes it.', true],
    );
    assert.equal(kit.view.channel.transcript.turns[0]!.continuable, true, 'a reloaded view offers it too');
    await kit.view.receive({ type: 'continue' });
    const posted = kit.take();
    assert.equal((posted[0] as Msg<'turnStart'>).continued, true);
    const end = posted.at(-1) as Msg<'end'>;
    assert.deepEqual([end.outcome, end.message, end.continuable], ['complete', undefined, undefined]);
    const turn = kit.view.channel.transcript.turns[0]!;
    assert.deepEqual([turn.answer, turn.continuable, turn.message], ['partial rest.', undefined, undefined]);
  });

  it('New Chat clears the view and the next question starts another conversation', async () => {
    await kit.view.receive({ type: 'ask', question: 'first' });
    const firstId = (kit.posted.at(-1) as Msg<'end'>).conversationId;
    await kit.view.receive({ type: 'newChat' });
    assert.deepEqual(kit.posted.at(-1), { type: 'replay', conversation: { title: '', turns: [] } });
    await kit.view.receive({ type: 'ask', question: 'second' });
    const end = kit.posted.at(-1) as Msg<'end'>;
    assert.ok(end.conversationId && end.conversationId !== firstId);
    assert.equal(kit.view.channel.transcript.turns.length, 1);
  });

  it(
    'sends nothing when the gate says no (trust, folder or key missing), ' + 'and gives the typed question back',
    async () => {
      kit.canSend = false;
      await kit.view.receive({ type: 'ask', question: 'hi' });
      assert.deepEqual(
        kit.take(),
        [{ type: 'unsent', question: 'hi' }],
        'back into the box: the key prompt was cancelled',
      );
      assert.equal(kit.server.chatRequests().length, 0);
      kit.canSend = true;
      await kit.view.receive({ type: 'ask', question: 'first' });
      kit.canSend = false;
      kit.take();
      await kit.view.receive({ type: 'regenerate' });
      assert.deepEqual(kit.take(), [], 'nothing typed, nothing given back');
    },
  );

  it('gives a question declined at the cost question back to the box', async () => {
    const costly = await chatViewKit({ confirmAboveUsd: 1e-9 });
    try {
      await costly.view.receive({ type: 'ready' });
      costly.take();
      costly.costAnswers.push(false);
      await costly.view.receive({ type: 'ask', question: 'an expensive question' });
      const posted = costly.take();
      assert.deepEqual(posted.at(-2), { type: 'unsent', question: 'an expensive question' });
      assert.equal(costly.server.chatRequests().length, 0);
    } finally {
      await costly.close();
    }
  });

  it("runs an editor command's task as a new conversation and returns its turn; not while one streams", async () => {
    await kit.view.receive({ type: 'ask', question: 'before' });
    const turn = await kit.view.runner.runTask(task('Explain a.ts'), 'deepseek-flash');
    assert.equal(turn?.question, 'Explain a.ts');
    assert.equal(turn?.outcome, 'complete');
    assert.equal(kit.view.channel.transcript.turns.length, 1, 'a new conversation');
    assert.equal(kit.view.channel.transcript.turns[0]!.question, 'Explain a.ts');
    assert.equal(kit.server.chatRequests().at(-1)!.body!.model, 'deepseek-flash');
    // The model shown is the model that answered, and answers the follow-up.
    const config = kit.posted.filter((m) => m.type === 'config').at(-1);
    assert.equal(config?.config.model, 'deepseek-flash', 'the picker says deepseek-flash');
    await kit.view.receive({ type: 'ask', question: 'follow-up' });
    assert.equal(kit.server.chatRequests().at(-1)!.body!.model, 'deepseek-flash');
    assert.equal(kit.view.sync.options.model, 'deepseek-flash');

    kit.server.setScenario(() => ({ steps: [{ kind: 'content', text: 'x' }, { kind: 'stall' }] }));
    const running = kit.view.receive({ type: 'ask', question: 'streaming' });
    const delta = (await kit.next((m) => m.type === 'contentDelta' && m.text === 'x')) as Msg<'contentDelta'>;
    assert.equal(await kit.view.runner.runTask(task('t'), 'deepseek-flash'), undefined);
    assert.equal(kit.shown.at(-1), 'info: An answer is still streaming in the DeepSeek panel: stop it first (Escape).');
    await kit.view.receive({ type: 'cancel', requestId: delta.requestId });
    await running;
  });

  it('shows what an editor command asked for, not its prompt: live, regenerated, stored, reopened', async () => {
    const prompt = 'Explain the file `src/a.ts` (it is in the repository above): its purpose, its main parts…';
    const shown = { text: 'Explain src/a.ts', files: ['src/a.ts'] };
    await kit.view.runner.runTask(
      { kind: 'explainFile', title: 'Explain src/a.ts', question: prompt, shown, focus: {} },
      'deepseek-flash',
    );
    const start = kit.posted.find((m) => m.type === 'turnStart')!;
    assert.deepEqual([start.question, start.shown], [prompt, shown], 'the prompt is kept, what was asked is shown');
    assert.equal(kit.server.chatRequests().at(-1)!.body!.messages.at(-1)!.content, prompt, 'the prompt is sent');
    assert.equal(kit.view.channel.transcript.title, 'Explain src/a.ts');
    kit.take();
    await kit.view.receive({ type: 'regenerate' });
    assert.deepEqual((kit.take()[0] as Msg<'turnStart'>).shown, shown, 'Regenerate keeps it');
    await kit.view.receive({ type: 'listHistory' });
    const [item] = kit.take().find((m) => m.type === 'history')!.conversations;
    assert.equal(item!.title, 'Explain src/a.ts', 'History is titled by what was asked');
    await kit.view.receive({ type: 'exportConversation', id: item!.id });
    assert.match(kit.markdown[0]!, /^# Explain src\/a\.ts\n/);
    assert.match(kit.markdown[0]!, /> Explain src\/a\.ts\n>\n> Files: `src\/a\.ts`\n/);
    assert.match(
      kit.markdown[0]!,
      /<details><summary>Full prompt<\/summary>\n\n```+text\nExplain the file `src\/a\.ts`/,
    );
    const reopened = await chatViewKit({ like: kit, open: new Map() });
    await reopened.view.receive({ type: 'ready', conversationId: item!.id });
    const replay = reopened.posted.find((m) => m.type === 'replay')!;
    assert.deepEqual(replay.conversation.turns[0]!.shown, shown, 'a reopened conversation shows it too');
    assert.equal(replay.conversation.turns[0]!.question, prompt);
    await kit.view.receive({ type: 'editAndResend', index: 0, question: 'my own words' });
    assert.equal(kit.view.channel.transcript.turns[0]!.shown, undefined, 'an edited question is the user’s own');
    await reopened.close();
  });
});
