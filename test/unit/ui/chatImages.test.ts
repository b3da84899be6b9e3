// Images through the chat view's host side (chatView.ts, conversationRunner.ts, imageAttach.ts),
// driven by a fake webview over the real session and the fake server (which takes images only on
// DeepSeek's vision models): the composer's images reach the server with the question; a model that
// cannot read them asks the user first (the vision model, without them, or nothing sent); files
// dropped from VS Code's explorer come back to the composer as images, or as a sentence each.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostToWebview } from '../../../src/protocol/messages';
import { imageUrlsOf } from '../../fake-server/vision';
import { REPO } from '../../helpers/paths';
import { FileDraftImages } from '../../../src/chat/draftImages';
import { chatViewKit, readyKitEach, type Kit } from './chatViewKit';

type Msg<T extends HostToWebview['type']> = Extract<HostToWebview, { type: T }>;
const png = fs.readFileSync(path.join(REPO, 'test/fixtures/images/shot.png'));
const upload = { name: 'shot.png', dataUrl: `data:image/png;base64,${png.toString('base64')}` };

describe('chat view: images', () => {
  let kit: Kit;
  readyKitEach((k) => (kit = k));

  it(
    'deepseek-v4-pro reads no images: the user is asked first; the vision model gets the question with ' + 'them',
    async () => {
      kit.imageChoices.push('switch');
      await kit.view.receive({ type: 'ask', question: 'Which component renders this?', images: [upload] });
      assert.equal(kit.imageOffers.length, 1);
      assert.match(
        kit.imageOffers[0]!.message,
        /^deepseek-v4-pro cannot read images, and this question carries 1 image/,
      );
      assert.equal(kit.imageOffers[0]!.visionModel, 'deepseek-flash');
      const posted = kit.take();
      const start = posted[0] as Msg<'turnStart'>;
      assert.deepEqual(start.images, [{ name: 'shot.png', width: 16, height: 12, bytes: png.length }]);
      const context = posted.find((m): m is Msg<'context'> => m.type === 'context')!;
      assert.deepEqual(context.summary.images, { count: 1, tokens: 384 });
      assert.equal((posted.at(-1) as Msg<'end'>).outcome, 'complete');
      const body = kit.server.chatRequests().at(-1)!.body!;
      assert.equal(body.model, 'deepseek-flash');
      assert.deepEqual(imageUrlsOf(body.messages.at(-1)!.content), [upload.dataUrl]);
    },
  );

  it('declining sends nothing; "without the images" sends the question alone', async () => {
    kit.imageChoices.push(undefined, 'drop');
    await kit.view.receive({ type: 'ask', question: 'first', images: [upload] });
    assert.equal((kit.take().at(-1) as Msg<'end'>).outcome, 'cancelled');
    assert.equal(kit.server.chatRequests().length, 0);
    await kit.view.receive({ type: 'ask', question: 'second', images: [upload] });
    const body = kit.server.chatRequests().at(-1)!.body!;
    assert.equal(body.model, 'deepseek-v4-pro');
    assert.equal(body.messages.at(-1)!.content, 'second');
  });

  it('a file that is not an image ends the turn with its one-line reason; nothing is sent', async () => {
    const fake = {
      name: 'notes.png',
      dataUrl: `data:image/png;base64,${Buffer.from('plain text').toString('base64')}`,
    };
    await kit.view.receive({ type: 'ask', question: 'What is this?', images: [fake] });
    const end = kit.take().at(-1) as Msg<'end'>;
    assert.equal(end.outcome, 'error');
    assert.match(end.message!, /^notes\.png is not an image \(PNG, JPEG, GIF or WebP\)$/);
    assert.equal(kit.server.chatRequests().length, 0);
  });

  it('files dropped from the explorer come back to the composer as images, or a sentence each', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-drop-'));
    try {
      fs.writeFileSync(path.join(dir, 'shot.png'), png);
      fs.writeFileSync(path.join(dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
      const uris = ['shot.png', 'logo.svg', 'gone.png'].map((n) => pathToFileURL(path.join(dir, n)).toString());
      await kit.view.receive({ type: 'attachFiles', uris });
      const [m] = kit.take() as [Msg<'attachImages'>];
      assert.equal(m.type, 'attachImages');
      assert.deepEqual(m.images, [upload]);
      assert.equal(m.refused!.length, 2);
      assert.match(m.refused![0]!, /^logo\.svg is an SVG: SVG is not accepted/);
      assert.match(m.refused![1]!, /^gone\.png cannot be read: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the composer's images come back to its webview loaded again (the view was hidden); [] forgets them", async () => {
    const scaled = { ...upload, scaledFrom: { bytes: 9_000_000, width: 4000, height: 3000 } };
    await kit.view.receive({ type: 'draftImages', images: [upload, scaled] });
    assert.deepEqual(kit.take(), [], 'nothing is answered while the webview has them');
    await kit.view.receive({ type: 'ready' });
    const back = kit.take().filter((m): m is Msg<'attachImages'> => m.type === 'attachImages');
    assert.deepEqual(back, [{ type: 'attachImages', images: [upload, scaled], restored: true }]);
    await kit.view.receive({ type: 'draftImages', images: [] });
    await kit.view.receive({ type: 'ready' });
    assert.deepEqual(
      kit.take().filter((m) => m.type === 'attachImages'),
      [],
      'sent or removed: not given back',
    );
  });

  it('waiting images outlive a window reload (a new backend, the same store); an empty box keeps none', async () => {
    const file = path.join(kit.dir, 'draft-images', 'sidebar.json');
    const before = await chatViewKit({ like: kit, drafts: new FileDraftImages(file) });
    try {
      await before.view.receive({ type: 'draftImages', images: [upload] });
    } finally {
      await before.close();
    }
    const after = await chatViewKit({ like: kit, drafts: new FileDraftImages(file) });
    try {
      await after.view.receive({ type: 'ready' });
      const back = after.take().filter((m) => m.type === 'attachImages');
      assert.deepEqual(back, [{ type: 'attachImages', images: [upload], restored: true }]);
      await after.view.receive({ type: 'draftImages', images: [] });
      assert.equal(fs.existsSync(file), false, 'an empty box keeps no file');
    } finally {
      await after.close();
    }
  });

  it('a question the gate did not send goes back into the box with its images', async () => {
    kit.canSend = false;
    await kit.view.receive({ type: 'ask', question: 'Which component renders this?', images: [upload] });
    assert.deepEqual(kit.take(), [{ type: 'unsent', question: 'Which component renders this?', images: [upload] }]);
    assert.equal(kit.server.chatRequests().length, 0);
  });
});
