// One chat webview's host side, without vscode: it validates what the webview sends and hands each
// message to the part whose job it is: viewSync.ts (the ready handshake, config, the editor chip),
// conversationRunner.ts (questions, stop, New Chat), historyActions.ts (past conversations) and
// viewActions.ts (code blocks, links, command buttons). chatController.ts gives it vscode's ports;
// the unit tests give it a fake webview.
import type { ListedModels } from '../llm/types';
import type { Logger } from '../shared/log';
import { parseWebviewMessage, type Surface, type UsageSummary, type WebviewToHost } from '../protocol/messages';
import type { UndoStep } from '../chat/agent/undo';
import { agentActions } from './agentActions';
import { ConversationRunner } from './conversationRunner';
import { HistoryActions } from './historyActions';
import { imagesFromFiles, type ReadFile } from './imageAttach';
import type { MentionResults } from './mentionCompleter';
import type { SessionBackend } from './sessionBackend';
import { viewActions } from './viewActions';
import { ViewChannel } from './viewChannel';
import type { Dialogs, HandlersOf, WebviewSink, Workbench } from './viewPorts';
import type { Choice } from './viewChoice';
import { ViewSync, type EditorPlace, type HostState, type ViewOptions } from './viewSync';

export interface ChatViewPorts {
  webview: WebviewSink;
  surface: Surface;
  backend: SessionBackend;
  log: Logger;
  dialogs: Dialogs;
  workbench: Workbench;
  /** True when a question may be sent now (trust, folder, key); otherwise it told the user what is missing. */
  canSend: () => Promise<boolean>;
  /** Shows an answer's billed usage and the conversation's total (USD) in the status bar. */
  reportCost: (usage: UsageSummary, conversationCostUsd: number | undefined) => void;
  hostState: () => Promise<HostState>;
  /** Model ids the endpoint lists and the windows it reports (cached by the host; empty when unknown). */
  models: () => Promise<ListedModels>;
  editorPlace: () => EditorPlace | undefined;
  /** Opens a Markdown document in an editor (an exported conversation). */
  showMarkdown: (markdown: string) => Promise<void>;
  /** Model and effort for the view's first conversation (kept from before, or the settings'), and the mode. */
  options: ViewOptions;
  /** Reads a file the user dropped from VS Code's explorer (by URI). */
  readFile: ReadFile;
  /** Remembers the composer's mode for this workspace. */
  saveMode?: (act: boolean) => void;
  /** Remembers the pickers' model and effort for this workspace and view. */
  saveChoice?: (choice: Choice) => void;
  /** Restores the files an agent turn wrote (undoTurn.ts); absent: Undo says it is not available. */
  undoFiles?: (steps: UndoStep[]) => Promise<string>;
  /** Completes what the user typed after `@` in the composer (mentionCompleter.ts). */
  mentions: (query: string, early?: (results: MentionResults) => void) => Promise<MentionResults>;
}

export class ChatView {
  readonly channel: ViewChannel;
  readonly sync: ViewSync;
  readonly runner: ConversationRunner;
  readonly history: HistoryActions;
  private readonly handlers: HandlersOf<WebviewToHost['type']>;

  constructor(private readonly ports: ChatViewPorts) {
    const { backend, log, dialogs } = ports;
    const channel = (this.channel = new ViewChannel(ports.webview));
    const sync = (this.sync = new ViewSync({
      channel,
      surface: ports.surface,
      backend,
      hostState: ports.hostState,
      models: ports.models,
      editorPlace: ports.editorPlace,
      options: ports.options,
      ...(ports.saveMode ? { saveMode: ports.saveMode } : {}),
      ...(ports.saveChoice ? { saveChoice: ports.saveChoice } : {}),
    }));
    const runner = (this.runner = new ConversationRunner({
      channel,
      backend,
      log,
      canSend: ports.canSend,
      info: (m) => dialogs.info(m),
      reportCost: ports.reportCost,
      editorNote: () => ports.editorPlace()?.note,
      options: () => sync.options,
      showOptions: (o) => sync.show(o),
    }));
    this.history = new HistoryActions({
      channel,
      backend,
      dialogs,
      busy: () => runner.busy,
      newChat: () => runner.newChat(),
      showMarkdown: ports.showMarkdown,
    });
    const agent = agentActions({
      backend,
      undoFiles: ports.undoFiles ?? (async () => 'Undo is not available here.'),
      info: (m) => dialogs.info(m),
      busy: () => runner.busy,
    });
    this.handlers = {
      ...sync.handlers,
      ...runner.handlers,
      ...this.history.handlers,
      ...viewActions(ports.workbench, channel),
      // The webview of a view shown again (or reloaded) starts empty: the images its composer held come back.
      ready: async (m) => {
        await sync.handlers.ready(m);
        if (backend.draftImages.length)
          await channel.send({ type: 'attachImages', images: [...backend.draftImages], restored: true });
      },
      attachFiles: (m) => this.attachFiles(m.uris),
      draftImages: (m) => void (backend.draftImages = m.images),
      ...agent,
      mentionQuery: (m) => this.completeMention(m.id, m.query),
    };
  }

  /** Puts the image files `uris` into the composer (dropped from the explorer, or its command). */
  async attachFiles(uris: readonly string[]): Promise<void> {
    const { images, refused } = await imagesFromFiles(uris, this.ports.readFile);
    await this.channel.sendWhenReady({ type: 'attachImages', images, ...(refused.length ? { refused } : {}) });
  }

  /** Answers the composer's `@` query `id`; a failure answers nothing and is logged (the user keeps typing). */
  private async completeMention(id: number, query: string): Promise<void> {
    let results: MentionResults;
    let sent: Promise<void> | undefined;
    let early: string | undefined;
    try {
      // Our index answers at once; the language servers' symbols follow as a second answer to the same query.
      results = await this.ports.mentions(query, (r) => {
        early = JSON.stringify(r);
        sent = this.channel.send({ type: 'mentionResults', id, ...r });
      });
    } catch (e) {
      this.ports.log.warn(`@ completion failed: ${(e as Error).message}`);
      results = { items: [], note: 'The workspace could not be listed (see the DeepSeek Repo output).' };
    }
    await sent;
    if (early !== JSON.stringify(results)) await this.channel.send({ type: 'mentionResults', id, ...results });
  }

  /** A message from the webview: validated, then handled by its part; a failure is logged and shown once. */
  async receive(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.ports.log.warn('ignored a malformed message from the webview');
      return;
    }
    try {
      await (this.handlers[msg.type] as (m: WebviewToHost) => Promise<void> | void)(msg);
    } catch (e) {
      this.ports.log.error(`webview action ${msg.type} failed: ${(e as Error).stack ?? String(e)}`);
      this.ports.dialogs.error(`DeepSeek Repo: ${(e as Error).message}`);
    }
  }
}
