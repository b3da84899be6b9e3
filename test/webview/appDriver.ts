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
