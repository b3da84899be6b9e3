// A question the host did not send comes back into the box: the key prompt or the cost
// question was cancelled after Enter had emptied it, and the typed question was lost.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, frame, host, posted } from './appDriver';
import { appPage } from './appPage';

describe('webview: a question not sent goes back into the box', function () {
  const app = appPage({ open: {}, messages: [{ type: 'init', surface: 'panel', config: CONFIG }] });
  let page: Page;
  beforeEach(() => (page = app.page));

  it('puts it back with the caret at its end, unless another question was typed meanwhile', async () => {
    const input = page.locator('#input');
    await input.fill('Where is the retry loop?');
    await input.press('Enter');
    assert.equal(await input.inputValue(), '');
    assert.ok((await posted(page)).some((m) => m.type === 'ask' && m.question === 'Where is the retry loop?'));
    await host(page, { type: 'unsent', question: 'Where is the retry loop?' });
    await frame(page);
    assert.equal(await input.inputValue(), 'Where is the retry loop?');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'input');

    await input.fill('something else');
    await host(page, { type: 'unsent', question: 'Where is the retry loop?' });
    await frame(page);
    assert.equal(await input.inputValue(), 'something else', 'what the user typed since is kept');
  });
});
