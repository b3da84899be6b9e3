// The browser tests' shared boot: one Chromium harness for a describe block and one app page for each
// test, checked when the test ends (no CSP violation, nothing requested remotely, no dialog) and closed.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { HostToWebview } from '../../src/protocol/messages';
import { clearPosted, host, violations } from './appDriver';
import { startHarness, type Harness } from './harness';

type OpenOptions = NonNullable<Parameters<Harness['openApp']>[0]>;

export interface AppPage {
  /** The describe block's harness (started before its first test, closed after its last). */
  readonly harness: Harness;
  /** The running test's page: opened before the test (`open` given to appPage) or by it (`open()`). */
  readonly page: Page;
  /** Opens the running test's page; it is checked and closed when the test ends. */
  open(options?: OpenOptions): Promise<Page>;
}

export interface AppBoot {
  /** Opens each test's page before the test with these options; absent, each test calls `open()` itself. */
  open?: OpenOptions;
  /** Host messages sent once the page is open (an init, a replay); what the app posted until then is cleared. */
  messages?: (HostToWebview | Record<string, unknown>)[];
}

/** Registers the hooks of the calling describe block that give each test a checked app page. */
export function appPage(boot: AppBoot = {}): AppPage {
  let harness: Harness | undefined;
  let page: Page | undefined;
  const app: AppPage = {
    get harness() {
      assert.ok(harness, 'the harness starts before the first test');
      return harness;
    },
    get page() {
      assert.ok(page, 'no page is open in this test');
      return page;
    },
    async open(options) {
      page = await app.harness.openApp(options);
      return page;
    },
  };
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());
  beforeEach(async () => {
    if (!boot.open) return;
    const opened = await app.open(boot.open);
    if (!boot.messages?.length) return;
    await host(opened, ...boot.messages);
    await clearPosted(opened);
  });
  afterEach(async () => {
    if (!page) return;
    const done = page;
    page = undefined;
    assert.deepEqual(await violations(done), [], 'CSP violations');
    assert.deepEqual(app.harness.remoteRequests, [], 'remote requests or dialogs');
    await done.close();
  });
  return app;
}
