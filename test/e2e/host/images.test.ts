// Images in the real VS Code: what the sidebar's composer sends with a question reaches the server
// byte for byte after the repository and goes again, unchanged, with every follow-up; the explorer's
// "Ask DeepSeek About This Image" reads the chosen file into a new chat's composer, and refuses a file
// that is no image (an SVG is code) in one sentence. The composer's own paste, drop and scaling are
// tested in Chromium (test/webview/images.test.ts); this is the host's half of the same path.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer, RecordedRequest } from '../../fake-server/server';
import { imageUrlsOf, textOf } from '../../fake-server/vision';
import type { TestingApi } from '../../../src/ui/testHooks';
import { API_KEY, conversation, fakeDeepSeek, testingApi, waitFor, workspaceFolder } from './harness';
import { assertImagesOnlyInTheQuestion } from '../shared/imagePlacement';

// A real 2×1 PNG (a red and a blue pixel: signature, IHDR, IDAT, IEND, checksums right), inline so no binary
// fixture sits in the workspace.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR42mP4z8AAQv8BD/kD/Zh51wAAAAAASUVORK5CYII=',
  'base64',
);
const PNG_URL = `data:image/png;base64,${PNG.toString('base64')}`;

describe('images (vision model)', () => {
  let api: TestingApi;
  let server: FakeServer;
  let since = 0;
  const sidebar = () => conversation(api, 'sidebar', since);
  const panel = () => conversation(api, 'panel', since);
  /** The chat requests whose last user message asks `question` (its text parts: with images it is parts). */
  const requestsAsking = (question: string): RecordedRequest[] =>
    server.chatRequests().filter((r) => textOf(r.body?.messages.at(-1)?.content).includes(question));

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek({ models: ['deepseek-v4-pro', 'deepseek-flash'] });
    await api.setApiKey(API_KEY);
    await vscode.commands.executeCommand('workbench.view.extension.deepseekRepo');
    await waitFor('the sidebar webview', () => conversation(api, 'sidebar').webviewSaid('ready'));
    since = api.messages.length;
  });
  after(async () => {
    // The model picked for the images stays the sidebar's choice for its next new chats: put the setting's back.
    const model = vscode.workspace.getConfiguration('deepseekRepo').get<string>('model');
    api.deliver('sidebar', { type: 'setOptions', model });
    await server.close();
  });

  it('an image sent from the sidebar reaches the server after the repository, and again with a follow-up', async () => {
    assert.ok(api.deliver('sidebar', { type: 'newChat' }), 'no sidebar webview to deliver to');
    // The model picker, as the user sets it for a new conversation (deepseek-v4-pro reads no images).
    assert.ok(api.deliver('sidebar', { type: 'setOptions', model: 'deepseek-flash' }));
    const first = 'Which component renders this screenshot?';
    assert.ok(
      api.deliver('sidebar', { type: 'ask', question: first, images: [{ name: 'shot.png', dataUrl: PNG_URL }] }),
    );
    const end = await waitFor(`the end of "${first}"`, () => sidebar().ended(first));
    assert.equal(end.outcome, 'complete', end.message);
    const [request] = requestsAsking(first);
    assert.ok(request?.body, 'the question never reached the server');
    assert.equal(request.body.model, 'deepseek-flash');
    const messages = request.body.messages;
    const last = messages.at(-1)!;
    // Byte for byte, in the question's own message: after the repository block and everything before it.
    assert.deepEqual(imageUrlsOf(last.content), [PNG_URL]);
    assertImagesOnlyInTheQuestion(messages);
    // The transcript shows the image by name and size, never its bytes.
    assert.deepEqual(
      end.images?.map((i) => [i.name, i.width, i.height, i.bytes]),
      [['shot.png', 2, 1, PNG.length]],
    );

    const second = 'And where is its stylesheet?';
    assert.ok(api.deliver('sidebar', { type: 'ask', question: second }));
    const end2 = await waitFor(`the end of "${second}"`, () => sidebar().ended(second));
    assert.equal(end2.outcome, 'complete', end2.message);
    const follow = requestsAsking(second)[0]?.body?.messages;
    assert.ok(follow, 'the follow-up never reached the server');
    // The first question's message goes again exactly as it went (so its cached prefix keeps matching).
    const again = follow.find((m) => textOf(m.content).includes(first));
    assert.deepEqual(again, last);
    assert.deepEqual(imageUrlsOf(follow.at(-1)!.content), []);
  });

  it("the explorer's Ask DeepSeek About This Image attaches the file to a new chat; an SVG is refused", async () => {
    const dir = path.join(workspaceFolder(), 'e2e-images');
    fs.mkdirSync(dir, { recursive: true });
    const png = path.join(dir, 'mock-up.png');
    const svg = path.join(dir, 'diagram.svg');
    fs.writeFileSync(png, PNG);
    fs.writeFileSync(svg, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const asked = server.chatRequests().length;
    try {
      const uri = vscode.Uri.file(png);
      await vscode.commands.executeCommand('deepseekRepo.askAboutImage', uri, [uri, vscode.Uri.file(svg)]);
      const attach = await waitFor('the panel composer to get the images', () => panel().sentOf('attachImages')[0]);
      const images = attach.images as { name?: string; dataUrl: string }[];
      assert.deepEqual(
        images.map((i) => [i.name, i.dataUrl]),
        [['mock-up.png', PNG_URL]],
      );
      const refused = attach.refused as string[];
      assert.equal(refused.length, 1);
      assert.match(refused[0]!, /diagram\.svg/);
      assert.doesNotMatch(refused[0]!, /\n/);
      // Nothing was asked: attaching only fills the composer.
      assert.equal(server.chatRequests().length, asked);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
