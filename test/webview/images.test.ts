// The composer's images in the real app (dist/webview/app.js) under the extension's CSP: pasted,
// dropped (files from the OS, URIs from VS Code's explorer), picked with the attach button; each
// checked from its bytes, shown as a removable thumbnail that opens large, held to the limits, and
// scaled down in the page when over the per-image limit (the user is told); sent with the question.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { IMAGE_LIMITS } from '../../src/protocol/images';
import type { WebviewToHost } from '../../src/protocol/messages';
import { REPO } from '../helpers/paths';
import { CONFIG, frame, host, posted } from './appDriver';
import { appPage } from './appPage';

const fixture = (name: string) => fs.readFileSync(path.join(REPO, 'test/fixtures/images', name)).toString('base64');

/** Pastes (or drops, with `drop`) files into the composer: `[name, type, base64]` each. */
async function give(page: Page, files: [string, string, string][], how: 'paste' | 'drop'): Promise<void> {
  await page.evaluate(
    ({ files, how }) => {
      const dt = new DataTransfer();
      for (const [name, type, b64] of files)
        dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type }));
      const input = document.querySelector('#input')!;
      if (how === 'paste')
        input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      else input.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { files, how },
  );
}

/** Waits until the composer shows `n` thumbnails. */
const thumbs = (page: Page, n: number) =>
  page.waitForFunction((n) => document.querySelectorAll('.attachment').length === n, n);

const asked = async (page: Page) =>
  (await posted(page)).filter((m): m is Extract<WebviewToHost, { type: 'ask' }> => m.type === 'ask');

