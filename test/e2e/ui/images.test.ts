// An image pasted from the clipboard, as a person does it, in the installed .vsix: a picture is put on
// the browser's clipboard (what the OS clipboard is to code-server), Ctrl+V in the sidebar's question
// box attaches it as a thumbnail, and the question goes with it to a vision model: the fake DeepSeek
// receives it as an `image_url` part in the question's own message, after the repository. Screenshots
// of the thumbnail under the box and of the sent question, in the light and dark themes, go to
// $E2E_ARTIFACTS/themes. The composer's paste, drop, limits and scaling have their Chromium tests
// (test/webview/images.test.ts); the host's half with a delivered image is test/e2e/host/images.test.ts.
import * as assert from 'node:assert/strict';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { imageUrlsOf, sniff, textOf } from '../../fake-server/vision';
import { env, launchBrowser } from '../driver/browser';
import { assertImagesOnlyInTheQuestion } from '../shared/imagePlacement';
import { EVENT_MS } from '../shared/patience';
import { stepper, themeShots } from './steps';
import { UI_API_KEY, updateUserSettings, Workbench } from './workbench';

const QUESTION = 'Which component renders this sign-in form?';
/** The picture's size, drawn in the page: a mock-up of a sign-in form, as a person would screenshot one. */
const WIDTH = 320;
const HEIGHT = 200;

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe('an image pasted into the sidebar chat', function () {
  const artifacts = env('E2E_ARTIFACTS');
  const settingsFile = env('E2E_USER_SETTINGS');
  let server: FakeServer;
  let browser: BrowserContext;
  let page: Page;
  let wb: Workbench;
  let sidebar: Frame;
  let modelBefore = '';

  /** A step of the story: fails at once when an earlier step failed. */
  const step = stepper({ page: () => page, artifacts, failureShot: 'ui-images-failure.png' });
  /** The whole window in the light and dark themes, once the sidebar wears each. */
  const shots = (name: string) => themeShots({ wb, page, sidebar, settingsFile, artifacts }, name);
  const modelPicker = () => sidebar.getByRole('combobox', { name: 'Model' });
  const thumbnails = () => sidebar.locator('.attachments img');

  before(async () => {
    server = await startFakeDeepSeek({ apiKeys: [UI_API_KEY], byHostName: true });
    updateUserSettings(settingsFile, { 'deepseekRepo.baseUrl': server.url });
    browser = await launchBrowser(env('E2E_PROFILE'));
    // The page may write pictures to the clipboard and read it, as a person's desktop lets a browser do.
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env('E2E_URL')).origin });
    page = browser.pages()[0] ?? (await browser.newPage());
    wb = new Workbench(page);
  });
  after(async () => {
    // The sidebar's model stays the user's choice for later new chats: put back the one the suite found.
    if (sidebar && modelBefore)
      await modelPicker()
        .selectOption(modelBefore)
        .catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  step('a picture copied to the clipboard, Ctrl+V in the question box: a thumbnail under the box', async () => {
    sidebar = await wb.openSidebar();
    await wb.setApiKey();
    await wb.newChat(sidebar);
    // deepseek-v4-pro reads no images: the vision model, picked as a person picks it for a new chat.
    modelBefore = await modelPicker().inputValue();
    await modelPicker().selectOption('deepseek-flash');

    // A mock-up drawn in the workbench's page and written to the clipboard as a PNG, the way a
    // screenshot tool leaves one there.
    await page.bringToFront();
    // (A string: the tests compile without the DOM's types.)
    const written = await page.evaluate(`(async () => {
      const canvas = new OffscreenCanvas(${WIDTH}, ${HEIGHT});
      const g = canvas.getContext('2d');
      g.fillStyle = '#f3f4f6';
      g.fillRect(0, 0, ${WIDTH}, ${HEIGHT});
      g.fillStyle = '#111827';
      g.font = 'bold 20px sans-serif';
      g.fillText('Sign in', 24, 40);
      g.strokeStyle = '#9ca3af';
      g.strokeRect(24, 60, 272, 32);
      g.strokeRect(24, 104, 272, 32);
      g.fillStyle = '#dc2626';
      g.fillRect(24, 150, 120, 32);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': blob })]);
      return blob.size;
    })()`);
    assert.ok(Number(written) > 0, 'the picture was drawn');

    const box = sidebar.getByRole('textbox').first();
    await box.click();
    await box.fill(QUESTION);
    await box.press('ControlOrMeta+V');
    await thumbnails().first().waitFor({ timeout: EVENT_MS });
    assert.equal(await thumbnails().count(), 1, 'one picture pasted, one thumbnail');
    // A picture pasted is not text: the question is as typed.
    assert.equal(await box.inputValue(), QUESTION);
    await shots('image-pasted');
  });

  /** `leave` takes the side bar's webview away; shown again, it has the same picture and question in its box. */
  const boxSurvives = async (leave: () => Promise<void>) => {
    const before = await thumbnails().first().getAttribute('src');
    await leave();
    await wb.openActivity('DeepSeek Repo');
    sidebar = await wb.webview('sidebar');
    await thumbnails().first().waitFor({ timeout: EVENT_MS });
    assert.equal(await thumbnails().count(), 1, 'the picture is back, once');
    assert.equal(await thumbnails().first().getAttribute('src'), before, 'the same picture');
    assert.equal(await sidebar.getByRole('textbox').first().inputValue(), QUESTION);
  };

  step('the Explorer and back: the picture and the question are still in the box', async () => {
    // VS Code disposes a hidden side bar's webview; the one shown again loads with its saved state (the text) and
    // the host gives the pictures back.
    await boxSurvives(async () => {
      await wb.runCommand('View: Show Explorer');
      await page.locator('.part.sidebar').getByRole('treeitem', { name: 'README.md' }).waitFor({ timeout: EVENT_MS });
    });
  });

  step('"Reload Window": the picture, the question and the model picked are still there', async () => {
    // The extension host starts afresh: the text comes back from the webview's saved state, the picture from the
    // workspace's storage (src/chat/draftImages.ts).
    await boxSurvives(() => wb.reloadWindow());
    // The model picked for the next chat is kept over the reload too (src/ui/viewChoice.ts).
    assert.equal(await modelPicker().inputValue(), 'deepseek-flash');
  });

  step('Enter sends it: the picture reaches the vision model in the question, after the repository', async () => {
    const box = sidebar.getByRole('textbox').first();
    await box.click();
    await box.press('Enter');
    // The fake DeepSeek says what images it decoded in the question (test/fake-server/server.ts).
    await wb.waitForText(sidebar, 'the answer', (t) => t.includes('Images seen: image/png'));
    const request = server.chatRequests().find((r) => textOf(r.body?.messages.at(-1)?.content).includes(QUESTION));
    assert.ok(request?.body, 'the question never reached the server');
    assert.equal(request.body.model, 'deepseek-flash');
    const messages = request.body.messages;
    const urls = imageUrlsOf(messages.at(-1)!.content);
    assert.equal(urls.length, 1, 'one image in the question');
    const match = /^data:(image\/[a-z]+);base64,(.+)$/.exec(urls[0]!);
    assert.ok(match, `not a data URL: ${urls[0]!.slice(0, 40)}`);
    const bytes = Buffer.from(match[2]!, 'base64');
    // Chromium re-encodes what the clipboard holds, so the bytes are its PNG: the same picture, its size kept.
    assert.equal(sniff(bytes), 'image/png');
    assert.deepEqual(pngSize(bytes), { width: WIDTH, height: HEIGHT });
    assertImagesOnlyInTheQuestion(messages);
    // Sent: the box is empty, no thumbnail is left for the next question, the turn names its picture.
    assert.equal(await box.inputValue(), '');
    assert.equal(await thumbnails().count(), 0, 'the thumbnail went with the question');
    assert.match(await sidebar.locator('.question-image').first().innerText(), new RegExp(`${WIDTH}×${HEIGHT}`));
    await shots('image-sent');
  });
});
