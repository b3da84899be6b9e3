// A model with a smaller context window than DeepSeek V4's (a local model, or one on OpenRouter):
// the window the endpoint's model list reports, or the user's setting, sizes a new conversation's
// output and repository, and the Context view packs under the same budget.
// A server that could not be listed is listed again the next time.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { pickScenario } from '../../fake-server/scenarios';
import { defaultReply, roughPromptTokens, startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { parseHostMessage } from '../../../src/protocol/messages';
import type { TestingApi } from '../../../src/ui/testHooks';
import { EVENT_MS } from '../shared/patience';
import { API_KEY, conversation, fakeDeepSeek, requestsFor, setBaseUrl, sleep, testingApi, waitFor } from './harness';

describe('a model with a smaller context window', () => {
  let api: TestingApi;
  let server: FakeServer;
  const settings = () => vscode.workspace.getConfiguration('deepseekRepo');

  before(async () => {
    api = await testingApi();
    // As vLLM reports it (`max_model_len`); the flash model reports none.
    server = await fakeDeepSeek({ models: [{ id: 'deepseek-v4-pro', max_model_len: 4_096 }, 'deepseek-flash'] });
    await api.setApiKey(API_KEY);
  });
  after(async () => {
    await settings().update('contextWindowTokens', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  /** Asks `question` in a new sidebar conversation; returns the request the server got. */
  async function askNew(question: string, outcome = 'complete') {
    await vscode.commands.executeCommand('workbench.view.extension.deepseekRepo');
    await vscode.commands.executeCommand('deepseekRepo.newChat');
    const since = api.messages.length;
    await waitFor('the sidebar webview', () => api.deliver('sidebar', { type: 'ask', question }) || undefined);
    const end = await waitFor(`the end of "${question}"`, () => conversation(api, 'sidebar', since).ended(question));
    assert.equal(end.outcome, outcome, end.message);
    return requestsFor(server, question)[0]!;
  }

  /** The Context view's message once it has packed for the current settings. */
  async function contextMessage(expected: RegExp): Promise<string> {
    await vscode.commands.executeCommand('deepseekRepo.showContext');
    let message = '';
    for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline; await sleep(250)) {
      await vscode.commands.executeCommand('deepseekRepo.context.refresh');
      message = api.contextView().message ?? '';
      if (expected.test(message)) return message;
    }
    throw new Error(`timed out waiting for the Context view to say ${expected}; it says "${message}"`);
  }

  it('fits a new conversation to the window the endpoint reports for its model', async () => {
    const request = await askNew('How small is this window?');
    // A quarter of the window for the answer (the setting's 32,768 would not leave room for the prompt).
    const listed = server.requests.filter((r) => r.method === 'GET' && r.path === '/models').length;
    assert.equal(request.body!.max_tokens, 1_024, `max_tokens (this server's /models was asked ${listed} times)`);
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === '/models'));
    // The repository budget: the window less the output and an eighth for the conversation.
    const message = await contextMessage(/4,096-token window/);
    assert.match(message, /^[\d,]+ tokens of 2,560 available \(deepseek-v4-pro: 4,096-token window\)$/);
    // The picker names it beside the model (in a config the webview accepts).
    interface Config {
      windows?: { id: string; tokens: number }[];
    }
    const config = await waitFor('a config naming the window', () =>
      api.messages
        .flatMap((m) =>
          m.surface === 'sidebar' && m.direction === 'toWebview'
            ? [m.message as { type: string; config?: Config }]
            : [],
        )
        .findLast((m) => m.config?.windows?.some((w) => w.id === 'deepseek-v4-pro' && w.tokens === 4_096)),
    );
    assert.ok(parseHostMessage(structuredClone(config)), 'the webview would reject this config');
  });

  it('the setting beats what the endpoint reports', async () => {
    await settings().update('contextWindowTokens', 8_192, vscode.ConfigurationTarget.Global);
    await waitFor('the window setting', () => settings().get('contextWindowTokens') === 8_192 || undefined);
    assert.equal((await askNew('And with the setting?')).body!.max_tokens, 2_048);
    assert.match(
      await contextMessage(/8,192-token window/),
      /^[\d,]+ tokens of 5,120 available \(deepseek-v4-pro: 8,192-token window\)$/,
    );
  });

  it('asks for the window again once a server that was down is up (a local server started after VS Code)', async () => {
    await settings().update('contextWindowTokens', undefined, vscode.ConfigurationTarget.Global);
    await waitFor('the window setting cleared', () => settings().get('contextWindowTokens') === null || undefined);
    // A port nothing listens on (and whose model list was never read).
    await server.close();
    const probe = await startFakeDeepSeek();
    const port = Number(new URL(probe.url).port);
    await probe.close();
    await setBaseUrl(`http://127.0.0.1:${port}`);
    await askNew('Is anyone there?', 'error');
    server = await fakeDeepSeek({ port, models: [{ id: 'deepseek-v4-pro', max_model_len: 8_192 }] });
    assert.equal((await askNew('And now?')).body!.max_tokens, 2_048);
  });

  // …(a loaded model, when the list reports none)
  it('fits a new conversation to the window Ollama runs the model with', async () => {
    await server.close();
    // `[[scenario:NAME]]` in a question picks the reply (the next test's refusal).
    server = await fakeDeepSeek({
      models: ['deepseek-v4-pro'],
      running: [{ name: 'deepseek-v4-pro', context_length: 16_384 }],
      scenario: pickScenario('ok'),
    });
    assert.equal((await askNew('Ollama-sized?')).body!.max_tokens, 4_096);
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === '/api/ps'));
  });

  it('a request the server finds too long offers the context settings, which open in the Settings editor', async () => {
    const question = 'Does this fit? [[scenario:400-context]]';
    await askNew(question, 'error');
    const end = conversation(api, 'sidebar', 0).ended(question)!;
    assert.equal(end.errorKind, 'context_too_long');
    assert.match(end.message ?? '', /set deepseekRepo\.contextWindowTokens to 1048576/);
    // The webview's "Context Settings" button posts this message.
    assert.ok(api.deliver('sidebar', { type: 'openContextSettings' }));
    const tab = await waitFor('the Settings editor', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Settings'),
    );
    assert.ok(tab.isActive);
    await vscode.window.tabGroups.close(tab);
  });

  it('asks again in the window a too-long error states, and starts the next conversation in it', async () => {
    await server.close();
    // Reports no window (nor does /api/ps: not Ollama) and refuses longer requests as vLLM does.
    server = await fakeDeepSeek({
      models: ['deepseek-v4-pro'],
      scenario: (b) => {
        const asked = roughPromptTokens(b) + (b.max_tokens ?? 0);
        return asked > 16_384
          ? {
              status: 400,
              body: JSON.stringify({
                object: 'error',
                message: `This model's maximum context length is 16384 tokens. However, you requested ${asked} tokens.`,
                type: 'BadRequestError',
                code: 400,
              }),
            }
          : defaultReply(b);
      },
    });
    const since = api.messages.length;
    const question = 'Sized by the refusal?';
    await askNew(question);
    const refused = () =>
      server.chatRequests().filter((r) => roughPromptTokens(r.body!) + (r.body!.max_tokens ?? 0) > 16_384).length;
    assert.equal(refused(), 1, 'refused once (the warm-up or the question)');
    assert.equal(
      requestsFor(server, question).at(-1)!.body!.max_tokens,
      4_096,
      'asked in a quarter of the stated window',
    );
    const notice = api.messages
      .slice(since)
      .find((m) => m.surface === 'sidebar' && (m.message as { type: string }).type === 'notice');
    assert.match(
      (notice?.message as { message?: string } | undefined)?.message ?? '',
      /^The server says deepseek-v4-pro's context window is 16,384 tokens, not the 1,048,576 this question was packed for/,
    );
    // The next conversation starts in it, and the Context view packs for it.
    await askNew('And the next one?');
    assert.deepEqual(
      requestsFor(server, 'And the next one?').map((r) => r.body!.max_tokens),
      [4_096],
    );
    assert.equal(refused(), 1, 'nothing refused');
    assert.match(
      await contextMessage(/16,384-token window/),
      /^[\d,]+ tokens of 10,240 available \(deepseek-v4-pro: 16,384-token window\)$/,
    );
  });
});
