// The real app (dist/webview/app.js) in the harness under the extension's CSP: handshake, keys,
// streaming with the thinking block, code-block buttons, links, stop/regenerate/edit, replay,
// state restore after a reload, history, pickers, screen-reader announcements, bad messages.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, SAMPLE_ANSWER, clearPosted, frame, host, posted, violations } from './appDriver';
import { startHarness, type Harness } from './harness';
import { chunksOf, RULES, streamCaseInApp, XSS_CASES } from './invariants';
import { HOSTILE_CASES } from './hostileCases';

const text = (page: Page, sel: string) => page.locator(sel).first().innerText();

/** Starts recording what the polite live region says; `announced` returns it. */
async function recordAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __announced: string[] };
    w.__announced = [];
    const live = document.querySelector('[aria-live="polite"]')!;
    new MutationObserver(() => live.textContent && w.__announced.push(live.textContent)).observe(live, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
}
const announced = (page: Page) => page.evaluate(() => (window as unknown as { __announced: string[] }).__announced);
/** Waits until the live region has said something (the app announces in a task of its own, after a pause). */
const spoken = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { __announced: string[] }).__announced.length > 0);

async function streamAnswer(
  page: Page,
  requestId: string,
  index: number,
  question: string | undefined,
  answer: string,
  size = 7,
): Promise<void> {
  if (question !== undefined) await host(page, { type: 'turnStart', requestId, index, question });
  for (let i = 0; i < answer.length; i += size)
    await host(page, { type: 'contentDelta', requestId, text: answer.slice(i, i + size) });
}

