// Restricted Mode: run.sh opens the fixture in a second code-server with workspace trust enabled and
// the folder untrusted. Everything is set up to send (key stored, base URL pointing at a live fake
// server), and nothing may be sent.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer } from '../../fake-server/server';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, conversation, fakeDeepSeek, sleep, testingApi, waitFor, workspaceFolder } from './harness';

describe('Restricted Mode', () => {
  let api: TestingApi;
  let server: FakeServer;

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek();
    await api.setApiKey(API_KEY);
  });
  after(() => server.close());

  it('runs in an untrusted workspace, with the fake server reachable', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is trusted: this suite would prove nothing');
    const models = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(models.status, 200);
  });

  it('Ask About Repository sends nothing and streams nothing', async () => {
    const since = api.messages.length;
    await vscode.commands.executeCommand('deepseekRepo.ask', 'Anything in restricted mode?');
    assert.deepEqual(server.chatRequests(), []);
    assert.deepEqual(conversation(api, 'panel', since).sentOf('turnStart'), []);
  });

  it('editor commands send nothing and open no panel', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceFolder(), 'src', 'greet.ts')));
    for (const command of [
      'deepseekRepo.ask',
      'deepseekRepo.explainFile',
      'deepseekRepo.reviewFile',
      'deepseekRepo.fixProblems',
      'deepseekRepo.whereHandled',
      'deepseekRepo.reviewChanges',
      'deepseekRepo.reviewBranch',
    ]) {
      await vscode.commands.executeCommand(command);
    }
    assert.deepEqual(server.chatRequests(), []);
    const panels = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('deepseekRepo.answer'));
    assert.deepEqual(
      panels.map((t) => t.label),
      [],
      'Restricted Mode opened an answer panel',
    );
  });

  it('offers VS Code no MCP server', async () => {
    assert.deepEqual(await api.mcpServers(), [], 'an MCP server definition in Restricted Mode');
  });

  it('the light bulb offers no Fix with DeepSeek', async () => {
    const file = vscode.Uri.file(path.join(workspaceFolder(), 'src', 'greet.ts'));
    const diagnostics = vscode.languages.createDiagnosticCollection('e2e-restricted');
    try {
      diagnostics.set(file, [
        new vscode.Diagnostic(new vscode.Range(1, 0, 1, 6), 'A problem.', vscode.DiagnosticSeverity.Error),
      ]);
      await vscode.window.showTextDocument(file);
      const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          file,
          new vscode.Range(1, 2, 1, 2),
        )) ?? [];
      assert.deepEqual(
        actions.filter((a) => a.title.includes('DeepSeek')).map((a) => a.title),
        [],
      );
    } finally {
      diagnostics.dispose();
    }
  });

  it('the sidebar knows the workspace is untrusted and sends nothing', async () => {
    const since = api.messages.length;
    const sidebar = conversation(api, 'sidebar', since);
    await vscode.commands.executeCommand('workbench.view.extension.deepseekRepo');
    await waitFor('`ready` from the sidebar webview', () => sidebar.webviewSaid('ready'));
    const init = await waitFor('the host to greet the sidebar', () => sidebar.sentOf('init')[0]);
    assert.equal((init.config as { trusted: boolean }).trusted, false);
    assert.ok(api.deliver('sidebar', { type: 'ask', question: 'And from the sidebar?' }));
    await sleep(1_500); // the host handles the message asynchronously; give a request time to appear
    assert.deepEqual(server.chatRequests(), []);
    assert.deepEqual(sidebar.sentOf('turnStart'), []);
  });

  it('act mode offers no tool that writes or runs: no agent ports, an act-mode question sends nothing', async () => {
    assert.ok(api.deliver('sidebar', { type: 'setMode', act: true }));
    await waitFor('act mode to be remembered', () => api.agentMode.act || undefined);
    try {
      assert.equal(api.agentMode.options(), undefined, 'no agent (no edit_files, no run_command) in Restricted Mode');
      const since = api.messages.length;
      assert.ok(api.deliver('sidebar', { type: 'ask', question: 'Edit the files, in act mode' }));
      await sleep(1_500); // as above: give a request time to appear
      assert.deepEqual(server.chatRequests(), []);
      assert.deepEqual(conversation(api, 'sidebar', since).sentOf('turnStart'), []);
    } finally {
      await api.agentMode.setAct(false);
    }
  });
});
