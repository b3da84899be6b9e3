// The sidebar chat: a conversation in the activity bar. Questions are "typed" by delivering the message
// the webview's composer posts; everything else is the real path (host, core, HTTP, fake server).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer } from '../../fake-server/server';
import { REPOSITORY_ACK } from '../../../src/chat/prompt';
import { MAX_PICKER_MODELS, parseHostMessage } from '../../../src/protocol/messages';
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

describe('sidebar chat', () => {
  let api: TestingApi;
  let server: FakeServer;
  let since = 0;
  const sidebar = () => conversation(api, 'sidebar', since);

  /** Asks `question` from the sidebar (its webview is ready) and waits for the answer; returns its requestId. */
  async function ask(question: string, withEditor?: boolean): Promise<string> {
    assert.ok(
      api.deliver('sidebar', { type: 'ask', question, ...(withEditor !== undefined ? { withEditor } : {}) }),
      'no sidebar webview to deliver to',
    );
    const requestId = await waitFor(`the sidebar turn for "${question}"`, () => sidebar().requestIdOf(question));
    const end = await waitFor(`the end of "${question}"`, () => sidebar().ended(question));
    assert.equal(end.outcome, 'complete', end.message);
    return requestId;
  }

  before(async () => {
    api = await testingApi();
    // An aggregator's list (OpenRouter offers hundreds): ours comes last.
    const others = Array.from({ length: 300 }, (_, i) => `vendor${i % 7}/model-${i}`);
    server = await fakeDeepSeek({ models: ['deepseek-v4-pro', 'deepseek-flash', ...others, 'deepseek-e2e-listed'] });
    await api.setApiKey(API_KEY);
    since = api.messages.length;
  });
  after(() => server.close());

  it('opens from the activity bar and its webview says ready', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.deepseekRepo');
    await waitFor('`ready` from the sidebar webview', () => sidebar().webviewSaid('ready'));
    const init = await waitFor('the host to greet the sidebar', () => sidebar().sentOf('init')[0]);
    assert.equal(init.surface, 'sidebar');
    const config = init.config as { hasKey: boolean; trusted: boolean };
    assert.equal(config.hasKey, true);
    assert.equal(config.trusted, true);
  });

  it("offers the endpoint's own models (GET /models) in the model picker", async () => {
    const offered = (m: Record<string, unknown>) =>
      ((m.config as { models?: string[] } | undefined)?.models ?? []).includes('deepseek-e2e-listed');
    const sent = await waitFor('a config listing the endpoint’s models', () =>
      [...sidebar().sentOf('init'), ...sidebar().sentOf('config')].find(offered),
    );
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === '/models'));
    // Of 303 listed, the picker gets at most MAX_PICKER_MODELS, DeepSeek's first, in a message the webview accepts.
    const config = sent.config as { models: string[] };
    assert.equal(config.models.length, MAX_PICKER_MODELS);
    assert.deepEqual(config.models.slice(0, 3), ['deepseek-v4-pro', 'deepseek-flash', 'deepseek-e2e-listed']);
    assert.ok(parseHostMessage(structuredClone(sent)), 'the webview would reject this config');
  });

  it('answers a question asked in the sidebar', async () => {
    const question = 'What does main.ts print?';
    const requestId = await ask(question);
    assert.equal(sidebar().turn(question)?.answer, defaultStreams(question).content);
    // The sidebar was ready before the question: the answer reached it as deltas, piece by piece.
    assert.ok(sidebar().sentOf('contentDelta', requestId).length >= 2, 'the answer arrived in one piece, not streamed');
    assert.equal(requestsFor(server, question).length, 1);
  });

  it('sends a follow-up as the same conversation, appended to a byte-identical prefix', async () => {
    const first = 'What does main.ts print?';
    const followUp = 'And what does greet return?';
    await ask(followUp);
    const [before] = requestsFor(server, first);
    const [after] = requestsFor(server, followUp);
    assert.ok(before?.body && after?.body);
    const prefix = before.body.messages;
    // Follow-ups only append, so DeepSeek's prefix cache can hit the whole repository block.
    assert.deepEqual(after.body.messages.slice(0, prefix.length), prefix, 'the follow-up rewrote the earlier prompt');
    const appended = after.body.messages.slice(prefix.length);
    assert.deepEqual(
      appended.map((m) => m.role),
      ['assistant', 'user'],
    );
    assert.equal(appended[0]!.content, defaultStreams(first).content);
    assert.ok(appended[1]!.content?.includes(followUp));
  });

  it('"New Chat" starts a conversation without the earlier turns', async () => {
    await vscode.commands.executeCommand('deepseekRepo.newChat');
    const fresh = 'Is there a README?';
    await ask(fresh);
    const [request] = requestsFor(server, fresh);
    const sent = JSON.stringify(request?.body?.messages);
    assert.ok(!sent.includes('And what does greet return?'), 'the new chat still carried the old conversation');
    // Only the fixed acknowledgement of the repository block: no earlier answer.
    assert.deepEqual(
      request?.body?.messages.filter((m) => m.role === 'assistant').map((m) => m.content),
      [REPOSITORY_ACK],
    );
  });

  it("sends which file and lines the editor shows with a question while the composer's chip is on", async () => {
    const editor = await vscode.window.showTextDocument(
      vscode.Uri.file(path.join(workspaceFolder(), 'src', 'greet.ts')),
    );
    editor.selection = new vscode.Selection(1, 0, 3, 1);
    const told = await waitFor('the sidebar to be told the selection', () =>
      sidebar()
        .sentOf('editor')
        .find((m) => m.label === 'src/greet.ts:2-4'),
    );
    assert.equal(told.note, 'src/greet.ts, lines 2-4 selected');
    assert.ok(parseHostMessage(structuredClone(told)), 'the webview would reject it');
    const lastUser = (question: string) => requestsFor(server, question)[0]?.body?.messages.at(-1)?.content;
    await ask('What does this return?', true);
    assert.equal(
      lastUser('What does this return?'),
      'What does this return?\n\n<editor>src/greet.ts, lines 2-4 selected</editor>',
    );
    assert.equal(
      sidebar().turn('What does this return?')?.editor,
      'src/greet.ts, lines 2-4 selected',
      'the view shows it with the question',
    );
    await ask('And in this repository in general?', false); // the chip clicked off
    assert.equal(lastUser('And in this repository in general?'), 'And in this repository in general?');
    editor.selection = new vscode.Selection(2, 4, 2, 4);
    await waitFor('the cursor line', () =>
      sidebar()
        .sentOf('editor')
        .find((m) => m.note === 'src/greet.ts, cursor on line 3'),
    );
  });

  it('reads the workspace when the chat view opens, so the first question reads no file again', async () => {
    api.resetContext(); // as in a new window: nothing read yet
    await vscode.commands.executeCommand('workbench.view.explorer');
    const before = api.contextPacks.length;
    await vscode.commands.executeCommand('workbench.view.extension.deepseekRepo');
    // No question asked: this pack is the pre-read, and it read every file it took.
    const preread = await waitFor('a pack when the chat view opens', () => api.contextPacks[before]);
    assert.ok((preread.readFiles ?? 0) > 0 && preread.readFiles === preread.scannedFiles, JSON.stringify(preread));
    await vscode.commands.executeCommand('deepseekRepo.newChat');
    const asked = api.contextPacks.length;
    await ask('Which files print something?');
    const packs = api.contextPacks.slice(asked);
    assert.ok(packs.length > 0, 'the question made no pack');
    assert.deepEqual(
      packs.map((p) => p.readFiles),
      packs.map(() => 0),
      'the question re-read files the pre-read had read',
    );
  });
});
