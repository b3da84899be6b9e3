// Act mode as a person sees it, in the installed .vsix (runs after story.test.ts, whose first question
// stored the API key): the composer's Ask / Act switch, a New Chat, a scripted agent task whose tool
// calls show as steps in the sidebar, the command asked about in VS Code's own dialog, and the edit
// opened for review. Then "Reload Window" in the middle of that review: the steps come back from the
// history, the turn ended as stopped, the edit that awaited review was neither applied nor counted
// as accepted or rejected (the step says "not applied: the turn stopped"; the model is told it was
// not applied), and the restored diff of the proposal, gone with the old window, is closed instead of
// showing an error.
// Screenshots of the steps in the light and dark themes go to $E2E_ARTIFACTS/themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { agentScenario } from '../../fake-server/agentScenario';
import { CacheModel } from '../../fake-server/cacheModel';
import { type ChatBody, type FakeServer } from '../../fake-server/server';
import { env } from '../driver/browser';
import { EVENT_MS } from '../shared/patience';
import { stepper, themeShots } from './steps';
import { Workbench, openUiSession } from './workbench';

const QUESTION = 'Reword the marker comment in greet.ts, then check that main still runs';
const COMMAND = 'node -e "console.log(\'greet checks pass\')"';
const MARKER = '// E2E_MARKER_GREET: the suites check that this file reaches the request.';

/** What the tool messages of a request told the model, in order. */
const toolTexts = (body: ChatBody) => body.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? '');

const task = agentScenario((body, step) => {
  switch (step) {
    case 0:
      return {
        content: 'Reading greet and where it is called.',
        calls: [
          { name: 'read_files', args: { paths: ['src/greet.ts'] } },
          { name: 'search', args: { pattern: 'greet\\(', path: 'src' } },
        ],
      };
    case 1:
      return { calls: [{ name: 'run_command', args: { command: COMMAND } }] };
    case 2:
      return { calls: [{ name: 'get_problems', args: { paths: ['src/greet.ts'] } }] };
    case 3:
      return {
        content: 'Now the comment.',
        calls: [
          { name: 'edit_files', args: { edits: [{ path: 'src/greet.ts', search: MARKER, replace: '// Greets.' }] } },
        ],
      };
    default:
      return { content: `Done: the last result said ${JSON.stringify(toolTexts(body).at(-1)?.slice(0, 80))}` };
  }
});

