// npm run screenshots:webview: the app in the harness, as the panel (wide) and the sidebar
// (narrow), in light, dark and high-contrast variable sets, with a streamed answer (thinking,
// chip, list, table, highlighted code with its actions), the change cards Apply shows under an
// answer, an agent turn's steps in act mode, SEARCH/REPLACE edits as a diff, and the empty state. Writes PNGs to
// test/webview/screenshots/. Real-VS-Code screenshots come from the e2e suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG, SAMPLE_ANSWER, frame, host } from './appDriver';
import { startHarness, type Harness } from './harness';
import { mentionScreenshots } from './mentionShots';
import type { THEMES } from './themes';

const OUT = path.join(__dirname, 'screenshots');

const EDITS_ANSWER = [
  'Here is the change to `src/flask/__init__.py` that adds a module docstring:',
  '',
  '```python path=src/flask/__init__.py',
  '<<<<<<< SEARCH',
  'from . import json as json',
  '=======',
  '"""Flask: a lightweight WSGI web application framework."""',
  '',
  'from . import json as json',
  '>>>>>>> REPLACE',
  '<<<<<<< SEARCH',
  'def hello():',
  '    return "Hello, World!"',
  '=======',
  'def hello() -> str:',
  '    """Says hello; used by the quickstart and by tests/test_basic.py."""',
  '    return "Hello, World!"',
  '>>>>>>> REPLACE',
  '```',
  '',
  'Apply it, or copy the edits as they are.',
].join('\n');

