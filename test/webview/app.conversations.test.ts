// Conversations in the real app: Regenerate, Continue (an interrupted answer, or one the output limit cut),
// Edit & Resend; a replay restored from saved state after a reload; the history list with open, export and
// delete.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, clearPosted, host, posted, text, streamAnswer } from './appDriver';
import { appPage } from './appPage';

describe('webview app in Chromium (real bundle, real CSP)', function () {
  const app = appPage({ open: {} });
  let page: Page;
  beforeEach(() => (page = app.page));

  it('Regenerate, Continue, Edit & Resend, and Up in an empty box edits the last question', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await streamAnswer(page, 'a', 0, 'first question', 'First answer.');
    await host(page, { type: 'end', requestId: 'a', outcome: 'complete' });
    await streamAnswer(page, 'b', 1, 'second question', 'Partial');
    await host(page, { type: 'end', requestId: 'b', outcome: 'interrupted', message: 'The answer was cut off.' });
    assert.equal(
      await page.locator('.turn').nth(0).getByRole('button', { name: 'Regenerate' }).count(),
      0,
      'only the last turn regenerates',
    );
    await clearPosted(page);
    await page.locator('.turn').nth(1).getByRole('button', { name: 'Continue' }).click();
    await page.locator('.turn').nth(1).getByRole('button', { name: 'Regenerate' }).click();
    assert.deepEqual(await posted(page), [{ type: 'continue' }, { type: 'regenerate' }]);
    await host(
      page,
      { type: 'turnStart', requestId: 'c', index: 1, question: 'second question', continued: true },
      { type: 'contentDelta', requestId: 'c', text: ' and the rest.' },
      { type: 'end', requestId: 'c', outcome: 'complete' },
    );
    assert.equal(await text(page, '.turn:nth-child(2) .answer'), 'Partial and the rest.');
    await clearPosted(page);
    const input = page.locator('#input');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'second question');
    assert.match(await text(page, '.edit-banner'), /Editing question 2/);
    await input.fill('second question, sharper');
    await input.press('Enter');
    assert.deepEqual(await posted(page), [
      { type: 'editAndResend', index: 1, question: 'second question, sharper', withEditor: false },
    ]);
    await page.locator('.turn').nth(0).locator('.question').hover();
    await page.locator('.turn').nth(0).getByRole('button', { name: 'Edit and resend' }).click();
    assert.equal(await input.inputValue(), 'first question');
    await input.press('Escape');
    assert.equal(await input.inputValue(), '');
    await host(page, { type: 'turnStart', requestId: 'd', index: 0, question: 'first, edited' });
    assert.equal(await page.locator('.turn').count(), 1, 'edit & resend drops the later turns');
  });

  it('a complete answer the output limit cut shows why with a warning and Continue, live and replayed', async () => {
    const LIMIT = 'The answer reached the output limit (8,192 tokens): Continue finishes it.';
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await streamAnswer(page, 'a', 0, 'first question', 'A whole answer.');
    await host(page, { type: 'end', requestId: 'a', outcome: 'complete' });
    await streamAnswer(page, 'b', 1, 'second question', 'A long answer, cut at');
    await host(page, { type: 'end', requestId: 'b', outcome: 'complete', message: LIMIT, continuable: true });
    const footer = async () => {
      const turn = page.locator('.turn').nth(1);
      return {
        status: (await turn.locator('.status').innerText()).trim(),
        warning: await turn.locator('.status .codicon-warning').count(),
        buttons: await turn
          .locator('.turn-actions')
          .getByRole('button')
          .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.textContent?.trim())),
      };
    };
    const shown = { status: LIMIT, warning: 1, buttons: ['Continue', 'Regenerate', 'Copy answer'] };
    assert.deepEqual(await footer(), shown);
    await clearPosted(page);
    await page.locator('.turn').nth(1).getByRole('button', { name: 'Continue' }).click();
    assert.deepEqual(await posted(page), [{ type: 'continue' }]);
    // The same turn replayed (a reopened conversation, a reloaded view) offers the same.
    await host(page, {
      type: 'replay',
      conversation: {
        id: 'c',
        title: 'first question',
        turns: [
          { question: 'first question', answer: 'A whole answer.', reasoning: '', outcome: 'complete' },
          {
            question: 'second question',
            answer: 'A long answer, cut at',
            reasoning: '',
            outcome: 'complete',
            message: LIMIT,
            continuable: true,
          },
        ],
      },
    });
    assert.deepEqual(await footer(), shown);
    // Continued, it streams on in place; finished whole, it offers Continue no more.
    await host(
      page,
      { type: 'turnStart', requestId: 'c', index: 1, question: 'second question', continued: true },
      { type: 'contentDelta', requestId: 'c', text: ' the limit.' },
      { type: 'end', requestId: 'c', outcome: 'complete' },
    );
    assert.equal(await text(page, '.turn:nth-child(2) .answer'), 'A long answer, cut at the limit.');
    assert.deepEqual(await footer(), { status: '', warning: 0, buttons: ['Regenerate', 'Copy answer'] });
  });

  it('replays a conversation, restores it from saved state after a reload, and reports what it shows', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    const turns = [0, 1, 2].map((i) => ({
      question: `Question ${i}`,
      answer: `Answer ${i}\n\n\`\`\`py\nprint(${i})\n\`\`\``,
      reasoning: `thought ${i}`,
      outcome: 'complete',
      usage: { promptTokens: 1000, cacheHitTokens: 900, cacheMissTokens: 100, completionTokens: 50, costUsd: 0.001 },
    }));
    await host(page, {
      type: 'replay',
      conversation: { id: 'conv-7', title: 'Earlier chat', model: 'deepseek-v4-pro', effort: 'high', turns },
    });
    assert.equal(await page.locator('.turn').count(), 3);
    assert.equal(await text(page, '.conversation-title'), 'Earlier chat');
    assert.equal(await page.locator('.turn .hljs-built_in').count(), 3);
    // A replayed turn's thinking is there, collapsed, and not labelled as if it were still thinking.
    const thinking = page.locator('.turn').first().locator('details');
    assert.equal(await thinking.evaluate((d) => (d as HTMLDetailsElement).open), false);
    assert.equal((await thinking.locator('summary').innerText()).trim(), 'Thought process');
    await page.locator('#input').fill('draft in progress');
    await host(
      page,
      { type: 'turnStart', requestId: 'live', index: 3, question: 'Question 3' },
      { type: 'contentDelta', requestId: 'live', text: 'streaming…' },
    );
    // The app saves its state at most once a second while streaming: wait for the save holding the live answer.
    await page.waitForFunction(() => (sessionStorage.getItem('vscode-state') ?? '').includes('streaming…'));
    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual((await posted(page))[0], { type: 'ready', conversationId: 'conv-7' });
    assert.equal(await page.locator('.turn').count(), 4, 'restored before the host answers');
    assert.equal(await text(page, '.turn:nth-child(4) .answer'), 'streaming…');
    assert.equal(await page.locator('#input').inputValue(), 'draft in progress');
    await host(
      page,
      { type: 'contentDelta', requestId: 'live', text: ' and more' },
      { type: 'end', requestId: 'live', outcome: 'complete' },
    );
    assert.equal(await text(page, '.turn:nth-child(4) .answer'), 'streaming… and more');
  });

  it('history: lists conversations from the host, opens, exports and deletes them', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await clearPosted(page);
    await page.getByRole('button', { name: 'Past conversations' }).click();
    assert.deepEqual(await posted(page), [{ type: 'listHistory' }]);
    const now = Date.now();
    await host(page, {
      type: 'history',
      conversations: [
        { id: 'old', title: 'Old chat', updatedAt: now - 3 * 3600_000, turns: 1 },
        { id: 'new', title: 'New chat about auth', updatedAt: now - 60_000, turns: 4, costUsd: 0.12 },
      ],
    });
    const items = page.locator('.history-item');
    assert.equal(await items.count(), 2);
    assert.match(await items.first().innerText(), /New chat about auth[\s\S]*1 min ago · 4 questions · \$0.12/);
    await clearPosted(page);
    await items.first().getByRole('button', { name: 'Export to Markdown' }).click();
    await items.first().getByRole('button', { name: 'Delete' }).click();
    await items.nth(1).locator('.history-open').click();
    assert.deepEqual(await posted(page), [
      { type: 'exportConversation', id: 'new' },
      { type: 'deleteConversation', id: 'new' },
      { type: 'openConversation', id: 'old' },
    ]);
  });
});
