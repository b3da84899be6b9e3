// An editor command's question: the bubble says what the user asked for ("Explain
// src/flask/views.py", "Review uncommitted changes · 2 files") with the files as chips that open
// them; the prompt sent (with a whole diff in it) is behind a closed disclosure, so the answer stays
// in view; a question the user typed shows as typed.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, clearPosted, host, posted } from './appDriver';
import { appPage } from './appPage';

const DIFF = Array.from({ length: 60 }, (_, i) => `+line ${i} of the diff`).join('\n');
const REVIEW_PROMPT =
  'Review these uncommitted changes (staged and unstaged) against the rest of the repository above:\n\n' +
  `\`\`\`diff\n${DIFF}\n\`\`\`\n\nList findings most important first.`;
const EXPLAIN_PROMPT =
  'Explain the file `src/flask/views.py` (it is in the repository above): its purpose, its main parts, ' +
  'how the rest of the repository uses it, and anything subtle.';

const turn = (question: string, shown?: { text: string; files?: string[] }) => ({
  question,
  ...(shown ? { shown } : {}),
  answer: 'The answer starts **here**.',
  reasoning: '',
  outcome: 'complete',
});

describe("an editor command's question", function () {
  const app = appPage();
  let page: Page;

  it('shows what was asked with its file chip; the prompt is folded away and opens from the keyboard', async () => {
    page = await app.open({ surface: 'sidebar', width: 300 });
    await host(
      page,
      { type: 'init', surface: 'sidebar', config: CONFIG },
      {
        type: 'replay',
        conversation: {
          id: 'c1',
          title: 'Explain src/flask/views.py',
          turns: [
            turn(EXPLAIN_PROMPT, { text: 'Explain src/flask/views.py', files: ['src/flask/views.py'] }),
            turn('And the blueprints?'),
          ],
        },
      },
    );
    const [first, second] = [page.locator('.turn').nth(0), page.locator('.turn').nth(1)];
    assert.equal(await first.locator('.question-text').textContent(), 'Explain src/flask/views.py');
    assert.equal(await first.locator('.prompt-text').isVisible(), false, 'the prompt is folded away');
    assert.equal(await second.locator('.question-text').textContent(), 'And the blueprints?');
    assert.equal(await second.locator('.question-prompt').isVisible(), false, 'a typed question has no disclosure');
    assert.equal(await page.locator('.conversation-title').textContent(), 'Explain src/flask/views.py');

    // The chip opens the file; it fits the 300 px sidebar (the folder elides before the name).
    const chip = first.getByRole('button', { name: 'Open src/flask/views.py' });
    await clearPosted(page);
    await chip.focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(page), [{ type: 'openFile', path: 'src/flask/views.py' }]);
    const box = (await chip.boundingBox())!;
    assert.ok(box.x + box.width <= 300, `the chip ends at ${box.x + box.width} px`);

    // The disclosure is a real control: Tab reaches it, Enter opens it, and the prompt reads in full.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Full prompt');
    await page.keyboard.press('Enter');
    assert.equal(await first.locator('.prompt-text').isVisible(), true);
    assert.equal(await first.locator('.prompt-text').textContent(), EXPLAIN_PROMPT);
  });

  it('keeps a review’s whole diff out of the way, so the answer is in view', async () => {
    page = await app.open({ surface: 'panel', width: 900, height: 600 });
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    // Live, as an editor command starts it.
    await host(page, {
      type: 'turnStart',
      requestId: 'r1',
      index: 0,
      question: REVIEW_PROMPT,
      shown: { text: 'Review uncommitted changes · 2 files', files: ['src/flask/views.py', '.deepseekignore'] },
    });
    await host(
      page,
      { type: 'contentDelta', requestId: 'r1', text: 'The answer starts **here**.' },
      { type: 'end', requestId: 'r1', outcome: 'complete', conversationId: 'c2' },
    );
    const q = page.locator('.turn').first();
    assert.equal(await q.locator('.question-text').textContent(), 'Review uncommitted changes · 2 files');
    assert.deepEqual(await q.locator('.file-chip').allTextContents(), ['src/flask/views.py', '.deepseekignore']);
    assert.equal(await page.getByText('+line 0 of the diff').isVisible(), false, 'no diff in the bubble');
    const answer = (await q.locator('.answer').boundingBox())!;
    assert.ok(answer.y + answer.height < 600, `the answer is in view (it ends at ${answer.y + answer.height} px)`);
    const bubble = (await q.locator('.question').boundingBox())!;
    assert.ok(bubble.height < 120, `the question takes ${bubble.height} px`);
  });

  it('names at most five files and counts the rest', async () => {
    page = await app.open({ surface: 'sidebar', width: 380 });
    const files = Array.from({ length: 8 }, (_, i) => `src/f${i}.py`);
    await host(
      page,
      { type: 'init', surface: 'sidebar', config: CONFIG },
      {
        type: 'replay',
        conversation: { id: 'c3', title: 't', turns: [turn('prompt', { text: 'Review · 8 files', files })] },
      },
    );
    assert.equal(await page.locator('.file-chip').count(), 5);
    assert.equal(await page.locator('.file-chip-more').textContent(), '+3 more');
  });
});
