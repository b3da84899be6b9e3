// The real app (dist/webview/app.js) in the harness under the extension's CSP: the handshake and the key,
// the composer (Enter, Shift+Enter, Escape; the file and lines that go with a question), the model and
// effort pickers, and the sidebar surface.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, clearPosted, host, posted, text, frame, violations } from './appDriver';
import { appPage } from './appPage';

describe('webview app in Chromium (real bundle, real CSP)', function () {
  const app = appPage({ open: {} });
  let page: Page;
  beforeEach(() => (page = app.page));

  it('says ready first, shows what to do first, and asks for the key', async () => {
    assert.deepEqual((await posted(page))[0], { type: 'ready' });
    await host(page, { type: 'init', surface: 'panel', config: { ...CONFIG, hasKey: false } });
    assert.match(await text(page, '.empty'), /Set your DeepSeek API key/);
    await page.getByRole('button', { name: 'Set API Key' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'setApiKey' });
    await host(page, { type: 'config', config: { ...CONFIG, trusted: false } });
    assert.match(await text(page, '.empty'), /Restricted Mode/);
  });

  it('needs no key for an endpoint on this machine: says so and offers the starter questions', async () => {
    await host(page, {
      type: 'init',
      surface: 'panel',
      config: { ...CONFIG, hasKey: false, localEndpoint: 'localhost:11434' },
    });
    assert.match(await text(page, '.empty'), /No API key needed: localhost:11434 is on this machine\./);
    assert.equal(await page.locator('.empty .steps li.done').count(), 0, 'a fact, not a step struck through as done');
    assert.equal(await page.getByRole('button', { name: 'Set API Key' }).count(), 0);
    assert.equal(await page.locator('.empty .starter').count(), 3);
    await host(page, { type: 'config', config: { ...CONFIG, hasKey: false } }); // the base URL changed to a remote one
    assert.equal(await page.getByRole('button', { name: 'Set API Key' }).count(), 1);
    assert.equal(await page.locator('.empty .starter').count(), 0);
  });

  it('Enter sends, Shift+Enter makes a new line, Escape stops the running answer', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await clearPosted(page);
    const input = page.locator('#input');
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    assert.deepEqual(await posted(page), []);
    await input.press('Enter');
    assert.deepEqual(
      await posted(page),
      [{ type: 'ask', question: 'first line\nsecond line', withEditor: false }],
      'no editor chip: nothing about the editor',
    );
    assert.equal(await input.inputValue(), '');
    await host(page, { type: 'turnStart', requestId: 'r1', index: 0, question: 'first line\nsecond line' });
    await input.press('Escape');
    assert.deepEqual((await posted(page)).at(-1), { type: 'cancel', requestId: 'r1' });
    await host(page, { type: 'end', requestId: 'r1', outcome: 'cancelled' });
    assert.match(await text(page, '.turn .status'), /Stopped/);
  });

  it('shows which file and lines go with the question; a click leaves them out, another brings them back', async () => {
    await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
    const chip = page.locator('.editor-chip');
    assert.equal(await chip.isVisible(), false, 'no file in an editor: no chip');
    await host(page, {
      type: 'editor',
      label: 'src/context/scan.ts:10-14',
      note: 'src/context/scan.ts, lines 10-14 selected',
    });
    assert.equal(await chip.innerText(), 'src/context/scan.ts:10-14');
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    assert.match(
      (await chip.getAttribute('title'))!,
      /Sent with your question: "src\/context\/scan\.ts, lines 10-14 selected"/,
    );
    await clearPosted(page);
    const input = page.locator('#input');
    await input.fill('What does this do?');
    await input.press('Enter');
    assert.deepEqual(await posted(page), [{ type: 'ask', question: 'What does this do?', withEditor: true }]);
    await host(
      page,
      {
        type: 'turnStart',
        requestId: 'r1',
        index: 0,
        question: 'What does this do?',
        editor: 'src/context/scan.ts, lines 10-14 selected',
      },
      { type: 'end', requestId: 'r1', outcome: 'complete' },
    );
    assert.equal(
      await text(page, '.turn .question-editor'),
      'src/context/scan.ts, lines 10-14 selected',
      'the question shows what went with it',
    );
    await chip.click();
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');
    assert.equal(
      await chip.locator('.editor-chip-label').evaluate((e) => getComputedStyle(e).textDecorationLine),
      'line-through',
    );
    // The user moved: still left out.
    await host(page, { type: 'editor', label: 'src/a.ts:3', note: 'src/a.ts, cursor on line 3' });
    assert.deepEqual([await chip.innerText(), await chip.getAttribute('aria-pressed')], ['src/a.ts:3', 'false']);
    await clearPosted(page);
    await input.fill('And in general?');
    await input.press('Enter');
    assert.deepEqual(await posted(page), [{ type: 'ask', question: 'And in general?', withEditor: false }]);
    await chip.click();
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    await host(page, { type: 'editor' }); // no file in an editor any more
    assert.equal(await chip.isVisible(), false);
    // A question asked without it shows none; a replayed conversation shows each question's.
    await host(
      page,
      { type: 'turnStart', requestId: 'r2', index: 1, question: 'And in general?' },
      { type: 'end', requestId: 'r2', outcome: 'complete' },
    );
    assert.equal(await page.locator('.turn').nth(1).locator('.question-editor').isVisible(), false);
    await host(page, {
      type: 'replay',
      conversation: {
        title: 't',
        turns: [
          { question: 'q', editor: 'src/a.ts, cursor on line 3', answer: 'a', reasoning: '', outcome: 'complete' },
        ],
      },
    });
    assert.equal(await text(page, '.turn .question-editor'), 'src/a.ts, cursor on line 3');
  });

  it('model/effort pickers come from host and post changes; a mid-chat change says it applies next time', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    assert.deepEqual(await page.locator('select[aria-label="Model"] option').allInnerTexts(), [
      'deepseek-v4-pro',
      'deepseek-flash',
    ]);
    await host(page, {
      type: 'replay',
      conversation: {
        title: 't',
        model: 'deepseek-v4-pro',
        effort: 'high',
        turns: [{ question: 'q', answer: 'a', reasoning: '', outcome: 'complete' }],
      },
    });
    await clearPosted(page);
    await page.locator('select[aria-label="Model"]').selectOption('deepseek-flash');
    await page.locator('select[aria-label="Thinking effort"]').selectOption('off');
    assert.deepEqual(await posted(page), [
      { type: 'setOptions', model: 'deepseek-flash' },
      { type: 'setOptions', effort: 'off' },
    ]);
    assert.equal(await text(page, '.hint'), 'Applies to the next chat');
  });

  it('names the window the endpoint reports beside a model in the picker; the value stays the id', async () => {
    await host(page, {
      type: 'init',
      surface: 'sidebar',
      config: {
        ...CONFIG,
        models: ['deepseek-v4-pro', 'qwen3-coder:30b', 'mistral-large'],
        windows: [
          { id: 'qwen3-coder:30b', tokens: 32_768 },
          { id: 'mistral-large', tokens: 131_000 },
        ],
      },
    });
    assert.deepEqual(await page.locator('select[aria-label="Model"] option').allInnerTexts(), [
      'deepseek-v4-pro',
      'qwen3-coder:30b · 32K',
      'mistral-large · 131k',
    ]);
    await clearPosted(page);
    await page.locator('select[aria-label="Model"]').selectOption('qwen3-coder:30b');
    assert.deepEqual(await posted(page), [{ type: 'setOptions', model: 'qwen3-coder:30b' }]);
  });
});

describe('webview app: sidebar surface', function () {
  const app = appPage({ open: { surface: 'sidebar', width: 360 } });

  it('hides the in-app New Chat button (the view title bar has it) and keeps working', async () => {
    const page = app.page;
    await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
    assert.equal(await page.locator('body').getAttribute('data-surface'), 'sidebar');
    assert.equal(await page.getByRole('button', { name: 'New chat' }).isVisible(), false);
    await frame(page);
    assert.deepEqual(await violations(page), []);
  });
});
