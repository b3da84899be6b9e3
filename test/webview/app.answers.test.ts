// Answers in the real app under the extension's CSP: thinking then the answer streamed, code blocks and
// their buttons, SEARCH/REPLACE blocks, links, an open fence, and the corpus and hostile cases keeping
// every invariant at every step.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, SAMPLE_ANSWER, clearPosted, host, posted, text, streamAnswer, startFirstTurn } from './appDriver';
import { appPage } from './appPage';
import { chunksOf, RULES, streamCaseInApp, XSS_CASES } from './invariants';
import { HOSTILE_CASES } from './hostileCases';

describe('webview app in Chromium (real bundle, real CSP)', function () {
  const app = appPage({ open: {} });
  let page: Page;
  beforeEach(() => (page = app.page));

  it('streams thinking (open, then collapsed when the answer starts) and renders the answer', async () => {
    await startFirstTurn(page, { surface: 'panel', requestId: 'r1', question: 'How does packing work?' });
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
    await startFirstTurn(page, { surface: 'panel', requestId: 'f', question: 'q' });
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
