// A change proposed from an answer, in the real app under the extension's CSP: Accept / Reject / Show Diff,
// then what was applied and Undo, then what Undo did; a review the turn stopped, not applied and not rejected.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, clearPosted, host, posted, recordAnnouncements, announced, streamAnswer } from './appDriver';
import { appPage } from './appPage';

describe('webview app in Chromium (real bundle, real CSP)', function () {
  const app = appPage({ open: {} });
  let page: Page;
  beforeEach(() => (page = app.page));

  it(
    'a change proposed from an answer shows under it: Accept / Reject / Show Diff, then ' +
      'what was applied and Undo, then what Undo did',
    async () => {
      await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
      await streamAnswer(page, 'p1', 0, 'first', 'One.');
      await host(page, { type: 'end', requestId: 'p1', outcome: 'complete' });
      await streamAnswer(page, 'p2', 1, 'second', 'Two.');
      await host(page, { type: 'end', requestId: 'p2', outcome: 'complete' });
      await recordAnnouncements(page);
      const file = { path: 'src/flask/__init__.py', added: 3, removed: 0, note: 'adds `hello` at the end' };
      await host(page, {
        type: 'changes',
        turn: 0,
        changes: { id: 'c1', title: 't', status: 'reviewing', files: [{ ...file, state: 'proposed' }] },
      });
      const card = page.locator('.turn').nth(0).locator('.change-set');
      assert.equal(
        await page.locator('.turn').nth(1).locator('.change-set').count(),
        0,
        'under the answer it came from',
      );
      assert.equal(
        await card.innerText(),
        'Proposed change\nsrc/flask/__init__.py\n+3\n−0\nadds `hello` at the end\nAccept\nReject\nShow Diff',
      );
      // Accept is the primary button, Reject and Show Diff secondary.
      assert.deepEqual(
        await card.getByRole('button').evaluateAll((els) => els.map((e) => `${e.textContent}:${e.className}`)),
        ['Accept:', 'Reject:secondary', 'Show Diff:secondary'],
      );
      await clearPosted(page);
      for (const name of ['Show Diff', 'Reject', 'Accept'])
        await card.getByRole('button', { name, exact: true }).click();
      assert.deepEqual(await posted(page), [
        { type: 'showChanges', id: 'c1' },
        { type: 'decideChanges', id: 'c1', accept: false },
        { type: 'decideChanges', id: 'c1', accept: true },
      ]);
      await host(page, {
        type: 'changes',
        turn: 0,
        changes: { id: 'c1', title: 't', status: 'applied', files: [{ ...file, state: 'accepted' }] },
      });
      assert.equal(await page.locator('.change-set').count(), 1, 'the same card, updated');
      assert.equal(await card.innerText(), 'Applied\nsrc/flask/__init__.py\n+3\n−0\nadds `hello` at the end\nUndo');
      await clearPosted(page);
      await card.getByRole('button', { name: 'Undo', exact: true }).click();
      assert.deepEqual(await posted(page), [{ type: 'undoChanges', id: 'c1' }]);
      await host(page, {
        type: 'changes',
        turn: 0,
        changes: {
          id: 'c1',
          title: 't',
          status: 'undone',
          files: [{ ...file, state: 'accepted' }],
          message: 'src/flask/__init__.py is back as before.',
        },
      });
      assert.match(await card.innerText(), /^Undone\n[\s\S]*src\/flask\/__init__\.py is back as before\.$/);
      await page.waitForFunction(() =>
        (window as unknown as { __announced: string[] }).__announced.some((a) => a.startsWith('Undone')),
      );
      assert.deepEqual(
        (await announced(page)).filter((a) => !a.startsWith('Answer ready')),
        [
          'Proposed change: src/flask/__init__.py +3 −0. Accept or Reject under the answer.',
          'Applied: src/flask/__init__.py +3 −0. Undo is under the answer.',
          'Undone. src/flask/__init__.py is back as before.',
        ],
      );
      // Several files: each can be left out before accepting the rest; a new file says so.
      await host(page, {
        type: 'changes',
        turn: 1,
        changes: {
          id: 'c2',
          title: 't',
          status: 'reviewing',
          files: [
            { path: 'src/a.ts', state: 'proposed', added: 2, removed: 1 },
            { path: 'src/b.ts', state: 'rejected', added: 10, removed: 0, created: true },
          ],
        },
      });
      const many = page.locator('.turn').nth(1).locator('.change-set');
      assert.match(
        await many.innerText(),
        /^Proposed changes to 2 files\nsrc\/a\.ts\n\+2\n−1\nsrc\/b\.ts\nnew\n\+10\n−0\nleft out/,
      );
      await clearPosted(page);
      await many.getByRole('button', { name: 'Leave out src/a.ts', exact: true }).click();
      await many.getByRole('button', { name: 'Include src/b.ts again', exact: true }).click();
      await many.getByRole('button', { name: 'Accept 1 File', exact: true }).click();
      assert.deepEqual(await posted(page), [
        { type: 'decideChanges', id: 'c2', accept: false, path: 'src/a.ts' },
        { type: 'decideChanges', id: 'c2', accept: true, path: 'src/b.ts' },
        { type: 'decideChanges', id: 'c2', accept: true },
      ]);
      // Kept across a reload of the webview (its saved state).
      await page.reload();
      await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
      assert.equal(await page.locator('.change-set').count(), 2);
    },
  );

  it('a change the turn stopped before a decision says it was not applied, not that it was rejected', async () => {
    await host(page, { type: 'init', surface: 'sidebar', config: { ...CONFIG, act: true } });
    await streamAnswer(page, 's1', 0, 'Reword the comments', 'Now the comments.');
    await recordAnnouncements(page);
    const files = [
      { path: 'src/a.ts', state: 'proposed' as const, added: 1, removed: 1 },
      { path: 'src/b.ts', state: 'rejected' as const, added: 4, removed: 0, created: true },
    ];
    await host(page, { type: 'changes', turn: 0, changes: { id: 's', title: 't', status: 'reviewing', files } });
    const card = page.locator('.change-set');
    await card.getByRole('button', { name: 'Accept 1 File', exact: true }).waitFor();
    // Stop (or a reload) ends the review undecided.
    await host(page, { type: 'changes', turn: 0, changes: { id: 's', title: 't', status: 'stopped', files } });
    await host(page, { type: 'end', requestId: 's1', outcome: 'cancelled' });
    assert.equal(await card.getAttribute('data-status'), 'stopped');
    assert.equal(await card.innerText(), 'Not applied: the turn stopped before you decided');
    assert.doesNotMatch(await page.locator('.turn').innerText(), /rejected/i);
    assert.equal(await card.getByRole('button').count(), 0, 'nothing to accept, reject or undo');
    await page.waitForFunction(() =>
      (window as unknown as { __announced: string[] }).__announced.some((a) => a.startsWith('Not applied')),
    );
    assert.ok(
      (await announced(page)).includes('Not applied: the turn stopped before you decided: nothing was changed.'),
    );
    // Kept across a reload of the webview (its saved state).
    await page.reload();
    await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
    assert.equal(await page.locator('.change-set').innerText(), 'Not applied: the turn stopped before you decided');
  });
});
