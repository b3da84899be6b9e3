// Opens the code-server workbench in Chromium for the drivers (the in-host runner and the UI suite):
// one headless Chromium with a profile inside the run folder, the environment run.sh hands over, and
// the workbench URL with an optional `payload` (how VS Code's web workbench receives
// extensionDevelopmentPath / extensionTestsPath).
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { EVENT_MS } from '../shared/patience';

/** Reads a variable run.sh must have set; fails loudly otherwise. */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests with \`npm run test:e2e\``);
  return value;
}

/** Launches Chromium (E2E_CHROMIUM) with a fresh profile in `profileDir`, 1280×800; every Playwright wait
 *  (navigation, clicks, locators without their own limit) gives up only after EVENT_MS. */
export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  // Playwright refuses --user-data-dir in args: the profile goes through launchPersistentContext.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: env('E2E_CHROMIUM'),
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--password-store=basic',
    ],
  });
  context.setDefaultTimeout(EVENT_MS);
  context.setDefaultNavigationTimeout(EVENT_MS);
  return context;
}

/** The workbench URL opening `folder`, with `payload` entries as VS Code's web workbench reads them. */
export function workbenchUrl(baseUrl: string, folder: string, payload: [string, string][] = []): string {
  const url = new URL(baseUrl);
  url.searchParams.set('folder', path.resolve(folder));
  if (payload.length) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** A `vscode-remote://` URI for a path on the machine code-server runs on. */
export function remoteUri(baseUrl: string, file: string): string {
  return `vscode-remote://${new URL(baseUrl).host}${path.resolve(file)}`;
}
