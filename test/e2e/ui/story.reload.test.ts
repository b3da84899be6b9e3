// The UI story, second part: after Reload Window the conversation is found in history, and Focus on Chat
// View puts the caret in the chat box.
// Registered in order by story.test.ts: the parts share one browser page and what each leaves to the next.
import * as assert from 'node:assert/strict';
import { EVENT_MS } from '../shared/patience';
import { REFUSED, caretInBox, type Story } from './storyKit';

/** Registers this part's steps in the calling describe block. */
export function reloadSteps(s: Story): void {
  s.step('after "Reload Window" the conversation is found in history', async () => {
    await s.wb.reloadWindow();
    await s.wb.openActivity('DeepSeek Repo');
    s.sidebar = await s.wb.webview('sidebar');
    await s.wb.waitForText(s.sidebar, 'the chat to render', (t) => t.trim().length > 0);
    const text = await s.sidebar.locator('body').innerText();
    if (!text.includes(s.sidebarQuestion)) {
      // The sidebar starts a new chat after a reload; the conversation is in its history list.
      await s.sidebar
        .getByRole('button', { name: /history|past conversations/i })
        .first()
        .click();
      await s.wb.waitForText(s.sidebar, 'the conversation in the history list', (t) => t.includes(s.sidebarQuestion));
      await s.sidebar
        .getByRole('button', { name: new RegExp(`Open “${s.sidebarQuestion.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`) })
        .first()
        .click();
    }
    // Opened again: the question and its answer are back in the chat.
    await s.wb.waitForText(
      s.sidebar,
      'the reopened conversation',
      (t) => t.includes(s.sidebarQuestion) && t.includes('Last part.'),
    );
    // The Context view came back in the panel, not over the chat: the conversation's last turn, the 401, is in view.
    await s.page
      .locator('.part.panel')
      .getByRole('treeitem', { name: /tokens/ })
      .first()
      .waitFor({ timeout: EVENT_MS });
    const error = s.sidebar.getByText(REFUSED).filter({ visible: true }).last();
    await error.waitFor({ timeout: EVENT_MS });
    const inView = async () => {
      const [box, view] = [await error.boundingBox(), await (await s.sidebar.frameElement()).boundingBox()];
      return !!box && !!view && box.y >= view.y && box.y + box.height <= view.y + view.height;
    };
    // (The reopened chat renders its older turns in the background, then rests scrolled to its end.)
    for (const end = Date.now() + EVENT_MS; !(await inView()) && Date.now() < end;) await s.page.waitForTimeout(100);
    assert.ok(await inView(), 'the 401 is out of view');
    // The panel was restored by VS Code and the host replayed its conversation into the fresh webview.
    const panel = await s.wb.webview('panel');
    await s.wb.waitForText(
      panel,
      'the restored panel',
      (t) => t.includes(s.firstQuestion) && t.includes(`Last part. You asked: ${s.firstQuestion}`),
    );
    // Both webviews draw their icons: the codicon font loads under the CSP after a reload too.
    for (const frame of [s.sidebar, panel]) {
      // (Evaluated in the webview: a string, since this file is type-checked without DOM types.)
      const loaded = await frame.evaluate(`(async () => {
        await document.fonts.ready;
        await document.fonts.load('16px codicon');
        return (
          document.fonts.check('16px codicon') &&
          [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'codicon' && f.status === 'loaded')
        );
      })()`);
      assert.ok(loaded, 'the codicon font did not load');
    }
    await s.shot('3-after-reload');
  });

  s.step('"Focus on Chat View" puts the caret in the chat box, so typing goes there', async () => {
    await s.wb.runCommand('View: Focus First Editor Group');
    await s.wb.runCommand('DeepSeek Repo: Focus on Chat View');
    await caretInBox(s.sidebar);
    await s.page.keyboard.type('typed after Focus on Chat View', { delay: 5 });
    assert.equal(await s.sidebar.getByRole('textbox').first().inputValue(), 'typed after Focus on Chat View');
    await s.page.keyboard.press('Control+A');
    await s.page.keyboard.press('Backspace');
  });
}
