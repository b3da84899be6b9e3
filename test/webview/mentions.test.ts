// The composer's `@` mentions in the real app (dist/webview/app.js) under the extension's CSP:
// typing `@` asks the host (`mentionQuery`) and shows its answer as a list above the box; ↓/↑ and
// Enter or Tab take one by keyboard, a click by mouse; a taken mention is `@name` in the text and a
// chip (its ✕ reachable with Tab, removes it); stale answers are ignored; Escape closes the list
// without stopping anything; the chips go with the question and show with it in the transcript; a draft's
// chips are kept with it across a reload of the webview; a second answer to a query keeps the option chosen.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Mention, WebviewToHost } from '../../src/protocol/messages';
import { CONFIG, clearPosted, host, posted } from './appDriver';
import { appPage } from './appPage';

type Query = Extract<WebviewToHost, { type: 'mentionQuery' }>;
type Ask = Extract<WebviewToHost, { type: 'ask' }>;

const ITEMS: Mention[] = [
  { kind: 'folder', path: 'src/auth' },
  { kind: 'file', path: 'src/auth/service.ts' },
  { kind: 'symbol', path: 'src/auth/service.ts', name: 'AuthService', line: 3, detail: 'class' },
];

/** The last `mentionQuery` the app posted (waits for one with `query`). */
async function lastQuery(page: Page, query: string): Promise<Query> {
  await page.waitForFunction(
    (q) =>
      (window as unknown as { __posted: { type: string; query?: string }[] }).__posted
        .filter((m) => m.type === 'mentionQuery')
        .at(-1)?.query === q,
    query,
  );
  return (await posted(page)).filter((m): m is Query => m.type === 'mentionQuery').at(-1)!;
}

/** Answers the last query for `query` with `items` (as the host would). */
async function answer(page: Page, query: string, items: Mention[], note?: string): Promise<void> {
  const q = await lastQuery(page, query);
  await host(page, { type: 'mentionResults', id: q.id, items, ...(note ? { note } : {}) });
}

const options = (page: Page) => page.locator('.mention-option');
const chips = (page: Page) => page.locator('.mention-chip');