/** Opens the sidebar `width` x `height` px, replays `conversation` in it and writes `${name}-${theme}.png`. */
async function replayShot(
  harness: Harness,
  shot: {
    theme: keyof typeof THEMES;
    name: string;
    width: number;
    height: number;
    conversation: Record<string, unknown>;
  },
): Promise<void> {
  const { theme, name, width, height, conversation } = shot;
  const page = await harness.openApp({ theme, surface: 'sidebar', width, height });
  await host(page, { type: 'init', surface: 'sidebar', config: CONFIG }, { type: 'replay', conversation });
  await frame(page);
  await page.screenshot({ path: path.join(OUT, `${name}-${theme}.png`) });
  await page.close();
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const harness = await startHarness();
  try {
    for (const theme of ['light', 'dark', 'hc'] as const) {
      for (const surface of ['panel', 'sidebar'] as const) {
        const page = await harness.openApp({ theme, surface, width: surface === 'panel' ? 760 : 380, height: 900 });
        await host(page, { type: 'init', surface, config: CONFIG });
        await host(
          page,
          {
            type: 'turnStart',
            requestId: 'a',
            index: 0,
            question: 'How does the packer decide which files go in whole?',
          },
          {
            type: 'context',
            requestId: 'a',
            summary: {
              files: 214,
              tokens: 812_400,
              outlined: 12,
              excluded: 57,
              redactions: 2,
              predictedHitTokens: 800_000,
              estimatedCostUsd: 0.04,
            },
          },
          {
            type: 'reasoningDelta',
            requestId: 'a',
            text: 'The user asks about ranking. pack.ts ranks files by relevance, then fills the budget…',
          },
          { type: 'contentDelta', requestId: 'a', text: SAMPLE_ANSWER },
          {
            type: 'usage',
            requestId: 'a',
            usage: {
              promptTokens: 812_900,
              cacheHitTokens: 800_000,
              cacheMissTokens: 12_900,
              completionTokens: 700,
              reasoningTokens: 200,
              costUsd: 0.0285,
              model: 'deepseek-v4-pro',
            },
          },
          { type: 'end', requestId: 'a', outcome: 'complete' },
        );
        await host(
          page,
          { type: 'turnStart', requestId: 'b', index: 1, question: 'And outlines?' },
          { type: 'reasoningDelta', requestId: 'b', text: 'Outlines keep signatures only: ' },
        );
        await page.locator('#input').fill('Show me where the budget is computed');
        await frame(page);
        await page.waitForTimeout(200);
        await page.screenshot({ path: path.join(OUT, `${surface}-${theme}.png`) });
        if (surface === 'sidebar') {
          // VS Code's default side bar width: the composer's controls stay on one row.
          await page.setViewportSize({ width: 300, height: 900 });
          await frame(page);
          await page.screenshot({ path: path.join(OUT, `sidebar-narrow-${theme}.png`) });
        }
        await page.close();
      }
      // Changes proposed from answers (Apply): under review, applied with Undo, several files, undone, and
      // one the turn stopped before a decision.
      const changes = await harness.openApp({ theme, surface: 'sidebar', width: 380, height: 1300 });
      await host(changes, { type: 'init', surface: 'sidebar', config: CONFIG });
      const file = { path: 'src/flask/__init__.py', added: 3, removed: 0, note: 'adds `hello` at the end' };
      const turns = [
        { status: 'reviewing', files: [{ ...file, state: 'proposed' }] },
        { status: 'applied', files: [{ ...file, state: 'accepted' }] },
        {
          status: 'reviewing',
          files: [
            { path: 'src/context/pack.ts', state: 'proposed', added: 12, removed: 4, note: 'replaces `packFiles`' },
            { path: 'src/context/budget.test.ts', state: 'rejected', added: 30, removed: 0, created: true },
          ],
        },
        {
          status: 'undone',
          files: [{ ...file, state: 'accepted' }],
          message: 'src/flask/__init__.py is back as before.',
        },
        // The turn stopped (Stop, a reload) before the user decided.
        { status: 'stopped', files: [{ ...file, state: 'proposed' }] },
      ] as const;
      for (const [i, c] of turns.entries()) {
        await host(
          changes,
          { type: 'turnStart', requestId: `c${i}`, index: i, question: `Change ${i + 1}` },
          { type: 'contentDelta', requestId: `c${i}`, text: 'Here is the change.' },
          { type: 'end', requestId: `c${i}`, outcome: 'complete' },
          { type: 'changes', turn: i, changes: { id: `set${i}`, title: 't', ...c, files: [...c.files] } },
        );
      }
      await changes.waitForTimeout(200);
      await changes.screenshot({ path: path.join(OUT, `changes-${theme}.png`) });
      await changes.close();
      // Act mode: an agent turn's steps (a read, a change set with one file left out, a command with its
      // output opened, problems) and the change card under the turn; the composer's switch on Act.
      const act = await harness.openApp({ theme, surface: 'sidebar', width: 380, height: 1000 });
      await host(act, { type: 'init', surface: 'sidebar', config: { ...CONFIG, act: true } });
      const steps = [
        { id: 's1', name: 'read_files', label: 'read src/agent-a.ts', ok: true, summary: '1 file read (48 tokens)' },
        {
          id: 's2',
          name: 'edit_files',
          label: 'edit src/agent-a.ts, src/agent-b.ts',
          ok: false,
          summary: '2 files: 1 applied, 1 rejected',
          files: [
            { path: 'src/agent-a.ts', state: 'applied' },
            { path: 'src/agent-b.ts', state: 'rejected' },
          ],
        },
        {
          id: 's3',
          name: 'run_command',
          label: '$ npm test',
          ok: true,
          summary: 'exit code 0',
          exitCode: 0,
          output: '> demo@1.0.0 test\n> mocha\n\n  12 passing (41ms)\n',
        },
        { id: 's4', name: 'get_problems', label: 'problems in src/agent-a.ts', ok: true, summary: 'no problems' },
      ];
      await host(
        act,
        { type: 'turnStart', requestId: 'g', index: 0, question: 'Rename alpha to alphaValue, then run the tests' },
        { type: 'contentDelta', requestId: 'g', text: 'Reading the file first.' },
        ...steps.map((step) => ({ type: 'toolStep', requestId: 'g', step })),
        { type: 'contentDelta', requestId: 'g', text: 'Done: `alpha` is `alphaValue`; the tests pass.' },
        { type: 'end', requestId: 'g', outcome: 'complete' },
        {
          type: 'changes',
          turn: 0,
          changes: {
            id: 'agent-set',
            title: "DeepSeek's edits (2 files)",
            status: 'applied',
            files: [
              { path: 'src/agent-a.ts', state: 'accepted', added: 1, removed: 1 },
              { path: 'src/agent-b.ts', state: 'rejected', added: 1, removed: 1 },
            ],
          },
        },
      );
      for (const open of [1, 2]) await act.locator('.tool-step summary').nth(open).click();
      await act.waitForTimeout(200);
      await act.screenshot({ path: path.join(OUT, `act-${theme}.png`) });
      await act.close();
      // SEARCH/REPLACE edits at the sidebar's width: a compact diff with the file name.
      await replayShot(harness, {
        theme,
        name: 'edits',
        width: 340,
        height: 560,
        conversation: {
          title: 'Add a module docstring',
          turns: [{ question: 'Add a module docstring', answer: EDITS_ANSWER, reasoning: '', outcome: 'complete' }],
        },
      });
      // An editor command's question: what was asked, its files, the prompt folded away.
      await replayShot(harness, {
        theme,
        name: 'task',
        width: 340,
        height: 420,
        conversation: {
          title: 'Review uncommitted changes · 2 files',
          turns: [
            {
              question:
                'Review these uncommitted changes (staged and unstaged)…\n\n```diff\n+DEFAULT_TIMEOUT = None\n```',
              shown: {
                text: 'Review uncommitted changes · 2 files',
                files: ['src/flask/views.py', '.deepseekignore'],
              },
              answer: '`src/flask/views.py:15` — **risk** — `DEFAULT_TIMEOUT` is never read: remove it.',
              reasoning: '',
              outcome: 'complete',
              usage: {
                promptTokens: 294_100,
                cacheHitTokens: 265_000,
                cacheMissTokens: 29_100,
                completionTokens: 300,
                costUsd: 0.03,
              },
            },
          ],
        },
      });
      const empty = await harness.openApp({ theme, surface: 'sidebar', width: 380, height: 600 });
      await host(empty, { type: 'init', surface: 'sidebar', config: { ...CONFIG, hasKey: false } });
      await empty.locator('#input').focus();
      await empty.waitForTimeout(150);
      await empty.screenshot({ path: path.join(OUT, `empty-${theme}.png`) });
      await empty.close();
      await mentionScreenshots(harness, theme, OUT);
    }
    console.log(
      `screenshots in ${path.relative(process.cwd(), OUT)}; remote requests: ${harness.remoteRequests.length}`,
    );
  } finally {
    await harness.close();
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
