// The chat's buttons and links (viewActions.ts) and the view's message routing (chatView.ts), through
// a fake webview: each action reaches the editor once with its arguments, only http(s) links leave
// VS Code, a change set shows under its answer, a malformed message is ignored with a warning, and a failing action is
// logged and shown once.
import * as assert from 'node:assert/strict';
import type { ChangeSetSummary } from '../../../src/protocol/messages';
import { readyKitEach, type Kit } from './chatViewKit';

describe('chat view: editor actions and routing', () => {
  let kit: Kit;
  readyKitEach((k) => (kit = k));

  it('hands each action to the editor with its arguments', async () => {
    const messages = [
      { type: 'setApiKey' },
      { type: 'openContextSettings' },
      { type: 'manageTrust' },
      { type: 'showContext' },
      { type: 'openFile', path: 'src/a.ts', line: 3, endLine: 5 },
      { type: 'copy', text: 'x = 1' },
      { type: 'insertCode', code: 'let a = 1;' },
      { type: 'applyCode', code: 'let a = 2;', path: 'src/a.ts', language: 'ts' },
      { type: 'applyCode', code: 'let a = 3;' },
      { type: 'newFile', code: 'print(1)', language: 'python' },
      { type: 'openLink', href: 'https://example.com/a' },
    ];
    for (const m of messages) await kit.view.receive(m);
    assert.deepEqual(kit.calls, [
      ['command', 'deepseekRepo.setApiKey'],
      ['command', 'workbench.action.openSettings', 'deepseekRepo.context'],
      ['command', 'workbench.trust.manage'],
      ['command', 'deepseekRepo.showContext'],
      ['openFile', { type: 'openFile', path: 'src/a.ts', line: 3, endLine: 5 }],
      ['copy', 'x = 1'],
      ['insertAtCursor', 'let a = 1;'],
      ['apply', 'let a = 2;', 'src/a.ts'],
      ['apply', 'let a = 3;', undefined],
      ['newFile', 'print(1)', 'python', undefined],
      ['openExternal', 'https://example.com/a'],
    ]);
    assert.deepEqual(kit.take(), [], 'the view is told nothing');
  });

  it('shows the change set of an applied block under its answer; routes Accept, Undo and Show Diff', async () => {
    await kit.view.receive({ type: 'ask', question: 'first' });
    await kit.view.receive({ type: 'ask', question: 'second' });
    kit.take();
    const reviewing: ChangeSetSummary = {
      id: 'c1',
      title: 'src/a.ts ↔ DeepSeek proposal',
      status: 'reviewing',
      files: [{ path: 'src/a.ts', state: 'proposed', added: 2, removed: 1 }],
    };
    const applied: ChangeSetSummary = { ...reviewing, status: 'applied' };
    kit.applyUpdates = [reviewing, applied];
    await kit.view.receive({ type: 'applyCode', code: 'let a = 2;', path: 'src/a.ts', turn: 0 });
    assert.deepEqual(kit.take(), [
      { type: 'changes', turn: 0, changes: reviewing },
      { type: 'changes', turn: 0, changes: applied },
    ]);
    assert.deepEqual(kit.view.channel.transcript.turns[0]!.changes, [applied], 'kept for a reload, replaced by id');
    assert.equal(kit.view.channel.transcript.turns[1]!.changes, undefined);
    // Without a turn, the change belongs to the last answer.
    kit.applyUpdates = [{ ...reviewing, id: 'c2' }];
    await kit.view.receive({ type: 'applyCode', code: 'let a = 3;' });
    assert.deepEqual(kit.take(), [{ type: 'changes', turn: 1, changes: { ...reviewing, id: 'c2' } }]);
    kit.calls.length = 0;
    await kit.view.receive({ type: 'decideChanges', id: 'c2', accept: false, path: 'src/a.ts' });
    await kit.view.receive({ type: 'decideChanges', id: 'c2', accept: true });
    await kit.view.receive({ type: 'undoChanges', id: 'c1' });
    await kit.view.receive({ type: 'showChanges', id: 'c2' });
    assert.deepEqual(kit.calls, [
      ['decideChanges', 'c2', { accept: false, path: 'src/a.ts' }],
      ['decideChanges', 'c2', { accept: true }],
      ['undoChanges', 'c1'],
      ['showChanges', 'c2'],
    ]);
  });

  it('opens only http(s) links', async () => {
    for (const href of ['javascript:alert(1)', 'command:workbench.action.quit', 'file:///etc/passwd', 'vscode:x'])
      await kit.view.receive({ type: 'openLink', href });
    assert.deepEqual(kit.calls, []);
  });

  it('ignores a malformed message with a warning in the log', async () => {
    await kit.view.receive({ type: 'copy' });
    await kit.view.receive({ type: 'launchMissiles' });
    await kit.view.receive('ready');
    assert.deepEqual(kit.calls, []);
    assert.deepEqual(kit.logs, Array(3).fill('warn: ignored a malformed message from the webview'));
  });

  it('logs a failing action and shows its message once', async () => {
    kit.failing = new Error('the clipboard is not available');
    await kit.view.receive({ type: 'copy', text: 'x' });
    assert.deepEqual(kit.shown, ['error: DeepSeek Repo: the clipboard is not available']);
    assert.equal(kit.logs.length, 1);
    assert.match(kit.logs[0]!, /^error: webview action copy failed: Error: the clipboard is not available/);
  });
});
