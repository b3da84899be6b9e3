// The webview options and HTML for the panel and the sidebar: the same app, a fresh nonce per page,
// resources only from dist/webview.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import { webviewShellHtml } from './webviewShell';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

export function renderWebviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  surface: 'panel' | 'sidebar',
): string {
  const asset = (name: string) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  return webviewShellHtml({
    cspSource: webview.cspSource,
    nonce: crypto.randomBytes(18).toString('base64'),
    scriptUri: asset('app.js'),
    styleUri: asset('app.css'),
    surface,
  });
}
