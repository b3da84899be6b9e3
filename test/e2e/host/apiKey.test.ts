// A missing API key leads to the key prompt, unless the endpoint is on this machine. The test files live inside the
// extension's folder, so the extension host hands them the same `vscode` API object as the extension: replacing
// `window.showInputBox` answers the prompt the extension shows (the UI suite types into the real one).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, conversation, fakeDeepSeek, requestsFor, setBaseUrl, testingApi, waitFor } from './harness';

describe('API key', () => {
  let api: TestingApi;
  let server: FakeServer;
  const realInputBox = vscode.window.showInputBox;
  const prompts: vscode.InputBoxOptions[] = [];
  /** Answers every input box with `answer` and records its options. */
  const answerInputBoxes = (answer: string | undefined) => {
    vscode.window.showInputBox = async (options?: vscode.InputBoxOptions) => {
      prompts.push(options ?? {});
      return answer;
    };
  };

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek({ byHostName: true }); // a base URL that does not look local: a key is needed
  });
  beforeEach(async () => {
    prompts.length = 0;
    await api.setApiKey(undefined);
  });
  afterEach(() => {
    vscode.window.showInputBox = realInputBox;
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  it('sends nothing when the key prompt is dismissed', async () => {
    answerInputBoxes(undefined);
    const question = 'Dismissed key prompt?';
    await vscode.commands.executeCommand('deepseekRepo.ask', question);
    assert.equal(prompts.length, 1, 'the key prompt was not shown');
    assert.equal(prompts[0]!.password, true, 'the key prompt must mask what is typed');
    assert.equal(requestsFor(server, question).length, 0);
  });

  it('asks for the key when none is stored, uses it, and keeps it in SecretStorage', async () => {
    answerInputBoxes(API_KEY);
    const since = api.messages.length;
    const question = 'Which key did I use?';
    await vscode.commands.executeCommand('deepseekRepo.ask', question);
    assert.equal(prompts.length, 1, 'the key prompt was not shown exactly once');
    assert.match(prompts[0]!.title ?? prompts[0]!.prompt ?? '', /api key/i);
    assert.equal(prompts[0]!.password, true);
    const [request] = requestsFor(server, question);
    assert.equal(request?.headers.authorization, `Bearer ${API_KEY}`);
    const panel = conversation(api, 'panel', since);
    assert.equal((await waitFor('the end of the answer', () => panel.ended(question))).outcome, 'complete');

    // The next question uses the stored key without asking again.
    prompts.length = 0;
    const next = 'And again?';
    await vscode.commands.executeCommand('deepseekRepo.ask', next);
    assert.equal(prompts.length, 0, 'asked for the key again: it was not stored');
    assert.equal(requestsFor(server, next)[0]?.headers.authorization, `Bearer ${API_KEY}`);
  });

  it('asks a server on this machine without a key, and without asking for one', async () => {
    answerInputBoxes(undefined);
    const local = await startFakeDeepSeek({ models: ['qwen3-coder:30b'] }); // any key, like Ollama or LM Studio
    const since = api.messages.length;
    await setBaseUrl(local.url);
    try {
      assert.match(local.url, /^http:\/\/127\.0\.0\.1:/);
      // The panel's conversation from the test above is still open: the next question goes to the new endpoint.
      const question = 'Does a local model need a key?';
      await vscode.commands.executeCommand('deepseekRepo.ask', question);
      assert.equal(prompts.length, 0, 'asked for a key a local server does not need');
      const request = await waitFor('the question at the local server', () => requestsFor(local, question)[0]);
      assert.equal(request.headers.authorization, 'Bearer no-key');
      assert.ok(local.requests.every((r) => r.headers.authorization === 'Bearer no-key'));
      const panel = conversation(api, 'panel', since);
      assert.equal((await waitFor('the end of the answer', () => panel.ended(question))).outcome, 'complete');
      // The chat views are told no key is needed, and offer the local server's models (listed without a key).
      interface Config {
        hasKey: boolean;
        localEndpoint?: string;
        models: string[];
      }
      const config = await waitFor('a config listing the local model', () =>
        api.messages
          .slice(since)
          .map((m) => (m.direction === 'toWebview' ? (m.message as { config?: Config }).config : undefined))
          .findLast((c) => c?.models.includes('qwen3-coder:30b')),
      );
      assert.deepEqual([config.hasKey, config.localEndpoint], [false, new URL(local.url).host]);
    } finally {
      await setBaseUrl(server.url);
      await local.close();
    }
  });
});
