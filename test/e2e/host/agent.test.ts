// Act mode in the real VS Code: the sidebar in act mode runs a scripted agent task against the fake
// DeepSeek server (read a file, edit two files, run a command, check the problems, answer). The edits
// go through the change review (VS Code's multi-file diff; Accept / Leave out in the chat): one file
// accepted, one left out with a reason; the command runs after the user's approval; the model is told
// exactly what happened; the steps show live and come back from the history; Undo of the turn puts
// both files' exact bytes back. Stop while the edits are under review: not applied, nothing counted as
// rejected, and Continue tells the model so. The questions a turn asks (run this command? why rejected?) are
// answered through the testing API instead of modal dialogs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { agentScenario } from '../../fake-server/agentScenario';
import type { ChatBody, FakeServer } from '../../fake-server/server';
import type { ChangeSetSummary } from '../../../src/protocol/messages';
import { proposalsIn } from '../../../src/ui/proposalDiff';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, conversation, fakeDeepSeek, testingApi, waitFor, workspaceFolder } from './harness';

const A = 'src/agent-a.ts';
const B = 'src/agent-b.ts';
// CRLF and a byte-order mark in one, so "exact bytes" means something.
const A_BYTES = Buffer.from('\uFEFF// agent fixture\r\nexport const alpha = 1;\r\nexport const beta = 2;\r\n', 'utf8');
const B_BYTES = Buffer.from('export function gamma() {\n  return 3;\n}\n', 'utf8');
const QUESTION = 'Rename alpha to alphaValue and gamma to gammaValue, then run the tests';
const COMMAND = 'node -e "console.log(\'agent tests pass\')"';

const toolTexts = (body: ChatBody) => body.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');

const task = agentScenario((body, step) => {
  switch (step) {
    case 0:
      return { content: 'Reading the file first.', calls: [{ name: 'read_files', args: { paths: [A] } }] };
    case 1:
      return {
        calls: [
          {
            name: 'edit_files',
            args: {
              edits: [
                { path: A, search: 'export const alpha = 1;', replace: 'export const alphaValue = 1;' },
                { path: B, search: 'export function gamma() {', replace: 'export function gammaValue() {' },
              ],
            },
          },
        ],
      };
    case 2:
      return { calls: [{ name: 'run_command', args: { command: COMMAND } }] };
    case 3:
      return { calls: [{ name: 'get_problems', args: { paths: [A, B] } }] };
    default:
      return { content: `Done after ${toolTexts(body).length} tool results.` };
  }
});