describe('webview app in Chromium (real bundle, real CSP)', function () {
  let harness: Harness;
  let page: Page;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());
  beforeEach(async () => {
    page = await harness.openApp();
  });
  afterEach(async () => {
    assert.deepEqual(await violations(page), [], 'CSP violations');
    assert.deepEqual(harness.remoteRequests, [], 'remote requests or dialogs');
    await page.close();
  });

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

  it('streams thinking (open, then collapsed when the answer starts) and renders the answer', async () => {
    await host(
      page,
      { type: 'init', surface: 'panel', config: CONFIG },
      { type: 'turnStart', requestId: 'r1', index: 0, question: 'How does packing work?' },
    );
    await host(page, {
      type: 'context',
      requestId: 'r1',
      summary: {
        files: 120,
        tokens: 812_000,
        outlined: 3,
        excluded: 40,
        redactions: 1,
        predictedHitTokens: 800_000,
        estimatedCostUsd: 0.03,
      },
    });
    assert.match(await text(page, '.chip'), /120 files · 812k tokens · ~99% cache expected · ~\$0.03/);
    await host(
      page,
      { type: 'reasoningDelta', requestId: 'r1', text: 'The user asks about ' },
      { type: 'reasoningDelta', requestId: 'r1', text: 'packing.' },
    );
    assert.equal(await page.locator('details.thinking').evaluate((d) => (d as HTMLDetailsElement).open), true);
    assert.equal(await text(page, '.reasoning'), 'The user asks about packing.');
    await streamAnswer(page, 'r1', 0, undefined, SAMPLE_ANSWER, 40);
    assert.equal(await page.locator('details.thinking').evaluate((d) => (d as HTMLDetailsElement).open), false);
    await host(page, {
      type: 'usage',
      requestId: 'r1',
      usage: {
        promptTokens: 812_400,
        cacheHitTokens: 800_000,
        cacheMissTokens: 12_400,
        completionTokens: 900,
        costUsd: 0.0284,
        model: 'deepseek-v4-pro',
      },
    });
    await host(page, { type: 'end', requestId: 'r1', outcome: 'complete' });
    assert.match(await text(page, '.chip'), /98% cached · \$0.03/);
    assert.equal(await page.locator('.answer table tr').count(), 3);
    assert.equal(await page.locator('.answer ol > li').count(), 3);
    assert.equal(await page.locator('.answer .code-block .hljs-keyword').first().innerText(), 'export');
    assert.equal(await page.locator('.code-label').first().textContent(), 'src/context/scan.ts');
  });

  it('code-block buttons post the code, its language and its target file', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await streamAnswer(page, 'r1', 0, 'q', SAMPLE_ANSWER, 25);
    await host(page, { type: 'end', requestId: 'r1', outcome: 'complete' });
    await clearPosted(page);
    const code =
      'export function isGenerated(path: string): boolean {\n  return /\\.(min|bundle)\\.js$/.test(path) || ' +
      "path.startsWith('dist/');\n}\n";
    for (const name of ['Copy', 'Insert at Cursor', 'Apply to src/context/scan.ts…', 'New File'])
      await page.getByRole('button', { name, exact: true }).click();
    assert.deepEqual(await posted(page), [
      { type: 'copy', text: code },
      { type: 'insertCode', code },
      { type: 'applyCode', code, path: 'src/context/scan.ts', language: 'ts', turn: 0 },
      { type: 'newFile', code, path: 'src/context/scan.ts', language: 'ts' },
    ]);
  });

  it('a block of SEARCH/REPLACE edits offers Copy and Apply Edits only, and posts the edits as written', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    const code = '<<<<<<< SEARCH\n  return x + 1;\n=======\n  return x + 2;\n>>>>>>> REPLACE\n';
    await streamAnswer(
      page,
      'e1',
      0,
      'q',
      `Change it:\n\n\`\`\`ts path=src/a.ts\n${code}\`\`\`\n\nAnd this one whole:\n\n\`\`\`ts ` +
        `path=src/b.ts\nexport const b = 1;\n\`\`\`\n`,
      25,
    );
    await host(page, { type: 'end', requestId: 'e1', outcome: 'complete' });
    const [edits, whole] = [page.locator('.code-block').nth(0), page.locator('.code-block').nth(1)];
    assert.equal(await edits.locator('.code-label').textContent(), 'src/a.ts');
    assert.equal(await edits.locator('.edit-diff').count(), 1, 'shown as a diff');
    const names = (b: typeof edits) =>
      b
        .getByRole('button')
        .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.getAttribute('title')));
    assert.deepEqual(await names(edits), ['Copy', 'Apply Edits to src/a.ts…']);
    assert.deepEqual(await names(whole), ['Copy', 'Insert at Cursor', 'Apply to src/b.ts…', 'New File']);
    await clearPosted(page);
    await edits.getByRole('button', { name: 'Apply Edits to src/a.ts…', exact: true }).click();
    assert.deepEqual(await posted(page), [{ type: 'applyCode', code, path: 'src/a.ts', language: 'ts', turn: 0 }]);
  });

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

  it('links: http(s) and file references go to the host on click; nothing navigates', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    await streamAnswer(
      page,
      'r1',
      0,
      'q',
      SAMPLE_ANSWER + '\n\nAlso [the loader](src/a.ts#L10-L20) and [bad](javascript:alert(1)).',
      50,
    );
    await host(page, { type: 'end', requestId: 'r1', outcome: 'complete' });
    await clearPosted(page);
    const url = page.url();
    await page.getByRole('link', { name: 'src/context/pack.ts:42' }).click();
    await page.getByRole('link', { name: 'ignore docs' }).click();
    await page.getByRole('link', { name: 'the loader' }).click();
    assert.deepEqual(await posted(page), [
      { type: 'openFile', path: 'src/context/pack.ts', line: 42 },
      { type: 'openLink', href: 'https://git-scm.com/docs/gitignore' },
      { type: 'openFile', path: 'src/a.ts', line: 10, endLine: 20 },
    ]);
    assert.equal(await page.getByRole('link', { name: 'bad' }).count(), 0);
    assert.equal(page.url(), url);
  });

  it("names a smaller model's window in the context chip", async () => {
    await host(
      page,
      { type: 'init', surface: 'sidebar', config: CONFIG },
      { type: 'turnStart', requestId: 'w', index: 0, question: 'Small model?' },
    );
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
    await host(
      page,
      { type: 'init', surface: 'sidebar', config: CONFIG },
      { type: 'turnStart', requestId: 'r', index: 0, question: 'Busy?' },
    );
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
    await host(
      page,
      { type: 'init', surface: 'sidebar', config: CONFIG },
      { type: 'turnStart', requestId: 'n', index: 0, question: 'Small server?' },
    );
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

  it('the corpus and our hostile cases streamed through the app keep every invariant at every step', async () => {
    await host(page, { type: 'init', surface: 'panel', config: CONFIG });
    let n = 0;
    for (const c of [...XSS_CASES, ...HOSTILE_CASES]) {
      const check = {
        selector: '.turn:last-child .answer',
        ignore: '.code-header',
        rules: RULES,
        visible: c.expected.visible_text_contains ?? [],
      };
      const problems = await page.evaluate(streamCaseInApp, {
        chunks: chunksOf(c, 5),
        requestId: `x${n}`,
        index: n++,
        question: c.id,
        check,
      });
      assert.deepEqual(problems, [], c.id);
    }
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  });

  it('an open fence streams as plain text that only grows, then is highlighted once closed', async () => {
    await host(
      page,
      { type: 'init', surface: 'panel', config: CONFIG },
      { type: 'turnStart', requestId: 'f', index: 0, question: 'q' },
    );
    const fence = 'Here:\n\n```ts\nconst a = 1;\nconst b = 2;\n';
    const seen: string[] = [];
    for (let i = 0; i < fence.length; i += 4) {
      await host(page, { type: 'contentDelta', requestId: 'f', text: fence.slice(i, i + 4) });
      seen.push(
        await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.answer pre')].at(-1)?.innerText ?? ''),
      );
      assert.equal(await page.locator('.answer .hljs-keyword').count(), 0, 'no highlighting while the fence is open');
    }
    assert.equal(seen.at(-1), 'const a = 1;\nconst b = 2;\n');
    for (let i = 1; i < seen.length; i++)
      assert.ok(
        seen[i]!.startsWith(seen[i - 1]!.replace(/\n$/, '')),
        `shown code shrank: ${JSON.stringify(seen[i - 1])} -> ${JSON.stringify(seen[i])}`,
      );
    await host(page, { type: 'contentDelta', requestId: 'f', text: '``' });
    assert.doesNotMatch(
      await page.locator('.answer pre').last().innerText(),
      /`/,
      'a half-typed closing fence never shows as code',
    );
    await host(page, { type: 'contentDelta', requestId: 'f', text: '`\n' });
    assert.equal(await page.locator('.answer .hljs-keyword').count(), 2);
    assert.equal(await page.locator('.answer .code-block').count(), 1);
  });
});

describe('webview app: sidebar surface', function () {
  it('hides the in-app New Chat button (the view title bar has it) and keeps working', async () => {
    const harness = await startHarness();
    try {
      const page = await harness.openApp({ surface: 'sidebar', width: 360 });
      await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
      assert.equal(await page.locator('body').getAttribute('data-surface'), 'sidebar');
      assert.equal(await page.getByRole('button', { name: 'New chat' }).isVisible(), false);
      await frame(page);
      assert.deepEqual(await violations(page), []);
    } finally {
      await harness.close();
    }
  });
});
