// Helpers for the suites that run inside the real VS Code extension host: the extension's testing API,
// the fake DeepSeek server wired in through the user setting `deepseekRepo.baseUrl`, polling waits,
// and readers for the messages the host exchanged with its webviews.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  defaultReply,
  startFakeDeepSeek,
  type FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
} from '../../fake-server/server';
import { parseHostMessage, type ConversationSnapshot, type TurnRecord } from '../../../src/protocol/messages';
import { applyHostMessage, emptyConversation } from '../../../src/protocol/transcript';
import type { Surface, TestingApi } from '../../../src/ui/testHooks';
import { EVENT_MS } from '../shared/patience';

const EXTENSION_ID = 'deepseek-repo.deepseek-repo';
export const API_KEY = 'sk-e2e-0123456789abcdef';

export function extension(): vscode.Extension<TestingApi | undefined> {
  const ext = vscode.extensions.getExtension<TestingApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Activates the extension and returns its testing API (present because the run sets DEEPSEEK_REPO_TEST=1). */
export async function testingApi(): Promise<TestingApi> {
  const api = await extension().activate();
  assert.ok(api, 'activate() returned no testing API: is DEEPSEEK_REPO_TEST=1 in the extension host environment?');
  return api;
}

/** Polls `probe` every 25 ms until it returns something truthy; fails after `timeoutMs` milliseconds (a hang). */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = EVENT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a fake DeepSeek server that accepts API_KEY and points the user setting at it (by address: a local endpoint,
 * unless `byHostName`).
 */
export async function fakeDeepSeek(options: FakeServerOptions = {}): Promise<FakeServer> {
  const server = await startFakeDeepSeek({ apiKeys: [API_KEY], ...options });
  await setBaseUrl(server.url);
  return server;
}

/** Sets the user setting deepseekRepo.baseUrl and waits until the extension can read it. */
export async function setBaseUrl(url: string): Promise<void> {
  await vscode.workspace.getConfiguration('deepseekRepo').update('baseUrl', url, vscode.ConfigurationTarget.Global);
  await waitFor(
    'the user setting deepseekRepo.baseUrl',
    () => vscode.workspace.getConfiguration('deepseekRepo').inspect('baseUrl')?.globalValue === url,
  );
}

/**
 * Runs `fn` with the user setting `section.key` set to `value`, then puts back the value the run pinned
 * (test/e2e/shared/userSettings.ts), even when `fn` fails, so the tests after it see the pinned value.
 */
export async function withUserSetting<T>(
  section: string,
  key: string,
  value: unknown,
  fn: () => Promise<T>,
): Promise<T> {
  const config = () => vscode.workspace.getConfiguration(section);
  const pinned = config().inspect(key)?.globalValue;
  const set = async (v: unknown) => {
    await config().update(key, v, vscode.ConfigurationTarget.Global);
    await waitFor(`the user setting ${section}.${key}`, () => config().inspect(key)?.globalValue === v);
  };
  await set(value);
  try {
    return await fn();
  } finally {
    await set(pinned);
  }
}

/** The chat requests whose last user message contains `question`, oldest first. */
export function requestsFor(server: FakeServer, question: string): RecordedRequest[] {
  return server.chatRequests().filter((r) => {
    const users = r.body?.messages.filter((m) => m.role === 'user') ?? [];
    return users.at(-1)?.content?.includes(question);
  });
}

/**
 * The messages one surface exchanged, from index `since` of the log on, and what its webview shows.
 * The host sends nothing before the webview says `ready` and then catches it up with one `replay`, so
 * a fast answer may never appear as deltas: `shown()` replays the host's messages through the
 * protocol's own transcript reducer, exactly as the webview does.
 */
export function conversation(api: TestingApi, surface: Surface, since = 0) {
  const log = () => api.messages.slice(since).filter((m) => m.surface === surface);
  const sent = () =>
    log()
      .filter((m) => m.direction === 'toWebview')
      .map((m) => m.message as Record<string, unknown>);
  const shown = (): ConversationSnapshot =>
    sent().reduce<ConversationSnapshot>((c, raw) => {
      const m = parseHostMessage(structuredClone(raw)); // the reducer mutates: never the recorded log
      return m ? applyHostMessage(c, m) : c;
    }, emptyConversation());
  const turn = (question: string): TurnRecord | undefined =>
    [...shown().turns].reverse().find((t) => t.question === question);
  return {
    /** Host messages of `type` for `requestId` (or any request). */
    sentOf: (type: string, requestId?: string) =>
      sent().filter((m) => m.type === type && (requestId === undefined || m.requestId === requestId)),
    /** True once the real webview (not a test) posted a message of `type`. */
    webviewSaid: (type: string) =>
      log().some(
        (m) => m.direction === 'fromWebview' && !m.injected && (m.message as { type?: unknown }).type === type,
      ),
    /** The conversation as the webview shows it now. */
    shown,
    /** The latest shown turn that asked `question`. */
    turn,
    /** That turn once it ended (it has an outcome). */
    ended: (question: string) => {
      const t = turn(question);
      return t?.outcome ? t : undefined;
    },
    /** The requestId of the turn for `question` while it runs (from `turnStart`, or the replayed turn). */
    requestIdOf: (question: string) =>
      (sent().find((m) => m.type === 'turnStart' && m.question === question)?.requestId as string | undefined) ??
      turn(question)?.requestId,
  };
}

/** The reasoning and answer the fake server's default reply streams for `question`. */
export function defaultStreams(question: string): { reasoning: string; content: string } {
  const reply = defaultReply({ model: 'deepseek-v4-pro', messages: [{ role: 'user', content: question }] });
  const steps = 'steps' in reply ? reply.steps : [];
  const join = (kind: 'reasoning' | 'content') => steps.map((s) => (s.kind === kind ? s.text : '')).join('');
  return { reasoning: join('reasoning'), content: join('content') };
}

/** The folder of the single-root fixture workspace the run opened. */
export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri.fsPath;
}
