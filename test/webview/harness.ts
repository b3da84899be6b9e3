// Runs the REAL built webview app (dist/webview/app.js + app.css) in headless Chromium, under the
// same HTML shell and CSP the extension uses, with a stub for acquireVsCodeApi. Every request that
// leaves the harness origin is recorded and aborted, so tests can assert that nothing loads
// remotely. Used by the browser tests, the benchmark and the screenshot script.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { webviewShellHtml } from '../../src/ui/webviewShell';
import { chromiumPath } from '../helpers/chromium';
import { EVENT_MS } from '../helpers/until';
import { checkRendered } from './invariants';
import { THEMES } from './themes';

const ROOT = path.resolve(__dirname, '../..');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.html': 'text/html',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface Harness {
  origin: string;
  context: BrowserContext;
  /** URLs requested outside the harness origin (all aborted). */
  remoteRequests: string[];
  /** Opens the app; `theme` light|dark|hc, `surface` panel|sidebar. */
  openApp(opts?: {
    theme?: keyof typeof THEMES;
    surface?: 'panel' | 'sidebar';
    perf?: boolean;
    width?: number;
    height?: number;
  }): Promise<Page>;
  /** Opens the app inside an iframe of a page that also has a button `#outside`, as VS Code hosts it;
   *  returns the page and the app's frame (which `host`, `posted`… accept like a page). */
  openFramed(opts?: {
    surface?: 'panel' | 'sidebar';
    theme?: keyof typeof THEMES;
  }): Promise<{ page: Page; app: Frame }>;
  /** Opens a blank page (no CSP) that imports dist/webview/markdown.js as `window.renderMarkdown`. */
  openRenderer(): Promise<Page>;
  close(): Promise<void>;
}

function serve(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      res.end(body);
    };
    if (url.pathname === '/app') {
      const nonce = crypto.randomBytes(18).toString('base64');
      const origin = `http://${req.headers.host}`;
      return send(
        200,
        'text/html',
        webviewShellHtml({
          cspSource: origin,
          nonce,
          scriptUri: '/dist/webview/app.js',
          styleUri: '/dist/webview/app.css',
          surface: 'panel',
          preludeScriptUris: ['/harness/themes.js', '/harness/stub.js'],
        }),
      );
    }
    if (url.pathname === '/framed') {
      // The app in an iframe beside a focusable control, as VS Code hosts a webview: the frame's
      // window gets focus (and its focus event) when the host focuses it.
      const src = `/app?${url.searchParams}`;
      return send(
        200,
        'text/html',
        `<!DOCTYPE html><html><body style="margin:0"><button id="outside">outside</button><iframe id="view" src="${src.replace(/"/g, '&quot;')}" style="border:0;width:100%;height:90vh"></iframe></body></html>`,
      );
    }
    if (url.pathname === '/renderer') {
      return send(
        200,
        'text/html',
        `<!DOCTYPE html><html><body><div id="out"></div><script type="module">import { renderMarkdown } from ` +
          `'/dist/webview/markdown.js'; window.renderMarkdown = renderMarkdown; window.__ready = ` +
          `true;</script></body></html>`,
      );
    }
    if (url.pathname === '/harness/themes.js')
      return send(200, 'text/javascript', `window.__THEMES = ${JSON.stringify(THEMES)};`);
    if (url.pathname === '/harness/stub.js')
      return send(200, 'text/javascript', fs.readFileSync(path.join(__dirname, 'stub.js')));
    const file = path.join(ROOT, path.normalize(url.pathname));
    if (
      url.pathname.startsWith('/dist/webview/') &&
      file.startsWith(path.join(ROOT, 'dist', 'webview')) &&
      fs.existsSync(file)
    ) {
      return send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
    }
    send(404, 'text/plain', 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Starts the server and Chromium (fresh temp profile). Build first: `npm run build`. */
export async function startHarness(extraArgs: string[] = []): Promise<Harness> {
  if (!fs.existsSync(path.join(ROOT, 'dist/webview/app.js')))
    throw new Error('dist/webview/app.js is missing: run `npm run build` first.');
  const executablePath = chromiumPath();
  const server = await serve();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-webview-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
  // Waits give up only on a hang, not on a machine busy with other jobs (test/helpers/until.ts).
  context.setDefaultTimeout(EVENT_MS);
  context.setDefaultNavigationTimeout(EVENT_MS);
  // tsx compiles the test files with esbuild's keepNames, so functions passed to page.evaluate may
  // call its `__name` helper: give the page a no-op one.
  await context.addInitScript('globalThis.__name = (f) => f;');
  // The invariant checker, available in every page (init scripts are not subject to the page's CSP).
  await context.addInitScript(`globalThis.__checkRendered = ${checkRendered.toString()};`);
  const remoteRequests: string[] = [];
  await context.route(
    (url) => !url.href.startsWith(origin),
    (route) => {
      remoteRequests.push(route.request().url());
      return route.abort();
    },
  );
  const open = async (url: string, w = 900, h = 800) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: w, height: h });
    page.on('dialog', (d) => {
      remoteRequests.push(`dialog:${d.message()}`);
      void d.dismiss();
    });
    await page.goto(url);
    return page;
  };
  return {
    origin,
    context,
    remoteRequests,
    async openApp(o = {}) {
      const q = new URLSearchParams({
        theme: o.theme ?? 'dark',
        surface: o.surface ?? 'panel',
        ...(o.perf ? { perf: '1' } : {}),
      });
      const page = await open(`${origin}/app?${q}`, o.width, o.height);
      await page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
      );
      return page;
    },
    async openFramed(o = {}) {
      const q = new URLSearchParams({ theme: o.theme ?? 'dark', surface: o.surface ?? 'sidebar' });
      const page = await open(`${origin}/framed?${q}`, 420, 800);
      const app = (await (await page.waitForSelector('#view')).contentFrame())!;
      await app.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
      );
      return { page, app };
    },
    async openRenderer() {
      const page = await open(`${origin}/renderer`);
      await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
      return page;
    },
    async close() {
      await context.close();
      server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
