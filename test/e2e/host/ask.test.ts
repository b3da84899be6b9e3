// "DeepSeek: Ask About Repository": the whole workspace goes to the user-configured server, and the
// streamed answer goes into the editor panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer } from '../../fake-server/server';
import type { TestingApi } from '../../../src/ui/testHooks';
import {
  API_KEY,
  conversation,
  defaultStreams,
  fakeDeepSeek,
  requestsFor,
  testingApi,
  waitFor,
  workspaceFolder,
} from './harness';

// Built at run time so no secret-looking text is committed.
const IGNORED_MARKER = 'E2E_MARKER_IGNORED_BY_GITIGNORE';
const ENV_MARKER = 'E2E_MARKER_DOTENV_VALUE';
const KEY_BODY = 'E2E' + 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'.repeat(2);
const PRIVATE_KEY = `-----BEGIN ${'PRIVATE'} KEY-----\n${KEY_BODY}\n-----END ${'PRIVATE'} KEY-----`;

describe('Ask About Repository (panel)', () => {
  const question = 'Where is greet defined?';
  let api: TestingApi;
  let server: FakeServer;
  let since = 0;

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek();
    await api.setApiKey(API_KEY);
    const root = workspaceFolder();
    fs.writeFileSync(path.join(root, 'notes.log'), `${IGNORED_MARKER}\n`);
    fs.writeFileSync(path.join(root, '.env'), `API_TOKEN=${ENV_MARKER}\n`);
    fs.writeFileSync(path.join(root, 'src', 'deploy.ts'), `// deploy key\nexport const key = \`${PRIVATE_KEY}\`;\n`);
    since = api.messages.length;
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  it('answers into the "DeepSeek Repo" panel', async () => {
    await vscode.commands.executeCommand('deepseekRepo.ask', question);
    const panel = conversation(api, 'panel', since);
    // The host holds its messages until the webview's script runs and posts `ready`.
    await waitFor('`ready` from the panel webview', () => panel.webviewSaid('ready'));
    const turn = await waitFor('the answer to end in the panel', () => panel.ended(question));
    const expected = defaultStreams(question);
    assert.equal(turn.reasoning, expected.reasoning);
    assert.equal(turn.answer, expected.content);
    assert.equal(turn.outcome, 'complete');
    assert.ok(turn.context && turn.context.files >= 2, 'the context chip shows what was sent');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const tab = tabs.find(
      (t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('deepseekRepo.answer'),
    );
    assert.ok(tab, `no panel tab; tabs: ${tabs.map((t) => t.label).join(', ')}`);
    assert.equal(tab.label, 'DeepSeek Repo');
  });

  it('sends one streaming request with the workspace, to the server in the user settings', async () => {
    const requests = requestsFor(server, question);
    assert.equal(requests.length, 1, 'one request for the question (no retry, no duplicate)');
    const request = requests[0]!;
    assert.equal(request.headers.authorization, `Bearer ${API_KEY}`);
    assert.equal(request.body?.stream, true);
    assert.equal(request.body?.model, 'deepseek-v4-pro');
    assert.ok(request.finished && !request.aborted, 'the stream was read to its end');
    const sentText = JSON.stringify(request.body?.messages);
    assert.ok(sentText.includes('E2E_MARKER_GREET'), 'src/greet.ts is in the request');
    assert.ok(sentText.includes('src/main.ts'), 'src/main.ts is in the request');
    // The fixture's .vscode/settings.json points deepseekRepo.baseUrl at a dead port: the answer above came
    // from the user-configured fake server, so the workspace could not redirect the upload.
    assert.match(fs.readFileSync(path.join(workspaceFolder(), '.vscode', 'settings.json'), 'utf8'), /127\.0\.0\.1:1\//);
  });

  it('leaves out what .gitignore ignores', async () => {
    const sentText = JSON.stringify(requestsFor(server, question)[0]?.body?.messages);
    assert.ok(sentText.includes('src/greet.ts'));
    assert.ok(!sentText.includes(IGNORED_MARKER), 'notes.log is gitignored but was sent');
  });

  it('never sends secrets: .env files stay out, private keys are redacted', async () => {
    const sentText = JSON.stringify(requestsFor(server, question)[0]?.body?.messages);
    assert.ok(sentText.includes('src/deploy.ts'), 'the file holding the key is packed (redacted), not dropped');
    assert.ok(!sentText.includes(ENV_MARKER), '.env content was sent');
    assert.ok(!sentText.includes(KEY_BODY), 'a private key was sent unredacted');
  });
});
