// The editor panel: one "DeepSeek Repo" webview panel, reused while it is open. After a window
// reload VS Code restores it through the serializer, and the app's saved state names the
// conversation for the host to reopen.
import * as vscode from 'vscode';
import { ChatController, type Services } from './chatController';
import { tapWebview } from './testHooks';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export class AnswerPanel {
  static readonly viewType = 'deepseekRepo.answer';
  private static current: AnswerPanel | undefined;
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
    panel.onDidDispose(() => {
      this.controller.dispose();
      if (AnswerPanel.current === this) AnswerPanel.current = undefined;
    });
  }

  /** Shows the panel (creating it if needed) and returns it. */
  static show(extensionUri: vscode.Uri, services: Services): AnswerPanel {
    if (AnswerPanel.current) {
      AnswerPanel.current.panel.reveal(undefined, true);
      return AnswerPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(
      AnswerPanel.viewType,
      'DeepSeek Repo',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { ...webviewOptions(extensionUri), retainContextWhenHidden: false },
    );
    AnswerPanel.current = new AnswerPanel(panel, extensionUri, services);
    return AnswerPanel.current;
  }

  /** Restores a panel VS Code kept across a window reload. */
  static serializer(extensionUri: vscode.Uri, services: Services): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        AnswerPanel.current?.panel.dispose();
        AnswerPanel.current = new AnswerPanel(panel, extensionUri, services);
      },
    };
  }

  /** The tab title (the task an editor command runs, or the default). */
  setTitle(title: string): void {
    this.panel.title = title.length > 60 ? `${title.slice(0, 57)}…` : title;
  }

  static dispose(): void {
    AnswerPanel.current?.panel.dispose();
  }
}
