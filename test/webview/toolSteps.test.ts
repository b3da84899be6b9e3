// Act mode in the real app (dist/webview/app.js) under the extension's CSP: the composer's mode
// switch (hidden in Restricted Mode, posts the choice), and an agent turn's tool calls as compact,
// collapsible steps, live (running, then done with files, exit code and output) and from a replayed
// transcript; what a step shows is text, never markup.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { CONFIG, clearPosted, host, posted } from './appDriver';
import { appPage } from './appPage';

const pressed = (page: Page, name: string) =>
  page.getByRole('button', { name, exact: true }).getAttribute('aria-pressed');

describe('webview act mode in Chromium (real bundle, real CSP)', function () {
  const app = appPage({ open: {} });
  let page: Page;
  beforeEach(() => (page = app.page));

  it('the mode switch shows the host’s mode, posts a change, and is absent in Restricted Mode', async () => {
    await host(page, { type: 'init', surface: 'panel', config: { ...CONFIG, act: false } });
    assert.equal(await pressed(page, 'Ask'), 'true');
    assert.equal(await pressed(page, 'Act'), 'false');
    await clearPosted(page);
    await page.getByRole('button', { name: 'Act', exact: true }).click();
    assert.deepEqual(await posted(page), [{ type: 'setMode', act: true }]);
    assert.equal(await pressed(page, 'Act'), 'true');
    await host(page, { type: 'config', config: { ...CONFIG, trusted: false, act: true } });
    assert.equal(await page.locator('.mode-switch').isHidden(), true);
  });

  it('shows each tool call as a step: running, then done with its files, exit code and output', async () => {
    await host(page, { type: 'init', surface: 'panel', config: { ...CONFIG, act: true } });
    await host(page, { type: 'turnStart', requestId: 'r1', index: 0, question: 'Fix the constants' });
    await host(page, { type: 'contentDelta', requestId: 'r1', text: 'Let me look. ' });
    await host(page, {
      type: 'toolStep',
      requestId: 'r1',
      step: { id: 'c1', name: 'run_command', label: '$ npm test <img src=x onerror=alert(1)>' },
    });
    const step = page.locator('.tool-step').first();
    assert.equal(await step.getAttribute('data-state'), 'running');
    assert.equal(await step.locator('.tool-step-label').innerText(), '$ npm test <img src=x onerror=alert(1)>');
    assert.equal(await page.locator('.tool-step img').count(), 0, 'a label is text');
    await host(page, {
      type: 'toolStep',
      requestId: 'r1',
      step: {
        id: 'c1',
        name: 'run_command',
        label: '$ npm test',
        ok: false,
        summary: '`npm test`: exit code 1',
        exitCode: 1,
        output: 'FAIL src/a.test.ts\n',
      },
    });
    await host(page, {
      type: 'toolStep',
      requestId: 'r1',
      step: {
        id: 'c2',
        name: 'edit_files',
        label: 'edit src/a.ts, src/b.ts',
        ok: false,
        summary: '2 files: 1 applied, 1 rejected',
        files: [
          { path: 'src/a.ts', state: 'applied' },
          { path: 'src/b.ts', state: 'rejected' },
        ],
      },
    });
    assert.equal(await page.locator('.tool-step').count(), 2, 'a finished call replaces its running step');
    assert.equal(await step.getAttribute('data-state'), 'failed');
    assert.equal(await page.locator('.tool-step-output').first().isVisible(), false, 'collapsed');
    await step.locator('summary').click();
    assert.equal((await page.locator('.tool-step-output').first().innerText()).trimEnd(), 'FAIL src/a.test.ts');
    assert.match(await step.innerText(), /exit code 1/);
    const files = await page.locator('.tool-step').nth(1).locator('li').allTextContents();
    assert.deepEqual(files, ['src/a.ts applied', 'src/b.ts rejected']);
    assert.equal(await page.getByRole('button', { name: /Undo the changes/ }).count(), 0, 'not while it runs');
    await host(page, { type: 'end', requestId: 'r1', outcome: 'complete', conversationId: 'conv1' });
    await clearPosted(page);
    await page.getByRole('button', { name: 'Undo the changes this turn made to files' }).click();
    assert.deepEqual(await posted(page), [{ type: 'undoTurn', index: 0 }]);
  });

  it('a replayed agent turn shows its steps', async () => {
    await host(page, { type: 'init', surface: 'panel', config: { ...CONFIG, act: true } });
    await host(page, {
      type: 'replay',
      conversation: {
        id: 'conv1',
        title: 'Fix',
        turns: [
          {
            question: 'Fix',
            answer: 'Done.',
            reasoning: '',
            outcome: 'complete',
            steps: [
              { id: 'c1', name: 'read_files', label: 'read src/a.ts', ok: true, summary: 'read src/a.ts (12 tokens)' },
              { id: 'c2', name: 'get_problems', label: 'problems in the workspace', ok: true, summary: 'no problems' },
            ],
          },
        ],
      },
    });
    assert.deepEqual(await page.locator('.tool-step-label').allInnerTexts(), [
      'read src/a.ts',
      'problems in the workspace',
    ]);
    assert.match(await page.locator('.answer').first().innerText(), /Done\./);
  });

  it('an edit the turn stopped mid-review replays as not applied, not rejected, and offers no Undo', async () => {
    await host(page, { type: 'init', surface: 'panel', config: { ...CONFIG, act: true } });
    await host(page, {
      type: 'replay',
      conversation: {
        id: 'conv2',
        title: 'Reword',
        turns: [
          {
            question: 'Reword',
            answer: '',
            reasoning: '',
            outcome: 'cancelled',
            message: 'Stopped.',
            steps: [
              {
                id: 'c1',
                name: 'edit_files',
                label: 'edit src/greet.ts',
                ok: false,
                summary: '1 file: 1 not applied (the turn stopped)',
                files: [{ path: 'src/greet.ts', state: 'stopped' }],
              },
            ],
          },
        ],
      },
    });
    const step = page.locator('.tool-step');
    assert.equal(await step.getAttribute('data-state'), 'failed');
    await step.locator('summary').click();
    assert.deepEqual(await step.locator('li').allTextContents(), ['src/greet.ts not applied: the turn stopped']);
    assert.equal(await step.locator('li[data-state="rejected"]').count(), 0);
    assert.equal(await page.getByRole('button', { name: /Undo the changes/ }).count(), 0, 'nothing was written');
  });
});
