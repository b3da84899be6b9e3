// The keyboard: the caret goes to the question box when the view gets focus with
// nothing focused in it, and on the host's focusInput (DeepSeek: Focus Chat Input); typing on an
// answer's buttons types into the box; Shift+Tab from the box walks the newest answer first; Edit &
// Resend can be reached and seen without a mouse; every control has a name for screen readers.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { CONFIG, clearPosted, host, posted, violations } from './appDriver';
import { appPage } from './appPage';

const answer = (n: number) =>
  `Answer ${n}: see \`src/a.ts:${n}\`.\n\n\`\`\`ts path=src/a.ts\nexport const a${n} = ${n};\n\`\`\`\n\nDone.`;
const FOUR_TURNS = {
  type: 'replay',
  conversation: {
    id: 'c1',
    title: 'Four questions',
    turns: [1, 2, 3, 4].map((n) => ({
      question: `Question ${n}?`,
      answer: answer(n),
      reasoning: 'Thinking.',
      outcome: 'complete',
    })),
  },
} as const;

/** What has the focus: its accessible name, or its id. */
const focused = (page: Page | Frame) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    return el.id ? `#${el.id}` : (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim();
  });

describe('the keyboard in the chat', function () {
  const app = appPage({
    open: { surface: 'sidebar', width: 380 },
    messages: [{ type: 'init', surface: 'sidebar', config: CONFIG }, FOUR_TURNS],
  });
  let page: Page;
  beforeEach(() => (page = app.page));

  it('puts the caret in the box when the view gets focus with nothing focused, and on focusInput', async () => {
    // As VS Code hosts it: the app in an iframe, the focus outside it (the editor, the explorer).
    const framed = await app.harness.openFramed({ surface: 'sidebar' });
    try {
      const app = framed.app;
      await host(app, { type: 'init', surface: 'sidebar', config: CONFIG }, FOUR_TURNS);
      await framed.page.locator('#outside').focus();
      assert.equal(await focused(app), 'body');
      // "Focus on Chat View": VS Code focuses the webview's window; nothing inside has the focus yet.
      await framed.page.evaluate(() => document.querySelector<HTMLIFrameElement>('#view')!.contentWindow!.focus());
      await framed.page.keyboard.type('typed');
      assert.equal(await app.locator('#input').inputValue(), 'typed', 'typing went into the box');
      // The focus on an answer's button: Focus Chat Input still puts the caret in the box, at the end.
      await app.locator('.turn').last().getByRole('button', { name: 'Copy', exact: true }).focus();
      await host(app, { type: 'focusInput' });
      assert.equal(await focused(app), '#input');
      await framed.page.keyboard.type(' more');
      assert.equal(await app.locator('#input').inputValue(), 'typed more');
      assert.deepEqual(await violations(app), [], 'CSP violations');
    } finally {
      await framed.page.close();
    }
  });

  it("typing on an answer's button types into the box; Space still presses the button; Escape comes back", async () => {
    const copy = page.locator('.turn').last().getByRole('button', { name: 'Copy', exact: true });
    await copy.focus();
    await page.keyboard.type('why?');
    assert.equal(await page.locator('#input').inputValue(), 'why?');
    assert.equal(await focused(page), '#input');
    await copy.focus();
    await clearPosted(page);
    await page.keyboard.press('Space');
    assert.deepEqual(await posted(page), [{ type: 'copy', text: 'export const a4 = 4;\n' }]);
    assert.equal(await focused(page), 'Copy');
    await page.keyboard.press('Escape');
    assert.equal(await focused(page), '#input');
    // Escape also leaves the history list, back to the box.
    await page.getByRole('button', { name: 'Past conversations' }).click();
    assert.equal(await page.locator('.history-host').isVisible(), true);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('.history-host').isVisible(), false);
    assert.equal(await focused(page), '#input');
  });

  it("Shift+Tab from the box walks the newest answer's actions first, then Edit & Resend, shown focused", async () => {
    await page.locator('#input').focus();
    const seen: string[] = [];
    for (let i = 0; i < 12 && !seen.includes('Edit and resend'); i++) {
      await page.keyboard.press('Shift+Tab');
      seen.push(await focused(page));
    }
    assert.deepEqual(seen.slice(0, 2), ['Copy answer', 'Regenerate'], 'the newest answer first');
    assert.ok(seen.includes('Copy'), `a code block's Copy is on the way: ${seen.join(' · ')}`);
    assert.ok(seen.includes('Edit and resend'), `Edit & Resend not reached: ${seen.join(' · ')}`);
    const edit = page.locator('.turn').last().getByRole('button', { name: 'Edit and resend' });
    assert.equal(await edit.evaluate((e) => e === document.activeElement), true, "the newest question's");
    assert.equal(await edit.evaluate((e) => getComputedStyle(e).opacity), '1', 'visible while focused');
    // Every question's Edit & Resend shows without a hover, not only the focused one.
    const first = page.locator('.turn').first().getByRole('button', { name: 'Edit and resend' });
    assert.equal(await first.evaluate((e) => getComputedStyle(e).opacity), '1', 'shown without a hover');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#input').inputValue(), 'Question 4?');
    assert.equal(await focused(page), '#input');
    // Not focused and not hovered: still there for the mouse, only quieter (not only on hover).
    assert.equal(await edit.evaluate((e) => getComputedStyle(e).opacity), '1');
    assert.equal(await edit.isVisible(), true);
  });

  it('Show Chat History opens the list with the newest conversation focused; Enter opens it', async () => {
    await page.locator('#input').focus();
    await host(page, { type: 'showHistory' });
    assert.equal(await page.locator('.history-host').isVisible(), true);
    await host(page, {
      type: 'history',
      conversations: [
        { id: 'old', title: 'Older', updatedAt: 1, turns: 1 },
        { id: 'new', title: 'Newest', updatedAt: 2, turns: 2 },
      ],
    });
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('[data-id]')?.getAttribute('data-id')),
      'new',
    );
    await clearPosted(page);
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(page), [{ type: 'openConversation', id: 'new' }]);
  });

  it('names every control for screen readers and announces answers politely', async () => {
    const snapshot = await page.locator('body').ariaSnapshot();
    const unnamed = snapshot
      .split('\n')
      .filter((l) => /^\s*- (button|link|combobox|textbox|checkbox|tab|menuitem)\s*(\[[^\]]*\])?\s*:?\s*$/.test(l));
    assert.deepEqual(unnamed, [], `controls without a name:\n${snapshot}`);
    assert.equal(await page.locator('[aria-live="polite"]').count(), 1);
    // Each turn is an article named by its question, so a screen reader can move turn by turn.
    assert.match(snapshot, /- article "Question 4"/);
  });
});
