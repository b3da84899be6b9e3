// The composer's `@` mentions on the host side, through a fake webview over the real session and the
// fake server: a `mentionQuery` is answered by `mentionResults` with its id (files and folders from the
// index, symbols from our index at once, then merged with the language servers', only of files the pack
// may hold); a question's mentions
// pin their paths in the pack's focus, are stored with the question (a reopened conversation shows
// them), are kept by Regenerate, and a follow-up re-sends the question unchanged (the prefix hits).
import * as assert from 'node:assert/strict';
import type { HostToWebview, Mention } from '../../../src/protocol/messages';
import { chatViewKit, readyKitEach, type Kit } from './chatViewKit';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;
const files = {
  'src/a.ts': 'export const a = 1;\n',
  'src/auth/service.ts': 'export class AuthService {}\n',
  'src/auth/token.ts': 'export const token = 1;\n',
  'README.md': '# demo\n',
};

describe('chat view: @ mentions', () => {
  let kit: Kit;
  readyKitEach(
    (k) => (kit = k),
    () => ({ files }),
  );

  /** The answers to query `id`: our index's at once, then (when the language servers add to it) the merged list. */
  const answers = async (id: number, query: string) => {
    await kit.symbolsReady();
    await kit.view.receive({ type: 'mentionQuery', id, query });
    const got = kit.take().filter((m): m is Msg<'mentionResults'> => m.type === 'mentionResults');
    assert.ok(got.length === 1 || got.length === 2, `one or two answers, got ${got.length}`);
    for (const m of got) assert.equal(m.id, id, 'the answer names its query');
    return got;
  };
  const complete = async (id: number, query: string) => (await answers(id, query)).at(-1)!;

  it('completes files and folders, then our symbols at once, then merged with the language servers', async () => {
    kit.symbols = [
      { name: 'AuthService', kind: 'class', file: '/mem/src/auth/service.ts', line: 1 },
      { name: 'authorize', container: 'AuthService', kind: 'method', file: '/mem/src/auth/service.ts', line: 3 },
      { name: 'AuthLeak', kind: 'class', file: '/mem/node_modules/x/index.ts', line: 1 },
      { name: 'AuthOutside', kind: 'class', file: '/elsewhere/y.ts', line: 1 },
    ];
    const [first, last] = await answers(1, 'auth');
    const paths = last!.items.filter((m) => m.kind !== 'symbol');
    assert.deepEqual(paths[0], { kind: 'folder', path: 'src/auth' });
    assert.ok(paths.some((m) => m.path === 'src/auth/service.ts' && m.kind === 'file'));
    assert.deepEqual(
      first!.items.filter((m) => m.kind === 'symbol'),
      [{ kind: 'symbol', path: 'src/auth/service.ts', name: 'AuthService', line: 1, detail: 'class' }],
      'our index answers before the language servers',
    );
    const symbols = last!.items.filter((m) => m.kind === 'symbol');
    assert.deepEqual(symbols, [
      { kind: 'symbol', path: 'src/auth/service.ts', name: 'AuthService', line: 1, detail: 'class' },
      { kind: 'symbol', path: 'src/auth/service.ts', name: 'AuthService.authorize', line: 3, detail: 'method' },
    ]);
    assert.equal(last!.note, undefined);
    assert.ok(last!.items.indexOf(symbols[0]!) > last!.items.indexOf(paths.at(-1)!), 'files and folders first');
  });

  it('without a language server: our index still lists symbols, with no note', async () => {
    kit.symbols = undefined;
    const r = await complete(2, 'token');
    assert.deepEqual(r.items, [
      { kind: 'file', path: 'src/auth/token.ts' },
      { kind: 'symbol', path: 'src/auth/token.ts', name: 'token', line: 1, detail: 'constant' },
    ]);
    assert.equal(r.note, undefined);
    const short = await complete(3, 't');
    assert.equal(short.note, undefined, 'one character searches no symbols');
    assert.ok(short.items.every((m) => m.kind !== 'symbol'));
  });

  it('a mention pins its path in the pack, is stored with the question, and is shown again when reopened', async () => {
    const mentions: Mention[] = [
      { kind: 'file', path: 'src/a.ts' },
      { kind: 'folder', path: 'src/auth' },
      { kind: 'symbol', path: 'src/auth/service.ts', name: 'AuthService', line: 1, detail: 'class' },
      { kind: 'file', path: '../outside.ts' },
    ];
    await kit.view.receive({ type: 'ask', question: 'How does @src/a.ts use @AuthService?', mentions });
    const start = kit.posted.find((m): m is Msg<'turnStart'> => m.type === 'turnStart')!;
    assert.deepEqual(start.mentions, mentions, 'shown with the question');
    const focus = kit.repo.requests.at(-1)!.focus!;
    assert.deepEqual(focus.pinned, ['/mem/src/a.ts', '/mem/src/auth', '/mem/src/auth/service.ts']);
    const end = kit.posted.at(-1) as Msg<'end'>;
    assert.equal(end.outcome, 'complete');

    // A second view of the same window, with no session in memory: the conversation is read from its history.
    const other = await chatViewKit({ like: kit, open: new Map() });
    try {
      await other.view.receive({ type: 'ready' });
      other.take();
      await other.view.receive({ type: 'openConversation', id: end.conversationId! });
      const replay = other.take().find((m): m is Msg<'replay'> => m.type === 'replay')!;
      assert.deepEqual(replay.conversation.turns[0]!.mentions, mentions);
    } finally {
      await other.close();
    }
  });

  it('Regenerate keeps the mentions; a follow-up starts with the request before it, byte for byte', async () => {
    const mentions: Mention[] = [{ kind: 'file', path: 'src/auth/token.ts' }];
    await kit.view.receive({ type: 'ask', question: 'What is @src/auth/token.ts for?', mentions });
    kit.take();
    await kit.view.receive({ type: 'regenerate' });
    const regen = kit.take().find((m): m is Msg<'turnStart'> => m.type === 'turnStart')!;
    assert.deepEqual(regen.mentions, mentions);
    assert.deepEqual(kit.repo.requests.at(-1)!.focus?.pinned, ['/mem/src/auth/token.ts']);
    await kit.view.receive({ type: 'ask', question: 'And who reads it?' });
    const [, second, third] = kit.server.chatRequests().map((r) => r.body!.messages);
    assert.deepEqual(
      third!.slice(0, second!.length),
      second,
      'the follow-up starts with the bytes the answer was asked with',
    );
    assert.equal(third![second!.length - 1]!.content, 'What is @src/auth/token.ts for?');
  });
});
