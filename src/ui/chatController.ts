// Host side of one webview (the editor panel or the sidebar view): validates what the webview
// sends, runs conversations through a `SessionBackend`, which forwards each event as a protocol
// message. It keeps a mirror of the transcript (the same reducer the webview uses) and answers every
// `ready` with `init` + `replay`, so a webview that was hidden or reloaded catches up, even mid-answer.
import * as vscode from 'vscode';
import type { TaskPrompt } from '../chat/tasks';
import type { WorkspaceRoot } from '../context/types';
import { localHost, needsApiKey } from '../llm/endpoint';
import type { ListedModels } from '../llm/types';
import {
  parseWebviewMessage,
  pickerModels,
  type Effort,
  type HostConfig,
  type HostToWebview,
  type Surface,
  type TurnRecord,
  type UsageSummary,
  type WebviewToHost,
} from '../protocol/messages';
import { applyHostMessage, emptyConversation, runningRequest } from '../protocol/transcript';
import { onDidChangeSettings, readSettings, type ApiKeyStore } from '../config';
import type { Logger } from '../shared/log';
import { editorPlace } from './editorFocus';
import { applyCode, copyText, EditorTracker, insertAtCursor, newFileWith, openFileRef } from './codeActions';
import type { SessionBackend, TurnRequest } from './sessionBackend';
import type { TurnResult } from './sessionMessages';
import type { CostStatus } from './costStatus';
import type { ProposalProvider } from './proposalDiff';

export interface Services {
  keys: ApiKeyStore;
  log: Logger;
  proposals: ProposalProvider;
  /** A conversation backend for one view. */
  newBackend(): SessionBackend;
  /** Model ids the endpoint offers (`GET /models`) and the windows it reports, cached; empty when unknown. */
  models(): Promise<ListedModels>;
  /** The status bar item that shows what each answer cost. */
  cost: CostStatus;
  /** A chat view opened: read the workspace ahead of the first question (ContextService.prereadSoon). */
  prereadContext(): void;
}

/**
 * True when the workspace may be asked about: trusted, with a folder. Otherwise tells the user what is
 * missing. Commands check it before opening any UI, so Restricted Mode never shows an empty panel.
 */
export function canAsk(): boolean {
  if (!vscode.workspace.isTrusted) {
    void vscode.window
      .showWarningMessage(
        'DeepSeek Repo sends nothing in Restricted Mode. Trust this workspace to ask about it.',
        'Manage Workspace Trust',
      )
      .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }
  if (workspaceRoots().length === 0) {
    void vscode.window.showWarningMessage(
      'Open a folder first: DeepSeek Repo answers questions about the files of the workspace.',
    );
    return false;
  }
  return true;
}

/** True when a question may be sent now: `canAsk`, and an API key (asked for when missing) unless the endpoint is on this machine. */
export async function canSend(keys: ApiKeyStore): Promise<boolean> {
  if (!canAsk()) return false;
  if (!(await keys.get()) && needsApiKey(readSettings().baseUrl) && !(await keys.prompt())) {
    void vscode.window.showWarningMessage('A DeepSeek API key is needed to ask. Run "DeepSeek: Set API Key".');
    return false;
  }
  return true;
}

export function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

