// The UI suite: a person's first session with the installed .vsix in a real VS Code. Open the fixture,
// F1 → "DeepSeek: Ask About Repository", type a question, give the API key when asked, watch the answer
// stream into the panel, ask follow-ups in the sidebar, look at both in three themes, reload, and look
// for the conversation again. Steps share one browser page and run in order; once one fails, the later
// ones fail at once instead of timing out one by one. Screenshots go to $E2E_ARTIFACTS.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { CacheModel } from '../../fake-server/cacheModel';
import { startFakeDeepSeek, type ChatBody, type FakeServer, type Reply } from '../../fake-server/server';
import { env, launchBrowser, workbenchUrl } from '../driver/browser';
import { EVENT_MS } from '../shared/patience';
import { UI_API_KEY, updateUserSettings, waitForFile, waitForSetting, Workbench } from './workbench';

const API_KEY = UI_API_KEY;
// label: in the theme picker; setting: the `workbench.colorTheme` value picking it stores (VS Code 1.139
// stores "Light Modern" / "Dark Modern" for what older versions called "Default Light/Dark Modern").
// cssClass: the workbench's class for the theme; webviewClass: the class VS Code gives a webview's <body>.
const THEMES = [
  { id: 'light', label: 'Light Modern', setting: 'Light Modern', cssClass: 'vs', webviewClass: 'vscode-light' },
  { id: 'dark', label: 'Dark Modern', setting: 'Dark Modern', cssClass: 'vs-dark', webviewClass: 'vscode-dark' },
  {
    id: 'high-contrast',
    label: 'Dark High Contrast',
    setting: 'Default High Contrast',
    cssClass: 'hc-black',
    webviewClass: 'vscode-high-contrast',
  },
];

/** The question in a chat request: the last line of the last user message. */
function questionOf(body: ChatBody): string {
  const last = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return last.trim().split('\n').at(-1) ?? '';
}

/** One gate per watched question: its answer holds back after the first part until the story opens the
 *  gate, having seen that part alone, whatever the machine's speed. */
const gates = new Map<string, { seen: Promise<void>; open: () => void }>();
function gate(question: string): { seen: Promise<void>; open: () => void } {
  let g = gates.get(question);
  if (!g) {
    let open = () => {};
    const seen = new Promise<void>((resolve) => (open = resolve));
    g = { seen, open };
    gates.set(question, g);
  }
  return g;
}

/** An answer in three parts: the rest of a watched answer waits until the story saw its first part
 *  alone; the last part follows 1.2 s after the code block. */