describe('act mode: an agent turn in the sidebar', () => {
  let api: TestingApi;
  let server: FakeServer;
  let root: string;
  let since = 0;
  const sidebar = () => conversation(api, 'sidebar', since);
  const asked: { command: string; prefix: string }[] = [];
  const reasons: string[][] = [];

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek({ scenario: task });
    await api.setApiKey(API_KEY);
    root = workspaceFolder();
    fs.writeFileSync(path.join(root, A), A_BYTES);
    fs.writeFileSync(path.join(root, B), B_BYTES);
    api.agentMode.prompts = {
      approveCommand: async (command, _root, prefix) => {
        asked.push({ command, prefix });
        return 'run';
      },
      confirmSpend: async () => true,
      rejectReason: async (paths) => {
        reasons.push(paths);
        return 'keep the name gamma: other packages import it';
      },
    };
    await vscode.commands.executeCommand('workbench.view.extension.deepseekRepo');
    // Ready now, or earlier in the run (the sidebar suite opened it, and it stays).
    await waitFor('`ready` from the sidebar webview', () => conversation(api, 'sidebar', 0).webviewSaid('ready'));
    since = api.messages.length;
  });

  after(async () => {
    await server.close();
    await api.agentMode.setAct(false);
    for (const f of [A, B]) fs.rmSync(path.join(root, f), { force: true });
  });

  it('runs the task: one file accepted, one left out with a reason, a command approved, outcomes told', async () => {
    assert.ok(api.deliver('sidebar', { type: 'setMode', act: true }));
    await waitFor('act mode to be remembered', () => api.agentMode.act || undefined);
    assert.ok(api.deliver('sidebar', { type: 'newChat' }));
    assert.ok(api.deliver('sidebar', { type: 'ask', question: QUESTION }));

    // The edit step opens the review: both files proposed, nothing written yet.
    const shown = await waitFor(
      'the change set under the turn',
      () =>
        sidebar()
          .sentOf('changes')
          .map((m) => m.changes as ChangeSetSummary)
          .find((c) => c.status === 'reviewing') ?? sidebar().ended(QUESTION),
    );
    assert.ok('id' in shown, `the turn ended before its edits were reviewed: ${JSON.stringify(shown)}`);
    const reviewing = shown;
    assert.deepEqual(
      reviewing.files.map((f) => [f.path, f.state]),
      [
        [A, 'proposed'],
        [B, 'proposed'],
      ],
    );
    assert.ok(fs.readFileSync(path.join(root, A)).equals(A_BYTES), 'nothing written before Accept');
    const first = server.chatRequests()[0]!.body!;
    const tools = ((first.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);
    assert.deepEqual(tools, ['read_files', 'search', 'edit_files', 'run_command', 'get_problems']);

    // Leave B out, accept the rest: as the chat's buttons do.
    assert.ok(api.deliver('sidebar', { type: 'decideChanges', id: reviewing.id, accept: false, path: B }));
    assert.ok(api.deliver('sidebar', { type: 'decideChanges', id: reviewing.id, accept: true }));
    const end = await waitFor('the end of the turn', () => sidebar().ended(QUESTION), 90_000);
    assert.equal(end.outcome, 'complete', end.message);

    // The files: A written and saved before the command ran (its CRLF and BOM kept), B exactly as it was.
    const a = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(root, A)));
    assert.equal(a.getText(), '// agent fixture\r\nexport const alphaValue = 1;\r\nexport const beta = 2;\r\n');
    assert.equal(a.isDirty, false);
    assert.ok(
      fs.readFileSync(path.join(root, A)).equals(Buffer.from(`\uFEFF${a.getText()}`, 'utf8')),
      'on disk: the byte-order mark kept',
    );
    assert.ok(fs.readFileSync(path.join(root, B)).equals(B_BYTES), 'the rejected file is untouched');

    // The user was asked about the command and why B was left out; the model was told all of it.
    assert.deepEqual(asked, [{ command: COMMAND, prefix: 'node' }]);
    assert.deepEqual(reasons, [[B]]);
    const requests = server.chatRequests().filter((r) => r.body?.messages.some((m) => m.content?.includes(QUESTION)));
    assert.equal(requests.length, 5, 'five requests: four tool steps and the answer');
    const told = toolTexts(requests.at(-1)!.body!);
    assert.match(told[0]!, /alpha = 1/, 'read_files gave the file');
    assert.match(told[1]!, new RegExp(`${A}: applied`));
    assert.match(told[1]!, new RegExp(`${B}: rejected by the user: "keep the name gamma: other packages import it"`));
    assert.match(told[2]!, /exit code 0/);
    assert.match(told[2]!, /agent tests pass/);
    assert.match(told[3]!, /^No errors or warnings in src\/agent-a\.ts, src\/agent-b\.ts\./);

    // The steps as the chat shows them.
    const steps = end.steps ?? [];
    assert.deepEqual(
      steps.map((s) => [s.name, s.ok]),
      [
        ['read_files', true],
        ['edit_files', false],
        ['run_command', true],
        ['get_problems', true],
      ],
    );
    assert.deepEqual(steps[1]!.files, [
      { path: A, state: 'applied' },
      { path: B, state: 'rejected' },
    ]);
    assert.equal(steps[2]!.exitCode, 0);
    assert.match(steps[2]!.output ?? '', /agent tests pass/);
  });

  it('the steps come back from the history when the conversation is opened again', async () => {
    const id = await waitFor('the stored conversation', () =>
      sidebar()
        .sentOf('end')
        .map((m) => m.conversationId as string | undefined)
        .find(Boolean),
    );
    assert.ok(api.deliver('sidebar', { type: 'newChat' }));
    const from = api.messages.length;
    assert.ok(api.deliver('sidebar', { type: 'openConversation', id }));
    const reopened = await waitFor('the conversation replayed', () => {
      const t = conversation(api, 'sidebar', from).turn(QUESTION);
      return t?.outcome ? t : undefined;
    });
    assert.deepEqual(
      (reopened.steps ?? []).map((s) => [s.name, s.ok, s.files?.map((f) => f.state)]),
      [
        ['read_files', true, undefined],
        ['edit_files', false, ['applied', 'rejected']],
        ['run_command', true, undefined],
        ['get_problems', true, undefined],
      ],
    );
  });

  it('Undo of the turn puts back the exact bytes of both files', async () => {
    const file = path.join(root, A);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await waitFor(
      'the accepted edit on disk',
      () => !doc.isDirty && fs.readFileSync(file, 'utf8').includes('alphaValue'),
    );
    assert.ok(api.deliver('sidebar', { type: 'undoTurn', index: 0 }));
    await waitFor('A back as it was', () => fs.readFileSync(file).equals(A_BYTES) || undefined);
    assert.ok(fs.readFileSync(path.join(root, B)).equals(B_BYTES));
    await waitFor(
      'the editor to show it, saved',
      () => (!doc.isDirty && !doc.getText().includes('alphaValue')) || undefined,
    );
  });

  it('Stop while the edits are under review: not applied, nothing rejected; Continue tells the model so', async () => {
    const from = api.messages.length;
    const view = conversation(api, 'sidebar', from);
    const under = () =>
      view
        .sentOf('changes')
        .map((m) => m.changes as ChangeSetSummary)
        .at(-1);
    assert.ok(api.deliver('sidebar', { type: 'newChat' }));
    assert.ok(api.deliver('sidebar', { type: 'ask', question: QUESTION }));
    const shown = await waitFor(
      'the change set under review',
      () => (under()?.status === 'reviewing' ? under() : undefined) ?? view.ended(QUESTION),
    );
    assert.ok('id' in shown, `the turn ended before its edits were reviewed: ${JSON.stringify(shown)}`);
    const requestId = view.requestIdOf(QUESTION);
    assert.ok(requestId);
    const rejectAsked = reasons.length;
    assert.ok(api.deliver('sidebar', { type: 'cancel', requestId }));
    const end = await waitFor('the end of the turn', () => view.ended(QUESTION), 90_000);
    assert.equal(end.outcome, 'cancelled', end.message);

    // The card and the step say the truth: the turn stopped before a decision; no file counts as rejected.
    const card = under()!;
    assert.equal(card.id, shown.id);
    assert.equal(card.status, 'stopped');
    assert.deepEqual(
      card.files.map((f) => [f.path, f.state]),
      [
        [A, 'proposed'],
        [B, 'proposed'],
      ],
    );
    const edit = (end.steps ?? []).find((s) => s.name === 'edit_files');
    assert.deepEqual(edit?.files, [
      { path: A, state: 'stopped' },
      { path: B, state: 'stopped' },
    ]);
    assert.equal(edit?.summary, '2 files: 2 not applied (the turn stopped)');
    assert.equal(reasons.length, rejectAsked, 'no "why rejected?" for a decision nobody made');
    assert.ok(fs.readFileSync(path.join(root, A)).equals(A_BYTES), 'A untouched');
    assert.ok(fs.readFileSync(path.join(root, B)).equals(B_BYTES), 'B untouched');
    // Stopped as soon as the review showed, maybe while its diff was still opening: the diff goes too.
    const ours = (t: vscode.Tab) => proposalsIn(t).some((u) => u.path.endsWith(A) || u.path.endsWith(B));
    await waitFor(
      'the diff of the proposal to close',
      () => !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some(ours) || undefined,
    );

    // Continue: the next request tells the model the edits were not applied because the turn stopped.
    const before = server.chatRequests().length;
    assert.ok(api.deliver('sidebar', { type: 'continue' }));
    await waitFor('the continued request', () => server.chatRequests().length > before || undefined, 90_000);
    const told = toolTexts(server.chatRequests()[before]!.body!);
    assert.equal(
      told[1],
      `${A}: not applied: the user stopped the turn before deciding on it\n` +
        `${B}: not applied: the user stopped the turn before deciding on it\n`,
    );
    const done = await waitFor(
      'the continued turn to end',
      () => {
        const t = conversation(api, 'sidebar', from).turn(QUESTION);
        return t?.outcome === 'complete' ? t : undefined;
      },
      90_000,
    );
    assert.ok(done);
    assert.ok(fs.readFileSync(path.join(root, A)).equals(A_BYTES), 'nothing written by continuing');
  });
});
