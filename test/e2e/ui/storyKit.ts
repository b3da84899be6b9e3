// The UI story's shared state and helpers: the fake DeepSeek server its answers come from (some held
// back until the story has seen their first part), the browser on the workbench, the sidebar's webview,
// screenshots, and `step`, which fails at once once an earlier step failed. The story's parts run in
// order against this one state (story.test.ts registers them).
import * as path from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { CacheModel } from '../../fake-server/cacheModel';
import { type ChatBody, type FakeServer, type Reply } from '../../fake-server/server';
import { env } from '../driver/browser';
import { stepper, themeShots } from './steps';
import { UI_API_KEY, Workbench, openUiSession } from './workbench';
export { until, caretInBox } from './waits';
import type { Locator } from 'playwright-core';

export const API_KEY = UI_API_KEY;
export { THEMES } from './steps';

/** The question in a chat request: the last line of the last user message. */
export function questionOf(body: ChatBody): string {
  const last = body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return last.trim().split('\n').at(-1) ?? '';
}

/** One gate per watched question: its answer holds back after the first part until the story opens the
 *  gate, having seen that part alone, whatever the machine's speed. */
export const gates = new Map<string, { seen: Promise<void>; open: () => void }>();
export function gate(question: string): { seen: Promise<void>; open: () => void } {
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
export function slowMarkdownReply(watched: readonly string[]) {
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
export const REFUSED = 'rejected the API key (401)';

/** The height of a webview on the screen (pixels). */
export async function heightOf(frame: Frame): Promise<number> {
  return (await (await frame.frameElement()).boundingBox())!.height;
}

/** The accessible name of the control focused in `frame` (its aria-label, else its text). */
export async function focusedName(frame: Frame): Promise<string> {
  // (Evaluated in the webview: a string, since this file is type-checked without DOM types.)
  return String(
    await frame.evaluate(`(() => { const e = document.activeElement;
      return (e?.getAttribute('aria-label') ?? e?.textContent ?? '').trim(); })()`),
  );
}

/** Waits for `frame` to show the first part of the answer to `question` without its end, then the end. */
export async function watchStream(wb: Workbench, frame: Frame, question: string): Promise<string> {
  const end = `Last part. You asked: ${question}`;
  await wb.waitForText(
    frame,
    `the first part of the answer to "${question}" alone`,
    (t) => t.includes(question) && t.includes('First part of the answer') && !t.includes(end),
  );
  gate(question).open();
  return wb.waitForText(frame, `the whole answer to "${question}"`, (t) => t.includes(end));
}

/** The story's state, shared by its parts; `sidebar` is set by the step that opens it. */
export interface Story {
  readonly artifacts: string;
  readonly settingsFile: string;
  server: FakeServer;
  /** DeepSeek V4's prefix-cache rules bill the fake's requests, so the chips show real cache hits. */
  readonly cache: CacheModel;
  browser: BrowserContext;
  page: Page;
  wb: Workbench;
  sidebar: Frame;
  readonly firstQuestion: string;
  readonly sidebarQuestion: string;
  readonly followUp: string;
  readonly refusedQuestion: string;
  /** A picture of the whole window, $E2E_ARTIFACTS/ui-`name`.png. */
  shot(name: string): Promise<void>;
  /** A step of the story: fails at once when an earlier step failed. */
  step(title: string, fn: () => Promise<void>): void;
  /** The whole window in the light and dark themes, once both webviews wear each. */
  themeShots(name: string): Promise<void>;
  editors(): Locator;
  /** The change card under the last answer in the sidebar. */
  card(): Locator;
}

/** Registers the calling describe block's before and after hooks; returns the story's state. */
export function storyKit(): Story {
  const s = {
    artifacts: env('E2E_ARTIFACTS'),
    settingsFile: env('E2E_USER_SETTINGS'),
    cache: new CacheModel(),
    firstQuestion: 'Where is greet defined?',
    sidebarQuestion: 'What does main.ts print?',
    followUp: 'And what does greet return?',
    refusedQuestion: 'Is the key still good?',
  } as Story;
  s.shot = async (name: string) => {
    await s.page.mouse.move(640, 12); // over the title bar: no hover state or tooltip in the picture
    await s.page.waitForTimeout(500); // a tooltip already showing takes a moment to go
    await s.page.screenshot({ path: path.join(s.artifacts, `ui-${name}.png`) });
  };
  /** A step of the story: fails at once when an earlier step failed. */
  s.step = stepper({ page: () => s.page, artifacts: s.artifacts, failureShot: 'ui-failure.png' });

  before(async () => {
    Object.assign(
      s,
      await openUiSession({
        scenario: slowMarkdownReply([s.firstQuestion, s.sidebarQuestion, s.followUp]),
        cache: s.cache,
        settingsFile: s.settingsFile,
      }),
    );
  });
  after(async () => {
    await s.browser?.close();
    await s.server?.close();
  });

  /** The whole window in the light and dark themes, once both webviews wear each. */
  s.themeShots = (name: string) => themeShots(s, name);
  s.editors = () => s.page.locator('.part.editor');
  /** The change card under the last answer in the sidebar. */
  s.card = () => s.sidebar.locator('.change-set').last();
  return s;
}
