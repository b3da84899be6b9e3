// The HTML shell of the webview app and its Content-Security-Policy, as plain functions (no
// `vscode` import) so the browser tests and the benchmark load the app under exactly the policy
// VS Code does. Strict: scripts only by nonce, styles/fonts/images only from the extension,
// Trusted Types for every HTML sink, nothing remote, no inline styles, no eval.

export interface ShellOptions {
  /** `webview.cspSource`: the origin our own files are served from. */
  cspSource: string;
  /** A fresh random nonce (base64) for this page. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  surface: 'panel' | 'sidebar';
  /** Scripts to run before the app (test harnesses only), sharing the nonce. */
  preludeScriptUris?: string[];
}

/** The Content-Security-Policy for the webview page. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "connect-src 'none'",
    "media-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types dsr dompurify',
  ].join('; ');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The complete HTML page of the app. */
export function webviewShellHtml(o: ShellOptions): string {
  const scripts = [...(o.preludeScriptUris ?? []), o.scriptUri]
    .map((src) => `<script nonce="${attr(o.nonce)}" src="${attr(src)}"></script>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>DeepSeek Repo</title>
</head>
<body data-surface="${o.surface}">
<div id="app"></div>
${scripts}
</body>
</html>`;
}
