// Host side of one webview (the editor panel or the sidebar view): receives validated messages,
// runs questions through the core (pack -> request -> stream) and forwards deltas to the webview.
// The host sends nothing before the webview says `ready`.
import * as vscode from 'vscode';
import { packWorkspace } from '../context/pack';
import type { WorkspaceRoot } from '../context/types';
import { buildMessages, type PastTurn } from '../chat/prompt';
import { streamChat } from '../llm/client';
import type { LlmError } from '../llm/types';
import { parseWebviewMessage, type HostToWebview } from '../protocol/messages';
import { readSettings, repositoryBudget, requestParams, type ApiKeyStore } from '../config';
import type { Logger } from '../shared/log';

export interface Services {
  keys: ApiKeyStore;
  log: Logger;
}

export function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

export class ChatController implements vscode.Disposable {
  private ready = false;
  private queue: HostToWebview[] = [];
  private history: PastTurn[] = [];
  private running: { requestId: string; abort: AbortController } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private seq = 0;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly surface: 'panel' | 'sidebar',
    private readonly services: Services,
  ) {
    this.disposables.push(webview.onDidReceiveMessage((raw) => this.onMessage(raw)));
  }

  dispose(): void {
    this.running?.abort.abort();
    this.disposables.forEach((d) => d.dispose());
  }

  /** Starts a new conversation: forgets the history and clears the view. */
  newChat(): void {
    this.running?.abort.abort();
    this.history = [];
    this.post({ type: 'clear' });
  }

  private post(message: HostToWebview): void {
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.services.log.warn('ignored a malformed message from the webview');
      return;
    }
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const hasKey = !!(await this.services.keys.get());
        void this.webview.postMessage({ type: 'init', surface: this.surface, hasKey, trusted: vscode.workspace.isTrusted } satisfies HostToWebview);
        const queued = this.queue;
        this.queue = [];
        queued.forEach((m) => void this.webview.postMessage(m));
        return;
      }
      case 'ask':
        await this.ask(msg.question);
        return;
      case 'cancel':
        if (this.running?.requestId === msg.requestId) this.running.abort.abort();
        return;
      case 'setApiKey':
        await vscode.commands.executeCommand('deepseekRepo.setApiKey');
        return;
      case 'openLink':
        if (/^https?:\/\//i.test(msg.href)) await vscode.env.openExternal(vscode.Uri.parse(msg.href));
        return;
    }
  }

  /** Asks `question` about the workspace and streams the answer into this webview. */
  async ask(question: string): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('DeepSeek Repo sends nothing in Restricted Mode. Trust this workspace to ask about it.', 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
      return;
    }
    const roots = workspaceRoots();
    if (roots.length === 0) {
      void vscode.window.showWarningMessage('Open a folder first: DeepSeek Repo answers questions about the files of the workspace.');
      return;
    }
    const apiKey = (await this.services.keys.get()) ?? (await this.services.keys.prompt());
    if (!apiKey) {
      void vscode.window.showWarningMessage('A DeepSeek API key is needed to ask. Run "DeepSeek: Set API Key".');
      return;
    }
    this.running?.abort.abort();
    const requestId = `r${Date.now().toString(36)}${(this.seq++).toString(36)}`;
    const abort = new AbortController();
    this.running = { requestId, abort };
    this.post({ type: 'turnStart', requestId, question });
    const settings = readSettings();
    const pack = await vscode.window.withProgress(
      { location: { viewId: 'deepseekRepo.chat' }, title: 'Reading the workspace' },
      async () => packWorkspace(roots, { budgetTokens: repositoryBudget(settings, 0), question }),
    );
    const count = (s: string) => pack.files.filter((f) => f.status === s).length;
    this.post({ type: 'context', requestId, summary: { files: count('included'), tokens: pack.tokens, outlined: count('outline'), excluded: count('excluded'), redactions: pack.redactions.length } });
    const result = await streamChat(
      { baseUrl: settings.baseUrl, apiKey },
      buildMessages(pack.text, this.history, question),
      requestParams(settings),
      {
        onReasoning: (text) => this.post({ type: 'reasoningDelta', requestId, text }),
        onContent: (text) => this.post({ type: 'contentDelta', requestId, text }),
      },
      abort.signal,
    );
    if (this.running?.requestId === requestId) this.running = undefined;
    this.history.push({ question, answer: result.content });
    this.post({ type: 'end', requestId, outcome: result.outcome, ...(result.error ? { message: result.error.message } : {}) });
    if (result.error) this.showError(result.error);
  }

  private showError(error: LlmError): void {
    this.services.log.error(`request failed: ${error.kind} ${error.status ?? ''} ${error.message}`);
    if (error.kind === 'auth') {
      void vscode.window.showErrorMessage(error.message, 'Set API Key').then((a) => a && vscode.commands.executeCommand('deepseekRepo.setApiKey'));
    } else {
      void vscode.window.showErrorMessage(error.message);
    }
  }
}
