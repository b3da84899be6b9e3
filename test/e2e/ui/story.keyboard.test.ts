// The UI story, last part: a keyboard-only walk (focus the chat, ask, read, copy a code block, apply,
// accept, undo, open History), and an editor command's question with its file chip, in light and dark.
// Registered in order by story.test.ts: the parts share one browser page and what each leaves to the next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { env } from '../driver/browser';
import { EVENT_MS } from '../shared/patience';
import { waitForFile, waitForSetting } from './waits';
import { THEMES, until, caretInBox, focusedName, type Story } from './storyKit';

/** Registers this part's steps in the calling describe block. */
export function keyboardSteps(s: Story): void {
  s.step('keyboard only: focus the chat, ask, read, copy a code block, apply, accept, undo, open History', async () => {
    const question = 'Greet with Hi instead';
    const code = '<<<<<<< SEARCH\n  return `Hello, ${name}!`;\n=======\n  return `Hi, ${name}!`;\n>>>>>>> REPLACE\n';
    s.server.setScenario(() => ({
      steps: [
        { kind: 'content', text: `Say hi:\n\n\`\`\`ts path=src/greet.ts\n${code}\`\`\`\n` },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    const greet = path.join(env('E2E_FOLDER'), 'src', 'greet.ts');
    const before = fs.readFileSync(greet, 'utf8');
    assert.ok(before.includes('return `Hello, ${name}!`;'), 'the file starts as the fixture has it');
    // The host's clipboard is the browser's: the test reads it back to check Copy (a person would paste).
    await s.browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env('E2E_URL')).origin });
    /** Presses `key` until the chat's focused control is named `name`: the keyboard's way to a button. */
    const pressUntil = async (key: string, name: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        await s.page.keyboard.press(key);
        seen.push(await focusedName(s.sidebar));
        if (seen.at(-1) === name) return;
      }
      throw new Error(`${key} never reached "${name}": ${seen.join(' · ')}`);
    };
    /** From wherever the focus is, Ctrl+Shift+Alt+A back into the chat's box. */
    const backToTheBox = async () => {
      await s.page.keyboard.press('Control+Shift+Alt+KeyA');
      await caretInBox(s.sidebar);
    };

    // Focus the chat: a new conversation (F1), then from the editor the shortcut puts the caret in the box.
    await s.wb.newChat(s.sidebar, { keys: true });
    await s.wb.runCommandByKeys('View: Focus Active Editor Group');
    await backToTheBox();
    // Ask.
    await s.page.keyboard.type(question, { delay: 5 });
    assert.equal(
      await s.sidebar.getByRole('textbox').first().inputValue(),
      question,
      'only the question is in the box',
    );
    await s.page.keyboard.press('Enter');
    // Read: the answer is told to screen readers once it is complete.
    await s.sidebar
      .locator('[aria-live="polite"]')
      .filter({ hasText: /Answer ready\./ })
      .waitFor({ timeout: EVENT_MS });
    // Copy a code block: Shift+Tab from the box reaches the newest answer's block first.
    await caretInBox(s.sidebar);
    await pressUntil('Shift+Tab', 'Copy');
    await s.page.keyboard.press('Enter');
    let copied = '';
    for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      copied = String(await s.page.evaluate('navigator.clipboard.readText()').catch((e: unknown) => String(e)));
      if (copied === code) break;
    }
    assert.equal(copied, code, 'Copy put the block on the clipboard');
    // Apply: Escape goes back to the box, Shift+Tab to the block's Apply Edits; Enter opens the proposal.
    await s.page.keyboard.press('Escape');
    await caretInBox(s.sidebar);
    await pressUntil('Shift+Tab', 'Apply Edits to src/greet.ts…');
    await s.page.keyboard.press('Enter');
    await s
      .editors()
      .getByRole('tab', { name: /greet\.ts ↔ DeepSeek proposal/ })
      .waitFor({ timeout: EVENT_MS });
    await s.card().getByRole('button', { name: 'Accept', exact: true }).waitFor({ timeout: EVENT_MS });
    // Accept: back in the chat (the diff has the focus), Shift+Tab reaches Accept under the answer.
    await backToTheBox();
    await pressUntil('Shift+Tab', 'Accept');
    // The edits as a diff in the chat, the proposal beside it, the focus on Accept.
    await s.themeShots('keyboard-accept');
    await backToTheBox(); // the theme picker took the focus
    await pressUntil('Shift+Tab', 'Accept');
    await s.page.keyboard.press('Enter');
    await s.card().getByRole('button', { name: 'Undo', exact: true }).waitFor({ timeout: EVENT_MS });
    await waitForFile(greet, 'Accept to write the change', (text) => text.includes('return `Hi, ${name}!`;'));
    // Undo, the same way.
    await backToTheBox();
    await pressUntil('Shift+Tab', 'Undo');
    await s.page.keyboard.press('Enter');
    await s
      .card()
      .filter({ hasText: /^Undone/ })
      .waitFor({ timeout: EVENT_MS });
    await waitForFile(greet, 'Undo to put the file back', (text) => text === before);
    // Open History (F1 → DeepSeek: Show Chat History): the newest conversation has the focus; Enter opens it.
    await s.wb.runCommandByKeys('DeepSeek: Show Chat History');
    await until(s.sidebar, `document.activeElement?.classList.contains('history-open')`, 'the newest entry focused');
    assert.ok((await focusedName(s.sidebar)).startsWith(question), `History focused: ${await focusedName(s.sidebar)}`);
    await s.shot('8-keyboard-history');
    await s.page.keyboard.press('Enter');
    await s.wb.waitForText(
      s.sidebar,
      'the conversation reopened',
      (t) => t.includes(question) && t.includes('Say hi:'),
    );
    await caretInBox(s.sidebar);
  });

  s.step('an editor command shows what was asked, its file as a chip, the prompt behind a disclosure', async () => {
    s.server.setScenario(() => ({
      steps: [
        { kind: 'content', text: '`greet` builds the greeting that `main.ts` prints.' },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    await s
      .editors()
      .getByRole('tab', { name: /^greet\.ts/ })
      .click();
    await s.wb.runCommand('DeepSeek: Explain File');
    // Its answer opens in a panel tab of its own; find the panel webview that shows it.
    let shown: Frame | undefined;
    for (const deadline = Date.now() + EVENT_MS; !shown && Date.now() < deadline; await s.page.waitForTimeout(250))
      for (const frame of s.page.frames()) {
        const text = await frame
          .locator('body[data-surface="panel"]')
          .innerText({ timeout: 1_000 })
          .catch(() => '');
        if (text.includes('builds the greeting')) shown = frame;
      }
    if (!shown) throw new Error('no panel shows the answer to Explain File');
    const question = shown.locator('.question').last();
    assert.equal(await question.locator('.question-text').innerText(), 'Explain src/greet.ts');
    assert.equal(await question.getByRole('button', { name: 'Open src/greet.ts', exact: true }).count(), 1, 'its chip');
    assert.match(await question.locator('.question-prompt summary').innerText(), /Full prompt/);
    for (const theme of THEMES.slice(0, 2)) {
      await s.wb.setColorTheme(theme.label, theme.cssClass);
      await waitForSetting(s.settingsFile, 'workbench.colorTheme', theme.setting);
      await shown.locator(`body.${theme.webviewClass}`).waitFor({ timeout: EVENT_MS });
      await s.page.mouse.move(640, 12);
      await s.page.screenshot({ path: path.join(s.artifacts, 'themes', `editor-command-${theme.id}.png`) });
    }
  });
}
