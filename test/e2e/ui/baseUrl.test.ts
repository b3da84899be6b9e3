// A base URL changed while the window is open, in code-server: the next question goes to the new
// server, without Reload Window (a user saw the old server keep answering until a reload). The URL
// is changed in the Settings editor, as a person does it. The sidebar's model picker lists what the
// endpoint serves, so it shows the new server's model once the extension has the new URL: nothing
// here waits a fixed time. (What that user met: code-server does not read back a settings.json edited
// on disk behind its back, for any setting, the colour theme included, until the window reloads;
// an edit in the Settings editor applies at once.)
import * as assert from 'node:assert/strict';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { startFakeDeepSeek, type FakeServer } from '../../fake-server/server';
import { textOf } from '../../fake-server/vision';
import { env, launchBrowser } from '../driver/browser';
import { EVENT_MS } from '../shared/patience';
import { stepper } from './steps';
import { waitForSetting } from './waits';
import { UI_API_KEY, updateUserSettings, Workbench } from './workbench';

const FIRST = 'Which server answers this one?';
const SECOND = 'And which one answers after the change?';
/** A model only the second server lists: the picker shows it once the extension uses that server. */
const ONLY_ON_B = 'deepseek-v4-pro-b';

describe('a base URL changed while the window is open', function () {
  const artifacts = env('E2E_ARTIFACTS');
  const settingsFile = env('E2E_USER_SETTINGS');
  let a: FakeServer;
  let b: FakeServer;
  let browser: BrowserContext;
  let page: Page;
  let wb: Workbench;
  let sidebar: Frame;

  /** A step of the story: fails at once when an earlier step failed. */
  const step = stepper({ page: () => page, artifacts, failureShot: 'ui-base-url-failure.png' });
  const asked = (server: FakeServer, question: string) =>
    server.chatRequests().filter((r) => textOf(r.body?.messages.at(-1)?.content).includes(question)).length;
  /** Sends `question` from the sidebar and waits for its answer, which names the server that gave it. */
  const ask = async (question: string) => {
    await wb.send(sidebar, question);
    await wb.waitForText(
      sidebar,
      `the answer to "${question}"`,
      (t) => /Server [AB] answers "/.test(t) && t.includes(`answers "${question}"`),
    );
  };
  /** A fake DeepSeek whose answer names it and the question it answers. */
  const server = (name: string, models?: string[]) =>
    startFakeDeepSeek({
      apiKeys: [UI_API_KEY],
      byHostName: true,
      ...(models ? { models } : {}),
      scenario: (body) => {
        const asked = textOf(body.messages.filter((m) => m.role === 'user').at(-1)?.content);
        const question = [FIRST, SECOND].find((q) => asked.includes(q)) ?? 'something else';
        return {
          steps: [
            { kind: 'content', text: `Server ${name} answers "${question}".` },
            { kind: 'finish', reason: 'stop' },
            { kind: 'usage' },
            { kind: 'done' },
          ],
        };
      },
    });

  before(async () => {
    a = await server('A');
    b = await server('B', ['deepseek-v4-pro', 'deepseek-flash', ONLY_ON_B]);
    updateUserSettings(settingsFile, { 'deepseekRepo.baseUrl': a.url });
    browser = await launchBrowser(env('E2E_PROFILE'));
    page = browser.pages()[0] ?? (await browser.newPage());
    wb = new Workbench(page);
  });
  after(async () => {
    await browser?.close();
    await a?.close();
    await b?.close();
  });

  step('the first question goes to the server the settings name', async () => {
    sidebar = await wb.openSidebar();
    await wb.setApiKey();
    await wb.newChat(sidebar);
    await ask(FIRST);
    assert.deepEqual([asked(a, FIRST), asked(b, FIRST)], [1, 0]);
  });

  step('the Settings editor changes it: the next question goes to the new server, no reload', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && navigations.push(f.url()));
    await wb.runCommand('Preferences: Open User Settings');
    // The search box takes keys only once the editor has drawn it: typed again until the one setting shows.
    const search = page.locator('.settings-editor .settings-header .suggest-input-container').first();
    const row = page.locator('.settings-editor .setting-item-contents').filter({ hasText: 'Base Url' }).first();
    for (let tries = 0; !(await row.isVisible()) && tries < 4; tries++) {
      await search.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('deepseekRepo.baseUrl');
      await row.waitFor({ timeout: EVENT_MS / 4 }).catch(() => undefined);
    }
    const input = row.locator('input').first();
    await input.waitFor({ timeout: EVENT_MS });
    assert.equal(await input.inputValue(), a.url, 'the Settings editor shows the URL in use');
    await input.fill(b.url);
    await input.press('Tab');
    await waitForSetting(settingsFile, 'deepseekRepo.baseUrl', b.url);
    // The Settings editor opens over the workbench (a modal editor): closed with its ✕.
    const modal = page.locator('.monaco-modal-editor-block');
    await modal.locator('.codicon-close').first().click();
    await modal.waitFor({ state: 'detached', timeout: EVENT_MS });
    // The extension has the new URL when the picker lists what only the new server serves.
    await sidebar.locator(`select[aria-label="Model"] option[value="${ONLY_ON_B}"]`).waitFor({
      state: 'attached',
      timeout: EVENT_MS,
    });
    await ask(SECOND);
    assert.deepEqual([asked(a, SECOND), asked(b, SECOND)], [0, 1], 'the follow-up went to the old server');
    assert.deepEqual(navigations, [], 'the window was reloaded');
  });
});
