// Test-only seam for the end-to-end suites in test/e2e, live only when the extension host runs with
// DEEPSEEK_REPO_TEST=1 (the suites start code-server with it). The webview's DOM is out of the host's
// reach, so the suites observe the conversation at the one boundary the host owns: every message
// between the host and a webview is recorded, and a test may speak as a webview (Stop, the sidebar's
// composer). It also seeds SecretStorage and reads what the Context view shows. Without the variable,
// `tapWebview` returns the webview untouched and `activate()` returns nothing, so users never see any
// of this.
import * as vscode from 'vscode';
import { SECRET_KEY } from '../config';
import type { Pack } from '../context/types';
import type { AgentMode } from './agentMode';
import type { ChangeReview } from './changeReview';
import type { ContextService } from './contextService';
import type { ContextInspector } from './inspector';
import type { InspectorNode } from './inspectorModel';
import type { RepositoryMcpServers } from './mcpServer';

export type Surface = 'panel' | 'sidebar';

export interface TappedMessage {
  surface: Surface;
  direction: 'toWebview' | 'fromWebview';
  message: unknown;
  /** True when a test delivered the message through `deliver`, not the webview. */
  injected: boolean;
  /** Which webview: one number per webview the host made, in order (several panels may be open). */
  webview: number;
}

/** What `activate()` returns under DEEPSEEK_REPO_TEST=1. */
export interface TestingApi {
  /** Stores the API key in SecretStorage, or deletes it when `key` is undefined. */
  setApiKey(key: string | undefined): Promise<void>;
  /** Every message between the host and the webviews so far, oldest first. */
  readonly messages: readonly TappedMessage[];
  readonly onMessage: vscode.Event<TappedMessage>;
  /** Hands `message` to the host as if the surface's current webview had posted it; false if there is none. */
  deliver(surface: Surface, message: unknown): boolean;
  /** What the Context view (the inspector) shows now. */
  contextView(): { nodes: readonly InspectorNode[]; message: string | undefined };
  /** The stats of every pack the context engine made since activation, oldest first. */
  readonly contextPacks: readonly Pack['stats'][];
  /** Drops the context engine: the next pack (or pre-read) starts cold. */
  resetContext(): void;
  /**
   * The MCP server definitions the extension offers VS Code now, each resolved as VS Code resolves it before
   * starting it.
   */
  mcpServers(): Promise<vscode.McpStdioServerDefinition[]>;
  /** The change review Apply uses (a test may propose a change to several files, as the agent will). */
  readonly review: ChangeReview;
  /** The composer's act mode and the questions an agent turn asks (a test answers them: no modal dialogs). */
  readonly agentMode: AgentMode;
}

export const testingEnabled = process.env.DEEPSEEK_REPO_TEST === '1';

const recorded: TappedMessage[] = [];
const onMessage = new vscode.EventEmitter<TappedMessage>();
const injectors = new Map<Surface, { emitter: vscode.EventEmitter<unknown>; id: number }>();
let webviews = 0;

function record(m: TappedMessage): void {
  recorded.push(m);
  onMessage.fire(m);
}

/** Returns `webview` itself, or under DEEPSEEK_REPO_TEST=1 a recording stand-in for it. */
export function tapWebview(webview: vscode.Webview, surface: Surface): vscode.Webview {
  if (!testingEnabled) return webview;
  const injected = new vscode.EventEmitter<unknown>();
  const id = ++webviews;
  injectors.set(surface, { emitter: injected, id });
  webview.onDidReceiveMessage((message) =>
    record({ surface, direction: 'fromWebview', message, injected: false, webview: id }),
  );
  return {
    get html() {
      return webview.html;
    },
    set html(value: string) {
      webview.html = value;
    },
    get options() {
      return webview.options;
    },
    set options(value: vscode.WebviewOptions) {
      webview.options = value;
    },
    get cspSource() {
      return webview.cspSource;
    },
    asWebviewUri: (uri) => webview.asWebviewUri(uri),
    postMessage: (message: unknown) => {
      record({ surface, direction: 'toWebview', message, injected: false, webview: id });
      return webview.postMessage(message);
    },
    onDidReceiveMessage: (listener, thisArgs, disposables) => {
      const both = vscode.Disposable.from(
        webview.onDidReceiveMessage(listener, thisArgs),
        injected.event(listener, thisArgs),
      );
      disposables?.push(both);
      return both;
    },
  };
}

export function testingApi(parts: {
  secrets: vscode.SecretStorage;
  inspector: ContextInspector;
  context: ContextService;
  mcp: RepositoryMcpServers;
  review: ChangeReview;
  agentMode: AgentMode;
}): TestingApi {
  const { secrets, inspector, context, mcp, review, agentMode } = parts;
  const packs: Pack['stats'][] = [];
  context.onDidPack((stats) => packs.push(stats));
  return {
    contextView: () => inspector.shown(),
    contextPacks: packs,
    resetContext: () => context.reset(),
    mcpServers: async () => {
      const resolved = await Promise.all(
        mcp.provideMcpServerDefinitions().map((d) => mcp.resolveMcpServerDefinition(d)),
      );
      return resolved.filter((d): d is vscode.McpStdioServerDefinition => d !== undefined);
    },
    review,
    agentMode,
    setApiKey: async (key) => (key === undefined ? secrets.delete(SECRET_KEY) : secrets.store(SECRET_KEY, key)),
    messages: recorded,
    onMessage: onMessage.event,
    deliver(surface, message) {
      const injector = injectors.get(surface);
      if (!injector) return false;
      record({ surface, direction: 'fromWebview', message, injected: true, webview: injector.id });
      injector.emitter.fire(message);
      return true;
    },
  };
}
