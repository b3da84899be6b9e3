// The context chip's cost in Chromium: before sending, the input's estimate
// (warm-up included) plus the output's range up to max_tokens, with what will miss the cache and
// why in its tooltip; after the answer, the turn's one billed figure, the warm-up named in it. And a
// follow-up in a repository that does not fit: the files it joined whole, named with why.
// Writes cost-chip-{light,dark}.png to test-results/webview/ (not tracked) for a person to look at.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { CONFIG, frame, host, violations } from './appDriver';
import { startHarness, type Harness } from './harness';
import { REPO } from '../helpers/paths';

/** Where a picture of this test goes: outside the tracked tree, so running the tests leaves the checkout clean. */
const shot = (name: string) => path.join(REPO, 'test-results', 'webview', name);

const NOTE =
  "~982,000 of 1,964,000 input tokens will miss DeepSeek's cache: the repository is not cached yet, so a warm-up " +
  'request sends its ~982,000 tokens first at the uncached price; the question then reads ~982,000 of its ' +
  '982,050 tokens from the cache.';

const estimate = {
  type: 'context',
  requestId: 'r1',
  summary: {
    files: 1163,
    tokens: 982_000,
    outlined: 20,
    excluded: 300,
    redactions: 0,
    predictedHitTokens: 982_000,
    inputTokens: 1_964_050,
    estimatedCostUsd: 0.674,
    estimatedInputUsd: 0.67,
    estimatedMaxUsd: 0.686,
    estimateNote: NOTE,
  },
};

describe('webview: the cost in the context chip', function () {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  async function open(theme: 'light' | 'dark'): Promise<Page> {
    const page = await harness.openApp({ theme, surface: 'sidebar', width: 380, height: 420 });
    await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
    await host(page, { type: 'turnStart', requestId: 'r1', index: 0, question: 'Where is the config read?' }, estimate);
    return page;
  }

  it(
    'before sending: the input estimate with its warm-up, plus the output up ' + 'to max_tokens, and why it misses',
    async () => {
      const page = await open('dark');
      const chip = page.locator('.chip').first();
      assert.equal(
        await chip.innerText(),
        '1163 files · 982k tokens · ~50% cache expected · ~$0.67 + ≤$0.02 output',
        'a first question is not a cache hit: half its input (the warm-up) misses',
      );
      assert.ok((await chip.getAttribute('title'))!.includes(`Estimate: ${NOTE}`));
      await page.screenshot({ path: shot('cost-chip-dark.png') });
      assert.deepEqual(await violations(page), []);
      await page.close();
    },
  );

  it('a failed turn drops its estimate: nothing was billed, and nothing will be', async () => {
    const page = await open('dark');
    await host(page, {
      type: 'end',
      requestId: 'r1',
      outcome: 'error',
      message: 'API key rejected (401).',
      errorKind: 'auth',
    });
    await frame(page);
    const chip = page.locator('.chip').first();
    assert.equal(await chip.innerText(), '1163 files · 982k tokens');
    assert.ok(!(await chip.getAttribute('title'))!.includes('Estimate:'));
    await page.close();
  });

  it('after the answer: the billed turn, its warm-up included and named', async () => {
    const page = await open('light');
    await host(
      page,
      { type: 'contentDelta', requestId: 'r1', text: 'In `src/config.ts`.' },
      {
        type: 'usage',
        requestId: 'r1',
        usage: {
          promptTokens: 982_050,
          cacheHitTokens: 982_000,
          cacheMissTokens: 50,
          completionTokens: 400,
          costUsd: 0.6731,
          warmupUsd: 0.6481,
          model: 'deepseek-v4-pro',
        },
      },
      { type: 'end', requestId: 'r1', outcome: 'complete' },
    );
    await frame(page);
    const chip = page.locator('.chip').first();
    assert.match(await chip.innerText(), /100% cached · \$0\.67$/);
    assert.match(
      (await chip.getAttribute('title'))!,
      /; \$0\.67 with the cache warm-up's \$0\.65 on deepseek-v4-pro\./,
    );
    await page.screenshot({ path: shot('cost-chip-light.png') });
    assert.deepEqual(await violations(page), []);
    await page.close();
  });

  it('a follow-up that joined files whole says how many, and its tooltip names them with why', async () => {
    const page = await open('light');
    await host(page, {
      type: 'context',
      requestId: 'r1',
      summary: {
        ...estimate.summary,
        joined: [
          { path: 'src/auth/session.ts', was: 'outlined', reasons: ['defines `refreshToken`', 'imported by the best'] },
          { path: 'src/auth/store.ts', was: 'left out', reasons: [] },
        ],
      },
    });
    await frame(page);
    const chip = page.locator('.chip').first();
    assert.match(await chip.innerText(), /^1163 files · 982k tokens · \+2 files joined · /);
    assert.ok(
      (await chip.getAttribute('title'))!.includes(
        "Joined whole for this question (the conversation's repository block had them only in part): " +
          'src/auth/session.ts (was outlined; defines `refreshToken`, imported by the best); ' +
          'src/auth/store.ts (was left out).',
      ),
    );
    assert.deepEqual(await violations(page), []);
    await page.close();
  });
});
