// Drives the code-server workbench the way a person does (command palette, input boxes, activity bar,
// keyboard) and finds the webviews' documents, which sit two iframes deep, by the surface they show.
// Selectors are few on purpose: VS Code's stable workbench classes and roles, and in our webview the
// `data-surface` attribute on <body>, roles and visible text.
import * as fs from 'node:fs';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import type { CacheModel } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type FakeServer, type Scenario } from '../../fake-server/server';
import { env, launchBrowser, workbenchUrl } from '../driver/browser';
import { EVENT_MS } from '../shared/patience';
import { caretInBox } from './waits';

export type Surface = 'panel' | 'sidebar';

/** The key the story gives when asked; the later files of the suite find it stored. */
export const UI_API_KEY = 'sk-e2e-ui-0123456789abcdef';

export class Workbench {
  constructor(readonly page: Page) {}

  /** "Developer: Reload Window", until the new window's workbench is drawn (the extension host starts afresh). */
  async reloadWindow(): Promise<void> {
    const reloaded = this.page.waitForEvent('framenavigated', {
      predicate: (f) => f === this.page.mainFrame(),
      timeout: EVENT_MS,
    });
    await this.runCommand('Developer: Reload Window');
    await reloaded;
    await this.ready();
  }

  /** Waits for the workbench shell (status bar drawn). */
  async ready(): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: EVENT_MS });
  }

  /**
   * F1, types `title`, picks it. Retries (for up to EVENT_MS) while the extension host is still registering
   * commands.
   */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline;) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: EVENT_MS });
      await input.pressSequentially(title, { delay: 5 });
      if (
        (await this.typedInto(input, title)) &&
        (await this.pick(title, 4_000).then(
          () => true,
          () => false,
        ))
      )
        return;
      await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(1_000);
    }
    throw new Error(`"${title}" never showed up in the command palette`);
  }

  /**
   * The keyboard's way to a command: F1, types `title`, moves the palette's focus down to the row labelled exactly
   * `title` and presses Enter (no click). Retries like runCommand while the command is not registered yet.
   */
  async runCommandByKeys(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused .label-name');
    for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline;) {
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: EVENT_MS });
      await input.pressSequentially(title, { delay: 5 });
      const shown =
        (await this.typedInto(input, title)) &&
        (await this.rowLabelled(title)
          .waitFor({ state: 'visible', timeout: 4_000 })
          .then(
            () => true,
            () => false,
          ));
      if (shown) {
        // The list is filtered as typed: the row is among the first few.
        for (let i = 0; i < 10 && (await focused.textContent()) !== title; i++)
          await this.page.keyboard.press('ArrowDown');
        if ((await focused.textContent()) === title) {
          await this.page.keyboard.press('Enter');
          await input.waitFor({ state: 'hidden', timeout: EVENT_MS });
          return;
        }
      }
      await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(1_000);
    }
    throw new Error(`"${title}" never showed up in the command palette`);
  }

  /**
   * Opens the workspace and shows the DeepSeek Repo side bar; returns its chat webview. The sidebar first: once its
   * webview shows, the extension host runs our commands (on a loaded machine the workbench can be ready long before
   * it, and a command run then is "not found").
   */
  async openSidebar(): Promise<Frame> {
    await this.page.goto(workbenchUrl(env('E2E_URL'), env('E2E_FOLDER')), { waitUntil: 'domcontentloaded' });
    await this.ready();
    await this.openActivity('DeepSeek Repo');
    return this.webview('sidebar');
  }

  /** Stores UI_API_KEY by "DeepSeek: Set API Key": a file does not depend on an earlier one having stored it. */
  async setApiKey(): Promise<void> {
    await this.runCommand('DeepSeek: Set API Key');
    await this.answerInputBox(/API Key/i, UI_API_KEY);
  }

  /**
   * F1 → "DeepSeek: New Chat" (by `keys` alone, or a click on its row); waits until the sidebar shows the new chat.
   * By keys, also until the caret is in its box: the command moves the focus there a moment after the palette closes,
   * and keys meant for what comes next, typed before then, would land in the box. (After a click on the row the
   * palette may hand the focus back to the editor instead, so there is no caret to wait for: `send` clicks the box.)
   */
  async newChat(sidebar: Frame, options: { keys?: boolean } = {}): Promise<void> {
    if (options.keys) await this.runCommandByKeys('DeepSeek: New Chat');
    else await this.runCommand('DeepSeek: New Chat');
    await this.waitForText(sidebar, 'the new chat', (t) => t.includes('Ask about your whole repository'));
    if (options.keys) await caretInBox(sidebar);
  }

  /** Puts the caret in the sidebar's question box with a click, types `question`, checks the box holds it, Enter. */
  async send(sidebar: Frame, question: string): Promise<void> {
    const box = sidebar.getByRole('textbox').first();
    await box.click();
    await box.fill(question);
    const typed = await box.inputValue();
    if (typed !== question) throw new Error(`typed "${question}" but the question box holds "${typed}"`);
    await box.press('Enter');
  }

  /** The row labelled exactly `label` in the open quick pick. */
  private rowLabelled(label: string): Locator {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return this.page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) })
      .first();
  }

  /**
   * Whether the command palette's `input` holds `typed` after its ">". Something else taking the focus while the
   * keys went in (a webview focusing its box a moment late) leaves it short: the caller closes the palette and
   * types again.
   */
  private async typedInto(input: Locator, typed: string): Promise<boolean> {
    return (await input.inputValue().catch(() => '')).replace(/^>/, '') === typed;
  }

  /** Clicks the row labelled exactly `label` in the open quick pick (the focused row may be another). */
  async pick(label: string, timeoutMs = EVENT_MS): Promise<void> {
    const row = this.rowLabelled(label);
    await row.waitFor({ state: 'visible', timeout: timeoutMs });
    await row.click();
  }

  /** The input box (quick input) whose title matches `title`. */
  inputBox(title: RegExp): Locator {
    return this.page
      .locator('.quick-input-widget')
      .filter({ has: this.page.locator('.quick-input-title', { hasText: title }) });
  }

  /** Waits for the input box titled `title`, types `text` into it, presses Enter. */
  async answerInputBox(title: RegExp, text: string): Promise<void> {
    const box = this.inputBox(title);
    await box.waitFor({ state: 'visible', timeout: EVENT_MS });
    const input = box.locator('input.input');
    await input.pressSequentially(text, { delay: 5 });
    const typed = await input.inputValue();
    if (typed !== text) throw new Error(`typed "${text}" but the input box holds "${typed}"`);
    await input.press('Enter');
    await box.waitFor({ state: 'hidden', timeout: EVENT_MS });
  }

  /** F1 → "Preferences: Color Theme" → the theme labelled `label`; waits until the workbench wears it. */
  async setColorTheme(label: string, workbenchClass: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    // Filter the list.
    await this.page.locator('.quick-input-widget input.input').pressSequentially(label, { delay: 5 });
    await this.pick(label);
    await this.page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ timeout: EVENT_MS });
  }

  /** Shows the side bar view container whose activity bar entry is labelled `label`. A click toggles it, so
   *  it clicks only when the container is not showing, and after a click waits long (a loaded machine can
   *  take seconds to draw the side bar) before judging whether to click again: a second click made too
   *  early hides what the first one showed. */
  async openActivity(label: string): Promise<void> {
    const entry = this.page.locator('.part.activitybar').getByRole('tab', { name: new RegExp(`^${label}`) });
    const showing = async () =>
      (await entry.getAttribute('aria-selected')) === 'true' && (await this.page.locator('.part.sidebar').isVisible());
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await showing()) return;
      await entry.click();
      for (const deadline = Date.now() + EVENT_MS / 3; Date.now() < deadline && !(await showing());)
        await this.page.waitForTimeout(100);
    }
    if (!(await showing())) throw new Error(`the ${label} view container did not show`);
  }

  /** The document of our webview on `surface` (its <body data-surface>), once it is there. */
  async webview(surface: Surface, timeoutMs = EVENT_MS): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame.isDetached()) continue;
        const hit = await frame
          .locator(`body[data-surface="${surface}"]`)
          .count()
          .catch(() => 0);
        if (hit) return frame;
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no ${surface} webview after ${timeoutMs} ms`);
  }

  /** Polls the visible text of `frame` until `test` accepts it; returns that text. */
  async waitForText(
    frame: Frame,
    what: string,
    test: (text: string) => boolean,
    timeoutMs = EVENT_MS,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await frame
        .locator('body')
        .innerText()
        .catch(() => '');
      if (test(text)) return text;
      await this.page.waitForTimeout(50);
    }
    throw new Error(`timed out waiting for ${what}; the webview shows:\n${text}`);
  }
}

/** Merges `values` into the user settings.json that code-server reads (and watches). */
export function updateUserSettings(file: string, values: Record<string, unknown>): void {
  const current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...current, ...values }, null, 2));
}

/** What a UI suite runs against: the fake DeepSeek server and the browser on the workbench. */
export interface UiSession {
  server: FakeServer;
  browser: BrowserContext;
  page: Page;
  wb: Workbench;
}

/**
 * Starts the fake DeepSeek server (taking UI_API_KEY, billing through `cache`), points the extension's
 * base URL at it in `settingsFile`, and opens the browser the workbench will load in. The server is
 * reached by host name: a base URL on this machine (127.0.0.1) would be asked without a key.
 */
export async function openUiSession(options: {
  scenario: Scenario;
  cache: CacheModel;
  settingsFile: string;
}): Promise<UiSession> {
  const server = await startFakeDeepSeek({
    apiKeys: [UI_API_KEY],
    byHostName: true,
    scenario: options.scenario,
    billing: (body, output) => options.cache.bill(body, output),
  });
  updateUserSettings(options.settingsFile, { 'deepseekRepo.baseUrl': server.url });
  const browser = await launchBrowser(env('E2E_PROFILE'));
  const page = browser.pages()[0] ?? (await browser.newPage());
  return { server, browser, page, wb: new Workbench(page) };
}
