// The chat view's past conversations (historyActions.ts), driven through a fake webview: the list,
// opening one into the view (not while an answer streams), deleting one only after the user says
// so (the open one clears the view), and exporting one as Markdown.
import * as assert from 'node:assert/strict';
import type { HostToWebview } from '../../../src/protocol/messages';
import { SCENARIOS } from '../../fake-server/scenarios';
import { chatViewKit, type Kit } from './chatViewKit';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

describe('chat view: history', () => {
  let kit: Kit;
  let first: string;
  let second: string;
  beforeEach(async () => {
    kit = await chatViewKit();
    await kit.view.receive({ type: 'ready' });
    await kit.view.receive({ type: 'ask', question: 'first conversation' });
    first = (kit.posted.at(-1) as Msg<'end'>).conversationId!;
    await kit.view.receive({ type: 'newChat' });
    await kit.view.receive({ type: 'ask', question: 'second conversation' });
    second = (kit.posted.at(-1) as Msg<'end'>).conversationId!;
    kit.take();
  });
  afterEach(() => kit.close());

  it('lists the conversations with their titles and turns', async () => {
    await kit.view.receive({ type: 'listHistory' });
    const list = kit.take() as Msg<'history'>[];
    assert.equal(list.length, 1);
    assert.deepEqual(
      list[0]!.conversations.map((c) => [c.id, c.title, c.turns]).sort(),
      [
        [first, 'first conversation', 1],
        [second, 'second conversation', 1],
      ].sort(),
    );
  });

  it(
    'leaves out a conversation whose every question failed before an answer ' + '(a rejected key), once it is left',
    async () => {
      kit.server.setScenario(SCENARIOS['401']);
      await kit.view.receive({ type: 'newChat' });
      await kit.view.receive({ type: 'ask', question: 'first conversation' });
      const failed = kit.posted.at(-1) as Msg<'end'>;
      assert.equal(failed.errorKind, 'auth');
      kit.take();
      await kit.view.receive({ type: 'listHistory' });
      const shown = (kit.take()[0] as Msg<'history'>).conversations.map((c) => c.id);
      assert.ok(shown.includes(failed.conversationId!), 'listed while it is open');
      await kit.view.receive({ type: 'newChat' });
      await kit.view.receive({ type: 'listHistory' });
      const history = kit.take().find((m) => m.type === 'history')!;
      assert.deepEqual(history.conversations.map((c) => c.id).sort(), [first, second].sort(), 'no failed duplicate');
    },
  );

  it('opens a conversation into the view, and says so when it no longer exists', async () => {
    await kit.view.receive({ type: 'openConversation', id: first });
    const [replay, history] = kit.take() as [Msg<'replay'>, Msg<'history'>];
    assert.equal(replay.type, 'replay');
    assert.deepEqual(
      replay.conversation.turns.map((t) => t.question),
      ['first conversation'],
    );
    assert.equal(history.type, 'history');
    await kit.view.receive({ type: 'ask', question: 'a follow-up' });
    assert.equal((kit.posted.at(-1) as Msg<'end'>).conversationId, first, 'the follow-up is in the opened one');
    kit.take();
    await kit.view.receive({ type: 'openConversation', id: 'gone' });
    assert.deepEqual(kit.shown, ['warn: That conversation no longer exists.']);
    assert.deepEqual(
      kit.take().map((m) => m.type),
      ['history'],
    );
  });

  it('does not open another conversation while an answer streams', async () => {
    kit.server.setScenario(() => ({ steps: [{ kind: 'content', text: 'x' }, { kind: 'stall' }] }));
    const running = kit.view.receive({ type: 'ask', question: 'streaming' });
    const delta = (await kit.next((m) => m.type === 'contentDelta')) as Msg<'contentDelta'>;
    kit.take();
    await kit.view.receive({ type: 'openConversation', id: first });
    assert.deepEqual(kit.shown, ['info: Stop the current answer before opening another conversation.']);
    assert.deepEqual(kit.take(), []);
    await kit.view.receive({ type: 'cancel', requestId: delta.requestId });
    await running;
  });

  it('deletes only after the user confirms; deleting the open one clears the view', async () => {
    kit.confirmAnswers.push(false);
    await kit.view.receive({ type: 'deleteConversation', id: first });
    assert.deepEqual(kit.shown, ['confirm: Delete the conversation “first conversation”?']);
    assert.deepEqual(kit.take(), [], 'declined: nothing changed');
    await kit.view.receive({ type: 'deleteConversation', id: first });
    const afterFirst = kit.take() as Msg<'history'>[];
    assert.deepEqual(
      afterFirst.map((m) => m.type),
      ['history'],
    );
    assert.deepEqual(
      afterFirst[0]!.conversations.map((c) => c.id),
      [second],
    );
    assert.equal(
      kit.view.channel.transcript.turns.length,
      1,
      'another conversation was deleted: the view keeps its own',
    );
    await kit.view.receive({ type: 'deleteConversation', id: second });
    assert.deepEqual(kit.take(), [
      { type: 'replay', conversation: { title: '', turns: [] } },
      { type: 'history', conversations: [] },
    ]);
  });

  it('exports a conversation as Markdown; an unknown one opens nothing', async () => {
    await kit.view.receive({ type: 'exportConversation', id: first });
    assert.equal(kit.markdown.length, 1);
    assert.match(kit.markdown[0]!, /first conversation/);
    await kit.view.receive({ type: 'exportConversation', id: 'gone' });
    assert.equal(kit.markdown.length, 1);
  });
});
