// What the real app says while and after it answers: the window in the context chip, a retry under way,
// a question asked again in a smaller window, a failed answer and its fix, the screen reader's
// announcements, and host messages it ignores.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  CONFIG,
  clearPosted,
  frame,
  host,
  posted,
  text,
  recordAnnouncements,
  announced,
  spoken,
  streamAnswer,
  startFirstTurn,
} from './appDriver';
import { appPage } from './appPage';

describe('webview app in Chromium (real bundle, real CSP)', function () {
  const app = appPage({ open: {} });
  let page: Page;
  beforeEach(() => (page = app.page));

  it("names a smaller model's window in the context chip", async () => {
    await startFirstTurn(page, { surface: 'sidebar', requestId: 'w', question: 'Small model?' });
    await host(page, {
      type: 'context',
      requestId: 'w',
      summary: { files: 9, tokens: 20_100, outlined: 30, excluded: 200, redactions: 0, windowTokens: 32_768 },
    });
    assert.match(await text(page, '.chip'), /^9 files · 20k tokens · 32K window$/);
    assert.match(
      (await page.locator('.chip').getAttribute('title')) ?? '',
      /Fitted to the model's 32,768-token context window\./,
    );
    await host(
      page,
      { type: 'turnStart', requestId: 'x', index: 1, question: 'Odd window?' },
      {
        type: 'context',
        requestId: 'x',
        summary: { files: 9, tokens: 20_100, outlined: 30, excluded: 200, redactions: 0, windowTokens: 131_000 },
      },
    );
    assert.match(await page.locator('.chip').nth(1).innerText(), /· 131k window$/);
  });

  it('says a retry is under way and why, until the answer streams', async () => {
    await startFirstTurn(page, { surface: 'sidebar', requestId: 'r', question: 'Busy?' });
    await host(page, {
      type: 'retry',
      requestId: 'r',
      attempt: 1,
      delayMs: 1_500,
      message: 'DeepSeek is overloaded (503)',
    });
    assert.equal(await text(page, '.turn .notice'), 'DeepSeek is overloaded (503): retrying in 2 s (attempt 1)…');
    await host(page, { type: 'contentDelta', requestId: 'r', text: 'Answer.' });
    assert.equal(await page.locator('.turn .notice').isHidden(), true);
  });

  it('says while it runs that the question is asked again in the window the server stated, then shows it', async () => {
    const said =
      "The server says local-model's context window is 8,192 tokens, not the 1,048,576 this question was " +
      'packed for: packing the repository for it and asking again.';
    await startFirstTurn(page, { surface: 'sidebar', requestId: 'n', question: 'Small server?' });
    await host(page, {
      type: 'context',
      requestId: 'n',
      summary: { files: 12, tokens: 300_000, outlined: 0, excluded: 0, redactions: 0 },
    });
    await host(page, { type: 'notice', requestId: 'n', message: said });
    assert.equal(await text(page, '.turn .notice'), said);
    await host(page, {
      type: 'context',
      requestId: 'n',
      summary: { files: 4, tokens: 5_000, outlined: 8, excluded: 0, redactions: 0, windowTokens: 8_192 },
    });
    assert.match(await text(page, '.chip'), /^4 files · 5k tokens · 8K window$/);
    await host(page, { type: 'contentDelta', requestId: 'n', text: 'Answer.' });
    assert.equal(await page.locator('.turn .notice').isHidden(), true, 'gone once the answer streams');
  });

  // …the key for a rejected key, the context settings for a too-long request
  it('a failed answer offers the fix its error needs', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await host(page, { type: 'turnStart', requestId: 'a', index: 0, question: 'first' });
    await host(page, {
      type: 'end',
      requestId: 'a',
      outcome: 'error',
      errorKind: 'auth',
      message: 'openrouter.ai rejected the API key (401).',
    });
    const turn = page.locator('.turn').nth(0);
    assert.equal(await turn.getByRole('button', { name: 'Context Settings' }).count(), 0);
    await clearPosted(page);
    await turn.getByRole('button', { name: 'Set API Key' }).click();
    assert.deepEqual(await posted(page), [{ type: 'setApiKey' }]);
    const tooLong =
      "The request is too long for the model: This model's maximum context length is 32768 tokens. The " +
      "model's context window is 32,768 tokens: set deepseekRepo.contextWindowTokens to 32768 (CLI: --window " +
      '32768), then ask in a new chat.';
    await host(page, { type: 'turnStart', requestId: 'b', index: 1, question: 'second' });
    await host(page, {
      type: 'end',
      requestId: 'b',
      outcome: 'error',
      errorKind: 'context_too_long',
      message: tooLong,
    });
    const last = page.locator('.turn').nth(1);
    assert.equal(await last.locator('.status').innerText(), tooLong);
    assert.equal(await last.getByRole('button', { name: 'Set API Key' }).count(), 0);
    // A long explanation takes the whole width; its actions go below it instead of squeezing it.
    const [status, button] = await Promise.all([
      last.locator('.status').boundingBox(),
      last.getByRole('button', { name: 'Context Settings' }).boundingBox(),
    ]);
    assert.ok(button!.y >= status!.y + status!.height - 1, JSON.stringify({ status, button }));
    await clearPosted(page);
    await last.getByRole('button', { name: 'Context Settings' }).click();
    assert.deepEqual(await posted(page), [{ type: 'openContextSettings' }]);
  });

  it('announces the finished answer once (not every delta), politely', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await recordAnnouncements(page);
    await streamAnswer(page, 'r1', 0, 'q', 'A short answer about the packer, streamed in many small pieces.', 3);
    await host(page, { type: 'end', requestId: 'r1', outcome: 'complete' });
    await spoken(page);
    assert.deepEqual(await announced(page), [
      'Answer ready. A short answer about the packer, streamed in many small pieces.',
    ]);
    assert.equal(await page.locator('.log[aria-live]').count(), 0, 'the log itself is not a live region');
  });

  it('a complete answer with a warning (the server read only part of the prompt) shows and announces it', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await recordAnnouncements(page);
    const warning =
      'The server read only 4,096 of the ~90,000 prompt tokens sent, so this answer saw only part of the repository.';
    await streamAnswer(page, 'r1', 0, 'q', 'An answer from a cut prompt.', 3);
    await host(page, { type: 'end', requestId: 'r1', outcome: 'complete', message: warning });
    assert.equal((await text(page, '.turn .status')).trim(), warning);
    assert.equal(await page.locator('.turn .status .codicon-warning').count(), 1);
    await spoken(page);
    assert.deepEqual(await announced(page), [`Answer ready. Warning: ${warning} An answer from a cut prompt.`]);
    await streamAnswer(page, 'r2', 1, 'q2', 'A normal answer.', 3);
    await host(page, { type: 'end', requestId: 'r2', outcome: 'complete' });
    assert.equal(await page.locator('.turn .status').nth(1).innerText(), '');
  });

  it('ignores malformed and unknown host messages', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    const before = await page.locator('#app').innerHTML();
    await host(
      page,
      { type: 'contentDelta', requestId: 'nope', text: 'x' },
      { type: 'turnStart', requestId: 'r', question: 'no index' },
      { type: 'evil', html: '<img src=x onerror=window.__pwned=1>' },
      { type: 'replay', conversation: { title: 't', turns: [{ question: 1 }] } },
    );
    await page.evaluate(() =>
      ['string', null, 42].forEach((m) => (window as unknown as { __host(m: unknown): void }).__host(m)),
    );
    await frame(page);
    assert.equal(await page.locator('#app').innerHTML(), before);
  });
});
