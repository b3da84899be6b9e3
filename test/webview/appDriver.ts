// Drives the real app in the harness page: posts host messages, reads what the app posted, waits
// for its frame-coalesced rendering. Shared by the UI tests, the benchmark and the screenshots.
import type { Frame, Page } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';

interface W {
  __host(m: unknown): void;
  __posted: WebviewToHost[];
  __violations: string[];
}

/** Posts host messages (as VS Code would) and waits until the app has rendered them. */
export async function host(
  page: Page | Frame,
  ...messages: (HostToWebview | Record<string, unknown>)[]
): Promise<void> {
  await page.evaluate((ms) => ms.forEach((m) => (window as unknown as W).__host(m)), messages);
  await frame(page);
}

/**
 * Waits for message delivery and the next animation frame (the app's own rAF callback, requested first, runs before
 * ours).
 */
export async function frame(page: Page | Frame): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => r()), 0)));
}

export async function posted(page: Page | Frame): Promise<WebviewToHost[]> {
  return page.evaluate(() => (window as unknown as W).__posted);
}

export async function clearPosted(page: Page | Frame): Promise<void> {
  await page.evaluate(() => ((window as unknown as W).__posted.length = 0));
}

export async function violations(page: Page | Frame): Promise<string[]> {
  return page.evaluate(() => (window as unknown as W).__violations);
}

export const CONFIG = {
  hasKey: true,
  trusted: true,
  hasWorkspace: true,
  models: ['deepseek-v4-pro', 'deepseek-flash'],
  model: 'deepseek-v4-pro',
  effort: 'high',
} as const;

/** A realistic answer: prose, a list, a table, file references and a code block with a target path. */
export const SAMPLE_ANSWER = [
  'The packer lives in `src/context/pack.ts:42`. It works in three steps:',
  '',
  '1. **Scan** the workspace, honouring `.gitignore` and `.deepseekignore`.',
  '2. **Rank** files by relevance to the question.',
  '3. **Pack** them whole until the budget is spent, then add outlines.',
  '',
  '| step | cost | cached |',
  '|---|--:|:-:|',
  '| scan | 120 ms | no |',
  '| pack | 40 ms | yes |',
  '',
  'To skip generated files, add a rule:',
  '',
  '```ts path=src/context/scan.ts',
  'export function isGenerated(path: string): boolean {',
  "  return /\\.(min|bundle)\\.js$/.test(path) || path.startsWith('dist/');",
  '}',
  '```',
  '',
  'See the [ignore docs](https://git-scm.com/docs/gitignore) for the pattern syntax.',
].join('\n');

/** The inner text of the first element `sel` matches. */
export const text = (page: Page, sel: string) => page.locator(sel).first().innerText();

/** Starts recording what the polite live region says; `announced` returns it. */
export async function recordAnnouncements(page: Page): Promise<void> {
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
export const announced = (page: Page) =>
  page.evaluate(() => (window as unknown as { __announced: string[] }).__announced);
/** Waits until the live region has said something (the app announces in a task of its own, after a pause). */
export const spoken = (page: Page) =>
  page.waitForFunction(() => (window as unknown as { __announced: string[] }).__announced.length > 0);

/** Inits the app on `surface` with CONFIG and starts its first turn, in one delivery: where a streaming test begins. */
export async function startFirstTurn(
  page: Page,
  turn: { surface: 'panel' | 'sidebar'; requestId: string; question: string },
): Promise<void> {
  await host(
    page,
    { type: 'init', surface: turn.surface, config: CONFIG },
    { type: 'turnStart', requestId: turn.requestId, index: 0, question: turn.question },
  );
}

/** Streams `answer` in pieces of `size` characters, after a turnStart for `question` unless it is undefined. */
export async function streamAnswer(
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