describe('webview app: images in the composer (Chromium)', function () {
  const app = appPage({ open: {}, messages: [{ type: 'init', surface: 'panel', config: CONFIG }] });
  let page: Page;
  beforeEach(() => (page = app.page));

  it(
    'a pasted and a dropped image become thumbnails, are sent byte for byte with the question, then ' + 'cleared',
    async () => {
      const png = fixture('shot.png');
      const jpg = fixture('photo.jpg');
      await give(page, [['image.png', 'image/png', png]], 'paste');
      await thumbs(page, 1);
      await give(page, [['photo.jpg', 'image/jpeg', jpg]], 'drop');
      await thumbs(page, 2);
      assert.match(await page.locator('.attach-limits').innerText(), /Up to 4 images a question .*5 MiB each.*SVG/);
      await page.locator('#input').fill('Which component renders this?');
      await page.locator('#input').press('Enter');
      const [ask] = await asked(page);
      assert.deepEqual(ask!.images, [
        { name: 'image.png', dataUrl: `data:image/png;base64,${png}` },
        { name: 'photo.jpg', dataUrl: `data:image/jpeg;base64,${jpg}` },
      ]);
      await thumbs(page, 0);
    },
  );

  it('tells the host what images the draft holds, and takes them back when the view loads again', async () => {
    const png = fixture('shot.png');
    const drafts = async () =>
      (await posted(page)).flatMap((m) => (m.type === 'draftImages' ? [m.images.map((i) => i.name)] : []));
    await give(page, [['image.png', 'image/png', png]], 'paste');
    await thumbs(page, 1);
    await page.getByRole('button', { name: /^Remove image\.png/ }).click();
    await thumbs(page, 0);
    assert.deepEqual(await drafts(), [['image.png'], []], 'added, then removed');
    // The host gives back what a hidden view held; one the page had scaled down stays marked so.
    const scaledFrom = { bytes: 9_000_000, width: 4000, height: 3000 };
    await page.getByRole('combobox', { name: 'Model' }).focus();
    await host(page, {
      type: 'attachImages',
      images: [{ name: 'big.png', dataUrl: `data:image/png;base64,${png}`, scaledFrom }],
      restored: true,
    });
    await thumbs(page, 1);
    const focusedName = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(focusedName, 'Model', 'the focus is left where it was');
    assert.match((await page.locator('.thumb').getAttribute('title')) ?? '', /^big\.png, .*\(scaled down\)/);
    await page.locator('#input').fill('And this one?');
    await page.locator('#input').press('Enter');
    const [ask] = await asked(page);
    assert.deepEqual(ask!.images, [{ name: 'big.png', dataUrl: `data:image/png;base64,${png}`, scaledFrom }]);
    const kinds = (await posted(page)).map((m) => m.type).filter((t) => t === 'draftImages' || t === 'ask');
    assert.deepEqual(kinds.slice(-2), ['draftImages', 'ask'], 'the sent draft is forgotten before the question');
    assert.deepEqual((await drafts()).at(-1), []);
  });

  it('a question the host did not send comes back into the box with its images', async () => {
    const png = fixture('shot.png');
    await host(page, {
      type: 'unsent',
      question: 'Which component renders this?',
      images: [{ name: 'shot.png', dataUrl: `data:image/png;base64,${png}` }],
    });
    await thumbs(page, 1);
    assert.equal(await page.locator('#input').inputValue(), 'Which component renders this?');
  });

  it('the attach button picks files; a thumbnail opens large and can be removed', async () => {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach images' }).click();
    await (
      await chooser
    ).setFiles([
      { name: 'tiny.gif', mimeType: 'image/gif', buffer: Buffer.from(fixture('tiny.gif'), 'base64') },
      { name: 'lossy.webp', mimeType: 'image/webp', buffer: Buffer.from(fixture('lossy.webp'), 'base64') },
    ]);
    await thumbs(page, 2);
    await page.locator('.thumb').nth(1).click();
    assert.equal(await page.locator('dialog.image-viewer[open] img').count(), 1);
    assert.match(await page.locator('.image-viewer-caption').innerText(), /lossy\.webp · \d+×\d+/);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('dialog.image-viewer[open]').count(), 0);
    await page.getByRole('button', { name: /^Remove tiny\.gif/ }).click();
    await thumbs(page, 1);
    await page.locator('#input').fill('What is this?');
    await page.locator('#input').press('Enter');
    assert.deepEqual(
      (await asked(page))[0]!.images!.map((i) => i.name),
      ['lossy.webp'],
    );
  });

  it('refuses what is not an image, SVG, a file cut short, and a fifth image, each in a sentence', async () => {
    const png = Buffer.from(fixture('shot.png'), 'base64');
    await give(
      page,
      [
        ['notes.png', 'image/png', Buffer.from('hello, not a picture').toString('base64')],
        ['logo.svg', 'image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')],
        ['cut.png', 'image/png', png.subarray(0, png.length - 20).toString('base64')],
      ],
      'paste',
    );
    await page.waitForFunction(() => document.querySelector('.attach-note')?.textContent);
    const note = await page.locator('.attach-note').innerText();
    assert.match(note, /notes\.png is not an image \(PNG, JPEG, GIF or WebP\)/);
    assert.match(note, /logo\.svg is an SVG: SVG is not accepted/);
    assert.match(note, /cut\.png starts like a PNG but cannot be read as one/);
    assert.equal(await page.locator('.attachment').count(), 0);
    const five = Array.from({ length: 5 }, (_, i): [string, string, string] => [
      `s${i}.png`,
      'image/png',
      fixture('shot.png'),
    ]);
    await give(page, five, 'paste');
    await thumbs(page, IMAGE_LIMITS.perQuestion);
    await page.waitForFunction(() =>
      (document.querySelector('.attach-note')?.textContent ?? '').includes('at most 4 images'),
    );
  });

  it('scales an image over the per-image limit down in the page and says so', async () => {
    const big = await page.evaluate(async () => {
      // Opaque noise does not compress: 2400×1800 of it as PNG is about 12 MiB.
      const c = new OffscreenCanvas(2400, 1800);
      const ctx = c.getContext('2d')!;
      const img = ctx.createImageData(c.width, c.height);
      for (let i = 0; i < img.data.length; i += 65536) crypto.getRandomValues(img.data.subarray(i, i + 65536));
      for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
      ctx.putImageData(img, 0, 0);
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    });
    const bytes = Buffer.from(big, 'base64').length;
    assert.ok(bytes > IMAGE_LIMITS.bytesPerImage, `the test image is ${bytes} bytes`);
    await give(page, [['noise.png', 'image/png', big]], 'paste');
    await thumbs(page, 1);
    assert.match(
      await page.locator('.attach-note').innerText(),
      /noise\.png was scaled down from 2400×1800 \(\d+(\.\d+)? MiB\) to \d+×\d+ \([\d.]+ (MiB|KiB)\) to fit the 5 MiB limit/,
    );
    await page.locator('#input').fill('What is this noise?');
    await page.locator('#input').press('Enter');
    const image = (await asked(page))[0]!.images![0]!;
    assert.deepEqual(image.scaledFrom, { bytes, width: 2400, height: 1800 });
    const sent = Buffer.from(image.dataUrl.split(',')[1]!, 'base64');
    assert.ok(sent.length <= IMAGE_LIMITS.bytesPerImage, `${sent.length} bytes sent`);
  });

  it(
    "files dropped from VS Code's explorer go to the host as URIs; the images it sends back are " + 'attached',
    async () => {
      await page.evaluate(() => {
        const dt = new DataTransfer();
        dt.setData('text/uri-list', 'file:///work/shot.png\r\nfile:///work/readme.md');
        document
          .querySelector('#input')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      assert.deepEqual(await posted(page), [
        { type: 'attachFiles', uris: ['file:///work/shot.png', 'file:///work/readme.md'] },
      ]);
      await host(page, {
        type: 'attachImages',
        images: [{ name: 'shot.png', dataUrl: `data:image/png;base64,${fixture('shot.png')}` }],
        refused: ['readme.md is not an image (PNG, JPEG, GIF or WebP).'],
      });
      await thumbs(page, 1);
      assert.match(await page.locator('.attach-note').innerText(), /readme\.md is not an image/);
    },
  );

  it('shows the images of a question in the transcript and counts them in the context chip', async () => {
    await host(
      page,
      {
        type: 'turnStart',
        requestId: 'r1',
        index: 0,
        question: 'What is this?',
        images: [{ name: 'shot.png', width: 64, height: 48, bytes: 376 }],
      },
      {
        type: 'context',
        requestId: 'r1',
        summary: { files: 3, tokens: 1200, outlined: 0, excluded: 0, redactions: 0, images: { count: 1, tokens: 384 } },
      },
    );
    await frame(page);
    assert.match(await page.locator('.question-images').innerText(), /shot\.png · 64×48/);
    assert.match(await page.locator('.turn .chip').first().innerText(), /1 image/);
  });
});
