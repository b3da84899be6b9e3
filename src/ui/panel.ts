// The editor panels: "DeepSeek Repo" webview panels. The latest is reused while it shows no
// conversation; an editor command's answer never replaces one the user is reading: it opens in a
// tab of its own beside it. After a window reload VS Code restores each panel
// through the serializer, and the app's saved state names the conversation for the host to reopen.
import * as vscode from 'vscode';
import { ChatController, type Services } from './chatController';
import { tapWebview } from './testHooks';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export class AnswerPanel {
  static readonly viewType = 'deepseekRepo.answer';
  /** The panel commands go to (the latest opened or restored). */
  private static current: AnswerPanel | undefined;
  private static readonly open = new Set<AnswerPanel>();
  readonly controller: ChatController;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    services: Services,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'deepseek.svg');
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, 'panel');
    this.controller = new ChatController(tapWebview(panel.webview, 'panel'), 'panel', services);
    AnswerPanel.open.add(this);
    panel.onDidDispose(() => {
      this.controller.dispose();
      AnswerPanel.open.delete(this);
      if (AnswerPanel.current === this) AnswerPanel.current = [...AnswerPanel.open].at(-1);
    });
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) AnswerPanel.current = this;
    });
  }

  /**
   * Shows the panel (creating it if needed) and returns it. `fresh`: the caller starts a new
   * conversation in it (an editor command): a panel that shows one is left as it is, and a new
   * tab opens beside it, in the same editor group.
   */
  static show(extensionUri: vscode.Uri, services: Services, opts: { fresh?: boolean } = {}): AnswerPanel {
    const current = AnswerPanel.current;
    if (current && !(opts.fresh && current.controller.showsConversation)) {
      current.panel.reveal(undefined, true);
      return current;
    }
    const panel = vscode.window.createWebviewPanel(
      AnswerPanel.viewType,
      'DeepSeek Repo',
      { viewColumn: current?.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(extensionUri), retainContextWhenHidden: false },
    );
    AnswerPanel.current = new AnswerPanel(panel, extensionUri, services);
    return AnswerPanel.current;
  }

  /** Restores a panel VS Code kept across a window reload. */
  static serializer(extensionUri: vscode.Uri, services: Services): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        AnswerPanel.current = new AnswerPanel(panel, extensionUri, services);
      },
    };
  }

  /** The tab title (the task an editor command runs, or the default). */
  setTitle(title: string): void {
    this.panel.title = title.length > 60 ? `${title.slice(0, 57)}…` : title;
  }

  static dispose(): void {
    for (const p of [...AnswerPanel.open]) p.panel.dispose();
  }
}
