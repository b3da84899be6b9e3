// The view's past conversations: list them, open one into the view, delete one (after a modal
// question) and export one as Markdown. No vscode: the dialogs and the Markdown editor come in as
// functions, so tests drive it with a fake webview.
import type { SessionBackend } from './sessionBackend';
import type { ViewChannel } from './viewChannel';
import type { Dialogs, HandlersOf } from './viewPorts';

export interface HistoryDeps {
  channel: ViewChannel;
  backend: SessionBackend;
  dialogs: Dialogs;
  /** True while the view's answer is streaming (another conversation is not opened then). */
  busy(): boolean;
  /** Starts a new conversation in the view (after the open one was deleted). */
  newChat(): void;
  /** Opens `markdown` in an editor. */
  showMarkdown(markdown: string): Promise<void>;
}

export class HistoryActions {
  constructor(private readonly deps: HistoryDeps) {}

  readonly handlers: HandlersOf<'listHistory' | 'openConversation' | 'deleteConversation' | 'exportConversation'> = {
    listHistory: () => this.sendHistory(),
    openConversation: async (m) => {
      const { backend, channel, dialogs } = this.deps;
      if (this.deps.busy()) return dialogs.info('Stop the current answer before opening another conversation.');
      const c = await backend.open(m.id);
      if (c) channel.post({ type: 'replay', conversation: c });
      else dialogs.warn('That conversation no longer exists.');
      return this.sendHistory();
    },
    deleteConversation: async (m) => {
      const { backend, dialogs } = this.deps;
      const item = (await backend.list()).find((c) => c.id === m.id);
      if (!(await dialogs.confirm(`Delete the conversation “${item?.title ?? m.id}”?`, 'Delete'))) return;
      const wasOpen = backend.currentId === m.id;
      await backend.delete(m.id);
      if (wasOpen) this.deps.newChat();
      return this.sendHistory();
    },
    exportConversation: async (m) => {
      const markdown = await this.deps.backend.exportMarkdown(m.id);
      if (markdown !== undefined) await this.deps.showMarkdown(markdown);
    },
  };

  private async sendHistory(): Promise<void> {
    this.deps.channel.post({ type: 'history', conversations: await this.deps.backend.list() });
  }
}
