// The chat view in act mode, through a fake webview over the real session against the
// fake DeepSeek server playing an agent task: the mode switch is remembered by the host and told to
// the composer; a question in act mode starts a conversation that offers the tools, runs them
// through the view's agent ports, and the webview gets each call as a step (running, then done), the
// same steps a reloaded view replays; a chat started in answer mode says acting needs a new chat.
import * as assert from 'node:assert/strict';
import type { HostToWebview } from '../../../src/protocol/messages';
import { agentTask } from '../../fake-server/agentScenario';
import { repoPorts } from '../chat/agent/fakes';
import { chatViewKit, type Kit } from './chatViewKit';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;

describe('chat view: act mode', function () {
  let kit: Kit;
  beforeEach(
    async () =>
      (kit = await chatViewKit({
        scenario: agentTask,
        agent: (repo) => {
          const p = repoPorts(repo, { problems: [] });
          return {
            workspace: p.workspace,
            frontEnd: p.frontEnd,
            policy: { edits: 'review', commands: { allowed: ['node --version'], ask: false } },
          };
        },
      })),
  );
  afterEach(() => kit.close());

  it('remembers the mode the composer switched to and tells the composer', async () => {
    await kit.view.receive({ type: 'ready' });
    assert.equal((kit.posted[0] as Msg<'init'>).config.act, false);
    kit.take();
    await kit.view.receive({ type: 'setMode', act: true });
    assert.equal(kit.act, true);
    assert.equal(((await kit.next((m) => m.type === 'config')) as Msg<'config'>).config.act, true);
  });

  it("an editor command's own model in the picker leaves the switch on Act (the turns still act)", async () => {
    await kit.view.receive({ type: 'ready' });
    await kit.view.receive({ type: 'setMode', act: true });
    kit.take();
    await kit.view.sync.show({ model: 'deepseek-flash', effort: 'off' });
    const config = ((await kit.next((m) => m.type === 'config')) as Msg<'config'>).config;
    assert.deepEqual([config.model, config.effort, config.act], ['deepseek-flash', 'off', true]);
    assert.equal(kit.view.sync.options.act, true);
  });

  it('acts: the tools run, each call is a step the webview shows live, and a reload replays the steps', async () => {
    await kit.view.receive({ type: 'ready' });
    await kit.view.receive({ type: 'setMode', act: true });
    kit.take();
    await kit.view.receive({ type: 'ask', question: 'Fix the constant' });
    const posted = kit.take();
    const end = posted.at(-1) as Msg<'end'>;
    assert.equal(end.outcome, 'complete', end.message);
    const steps = posted.filter((m): m is Msg<'toolStep'> => m.type === 'toolStep').map((m) => m.step);
    assert.deepEqual(
      steps.map((s) => [s.name, s.ok]),
      [
        ['read_files', undefined],
        ['read_files', true],
        ['edit_files', undefined],
        ['edit_files', true],
        ['run_command', undefined],
        ['run_command', true],
        ['get_problems', undefined],
        ['get_problems', true],
      ],
    );
    assert.equal(steps[3]!.label, 'edit README.md, src/a.ts');
    assert.deepEqual(steps[3]!.files, [
      { path: 'README.md', state: 'applied' },
      { path: 'src/a.ts', state: 'applied' },
    ]);
    assert.equal(steps[5]!.exitCode, 0);
    assert.equal(kit.repo.files.get('src/a.ts'), 'export const a = 1; // edited by the agent\n');
    const live = kit.view.channel.transcript.turns[0]!.steps;
    assert.equal(live?.length, 4);
    // A window reload: the stored conversation comes back with the same steps.
    const reloaded = await chatViewKit({ like: kit, open: new Map() });
    await reloaded.view.receive({ type: 'ready', conversationId: end.conversationId! });
    const replay = reloaded.posted[1] as Msg<'replay'>;
    assert.deepEqual(replay.conversation.turns[0]!.steps, live);
    // Undo, from the reloaded view: the texts from before the turn, from the history.
    await reloaded.view.receive({ type: 'undoTurn', index: 0 });
    assert.deepEqual(reloaded.undone, [
      [
        { path: 'README.md', restore: '# demo\n', expected: '# demo // edited by the agent\n' },
        {
          path: 'src/a.ts',
          restore: 'export const a = 1;\n',
          expected: 'export const a = 1; // edited by the agent\n',
        },
      ],
    ]);
    assert.deepEqual(reloaded.shown.at(-1), 'info: restored 2');
    await reloaded.close();
  });

  it('a chat started in answer mode answers, and says acting needs a new chat', async () => {
    await kit.view.receive({ type: 'ready' });
    await kit.view.receive({ type: 'ask', question: 'What is a?' });
    await kit.view.receive({ type: 'setMode', act: true });
    kit.take();
    await kit.view.receive({ type: 'ask', question: 'Now fix it' });
    const posted = kit.take();
    assert.ok(posted.some((m) => m.type === 'notice' && m.message.includes('acting needs a New Chat')));
    assert.ok(!posted.some((m) => m.type === 'toolStep'));
    assert.equal(kit.server.chatRequests().at(-1)!.body!.tools, undefined);
  });
});
