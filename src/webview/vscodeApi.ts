// The webview's handle on VS Code: `acquireVsCodeApi` (one call per page), typed to the protocol,
// and the persisted state (validated on the way back in: it may come from an older version).
import { conversationSnapshot, hostConfig, type WebviewToHost } from '../protocol/messages';
import { mentions } from '../protocol/records';
import { obj, opt, str, type Infer } from '../protocol/schema';

export interface VsCodeApi {
  postMessage(m: WebviewToHost): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export const getVsCodeApi = (): VsCodeApi => acquireVsCodeApi();

/** What the webview keeps across being hidden: the conversation, the draft and its `@` mentions, the config. */
export const persistedState = obj({
  conversation: conversationSnapshot,
  draft: str(1_000_000),
  draftMentions: mentions,
  config: opt(hostConfig),
});
export type PersistedState = Infer<typeof persistedState>;
