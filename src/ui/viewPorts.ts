// What the chat view's parts (viewChannel, conversationRunner, historyActions, viewActions, viewSync)
// need from the editor window, as small interfaces: chatController.ts implements them with vscode,
// the unit tests with fakes. Types only.
import type { ChangeSetSummary, HostToWebview, WebviewToHost } from '../protocol/messages';

/** What the chat needs of a webview: somewhere to post messages (VS Code's `Webview` is one). */
export interface WebviewSink {
  postMessage(message: HostToWebview): unknown;
}

/** Handlers of the webview's messages of the types `T`, each given its own message. */
export type HandlersOf<T extends WebviewToHost['type']> = {
  [K in T]: (message: Extract<WebviewToHost, { type: K }>) => Promise<void> | void;
};

/** The editor window's notifications and dialogs, as the chat uses them. */
export interface Dialogs {
  info(message: string): void;
  warn(message: string): void;
  /** A modal warning offering `action`; true when the user chose it. */
  confirm(message: string, action: string): Promise<boolean>;
  error(message: string): void;
}

/** The editor actions a code block or a link in the chat asks for (codeActions.ts, commands). */
export interface Workbench {
  /** Runs a VS Code command (Set API Key, the settings, Workspace Trust, the Context view). */
  command(id: string, ...args: unknown[]): Promise<void>;
  /** Opens an http(s) address in the browser. */
  openExternal(href: string): Promise<void>;
  /** Opens a workspace file at a 1-based line; refuses paths outside the workspace. */
  openFile(ref: { path: string; line?: number; endLine?: number; column?: number }): Promise<void>;
  copy(text: string): Promise<void>;
  insertAtCursor(code: string): Promise<void>;
  /**
   * Shows `code` as a change to `path` (or a file the user picks) to accept or reject; `onUpdate` is
   * told every state of the change set (the chat shows it under the answer). Resolves once decided.
   */
  apply(code: string, path: string | undefined, onUpdate: (changes: ChangeSetSummary) => void): Promise<void>;
  /** Accepts or rejects the change set `id` under review (with `path`: leaves that file out, or takes it back). */
  decideChanges(id: string, decision: { accept: boolean; path?: string }): Promise<void>;
  /** Undoes the applied change set `id`. */
  undoChanges(id: string): Promise<void>;
  /** Shows the change set `id`'s diff again. */
  showChanges(id: string): Promise<void>;
  newFile(code: string, language: string | undefined, path: string | undefined): Promise<void>;
}
