// A missing API key leads to the key prompt. The test files live inside the extension's folder, so the
// extension host hands them the same `vscode` API object as the extension: replacing
// `window.showInputBox` answers the prompt the extension shows (the UI suite types into the real one).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeServer } from '../../fake-server/server';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, conversation, fakeDeepSeek, requestsFor, testingApi, waitFor } from './harness';

type InputBox = typeof vscode.window.showInputBox;

describe('API key', () => {
  let api: TestingApi;
  let server: FakeServer;
  const realInputBox = vscode.window.showInputBox;
  const prompts: vscode.InputBoxOptions[] = [];
  /** Answers every input box with `answer` and records its options. */
  const answerInputBoxes = (answer: string | undefined) => {
    vscode.window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
      prompts.push(options ?? {});
      return answer;
    }) as InputBox;
  };

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek();
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
});
