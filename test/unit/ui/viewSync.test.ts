// The chat view's handshake and host state (viewSync.ts, viewChannel.ts), through a fake webview:
// nothing is sent before `ready`, which gets init and the whole transcript (a reloaded webview's
// conversation reopened); the config's picker and windows; the model and effort the user picks; the
// editor chip told only when it changes.
import * as assert from 'node:assert/strict';
import type { HostToWebview } from '../../../src/protocol/messages';
import { hostConfig, type HostState } from '../../../src/ui/viewSync';
import { chatViewKit, type Kit } from './chatViewKit';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

const seen = { hasKey: true, trusted: true, hasWorkspace: true };
const state: HostState = {
  hasKey: true,
  trusted: true,
  hasWorkspace: true,
  configuredModels: ['deepseek-v4-pro', 'deepseek-flash'],
  windowSet: false,
};

describe('chat view: handshake and host state', () => {
  let kit: Kit;
  beforeEach(async () => (kit = await chatViewKit()));
  afterEach(() => kit.close());

  it('sends nothing before ready; ready gets init, then the transcript so far, then the editor chip', async () => {
    kit.editor = { label: 'src/a.ts:3', note: 'src/a.ts, cursor on line 3' };
    await kit.view.receive({ type: 'ask', question: 'asked before the view was ready' });
    assert.deepEqual(kit.posted, []);
    assert.equal(kit.view.channel.transcript.turns[0]!.outcome, 'complete', 'the mirror kept the answer');
    await kit.view.receive({ type: 'ready' });
    const [init, replay, editor] = kit.take() as [Msg<'init'>, Msg<'replay'>, Msg<'editor'>];
    assert.deepEqual(init, {
      type: 'init',
      surface: 'panel',
      config: { ...seen, models: ['deepseek-v4-pro', 'deepseek-flash'], model: 'deepseek-v4-pro', effort: 'high' },
    });
    assert.equal(replay.type, 'replay');
    assert.equal(replay.conversation.turns[0]!.question, 'asked before the view was ready');
    assert.match(replay.conversation.turns[0]!.answer, /You asked/);
    assert.deepEqual(editor, { type: 'editor', label: 'src/a.ts:3', note: 'src/a.ts, cursor on line 3' });
  });

  it('a reloaded webview gets back the stored conversation it still shows', async () => {
    await kit.view.receive({ type: 'ready' });
    await kit.view.receive({ type: 'ask', question: 'before the reload' });
    const id = (kit.posted.at(-1) as Msg<'end'>).conversationId!;
    // A window reload: a new host side with nothing open, the same history.
    const reloaded = await chatViewKit({ like: kit, open: new Map() });
    await reloaded.view.receive({ type: 'ready', conversationId: id });
    const replay = reloaded.posted[1] as Msg<'replay'>;
    assert.equal(replay.type, 'replay');
    assert.equal(replay.conversation.id, id);
    assert.deepEqual(
      replay.conversation.turns.map((t) => t.question),
      ['before the reload'],
    );
    await reloaded.view.receive({ type: 'ask', question: 'after it' });
    assert.equal((reloaded.posted.at(-1) as Msg<'end'>).conversationId, id, 'the follow-up continues it');
    await reloaded.close();
  });

  it('offers the endpoint’s models once listed, and the model and effort picked for the next chat', async () => {
    kit.listed = { models: ['qwen3-coder', 'deepseek-v4-pro'], windows: new Map([['qwen3-coder', 32768]]) };
    await kit.view.receive({ type: 'ready' });
    await kit.next((m) => m.type === 'config');
    const config = kit.posted.find((m) => m.type === 'config')!.config;
    assert.deepEqual(config.models, ['deepseek-v4-pro', 'deepseek-flash', 'qwen3-coder']);
    assert.deepEqual(config.windows, [{ id: 'qwen3-coder', tokens: 32768 }]);
    kit.take();
    await kit.view.receive({ type: 'setOptions', model: 'deepseek-flash', effort: 'off' });
    const picked = (await kit.next((m) => m.type === 'config')) as Msg<'config'>;
    assert.deepEqual([picked.config.model, picked.config.effort], ['deepseek-flash', 'off']);
    assert.deepEqual(kit.choices, [{ model: 'deepseek-flash', effort: 'off' }], 'kept for the next window');
    await kit.view.receive({ type: 'ask', question: 'on flash' });
    const sent = kit.server.chatRequests().at(-1)!.body!;
    assert.equal(sent.model, 'deepseek-flash');
    assert.equal(sent.thinking?.type, 'disabled');
  });

  it('tells the composer where the editor is only when that changed, and only once ready', async () => {
    kit.editor = { label: 'src/a.ts:1', note: 'src/a.ts, cursor on line 1' };
    kit.view.sync.sendEditor();
    assert.deepEqual(kit.posted, []);
    await kit.view.receive({ type: 'ready' });
    kit.take();
    kit.view.sync.sendEditor();
    assert.deepEqual(kit.take(), []);
    kit.editor = undefined;
    kit.view.sync.sendEditor();
    kit.view.sync.sendEditor();
    assert.deepEqual(kit.take(), [{ type: 'editor' }]);
  });

  it('Focus Chat Input reaches the question box: at once when ready, else right after the handshake', async () => {
    kit.view.sync.focusInput();
    assert.deepEqual(kit.posted, []);
    await kit.view.receive({ type: 'ready' });
    assert.deepEqual(
      kit.take().map((m) => m.type),
      ['init', 'replay', 'editor', 'focusInput'],
    );
    kit.view.sync.focusInput();
    assert.deepEqual(kit.take(), [{ type: 'focusInput' }]);
    await kit.view.receive({ type: 'ready' });
    assert.ok(!kit.take().some((m) => m.type === 'focusInput'), 'a later reload does not take the focus');
    kit.view.sync.showHistory();
    assert.deepEqual(kit.take(), [{ type: 'showHistory' }], 'Show Chat History opens the list');
  });

  it('refresh tells the view what changed (a key set) and asks for the endpoint’s models', async () => {
    await kit.view.receive({ type: 'ready' });
    kit.take();
    kit.host = { ...kit.host, hasKey: false, localEndpoint: 'localhost:11434' };
    await kit.view.sync.refresh();
    const config = (kit.take()[0] as Msg<'config'>).config;
    assert.deepEqual([config.hasKey, config.localEndpoint], [false, 'localhost:11434']);
  });
});

describe('hostConfig', () => {
  const listed = { models: ['deepseek-v4-pro', 'other'], windows: new Map([['other', 65536]]) };
  it('puts the chosen model in the picker and names the windows the endpoint reports', () => {
    assert.deepEqual(hostConfig(state, { model: 'mine', effort: 'max' }, listed), {
      ...seen,
      models: ['deepseek-v4-pro', 'deepseek-flash', 'mine', 'other'],
      windows: [{ id: 'other', tokens: 65536 }],
      model: 'mine',
      effort: 'max',
    });
  });
  it('names no window when the user set one for every model', () => {
    assert.equal(hostConfig({ ...state, windowSet: true }, { model: 'm', effort: 'high' }, listed).windows, undefined);
  });
});
