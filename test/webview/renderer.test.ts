// The renderer alone (dist/webview/markdown.js) in a real browser page WITHOUT a CSP, so a
// sanitiser gap would really execute or load: every xss-cases.json case and our own hostile cases,
// rendered at every streamed prefix, must keep the invariants; nothing may run or hit the network.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { HOSTILE_CASES } from './hostileCases';
import { checkRendered, chunksOf, renderCaseInPage, RULES, XSS_CASES, type XssCase } from './invariants';

describe('renderer (markdown.js) against hostile markdown, in Chromium without CSP', function () {
  let harness: Harness;
  let page: Page;
  before(async () => {
    harness = await startHarness();
    page = await harness.openRenderer();
  });
  after(async () => harness?.close());

  const run = (c: XssCase) => async () => {
    const check = {
      selector: '#out',
      rules: RULES,
      visible: c.expected.visible_text_contains ?? [],
      keep: c.expected.must_keep_selectors ?? [],
    };
    assert.deepEqual(await page.evaluate(renderCaseInPage, { chunks: chunksOf(c, 3), check }), [], c.id);
  };
  for (const c of XSS_CASES) it(`corpus: ${c.id}`, run(c));
  for (const c of HOSTILE_CASES) it(`own: ${c.id}`, run(c));

  it('nothing executed and nothing was requested, even after load/error events had time to fire', async () => {
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.deepEqual(harness.remoteRequests, []);
  });

  it('keeps what answers need: code highlighted, tables, links with rel, file refs, images as text', async () => {
    const html = await page.evaluate(() =>
      (window as unknown as { renderMarkdown(s: string): string }).renderMarkdown(
        '## Fix\n\n```ts path=src/a.ts\nconst x: number = 1;\n```\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n\nSee ' +
          '`src/a.ts:12`, `package.json:5` and [docs](https://example.com/d) and ' +
          '[file](src/b.ts#L3-L5).\n\n![diagram](https://example.com/d.png)',
      ),
    );
    assert.match(
      html,
      /<pre data-lang="ts" data-path="src\/a.ts"><code class="hljs language-ts"><span class="hljs-keyword">const<\/span>/,
    );
    assert.match(html, /<th class="align-center">a<\/th>/);
    assert.match(html, /<td class="align-right">2<\/td>/);
    assert.match(html, /<a class="file-ref" href="src\/a.ts:12"><code>src\/a.ts:12<\/code><\/a>/);
    assert.match(html, /<a class="file-ref" href="package.json:5"><code>package.json:5<\/code><\/a>/);
    assert.match(html, /<a href="https:\/\/example.com\/d" rel="noopener noreferrer">docs<\/a>/);
    assert.match(html, /<a href="src\/b.ts#L3-L5">file<\/a>/);
    assert.match(
      html,
      /<a class="image-ref" href="https:\/\/example.com\/d.png" title="Image not loaded: https:\/\/example.com\/d.png" rel="noopener noreferrer">diagram<\/a>/,
    );
    assert.doesNotMatch(html, /<img|style=/);
  });

  it('shows bidi controls as visible markers instead of applying them', async () => {
    const html = await page.evaluate(() =>
      (window as unknown as { renderMarkdown(s: string): string }).renderMarkdown('report\u202Efdp.exe'),
    );
    assert.match(
      html,
      /report<span class="bidi" data-cp="202e" title="Invisible direction control">U\+202E<\/span>fdp.exe/,
    );
  });
});

describe('the invariant checker itself', function () {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('flags unsafe HTML, so the passing cases above mean something', async () => {
    const page = await harness.openRenderer();
    await page.evaluate(() => {
      document.getElementById('out')!.innerHTML =
        '<a href="javascript:x">a</a><a href="https://x.example">b</a><span onclick="x" ' +
        'style="color:red">c</span><video></video><form></form>';
    });
    const found = await page.evaluate(checkRendered, { selector: '#out', rules: RULES, visible: ['missing text'] });
    for (const p of [
      'forbidden <form>',
      'forbidden <video>',
      'attribute onclick on <span>',
      'attribute style',
      'href=javascript:x',
      'http link without rel=noopener noreferrer',
      'auto-loading <video>',
      'visible text lost: "missing text"',
    ])
      assert.ok(found.includes(p), `${p} not flagged: ${found.join('; ')}`);
  });
});
