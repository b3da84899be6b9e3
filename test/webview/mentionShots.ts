// The `@` mentions scene of `npm run screenshots:webview`: a question that carried mentions in the
// transcript, the composer with two chips and the completion list open (folder, file, symbols, the
// note when symbols are missing), in the sidebar's width. Writes mentions-<theme>.png.
import * as path from 'node:path';
import type { Mention } from '../../src/protocol/messages';
import { CONFIG, frame, host, posted } from './appDriver';
import type { Harness } from './harness';
import type { Page } from 'playwright-core';
import type { THEMES } from './themes';

const ASKED: Mention[] = [
  { kind: 'file', path: 'src/context/pack.ts' },
  { kind: 'symbol', path: 'src/context/place/budget.ts', name: 'fitBudget', line: 137, detail: 'function' },
];
const OFFERED: Mention[] = [
  { kind: 'folder', path: 'src/auth' },
  { kind: 'file', path: 'src/auth/session.ts' },
  { kind: 'file', path: 'test/unit/auth/session.test.ts' },
  { kind: 'symbol', path: 'src/auth/service.ts', name: 'AuthService', line: 12, detail: 'class' },
  { kind: 'symbol', path: 'src/auth/service.ts', name: 'AuthService.authorize', line: 40, detail: 'method' },
];

export async function mentionScreenshots(harness: Harness, theme: keyof typeof THEMES, out: string): Promise<void> {
  const page = await harness.openApp({ theme, surface: 'sidebar', width: 380, height: 620 });
  await host(page, { type: 'init', surface: 'sidebar', config: CONFIG });
  await host(
    page,
    {
      type: 'turnStart',
      requestId: 'm',
      index: 0,
      question: 'How does @src/context/pack.ts decide what @fitBudget keeps whole?',
      mentions: ASKED,
    },
    { type: 'contentDelta', requestId: 'm', text: '`fitBudget` places the pinned files first, whole…' },
    { type: 'end', requestId: 'm', outcome: 'complete' },
  );
  const input = page.locator('#input');
  await input.click();
  // Two mentions taken from the list by keyboard, then the list open on a third.
  await typeAndAnswer(page, 'Is @sess', 'sess', [OFFERED[1]!]);
  await input.press('Enter');
  await typeAndAnswer(page, 'still valid after @authori', 'authori', [OFFERED[4]!]);
  await input.press('Enter');
  await typeAndAnswer(page, 'when @au', 'au', OFFERED, 'No symbols from Python files: no language server for them');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  await frame(page);
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(out, `mentions-${theme}.png`) });
  await page.close();
}

/** Types `text` into the box, waits for the app to ask `query`, and answers it with `items`. */
async function typeAndAnswer(page: Page, text: string, query: string, items: Mention[], note?: string): Promise<void> {
  await page.locator('#input').pressSequentially(text);
  await page.waitForFunction(
    (q) =>
      (window as unknown as { __posted: { type: string; query?: string }[] }).__posted
        .filter((m) => m.type === 'mentionQuery')
        .at(-1)?.query === q,
    query,
  );
  const id = (await posted(page)).filter((m) => m.type === 'mentionQuery').at(-1)?.id ?? 0;
  await host(page, { type: 'mentionResults', id, items, ...(note ? { note } : {}) });
}
