// The HTML shell of the webview app, shared by the panel and the sidebar: a strict CSP that allows
// only our own script (by nonce) and our own styles/fonts, no remote anything.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, surface: 'panel' | 'sidebar'): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'webview', 'app.css')}">
<title>DeepSeek Repo</title>
</head>
<body data-surface="${surface}">
<div id="app"></div>
<script nonce="${nonce}" src="${asset('dist', 'webview', 'app.js')}"></script>
</body>
</html>`;
}
