// `@` mentions in the real VS Code: the sidebar's composer asks the host to complete `@...` (the test
// speaks as the webview, as the other host suites do) and the host answers from the workspace index
// (the walk's own file list), from our own symbol index (no language server needed) and from the
// language servers' workspace symbols; a question with a mention shows it, reaches the fake server
// with the file whole (a symbol's defining file), and keeps it in History.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FakeServer } from '../../fake-server/server';
import type { Mention } from '../../../src/protocol/messages';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, conversation, fakeDeepSeek, requestsFor, testingApi, waitFor } from './harness';
import { EVENT_MS } from '../shared/patience';

interface Results {
  id: number;
  items: Mention[];
  note?: string;
}

describe('@ mentions (sidebar)', () => {
  let api: TestingApi;
  let server: FakeServer;
  let since = 0;
  let id = 70_000;
  const sidebar = () => conversation(api, 'sidebar', since);

  /** Types `@query` as the composer would and returns the host's answer to it. */
  async function complete(query: string): Promise<Results> {
    const mine = ++id;
    assert.ok(api.deliver('sidebar', { type: 'mentionQuery', id: mine, query }), 'no sidebar webview to deliver to');
    return waitFor(
      `the completions of @${query}`,
      () =>
        sidebar()
          .sentOf('mentionResults')
          .find((m) => m.id === mine) as Results | undefined,
    );
  }

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek();
    await api.setApiKey(API_KEY);
    since = api.messages.length;
    await vscode.commands.executeCommand('workbench.view.extension.deepseekRepo');
    // Completions go to a webview that said `ready` (the host sends nothing before).
    await waitFor('`ready` from the sidebar webview', () => conversation(api, 'sidebar').webviewSaid('ready'));
    assert.ok(api.deliver('sidebar', { type: 'newChat' }));
  });
  after(() => server.close());

  it('completes files and folders from the workspace index', async () => {
    const greet = await complete('gre');
    assert.deepEqual(greet.items[0], { kind: 'file', path: 'src/greet.ts' });
    const folders = await complete('src/');
    assert.deepEqual(folders.items, [{ kind: 'folder', path: 'src' }]);
    const none = await complete('no-such-file-anywhere');
    assert.deepEqual(none.items, []);
  });

  /** Completes `@query` until an answer lists a symbol that `pick` accepts (the symbol index is built on first use). */
  async function symbolOf(query: string, pick: (m: Mention) => boolean): Promise<{ symbol?: Mention; last?: Results }> {
    // A query is answered at once (our index) and again when the language servers answer: both count.
    const first = id + 1;
    const answers = () =>
      sidebar()
        .sentOf('mentionResults')
        .filter((m) => (m.id as number) >= first) as unknown as Results[];
    const deadline = Date.now() + EVENT_MS;
    let last: Results | undefined;
    while (Date.now() < deadline) {
      last = await complete(query);
      const symbol = answers()
        .flatMap((r) => r.items)
        .find((m) => m.kind === 'symbol' && pick(m));
      if (symbol) return { symbol, last };
      await new Promise((r) => setTimeout(r, 250));
    }
    return { ...(last ? { last } : {}) };
  }

  it("completes a symbol from a language server, in the file that defines it (Markdown's headings)", async () => {
    // VS Code's built-in Markdown language features answer workspace symbols for the README's headings (our own
    // index keeps none for prose). They come in the second answer to a query, merged after ours.
    const { symbol, last } = await symbolOf('greeter', (m) => m.path === 'README.md');
    assert.ok(symbol, `no README symbol among ${JSON.stringify(last)}`);
    assert.deepEqual(symbol, { kind: 'symbol', path: 'README.md', name: '# greeter', line: 1, detail: 'string' });
  });

  it('completes a TypeScript class from our own index, and a question with it sends its file whole', async () => {
    // Our index answers at once, whether or not the TypeScript server has loaded a project (in code-server it
    // often has not): the first answer to `@WidgetReg` lists the class where src/registry.ts defines it.
    const { symbol, last } = await symbolOf('WidgetReg', (m) => m.path === 'src/registry.ts');
    assert.ok(symbol, `no symbol of src/registry.ts among ${JSON.stringify(last)}`);
    assert.equal(symbol.line, 2);
    assert.equal(symbol.detail, 'class');
    assert.match(symbol.name ?? '', /(^|\.)WidgetRegistry$/);

    const question = 'Who calls @WidgetRegistry? (E2E_SYMBOL_MENTION)';
    assert.ok(api.deliver('sidebar', { type: 'ask', question, mentions: [symbol] }));
    const end = await waitFor(`the end of "${question}"`, () => sidebar().ended(question));
    assert.equal(end.outcome, 'complete', end.message);
    assert.deepEqual(end.mentions, [symbol], 'the transcript shows the symbol with the question');
    const [request] = requestsFor(server, 'E2E_SYMBOL_MENTION');
    assert.ok(request, 'the question reached the server');
    const repository = String(request.body!.messages.find((m) => m.role === 'user')!.content);
    assert.match(repository, /E2E_MARKER_REGISTRY/, "the symbol's defining file is in the repository block");
    assert.match(repository, /this\.widgets\.set\(name, kind\);/, 'whole, with its bodies (not an outline)');
    assert.ok(api.deliver('sidebar', { type: 'newChat' }), 'the next test starts its own conversation');
  });

  it('completes a TypeScript method, which has no keyword, where its class defines it', async () => {
    // `register(name: string, kind: string): void {` in src/registry.ts: our index keeps it as a method at once,
    // with or without the TypeScript server.
    const { symbol, last } = await symbolOf('register', (m) => m.path === 'src/registry.ts' && m.line === 5);
    assert.ok(symbol, `no method of src/registry.ts among ${JSON.stringify(last)}`);
    assert.equal(symbol.detail, 'method');
    assert.match(symbol.name ?? '', /(^|\.)register$/);
  });

  it('a question with a mention shows it, reaches the server with the file whole, and stays in History', async () => {
    const question = 'What does @src/greet.ts return? (E2E_MENTION)';
    const mentions: Mention[] = [{ kind: 'file', path: 'src/greet.ts' }];
    assert.ok(api.deliver('sidebar', { type: 'ask', question, mentions }));
    const end = await waitFor(`the end of "${question}"`, () => sidebar().ended(question));
    assert.equal(end.outcome, 'complete', end.message);
    assert.deepEqual(end.mentions, mentions, 'the transcript shows the mention with the question');
    const [request] = requestsFor(server, 'E2E_MENTION');
    assert.ok(request, 'the question reached the server');
    const messages = request.body!.messages;
    assert.equal(messages.at(-1)!.content, question, 'the question is sent as typed');
    const repository = String(messages.find((m) => m.role === 'user')!.content);
    assert.match(repository, /E2E_MARKER_GREET/, 'the mentioned file is in the repository block whole');

    const conversationId = sidebar()
      .sentOf('end')
      .map((m) => m.conversationId as string | undefined)
      .at(-1);
    assert.ok(conversationId);
    assert.ok(api.deliver('sidebar', { type: 'newChat' }));
    assert.ok(api.deliver('sidebar', { type: 'openConversation', id: conversationId }));
    const reopened = await waitFor('the conversation reopened', () =>
      sidebar()
        .sentOf('replay')
        .map((m) => m.conversation as { id?: string; turns: { mentions?: Mention[] }[] })
        .find((c) => c.id === conversationId),
    );
    assert.deepEqual(reopened.turns[0]?.mentions, mentions);
  });
});
