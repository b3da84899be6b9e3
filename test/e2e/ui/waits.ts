// Waits of the UI suite for what happens outside the test's control: a condition in a webview's page (whose CSP
// refuses Playwright's own polling), the user settings.json VS Code rewrites, a file VS Code saves.
import * as fs from 'node:fs';
import type { Frame } from 'playwright-core';
import { EVENT_MS } from '../shared/patience';

/**
 * Polls `expression` in `frame` until it is true. Not waitForFunction: it evaluates its predicate with `eval` in the
 * page, which the webview's CSP (no 'unsafe-eval') refuses on every check after the first one (the first comes
 * through DevTools), so a wait whose first check was false could only time out.
 */
export async function until(frame: Frame, expression: string, what: string): Promise<void> {
  for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline;) {
    if (await frame.evaluate(expression).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (${expression})`);
}

/** Waits until the caret is in `frame`'s question box (its document has the focus). */
export async function caretInBox(frame: Frame): Promise<void> {
  await until(frame, `document.hasFocus() && document.activeElement?.id === 'input'`, 'the caret in the question box');
}

/** Polls the user settings.json until `key` holds `value` (VS Code writes it asynchronously). */
export async function waitForSetting(file: string, key: string, value: unknown, timeoutMs = EVENT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown;
  while (Date.now() < deadline) {
    try {
      seen = (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)[key];
      if (seen === value) return;
    } catch {
      // caught VS Code halfway through rewriting the file: read again
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`user setting ${key} is ${JSON.stringify(seen)}, expected ${JSON.stringify(value)}`);
}

/** Polls `file` until its text passes `test` (a save VS Code makes on its own, such as auto save). */
export async function waitForFile(
  file: string,
  what: string,
  test: (text: string) => boolean,
  timeoutMs = EVENT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (test(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; ${file} holds:\n${text}`);
}