export class ChatController implements vscode.Disposable {
  private ready = false;
  private mirror = emptyConversation();
  private running: { requestId: string; abort: AbortController } | undefined;
  private options: { model: string; effort: Effort };
  private endpointModels: string[] = [];
  private endpointWindows: ReadonlyMap<string, number> = new Map();
  private readonly tracker = new EditorTracker();
  private readonly disposables: vscode.Disposable[] = [this.tracker];
  private seq = 0;
  private editorTimer: NodeJS.Timeout | undefined;
  /** What the webview was last told of the editor (`sendEditor`). */
  private editorSent: string | undefined;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly surface: Surface,
    private readonly services: Services,
    private readonly backend: SessionBackend = services.newBackend(),
  ) {
    const s = readSettings();
    this.options = { model: s.model, effort: s.thinking ? s.reasoningEffort : 'off' };
    services.prereadContext();
    const refresh = () => void this.sendConfig().then(() => this.refreshModels());
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(raw)),
      services.keys.onDidChange(refresh),
      onDidChangeSettings(refresh),
      vscode.workspace.onDidGrantWorkspaceTrust(refresh),
      vscode.workspace.onDidChangeWorkspaceFolders(refresh),
      vscode.window.onDidChangeActiveTextEditor(() => this.sendEditorSoon()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.sendEditorSoon()),
      vscode.window.onDidChangeTextEditorSelection(() => this.sendEditorSoon()),
      { dispose: () => clearTimeout(this.editorTimer) },
    );
  }

  /** Tells the composer where the user's editor is (for its chip), shortly after it moves. */
  private sendEditorSoon(): void {
    clearTimeout(this.editorTimer);
    this.editorTimer = setTimeout(() => this.sendEditor(), 150);
  }

  private sendEditor(): void {
    const place = editorPlace(this.tracker.editor);
    const key = JSON.stringify(place ?? null);
    if (!this.ready || key === this.editorSent) return;
    this.editorSent = key;
    void this.webview.postMessage({ type: 'editor', ...(place ?? {}) } satisfies HostToWebview);
  }

  /** The note to send with a question, when the composer's chip is on. */
  private editorNote(withEditor: boolean | undefined): string | undefined {
    return withEditor ? editorPlace(this.tracker.editor)?.note : undefined;
  }

  dispose(): void {
    this.running?.abort.abort();
    this.disposables.forEach((d) => d.dispose());
  }

  /** Starts a new conversation: stops the running answer and clears the view. */
  newChat(): void {
    this.running?.abort.abort();
    this.running = undefined;
    this.backend.newConversation();
    this.post({ type: 'replay', conversation: emptyConversation() });
  }

  /** Sends to the webview once it is ready; the mirror always records it (replayed on `ready`). */
  private post(message: HostToWebview): void {
    this.mirror = applyHostMessage(this.mirror, message);
    if (this.ready) void this.webview.postMessage(message);
  }

  private async config(): Promise<HostConfig> {
    const s = readSettings();
    const hasKey = !!(await this.services.keys.get());
    const local = hasKey ? undefined : localHost(s.baseUrl);
    const models = pickerModels([s.model, s.fastModel, this.options.model], this.endpointModels);
    const windows = models.flatMap((id) => {
      const tokens = this.endpointWindows.get(id);
      return tokens === undefined ? [] : [{ id, tokens }];
    });
    return {
      hasKey,
      ...(local !== undefined ? { localEndpoint: local } : {}),
      trusted: vscode.workspace.isTrusted,
      hasWorkspace: workspaceRoots().length > 0,
      models,
      // A window set by the user applies to every model: then none is named.
      ...(windows.length && s.contextWindowTokens === null ? { windows } : {}),
      model: this.options.model,
      effort: this.options.effort,
    };
  }

  /** Offers the endpoint's own models in the picker once `GET /models` answered (never delays the view). */
  private async refreshModels(): Promise<void> {
    const { models, windows } = await this.services.models();
    if (
      models.join('\n') === this.endpointModels.join('\n') &&
      [...windows].join() === [...this.endpointWindows].join()
    )
      return;
    this.endpointModels = models;
    this.endpointWindows = windows;
    await this.sendConfig();
  }

  private async sendConfig(): Promise<void> {
    if (this.ready)
      void this.webview.postMessage({ type: 'config', config: await this.config() } satisfies HostToWebview);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.services.log.warn('ignored a malformed message from the webview');
      return;
    }
    try {
      await this.handle(msg);
    } catch (e) {
      this.services.log.error(`webview action ${msg.type} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`DeepSeek Repo: ${(e as Error).message}`);
    }
  }

  private async handle(msg: WebviewToHost): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        // After a window reload the host has nothing open: reopen what the webview still shows.
        const reopened =
          !this.mirror.turns.length && msg.conversationId ? await this.backend.open(msg.conversationId) : undefined;
        if (reopened) this.mirror = reopened;
        this.ready = true;
        await this.webview.postMessage({
          type: 'init',
          surface: this.surface,
          config: await this.config(),
        } satisfies HostToWebview);
        await this.webview.postMessage({ type: 'replay', conversation: this.mirror } satisfies HostToWebview);
        this.editorSent = undefined; // a reloaded webview knows nothing yet
        this.sendEditor();
        void this.refreshModels();
        return;
      }
      case 'ask':
        return this.ask(msg.question, msg.withEditor);
      case 'cancel':
        if (this.running?.requestId === msg.requestId) this.running.abort.abort();
        return;
      case 'regenerate': {
        const last = this.mirror.turns.length - 1;
        if (last < 0) return;
        return this.run(
          last,
          this.mirror.turns[last]!.question,
          false,
          (r) => this.backend.regenerate(r),
          undefined,
          this.mirror.turns[last]!.editor,
        );
      }
      case 'editAndResend':
        if (msg.index >= this.mirror.turns.length) return;
        {
          const editor = this.editorNote(msg.withEditor);
          return this.run(
            msg.index,
            msg.question,
            false,
            (r) => this.backend.editAndResend({ index: msg.index, question: msg.question, editor }, r),
            undefined,
            editor,
          );
        }
      case 'continue': {
        const last = this.mirror.turns.length - 1;
        if (last < 0) return;
        return this.run(last, this.mirror.turns[last]!.question, true, (r) => this.backend.continue(r));
      }
      case 'newChat':
        return this.newChat();
      case 'setOptions':
        this.options = { model: msg.model ?? this.options.model, effort: msg.effort ?? this.options.effort };
        return this.sendConfig();
      case 'setApiKey':
        await vscode.commands.executeCommand('deepseekRepo.setApiKey');
        return;
      case 'openContextSettings':
        // The window and budget settings, and include/exclude (all under deepseekRepo.context…).
        await vscode.commands.executeCommand('workbench.action.openSettings', 'deepseekRepo.context');
        return;
      case 'manageTrust':
        await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      case 'openLink':
        if (/^https?:\/\//i.test(msg.href)) await vscode.env.openExternal(vscode.Uri.parse(msg.href, true));
        return;
      case 'openFile':
        return openFileRef(msg);
      case 'copy':
        return copyText(msg.text);
      case 'insertCode':
        return insertAtCursor(this.tracker, msg.code);
      case 'applyCode':
        return applyCode(this.services.proposals, this.tracker, msg.code, msg.path);
      case 'newFile':
        return newFileWith(msg.code, msg.language, msg.path);
      case 'showContext':
        await vscode.commands.executeCommand('deepseekRepo.showContext');
        return;
      case 'listHistory':
        return this.sendHistory();
      case 'openConversation': {
        if (this.running)
          return void vscode.window.showInformationMessage(
            'Stop the current answer before opening another conversation.',
          );
        const c = await this.backend.open(msg.id);
        if (c) this.post({ type: 'replay', conversation: c });
        else void vscode.window.showWarningMessage('That conversation no longer exists.');
        return this.sendHistory();
      }
      case 'deleteConversation': {
        const item = (await this.backend.list()).find((c) => c.id === msg.id);
        const ok = await vscode.window.showWarningMessage(
          `Delete the conversation “${item?.title ?? msg.id}”?`,
          { modal: true },
          'Delete',
        );
        if (ok !== 'Delete') return;
        const wasOpen = this.backend.currentId === msg.id;
        await this.backend.delete(msg.id);
        if (wasOpen) this.newChat();
        return this.sendHistory();
      }
      case 'exportConversation': {
        const markdown = await this.backend.exportMarkdown(msg.id);
        if (markdown === undefined) return;
        const doc = await vscode.workspace.openTextDocument({ content: markdown, language: 'markdown' });
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
        return;
      }
    }
  }

  private async sendHistory(): Promise<void> {
    this.post({ type: 'history', conversations: await this.backend.list() });
  }

  /** Asks `question` in this view's conversation and streams the answer into it. */
  /** Asks `question`; with `withEditor`, where the user's editor is goes with it. */
  async ask(question: string, withEditor?: boolean): Promise<void> {
    const editor = this.editorNote(withEditor);
    await this.run(
      this.mirror.turns.length,
      question,
      false,
      (r) => this.backend.ask(question, { ...this.options, ...(editor ? { editor } : {}) }, r),
      undefined,
      editor,
    );
  }

  /**
   * Runs an editor command's task as a new conversation on `model` (the user can follow up on it)
   * and returns its finished turn; `signal` (e.g. a progress notification's Cancel) stops it.
   */
  async runTask(task: TaskPrompt, model: string, signal?: AbortSignal): Promise<TurnRecord | undefined> {
    if (this.running || runningRequest(this.mirror)) {
      void vscode.window.showInformationMessage(
        'An answer is still streaming in the DeepSeek panel: stop it first (Escape).',
      );
      return undefined;
    }
    this.newChat();
    await this.run(
      0,
      task.question,
      false,
      (r) => this.backend.ask(task.question, { model, effort: this.options.effort, focus: task.focus }, r),
      signal,
    );
    return this.mirror.turns[0];
  }

  /**
   * Runs one request for turn `index`: turnStart, the backend's events, then exactly one end.
   * `editor`: the editor note sent with the question, shown with it.
   */
  private async run(
    index: number,
    question: string,
    continued: boolean,
    call: (r: TurnRequest) => Promise<TurnResult>,
    signal?: AbortSignal,
    editor?: string,
  ): Promise<void> {
    if (this.running || runningRequest(this.mirror))
      return void vscode.window.showInformationMessage('An answer is still streaming: stop it first (Escape).');
    if (!(await canSend(this.services.keys))) return;
    const requestId = `r${Date.now().toString(36)}${(this.seq++).toString(36)}`;
    const abort = new AbortController();
    signal?.addEventListener('abort', () => abort.abort(), { once: true });
    this.running = { requestId, abort };
    this.post({
      type: 'turnStart',
      requestId,
      index,
      question,
      ...(editor ? { editor } : {}),
      ...(continued ? { continued } : {}),
    });
    let result: TurnResult;
    try {
      let usage: UsageSummary | undefined;
      result = await call({
        requestId,
        signal: abort.signal,
        post: (m) => {
          if (m.type === 'usage') usage = m.usage;
          this.post(m);
        },
      });
      if (usage) this.services.cost.report(usage, result.conversationCostUsd);
    } catch (e) {
      this.services.log.error(`request failed: ${(e as Error).stack ?? e}`);
      result = abort.signal.aborted ? { outcome: 'cancelled' } : { outcome: 'error', message: (e as Error).message };
    }
    if (this.running?.requestId === requestId) this.running = undefined;
    if (result.outcome === 'error')
      this.services.log.error(`request ${requestId} failed: ${result.errorKind ?? ''} ${result.message ?? ''}`);
    const conversationId = this.backend.currentId;
    this.post({
      type: 'end',
      requestId,
      outcome: result.outcome,
      ...(result.message ? { message: result.message } : {}),
      ...(result.errorKind ? { errorKind: result.errorKind } : {}),
      ...(conversationId ? { conversationId } : {}),
    });
  }
}