describe('act mode in the sidebar, and a reload in the middle of a turn', function () {
  const artifacts = env('E2E_ARTIFACTS');
  const settingsFile = env('E2E_USER_SETTINGS');
  const greet = path.join(env('E2E_FOLDER'), 'src', 'greet.ts');
  const cache = new CacheModel();
  let server: FakeServer;
  let browser: BrowserContext;
  let page: Page;
  let wb: Workbench;
  let sidebar: Frame;
  let original: Buffer;
  let requestsBeforeReload = 0;

  /** A step of the story: fails at once when an earlier step failed. */
  const step = stepper({ page: () => page, artifacts, failureShot: 'ui-act-failure.png' });
  /** The whole window in the light and dark themes, once the sidebar wears each. */
  const shots = (name: string) => themeShots({ wb, page, sidebar, settingsFile, artifacts }, name);

  const steps = () => sidebar.locator('.tool-step');
  /** Each step's tool and state (`running`, `ok`, `failed`), in order. */
  const stepStates = async () => {
    const out: string[] = [];
    for (const s of await steps().all())
      out.push(`${await s.getAttribute('data-tool')}:${await s.getAttribute('data-state')}`);
    return out;
  };
  const accept = () => sidebar.locator('.change-set').getByRole('button', { name: 'Accept', exact: true });

  before(async () => {
    ({ server, browser, page, wb } = await openUiSession({ scenario: task, cache, settingsFile }));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  step('Act in the composer, a New Chat, and each tool call shows as a step while the turn runs', async () => {
    sidebar = await wb.openSidebar();
    const act = sidebar.getByRole('button', { name: 'Act', exact: true });
    await act.click();
    await sidebar.locator('.mode-option[aria-label="Act"][aria-pressed="true"]').waitFor({ timeout: EVENT_MS });
    await wb.newChat(sidebar);
    original = fs.readFileSync(greet);
    assert.ok(original.toString('utf8').startsWith(MARKER), 'the fixture as the story left it');
    await wb.send(sidebar, QUESTION);

    // The command is asked about in VS Code's own dialog, shown as it will run.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: EVENT_MS });
    assert.match(await dialog.innerText(), /DeepSeek wants to run a command[\s\S]*greet checks pass/);
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();

    // The edit opens for review: the card under the turn, the diff in the editor, nothing written yet.
    await accept().waitFor({ timeout: EVENT_MS });
    await page
      .locator('.part.editor')
      .getByRole('tab', { name: /greet\.ts ↔ DeepSeek proposal/ })
      .waitFor({ timeout: EVENT_MS });
    assert.deepEqual(await stepStates(), [
      'read_files:ok',
      'search:ok',
      'run_command:ok',
      'get_problems:ok',
      'edit_files:running',
    ]);
    assert.ok(fs.readFileSync(greet).equals(original), 'nothing written before Accept');
    // The command's step opened: its exit code and output are in the picture.
    await steps().nth(2).locator('summary').click();
    await sidebar.getByText('greet checks pass').first().waitFor({ timeout: EVENT_MS });
    await shots('act-steps');
  });

  step('after "Reload Window" mid-review the steps come back; the edit is neither applied nor accepted', async () => {
    requestsBeforeReload = server.chatRequests().length;
    assert.equal(requestsBeforeReload, 4, 'four requests: the question and three tool steps');
    await wb.reloadWindow();
    await wb.openActivity('DeepSeek Repo');
    sidebar = await wb.webview('sidebar');
    // Opened from the history list (whether or not the sidebar shows it already).
    // The history button toggles the list, which may be showing already: click until the entry shows.
    const entry = sidebar.locator('.history-item').filter({ hasText: QUESTION }).locator('.history-open');
    for (let tries = 0; !(await entry.isVisible()) && tries < 4; tries++) {
      await sidebar.getByRole('button', { name: 'Past conversations', exact: true }).click();
      await entry.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    }
    await entry.click();
    await wb.waitForText(sidebar, 'the reopened turn', (t) => t.includes(QUESTION) && t.includes('Stopped.'));
    // Every step as it ran; the review the old window held ended with it: the edit was not applied.
    assert.deepEqual(await stepStates(), [
      'read_files:ok',
      'search:ok',
      'run_command:ok',
      'get_problems:ok',
      'edit_files:failed',
    ]);
    // Not applied because the window went before a decision; the user rejected nothing, and the step does not say so.
    const edited = steps().nth(4);
    assert.equal(await edited.locator('li[data-state="stopped"]').count(), 1, 'the file: not applied, turn stopped');
    assert.equal(await edited.locator('li[data-state="rejected"]').count(), 0, 'the user rejected nothing');
    assert.equal(await edited.locator('summary').getAttribute('title'), '1 file: 1 not applied (the turn stopped)');
    // No half state: the file as it was, nothing left to accept, no diff of a proposal that is gone, nothing sent.
    assert.ok(fs.readFileSync(greet).equals(original), 'the edit under review was not written');
    assert.equal(await accept().count(), 0, 'no Accept left for a review that ended with the window');
    await page
      .locator('.part.editor')
      .getByRole('tab', { name: /DeepSeek proposal/ })
      .first()
      .waitFor({ state: 'detached', timeout: EVENT_MS });
    assert.equal(server.chatRequests().length, requestsBeforeReload, 'nothing was sent after the reload');
    await steps().nth(4).locator('summary').click();
    await shots('act-after-reload');
  });
});
