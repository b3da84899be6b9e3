// The editor panel: one "DeepSeek Repo" webview panel, reused while it is open.
import * as vscode from 'vscode';
import { ChatController, type Services } from './chatController';
import { tapWebview } from './testHooks';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export class AnswerPanel {
  private static current: AnswerPanel | undefined;
  readonly controller: ChatController;

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, services: Services) {
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
    const panel = vscode.window.createWebviewPanel('deepseekRepo.answer', 'DeepSeek Repo', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'deepseek.svg');
    AnswerPanel.current = new AnswerPanel(panel, extensionUri, services);
    return AnswerPanel.current;
  }

  static dispose(): void {
    AnswerPanel.current?.panel.dispose();
  }
}
