// Runs one bundle of mocha suites INSIDE the real extension host of a running code-server, the way VS
// Code's own browser integration tests do: the workbench URL's `payload` names the extension under
// development and the test module; the extension host runs the module's run() and exits, and the
// workbench reports the exit code through window.codeAutomationExit (code-server must run with
// `--vscode-option enable-smoke-test-driver`). The extension host's console (mocha's output) arrives
// through window.codeAutomationLog and is printed here. A suite is stuck when its extension host prints
// nothing for E2E_SUITE_SILENCE_MS (a limit on silence, not on the whole run, which a busy machine makes long).
//   E2E_URL E2E_FOLDER E2E_EXTENSION E2E_TESTS E2E_NAME E2E_ARTIFACTS E2E_PROFILE E2E_CHROMIUM
//   node --import tsx test/e2e/driver/runInHost.ts
import * as path from 'node:path';
import * as util from 'node:util';
import { SILENCE_MS } from '../shared/patience';
import { env, launchBrowser, remoteUri, workbenchUrl } from './browser';

const COUNTS = /^\d+ passed, \d+ failed(, \d+ not run here)?$/;
// Workbench chatter that is not about the tests.
const NOISE =
  /^(Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[AccountPolicyGate\]|\[AgentHost|Timed out waiting for authentication provider)/;
const silenceMs = Number(process.env.E2E_SUITE_SILENCE_MS ?? SILENCE_MS);
let sawCounts = false;

async function main(): Promise<number> {
  const baseUrl = env('E2E_URL');
  const name = env('E2E_NAME');
  const url = workbenchUrl(baseUrl, env('E2E_FOLDER'), [
    ['extensionDevelopmentPath', remoteUri(baseUrl, env('E2E_EXTENSION'))],
    ['extensionTestsPath', remoteUri(baseUrl, env('E2E_TESTS'))],
    ['skipWelcome', 'true'],
  ]);
  const browser = await launchBrowser(env('E2E_PROFILE'));
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    let exit: (code: number | string) => void = () => {};
    const exited = new Promise<number | string>((resolve) => (exit = resolve));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(timer);
      timer = setTimeout(() => exit(`no output from the extension host for ${silenceMs} ms`), silenceMs);
    };
    // Exposed before navigation, so the workbench finds them at startup.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      heard();
      const text = util
        .format(...(args ?? []))
        .split('\n')
        .filter((l) => !/^\s+at .*\/static\/out\/vs\//.test(l)) // frames inside the minified workbench
        .join('\n');
      if (NOISE.test(text)) return;
      if (COUNTS.test(text.trim())) sawCounts = true;
      (type === 'error' ? console.error : console.log)(text);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    page.on('pageerror', (e) => console.error(`[${name} page error] ${e.message}`));
    heard();
    // Playwright's default 30 s is not enough for a cold code-server on a busy machine: loading the
    // page may take as long as the suite may stay silent.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: silenceMs });
    const code = await exited;
    clearTimeout(timer);
    await page.screenshot({ path: path.join(env('E2E_ARTIFACTS'), `${name}.png`) }).catch(() => {});
    console.log(`[${name}] extension host exited: ${code}`);
    return code === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

/** A suite that never reported its counts (crash, timeout) counts as one failure. */
function finish(code: number): never {
  if (!sawCounts) console.log('0 passed, 1 failed');
  process.exit(code);
}
main().then(finish, (err: unknown) => {
  console.error(err);
  finish(1);
});