describe('webview app: @ mentions in the composer (Chromium)', function () {
  const app = appPage({ open: {}, messages: [{ type: 'init', surface: 'panel', config: CONFIG }] });
  let page: Page;
  beforeEach(() => (page = app.page));

  it('by keyboard: @ lists, ↓ moves, Enter takes (not sends), the chip goes with the question', async () => {
    const input = page.locator('#input');
    await input.click();
    await input.pressSequentially('How does @au');
    await answer(page, 'au', ITEMS, 'No symbols: no language server answered in time');
    assert.deepEqual(await page.locator('.mention-name').allInnerTexts(), [
      'src/auth/',
      'src/auth/service.ts',
      'AuthService',
    ]);
    assert.equal(await page.locator('.mention-where').innerText(), 'src/auth/service.ts:3');
    assert.equal(await page.locator('.mention-note').innerText(), 'No symbols: no language server answered in time');
    assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-option-0');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-option-2');
    assert.equal(await options(page).nth(2).getAttribute('aria-selected'), 'true');
    await input.press('ArrowUp');
    await input.press('Enter');
    assert.equal(await input.inputValue(), 'How does @src/auth/service.ts ');
    assert.ok(await page.locator('.mention-popup').isHidden(), 'the list closed');
    assert.deepEqual(await chips(page).allInnerTexts(), ['src/auth/service.ts']);
    assert.equal(
      (await posted(page)).filter((m) => m.type === 'ask').length,
      0,
      'Enter took the mention, sent nothing',
    );

    // Tab takes too; a folder is written with its slash.
    await input.pressSequentially('and @a');
    await answer(page, 'a', ITEMS);
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'How does @src/auth/service.ts and @src/auth/ ');
    assert.deepEqual(await chips(page).allInnerTexts(), ['src/auth/service.ts', 'src/auth/']);
    await input.pressSequentially('work?');
    await input.press('Enter');
    const ask = (await posted(page)).find((m): m is Ask => m.type === 'ask')!;
    assert.equal(ask.question, 'How does @src/auth/service.ts and @src/auth/ work?');
    assert.deepEqual(ask.mentions, [ITEMS[1], ITEMS[0]]);
    assert.equal(await chips(page).count(), 0, 'the chips went with the question');
  });

  it('by mouse: a click takes a symbol, keeping the focus in the box', async () => {
    const input = page.locator('#input');
    await input.click();
    await input.pressSequentially('Who calls @Auth');
    await answer(page, 'Auth', ITEMS);
    await options(page).nth(2).click();
    assert.equal(await input.inputValue(), 'Who calls @AuthService ');
    assert.ok(await input.evaluate((el) => el === document.activeElement), 'the focus stayed in the box');
    assert.deepEqual(await chips(page).allInnerTexts(), ['AuthService']);
    assert.match((await chips(page).first().getAttribute('title')) ?? '', /class in src\/auth\/service\.ts:3/);
  });

  it('chips: Tab reaches each ✕, Enter removes it and the focus moves on; a repeated mention is one chip', async () => {
    const input = page.locator('#input');
    await input.click();
    for (const [typed, pick] of [
      ['@se', 1],
      ['@se', 1],
      ['@sr', 0],
    ] as const) {
      await input.pressSequentially(`${typed}`);
      await answer(page, typed.slice(1), ITEMS);
      await options(page).nth(pick).click();
    }
    assert.deepEqual(await chips(page).allInnerTexts(), ['src/auth/service.ts', 'src/auth/']);
    await input.focus();
    // The chips come after the box in the tab order.
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Remove @src/auth/service.ts',
    );
    await page.keyboard.press('Enter');
    assert.deepEqual(await chips(page).allInnerTexts(), ['src/auth/']);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Remove @src/auth/');
    await page.keyboard.press('Space');
    assert.equal(await chips(page).count(), 0);
    assert.ok(
      await input.evaluate((el) => el === document.activeElement),
      'the last ✕ gives the focus back to the box',
    );
  });

  it('a draft keeps its chips when the webview is hidden and comes back (its saved state)', async () => {
    const input = page.locator('#input');
    await input.click();
    await input.pressSequentially('Where is @Auth');
    await answer(page, 'Auth', ITEMS);
    await options(page).nth(2).click();
    await input.pressSequentially('used?');
    await page.reload();
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    assert.equal(await input.inputValue(), 'Where is @AuthService used?');
    assert.deepEqual(await chips(page).allInnerTexts(), ['AuthService']);
    await input.press('Enter');
    const ask = (await posted(page)).find((m): m is Ask => m.type === 'ask')!;
    assert.deepEqual([ask.question, ask.mentions], ['Where is @AuthService used?', [ITEMS[2]]]);
  });

  it("a second answer to a query (the language servers' symbols merged in) keeps the option chosen", async () => {
    const input = page.locator('#input');
    await input.click();
    await input.pressSequentially('@aut');
    await answer(page, 'aut', ITEMS);
    await input.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-option-1');
    const merged: Mention[] = [ITEMS[0]!, { kind: 'file', path: 'src/auth.ts' }, ITEMS[1]!, ITEMS[2]!];
    await answer(page, 'aut', merged);
    await page.waitForFunction(() => document.querySelectorAll('.mention-option').length === 4);
    assert.equal(await input.getAttribute('aria-activedescendant'), 'mention-option-2', 'still on service.ts');
    await input.press('Enter');
    assert.deepEqual(await chips(page).allInnerTexts(), ['src/auth/service.ts']);
  });

  it('a stale answer is ignored, an empty one says so, Escape closes the list without stopping anything', async () => {
    const input = page.locator('#input');
    await input.click();
    await input.pressSequentially('@x');
    const first = await lastQuery(page, 'x');
    await input.pressSequentially('y');
    await host(page, { type: 'mentionResults', id: first.id, items: ITEMS });
    assert.equal(await options(page).count(), 0, 'the answer to "x" came after "xy" was typed');
    await answer(page, 'xy', []);
    assert.equal(await page.locator('.mention-empty').innerText(), 'No matching files, folders or symbols');
    await clearPosted(page);
    await input.press('Escape');
    assert.ok(await page.locator('.mention-popup').isHidden());
    assert.deepEqual(await posted(page), [], 'Escape closed the list only');
    await input.press('Enter');
    const ask = (await posted(page)).find((m): m is Ask => m.type === 'ask')!;
    assert.deepEqual([ask.question, ask.mentions], ['@xy', undefined], 'with no chip, no mentions');
  });

  it('a question shows its mentions in the transcript; editing it brings them back as chips', async () => {
    await host(page, {
      type: 'turnStart',
      requestId: 'r1',
      index: 0,
      question: 'What does @AuthService do?',
      mentions: [ITEMS[2]],
    });
    await host(page, { type: 'contentDelta', requestId: 'r1', text: 'It logs in.' });
    await host(page, { type: 'end', requestId: 'r1', outcome: 'complete' });
    assert.equal(await page.locator('.question-mention').innerText(), 'AuthService');
    await page.locator('#input').click();
    await page.locator('#input').press('ArrowUp');
    assert.deepEqual(await chips(page).allInnerTexts(), ['AuthService']);
    await page.locator('#input').press('Enter');
    const resend = (await posted(page)).find((m) => m.type === 'editAndResend')!;
    assert.deepEqual(resend, {
      type: 'editAndResend',
      index: 0,
      question: 'What does @AuthService do?',
      withEditor: false,
      mentions: [ITEMS[2]],
    });
  });
});
