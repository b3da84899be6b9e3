// The host's line to one webview. The host sends nothing before the webview says `ready`; every
// transcript message is also recorded in a mirror, kept with the same reducer the webview uses, and
// the mirror is replayed on every `ready`, so a webview that was hidden or reloaded catches up, even
// mid-answer. No vscode: tests give it a fake webview.
import type { ConversationSnapshot, HostToWebview } from '../protocol/messages';
import { applyHostMessage, emptyConversation } from '../protocol/transcript';
import type { WebviewSink } from './viewPorts';

export class ViewChannel {
  private ready = false;
  private mirror: ConversationSnapshot = emptyConversation();
  /** Messages for the webview once it is ready (sendWhenReady). */
  private waiting: HostToWebview[] = [];

  constructor(private readonly webview: WebviewSink) {}

  /** True once the webview said `ready`. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The conversation as the view shows it (or will, once ready). */
  get transcript(): ConversationSnapshot {
    return this.mirror;
  }

  /** Sends a transcript message once the webview is ready; the mirror always records it. */
  post(message: HostToWebview): void {
    this.mirror = applyHostMessage(this.mirror, message);
    if (this.ready) void this.webview.postMessage(message);
  }

  /** Sends `message` now, or right after the webview says `ready` (images for a composer still loading). */
  async sendWhenReady(message: HostToWebview): Promise<void> {
    if (this.ready) await this.webview.postMessage(message);
    else this.waiting.push(message);
  }

  /** Sends a message about the host (config, editor chip) now, when the webview is ready; nothing is kept. */
  async send(message: HostToWebview): Promise<void> {
    if (this.ready) await this.webview.postMessage(message);
  }

  /**
   * The webview said `ready`: it gets `init`, then the transcript (`reopened` replaces an empty one:
   * the conversation a reloaded webview still shows).
   */
  async open(init: () => Promise<HostToWebview>, reopened?: ConversationSnapshot): Promise<void> {
    if (reopened) this.mirror = reopened;
    this.ready = true;
    await this.webview.postMessage(await init());
    await this.webview.postMessage({ type: 'replay', conversation: this.mirror });
    for (const m of this.waiting.splice(0)) await this.webview.postMessage(m);
  }
}
