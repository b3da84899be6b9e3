// The UI story, first part: the fixture opened, F1 → Ask About Repository with the key given when asked,
// the answer streaming into the panel, the sidebar's question and follow-up, Focus Chat Input, three
// themes, and a refused key.
// Registered in order by story.test.ts: the parts share one browser page and what each leaves to the next.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { env, workbenchUrl } from '../driver/browser';
import { EVENT_MS } from '../shared/patience';
import { waitForSetting } from './waits';
import {
  API_KEY,
  THEMES,
  questionOf,
  slowMarkdownReply,
  REFUSED,
  heightOf,
  caretInBox,
  watchStream,
  type Story,
} from './storyKit';

/** Registers this part's steps in the calling describe block. */
export function askSteps(s: Story): void {
  s.step('opens the fixture workspace in VS Code', async () => {
    await s.page.goto(workbenchUrl(env('E2E_URL'), env('E2E_FOLDER')), { waitUntil: 'domcontentloaded' });
    await s.wb.ready();
    // The explorer lists the fixture's files.
    await s.page.locator('.part.sidebar').getByRole('treeitem', { name: 'README.md' }).waitFor({ timeout: EVENT_MS });
  });

  s.step('F1 → "DeepSeek: Ask About Repository", a question, then the API key when asked', async () => {
    await s.wb.runCommand('DeepSeek: Ask About Repository');
    await s.wb.answerInputBox(/Ask About Repository/i, s.firstQuestion);
    // No key is stored yet: the extension asks for one, masked.
    const keyBox = s.wb.inputBox(/API Key/i);
    await keyBox.waitFor({ state: 'visible', timeout: EVENT_MS });
    assert.equal(await keyBox.locator('input.input').getAttribute('type'), 'password');
    await s.wb.answerInputBox(/API Key/i, API_KEY);
  });

  s.step('the answer streams into the panel, piece by piece', async () => {
    const panel = await s.wb.webview('panel');
    const text = await watchStream(s.wb, panel, s.firstQuestion);
    assert.ok(text.includes('return `Hello, ${name}!`;'), `the code block is not shown as code:\n${text}`);
    assert.equal(await panel.locator('pre code').count(), 1, 'one code block');
    assert.equal(s.server.chatRequests().length, 1);
    assert.equal(s.server.chatRequests()[0]!.headers.authorization, `Bearer ${API_KEY}`);
    // The status bar shows what the answer cost and how much of its input came from the cache.
    await s.page
      .locator('.part.statusbar')
      .getByText(/\$[\d.]+ · \d+% cached/)
      .waitFor({ timeout: EVENT_MS });
    await s.shot('1-panel-answer');
  });

  s.step('the sidebar chat answers a question and a follow-up', async () => {
    await s.wb.openActivity('DeepSeek Repo');
    s.sidebar = await s.wb.webview('sidebar');
    for (const question of [s.sidebarQuestion, s.followUp]) {
      await s.sidebar.getByRole('textbox').first().pressSequentially(question, { delay: 5 });
      await s.page.keyboard.press('Enter');
      await watchStream(s.wb, s.sidebar, question);
    }
    // The follow-up was sent with the sidebar conversation before it.
    const last = s.server.chatRequests().at(-1)!.body!;
    assert.equal(questionOf(last), s.followUp);
    assert.ok(JSON.stringify(last.messages).includes(s.sidebarQuestion), 'the follow-up lost the conversation');
    // It only appended to the first request, so DeepSeek bills most of its input as cache hits, and its chip says so.
    const chip = s.sidebar.locator('.chip').last();
    await chip.filter({ hasText: /\b\d+% cached/ }).waitFor({ timeout: EVENT_MS });
    const billed = s.cache.billed.at(-1)!;
    assert.ok(
      billed.hitTokens > billed.promptTokens / 2,
      `the follow-up hit ${billed.hitTokens} of ${billed.promptTokens} prompt tokens`,
    );
    assert.match(
      (await chip.textContent()) ?? '',
      new RegExp(`\\b${Math.round((100 * billed.hitTokens) / billed.promptTokens)}% cached`),
    );
    await s.shot('2-sidebar-follow-up');
  });

  s.step('DeepSeek: Focus Chat Input (Ctrl+Shift+Alt+A) puts the caret in the chat box from anywhere', async () => {
    // Away from the chat: the Explorer in the side bar, its file tree focused.
    await s.wb.runCommand('View: Show Explorer');
    await s.page.locator('.part.sidebar').getByRole('treeitem', { name: 'README.md' }).waitFor({ timeout: EVENT_MS });
    await s.page.keyboard.press('Control+Shift+Alt+KeyA');
    s.sidebar = await s.wb.webview('sidebar');
    await caretInBox(s.sidebar);
    await s.page.keyboard.type('typed after the shortcut', { delay: 5 });
    assert.equal(await s.sidebar.getByRole('textbox').first().inputValue(), 'typed after the shortcut');
    await s.page.keyboard.press('Control+A');
    await s.page.keyboard.press('Backspace');
  });

  s.step('looks right in light, dark and high-contrast themes', async () => {
    for (const theme of THEMES) {
      await s.wb.setColorTheme(theme.label, theme.cssClass);
      await waitForSetting(s.settingsFile, 'workbench.colorTheme', theme.setting);
      // Both webviews wear the new theme (VS Code sets its class and variables on their <body>).
      for (const frame of [await s.wb.webview('panel'), s.sidebar])
        await frame.locator(`body.${theme.webviewClass}`).waitFor({ timeout: EVENT_MS });
      await s.page.mouse.move(640, 12); // no hover state or tooltip in the pictures
      await s.page
        .locator('.part.editor')
        .screenshot({ path: path.join(s.artifacts, 'themes', `panel-${theme.id}.png`) });
      await s.page
        .locator('.part.sidebar')
        .screenshot({ path: path.join(s.artifacts, 'themes', `sidebar-${theme.id}.png`) });
    }
  });

  s.step(
    'Show Context opens the Context view in the panel: the chat keeps the side bar, and no label is cut',
    async () => {
      // A question the server refuses: its error is what the chat must keep in view.
      s.server.setScenario(() => ({
        status: 401,
        body: JSON.stringify({ error: { message: 'Authentication Fails', type: 'authentication_error' } }),
      }));
      await s.sidebar.getByRole('textbox').first().pressSequentially(s.refusedQuestion, { delay: 5 });
      await s.page.keyboard.press('Enter');
      await s.wb.waitForText(s.sidebar, 'the 401 in the chat', (t) => t.includes(REFUSED));
      s.server.setScenario(slowMarkdownReply([]));
      const before = await heightOf(s.sidebar);
      await s.wb.runCommand('DeepSeek: Show Context');
      await s.page
        .locator('.part.panel')
        .getByRole('treeitem', { name: /tokens/ })
        .first()
        .waitFor({ timeout: EVENT_MS });
      assert.equal(
        await s.page.locator('.part.sidebar').getByRole('treeitem').count(),
        0,
        'no Context tree in the side bar',
      );
      assert.ok(Math.abs((await heightOf(s.sidebar)) - before) < 2, 'the chat kept its height');
      // (Evaluated in the workbench: a string, since this file is type-checked without DOM types.)
      const cut = await s.page
        .evaluate(`[...document.querySelectorAll('.part.panel .monaco-list-row .monaco-icon-label-container')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)`);
      assert.deepEqual(cut, [], 'Context labels cut short');
      await s.shot('7-context-in-panel');
    },
  );
}