function slowMarkdownReply(watched: readonly string[]) {
  return (body: ChatBody): Reply => {
    const question = questionOf(body);
    return {
      steps: [
        { kind: 'reasoning', text: 'The question is about src/greet.ts. ' },
        { kind: 'reasoning', text: 'It exports one function.' },
        { kind: 'content', text: 'First part of the answer: `greet` lives in **src/greet.ts**.\n\n' },
        watched.includes(question) ? { kind: 'until', ready: gate(question).seen } : { kind: 'wait', ms: 1_200 },
        {
          kind: 'content',
          text: '```ts\nexport function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n```\n\n',
        },
        { kind: 'wait', ms: 1_200 },
        { kind: 'content', text: `Last part. You asked: ${question}` },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    };
  };
}

/** What the chat says when the server refuses the key. */
const REFUSED = 'rejected the API key (401)';

/** The height of a webview on the screen (pixels). */
async function heightOf(frame: Frame): Promise<number> {
  return (await (await frame.frameElement()).boundingBox())!.height;
}

/**
 * Polls `expression` in `frame` until it is true. Not waitForFunction: it evaluates its predicate with `eval` in the
 * page, which the webview's CSP (no 'unsafe-eval') refuses on every check after the first one (the first comes
 * through DevTools), so a wait whose first check was false could only time out.
 */
async function until(frame: Frame, expression: string, what: string): Promise<void> {
  for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline;) {
    if (await frame.evaluate(expression).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (${expression})`);
}

/** Waits until the caret is in `frame`'s question box (its document has the focus). */
async function caretInBox(frame: Frame): Promise<void> {
  await until(frame, `document.hasFocus() && document.activeElement?.id === 'input'`, 'the caret in the question box');
}

/** The accessible name of the control focused in `frame` (its aria-label, else its text). */
async function focusedName(frame: Frame): Promise<string> {
  // (Evaluated in the webview: a string, since this file is type-checked without DOM types.)
  return String(
    await frame.evaluate(`(() => { const e = document.activeElement;
      return (e?.getAttribute('aria-label') ?? e?.textContent ?? '').trim(); })()`),
  );
}

/** Waits for `frame` to show the first part of the answer to `question` without its end, then the end. */
async function watchStream(wb: Workbench, frame: Frame, question: string): Promise<string> {
  const end = `Last part. You asked: ${question}`;
  await wb.waitForText(
    frame,
    `the first part of the answer to "${question}" alone`,
    (t) => t.includes(question) && t.includes('First part of the answer') && !t.includes(end),
  );
  gate(question).open();
  return wb.waitForText(frame, `the whole answer to "${question}"`, (t) => t.includes(end));
}

describe('a person using DeepSeek Repo in VS Code', function () {
  const artifacts = env('E2E_ARTIFACTS');
  const settingsFile = env('E2E_USER_SETTINGS');
  let server: FakeServer;
  // DeepSeek V4's prefix-cache rules bill the fake's requests, so the chips show real cache hits.
  const cache = new CacheModel();
  let browser: BrowserContext;
  let page: Page;
  let wb: Workbench;
  let sidebar: Frame;
  let failedStep: string | undefined;
  const shot = async (name: string) => {
    await page.mouse.move(640, 12); // over the title bar: no hover state or tooltip in the picture
    await page.waitForTimeout(500); // a tooltip already showing takes a moment to go
    await page.screenshot({ path: path.join(artifacts, `ui-${name}.png`) });
  };
  /** A step of the story: fails at once when an earlier step failed. */
  const step = (title: string, fn: () => Promise<void>) =>
    it(title, async () => {
      if (failedStep) throw new Error(`not attempted: the earlier step "${failedStep}" failed`);
      try {
        await fn();
      } catch (e) {
        failedStep = title;
        await page?.screenshot({ path: path.join(artifacts, 'ui-failure.png') }).catch(() => {});
        throw e;
      }
    });

  const firstQuestion = 'Where is greet defined?';
  const sidebarQuestion = 'What does main.ts print?';
  const followUp = 'And what does greet return?';
  const refusedQuestion = 'Is the key still good?';

  before(async () => {
    // Reached by host name: a base URL on this machine (127.0.0.1) would be asked without a key.
    server = await startFakeDeepSeek({
      apiKeys: [API_KEY],
      byHostName: true,
      scenario: slowMarkdownReply([firstQuestion, sidebarQuestion, followUp]),
      billing: (body, output) => cache.bill(body, output),
    });
    updateUserSettings(settingsFile, { 'deepseekRepo.baseUrl': server.url });
    browser = await launchBrowser(env('E2E_PROFILE'));
    page = browser.pages()[0] ?? (await browser.newPage());
    wb = new Workbench(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  step('opens the fixture workspace in VS Code', async () => {
    await page.goto(workbenchUrl(env('E2E_URL'), env('E2E_FOLDER')), { waitUntil: 'domcontentloaded' });
    await wb.ready();
    // The explorer lists the fixture's files.
    await page.locator('.part.sidebar').getByRole('treeitem', { name: 'README.md' }).waitFor({ timeout: EVENT_MS });
  });

  step('F1 → "DeepSeek: Ask About Repository", a question, then the API key when asked', async () => {
    await wb.runCommand('DeepSeek: Ask About Repository');
    await wb.answerInputBox(/Ask About Repository/i, firstQuestion);
    // No key is stored yet: the extension asks for one, masked.
    const keyBox = wb.inputBox(/API Key/i);
    await keyBox.waitFor({ state: 'visible', timeout: EVENT_MS });
    assert.equal(await keyBox.locator('input.input').getAttribute('type'), 'password');
    await wb.answerInputBox(/API Key/i, API_KEY);
  });

  step('the answer streams into the panel, piece by piece', async () => {
    const panel = await wb.webview('panel');
    const text = await watchStream(wb, panel, firstQuestion);
    assert.ok(text.includes('return `Hello, ${name}!`;'), `the code block is not shown as code:\n${text}`);
    assert.equal(await panel.locator('pre code').count(), 1, 'one code block');
    assert.equal(server.chatRequests().length, 1);
    assert.equal(server.chatRequests()[0]!.headers.authorization, `Bearer ${API_KEY}`);
    // The status bar shows what the answer cost and how much of its input came from the cache.
    await page
      .locator('.part.statusbar')
      .getByText(/\$[\d.]+ · \d+% cached/)
      .waitFor({ timeout: EVENT_MS });
    await shot('1-panel-answer');
  });

  step('the sidebar chat answers a question and a follow-up', async () => {
    await wb.openActivity('DeepSeek Repo');
    sidebar = await wb.webview('sidebar');
    for (const question of [sidebarQuestion, followUp]) {
      await sidebar.getByRole('textbox').first().pressSequentially(question, { delay: 5 });
      await page.keyboard.press('Enter');
      await watchStream(wb, sidebar, question);
    }
    // The follow-up was sent with the sidebar conversation before it.
    const last = server.chatRequests().at(-1)!.body!;
    assert.equal(questionOf(last), followUp);
    assert.ok(JSON.stringify(last.messages).includes(sidebarQuestion), 'the follow-up lost the conversation');
    // It only appended to the first request, so DeepSeek bills most of its input as cache hits, and its chip says so.
    const chip = sidebar.locator('.chip').last();
    await chip.filter({ hasText: /\b\d+% cached/ }).waitFor({ timeout: EVENT_MS });
    const billed = cache.billed.at(-1)!;
    assert.ok(
      billed.hitTokens > billed.promptTokens / 2,
      `the follow-up hit ${billed.hitTokens} of ${billed.promptTokens} prompt tokens`,
    );
    assert.match(
      (await chip.textContent()) ?? '',
      new RegExp(`\\b${Math.round((100 * billed.hitTokens) / billed.promptTokens)}% cached`),
    );
    await shot('2-sidebar-follow-up');
  });

  step('DeepSeek: Focus Chat Input (Ctrl+Shift+Alt+A) puts the caret in the chat box from anywhere', async () => {
    // Away from the chat: the Explorer in the side bar, its file tree focused.
    await wb.runCommand('View: Show Explorer');
    await page.locator('.part.sidebar').getByRole('treeitem', { name: 'README.md' }).waitFor({ timeout: EVENT_MS });
    await page.keyboard.press('Control+Shift+Alt+KeyA');
    sidebar = await wb.webview('sidebar');
    await caretInBox(sidebar);
    await page.keyboard.type('typed after the shortcut', { delay: 5 });
    assert.equal(await sidebar.getByRole('textbox').first().inputValue(), 'typed after the shortcut');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  });

  step('looks right in light, dark and high-contrast themes', async () => {
    for (const theme of THEMES) {
      await wb.setColorTheme(theme.label, theme.cssClass);
      await waitForSetting(settingsFile, 'workbench.colorTheme', theme.setting);
      // Both webviews wear the new theme (VS Code sets its class and variables on their <body>).
      for (const frame of [await wb.webview('panel'), sidebar])
        await frame.locator(`body.${theme.webviewClass}`).waitFor({ timeout: EVENT_MS });
      await page.mouse.move(640, 12); // no hover state or tooltip in the pictures
      await page.locator('.part.editor').screenshot({ path: path.join(artifacts, 'themes', `panel-${theme.id}.png`) });
      await page
        .locator('.part.sidebar')
        .screenshot({ path: path.join(artifacts, 'themes', `sidebar-${theme.id}.png`) });
    }
  });

  step(
    'Show Context opens the Context view in the panel: the chat keeps the side bar, and no label is cut',
    async () => {
      // A question the server refuses: its error is what the chat must keep in view.
      server.setScenario(() => ({
        status: 401,
        body: JSON.stringify({ error: { message: 'Authentication Fails', type: 'authentication_error' } }),
      }));
      await sidebar.getByRole('textbox').first().pressSequentially(refusedQuestion, { delay: 5 });
      await page.keyboard.press('Enter');
      await wb.waitForText(sidebar, 'the 401 in the chat', (t) => t.includes(REFUSED));
      server.setScenario(slowMarkdownReply([]));
      const before = await heightOf(sidebar);
      await wb.runCommand('DeepSeek: Show Context');
      await page
        .locator('.part.panel')
        .getByRole('treeitem', { name: /tokens/ })
        .first()
        .waitFor({ timeout: EVENT_MS });
      assert.equal(
        await page.locator('.part.sidebar').getByRole('treeitem').count(),
        0,
        'no Context tree in the side bar',
      );
      assert.ok(Math.abs((await heightOf(sidebar)) - before) < 2, 'the chat kept its height');
      // (Evaluated in the workbench: a string, since this file is type-checked without DOM types.)
      const cut =
        await page.evaluate(`[...document.querySelectorAll('.part.panel .monaco-list-row .monaco-icon-label-container')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent)`);
      assert.deepEqual(cut, [], 'Context labels cut short');
      await shot('7-context-in-panel');
    },
  );

  step('after "Reload Window" the conversation is found in history', async () => {
    const reloaded = page.waitForEvent('framenavigated', {
      predicate: (f) => f === page.mainFrame(),
      timeout: EVENT_MS,
    });
    await wb.runCommand('Developer: Reload Window');
    await reloaded;
    await wb.ready();
    await wb.openActivity('DeepSeek Repo');
    sidebar = await wb.webview('sidebar');
    await wb.waitForText(sidebar, 'the chat to render', (t) => t.trim().length > 0);
    const text = await sidebar.locator('body').innerText();
    if (!text.includes(sidebarQuestion)) {
      // The sidebar starts a new chat after a reload; the conversation is in its history list.
      await sidebar
        .getByRole('button', { name: /history|past conversations/i })
        .first()
        .click();
      await wb.waitForText(sidebar, 'the conversation in the history list', (t) => t.includes(sidebarQuestion));
      await sidebar
        .getByRole('button', { name: new RegExp(`Open “${sidebarQuestion.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”`) })
        .first()
        .click();
    }
    // Opened again: the question and its answer are back in the chat.
    await wb.waitForText(
      sidebar,
      'the reopened conversation',
      (t) => t.includes(sidebarQuestion) && t.includes('Last part.'),
    );
    // The Context view came back in the panel, not over the chat: the conversation's last turn, the 401, is in view.
    await page
      .locator('.part.panel')
      .getByRole('treeitem', { name: /tokens/ })
      .first()
      .waitFor({ timeout: EVENT_MS });
    const error = sidebar.getByText(REFUSED).filter({ visible: true }).last();
    await error.waitFor({ timeout: EVENT_MS });
    const inView = async () => {
      const [box, view] = [await error.boundingBox(), await (await sidebar.frameElement()).boundingBox()];
      return !!box && !!view && box.y >= view.y && box.y + box.height <= view.y + view.height;
    };
    // (The reopened chat renders its older turns in the background, then rests scrolled to its end.)
    for (const end = Date.now() + EVENT_MS; !(await inView()) && Date.now() < end;) await page.waitForTimeout(100);
    assert.ok(await inView(), 'the 401 is out of view');
    // The panel was restored by VS Code and the host replayed its conversation into the fresh webview.
    const panel = await wb.webview('panel');
    await wb.waitForText(
      panel,
      'the restored panel',
      (t) => t.includes(firstQuestion) && t.includes(`Last part. You asked: ${firstQuestion}`),
    );
    // Both webviews draw their icons: the codicon font loads under the CSP after a reload too.
    for (const frame of [sidebar, panel]) {
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
    await shot('3-after-reload');
  });

  step('"Focus on Chat View" puts the caret in the chat box, so typing goes there', async () => {
    await wb.runCommand('View: Focus First Editor Group');
    await wb.runCommand('DeepSeek Repo: Focus on Chat View');
    await caretInBox(sidebar);
    await page.keyboard.type('typed after Focus on Chat View', { delay: 5 });
    assert.equal(await sidebar.getByRole('textbox').first().inputValue(), 'typed after Focus on Chat View');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
  });

  /** The whole window in the light and dark themes, once both webviews wear each. */
  const themeShots = async (name: string) => {
    for (const theme of THEMES.slice(0, 2)) {
      await wb.setColorTheme(theme.label, theme.cssClass);
      await waitForSetting(settingsFile, 'workbench.colorTheme', theme.setting);
      await sidebar.locator(`body.${theme.webviewClass}`).waitFor({ timeout: EVENT_MS });
      await page.mouse.move(640, 12); // no hover state or tooltip in the pictures
      await page.screenshot({ path: path.join(artifacts, 'themes', `${name}-${theme.id}.png`) });
    }
  };
  const editors = () => page.locator('.part.editor');
  /** The change card under the last answer in the sidebar. */
  const card = () => sidebar.locator('.change-set').last();

  step('Apply Edits on an answer opens a diff, and Accept and Reject under the answer in the chat', async () => {
    const edit =
      '<<<<<<< SEARCH\n// E2E_MARKER_GREET: the suites check that this file reaches the request.\n=======\n// ' +
      'Greets loudly.\n>>>>>>> REPLACE\n' +
      '<<<<<<< SEARCH\n  return `Hello, ${name}!`;\n=======\n  return `Hello, ' +
      '${name.toUpperCase()}!`;\n>>>>>>> REPLACE\n';
    server.setScenario(() => ({
      steps: [
        { kind: 'content', text: `Shout it:\n\n\`\`\`ts path=src/greet.ts\n${edit}\`\`\`\n` },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    await sidebar.getByRole('textbox').first().pressSequentially('Make greet shout', { delay: 5 });
    await page.keyboard.press('Enter');
    const apply = sidebar.getByRole('button', { name: 'Apply Edits to src/greet.ts…', exact: true });
    await apply.waitFor({ timeout: EVENT_MS });
    assert.equal(
      await sidebar
        .locator('.code-block')
        .last()
        .getByRole('button', { name: 'Insert at Cursor', exact: true })
        .count(),
      0,
      'an edit block cannot be inserted',
    );
    await apply.click();
    await editors()
      .getByRole('tab', { name: /greet\.ts ↔ DeepSeek proposal/ })
      .waitFor({ timeout: EVENT_MS });
    // The diff shows the one changed line on its right side (its first match may be a hidden copy).
    await editors()
      .locator('.editor.modified')
      .getByText('toUpperCase')
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: EVENT_MS });
    // Accept and Reject are under the answer, in the chat beside the diff; no "Cancel" rejects.
    await card().getByRole('button', { name: 'Accept', exact: true }).waitFor({ timeout: EVENT_MS });
    assert.match(await card().innerText(), /Proposed change\s+src\/greet\.ts\s+\+2\s+−2/);
    assert.equal(await page.getByRole('button', { name: 'Cancel', exact: true }).filter({ visible: true }).count(), 0);
    await shot('4-apply-diff');
  });

  step("the proposal is editable: the diff's arrow takes one change back", async () => {
    const modified = editors().locator('.editor.modified');
    const shout = modified.getByText('toUpperCase').filter({ visible: true }).first();
    await shout.hover();
    const y = (await shout.boundingBox())!.y;
    const arrows = editors().locator('[aria-label="Revert Block"]');
    const distances = await Promise.all(
      (await arrows.all()).map(async (a) => Math.abs(((await a.boundingBox())?.y ?? Infinity) - y)),
    );
    await arrows.nth(distances.indexOf(Math.min(...distances))).click();
    // Gone from the right side's visible lines (the editor keeps hidden copies of rendered lines).
    await modified
      .locator('.view-lines')
      .getByText('return `Hello, ${name}!`;')
      .filter({ visible: true })
      .waitFor({ timeout: EVENT_MS });
    assert.equal(
      await modified.getByText('toUpperCase').filter({ visible: true }).count(),
      0,
      'the reverted change is gone',
    );
    assert.equal(
      await modified.getByText('Greets loudly').filter({ visible: true }).count(),
      1,
      'the other change stays',
    );
    await shot('5-apply-diff-reverted');
  });

  step('the review, in light and dark', () => themeShots('apply-review'));

  step('Accept under the answer applies what the diff shows, and the chat says what was applied', async () => {
    await card().getByRole('button', { name: 'Accept', exact: true }).click();
    await card().getByRole('button', { name: 'Undo', exact: true }).waitFor({ timeout: EVENT_MS });
    assert.match(await card().innerText(), /^Applied\s+src\/greet\.ts\s+\+1\s+−1\s+edited/);
    await editors()
      .getByRole('tab', { name: /^greet\.ts/ })
      .waitFor({ timeout: EVENT_MS });
    await editors().locator('.view-lines').getByText('Greets loudly').first().waitFor({ timeout: EVENT_MS });
    assert.equal(
      await editors().locator('.view-lines').getByText('toUpperCase').filter({ visible: true }).count(),
      0,
      'the reverted change was not applied',
    );
    await editors()
      .getByRole('tab', { name: /DeepSeek proposal/ })
      .waitFor({ state: 'detached', timeout: EVENT_MS });
    // Once files.autoSave (VS Code for the Web's `afterDelay`, pinned for this suite) has saved the file,
    // the edited proposal (changed last before the file was, so its auto save came first) is not
    // reopened as a dirty editor of its own, and no save failed.
    const greet = path.join(env('E2E_FOLDER'), 'src', 'greet.ts');
    await waitForFile(greet, 'auto save to write the accepted edit', (text) => text.includes('Greets loudly'));
    assert.equal(
      await editors()
        .getByRole('tab', { name: /greet\.ts/ })
        .count(),
      1,
      'one greet.ts tab: the file',
    );
    assert.equal(await page.getByText('Failed to save').count(), 0);
    await shot('6-applied');
  });

  step('what was applied, in light and dark', () => themeShots('apply-applied'));

  step('Undo in the chat puts the file back as it was', async () => {
    await card().getByRole('button', { name: 'Undo', exact: true }).click();
    await card()
      .filter({ hasText: /^Undone/ })
      .waitFor({ timeout: EVENT_MS });
    const greet = path.join(env('E2E_FOLDER'), 'src', 'greet.ts');
    await waitForFile(greet, 'Undo to write the file as it was', (text) => text.startsWith('// E2E_MARKER_GREET'));
    await editors()
      .locator('.view-lines')
      .getByText('E2E_MARKER_GREET')
      .filter({ visible: true })
      .first()
      .waitFor({ timeout: EVENT_MS });
    await shot('7-undone');
  });

  step('keyboard only: focus the chat, ask, read, copy a code block, apply, accept, undo, open History', async () => {
    const question = 'Greet with Hi instead';
    const code = '<<<<<<< SEARCH\n  return `Hello, ${name}!`;\n=======\n  return `Hi, ${name}!`;\n>>>>>>> REPLACE\n';
    server.setScenario(() => ({
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
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env('E2E_URL')).origin });
    /** Presses `key` until the chat's focused control is named `name`: the keyboard's way to a button. */
    const pressUntil = async (key: string, name: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press(key);
        seen.push(await focusedName(sidebar));
        if (seen.at(-1) === name) return;
      }
      throw new Error(`${key} never reached "${name}": ${seen.join(' · ')}`);
    };
    /** From wherever the focus is, Ctrl+Shift+Alt+A back into the chat's box. */
    const backToTheBox = async () => {
      await page.keyboard.press('Control+Shift+Alt+KeyA');
      await caretInBox(sidebar);
    };

    // Focus the chat: a new conversation (F1), then from the editor the shortcut puts the caret in the box.
    await wb.runCommandByKeys('DeepSeek: New Chat');
    await wb.runCommandByKeys('View: Focus Active Editor Group');
    await backToTheBox();
    // Ask.
    await page.keyboard.type(question, { delay: 5 });
    await page.keyboard.press('Enter');
    // Read: the answer is told to screen readers once it is complete.
    await sidebar
      .locator('[aria-live="polite"]')
      .filter({ hasText: /Answer ready\./ })
      .waitFor({ timeout: EVENT_MS });
    // Copy a code block: Shift+Tab from the box reaches the newest answer's block first.
    await caretInBox(sidebar);
    await pressUntil('Shift+Tab', 'Copy');
    await page.keyboard.press('Enter');
    let copied = '';
    for (const deadline = Date.now() + EVENT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      copied = String(await page.evaluate('navigator.clipboard.readText()').catch((e: unknown) => String(e)));
      if (copied === code) break;
    }
    assert.equal(copied, code, 'Copy put the block on the clipboard');
    // Apply: Escape goes back to the box, Shift+Tab to the block's Apply Edits; Enter opens the proposal.
    await page.keyboard.press('Escape');
    await caretInBox(sidebar);
    await pressUntil('Shift+Tab', 'Apply Edits to src/greet.ts…');
    await page.keyboard.press('Enter');
    await editors()
      .getByRole('tab', { name: /greet\.ts ↔ DeepSeek proposal/ })
      .waitFor({ timeout: EVENT_MS });
    await card().getByRole('button', { name: 'Accept', exact: true }).waitFor({ timeout: EVENT_MS });
    // Accept: back in the chat (the diff has the focus), Shift+Tab reaches Accept under the answer.
    await backToTheBox();
    await pressUntil('Shift+Tab', 'Accept');
    // The edits as a diff in the chat, the proposal beside it, the focus on Accept.
    await themeShots('keyboard-accept');
    await backToTheBox(); // the theme picker took the focus
    await pressUntil('Shift+Tab', 'Accept');
    await page.keyboard.press('Enter');
    await card().getByRole('button', { name: 'Undo', exact: true }).waitFor({ timeout: EVENT_MS });
    await waitForFile(greet, 'Accept to write the change', (text) => text.includes('return `Hi, ${name}!`;'));
    // Undo, the same way.
    await backToTheBox();
    await pressUntil('Shift+Tab', 'Undo');
    await page.keyboard.press('Enter');
    await card()
      .filter({ hasText: /^Undone/ })
      .waitFor({ timeout: EVENT_MS });
    await waitForFile(greet, 'Undo to put the file back', (text) => text === before);
    // Open History (F1 → DeepSeek: Show Chat History): the newest conversation has the focus; Enter opens it.
    await wb.runCommandByKeys('DeepSeek: Show Chat History');
    await until(sidebar, `document.activeElement?.classList.contains('history-open')`, 'the newest entry focused');
    assert.ok((await focusedName(sidebar)).startsWith(question), `History focused: ${await focusedName(sidebar)}`);
    await shot('8-keyboard-history');
    await page.keyboard.press('Enter');
    await wb.waitForText(sidebar, 'the conversation reopened', (t) => t.includes(question) && t.includes('Say hi:'));
    await caretInBox(sidebar);
  });

  step('an editor command shows what was asked, its file as a chip, the prompt behind a disclosure', async () => {
    server.setScenario(() => ({
      steps: [
        { kind: 'content', text: '`greet` builds the greeting that `main.ts` prints.' },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    await editors()
      .getByRole('tab', { name: /^greet\.ts/ })
      .click();
    await wb.runCommand('DeepSeek: Explain File');
    // Its answer opens in a panel tab of its own; find the panel webview that shows it.
    let shown: Frame | undefined;
    for (const deadline = Date.now() + EVENT_MS; !shown && Date.now() < deadline; await page.waitForTimeout(250))
      for (const frame of page.frames()) {
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
      await wb.setColorTheme(theme.label, theme.cssClass);
      await waitForSetting(settingsFile, 'workbench.colorTheme', theme.setting);
      await shown.locator(`body.${theme.webviewClass}`).waitFor({ timeout: EVENT_MS });
      await page.mouse.move(640, 12);
      await page.screenshot({ path: path.join(artifacts, 'themes', `editor-command-${theme.id}.png`) });
    }
  });
});
