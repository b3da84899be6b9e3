// The sidebar chat: the same webview app as the panel, as a conversation in the activity bar. The
// conversation backend outlives the webview (VS Code may dispose and re-resolve the view).
import * as vscode from 'vscode';
import { ChatController, type Services } from './chatController';
import type { SessionBackend } from './sessionBackend';
import { tapWebview } from './testHooks';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

export class SidebarChat implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'deepseekRepo.chat';
  controller: ChatController | undefined;
  private readonly backend: SessionBackend;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: Services,
  ) {
    this.backend = services.newBackend({ draft: 'sidebar' });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, 'sidebar');
    this.controller?.dispose();
    const controller = new ChatController(tapWebview(view.webview, 'sidebar'), 'sidebar', this.services, this.backend);
    this.controller = controller;
    view.onDidChangeVisibility(() => view.visible && this.services.prereadContext());
    view.onDidDispose(() => {
      controller.dispose();
      if (this.controller === controller) this.controller = undefined;
    });
  }

  dispose(): void {
    this.controller?.dispose();
  }
}
