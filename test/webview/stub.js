// Harness prelude (runs before dist/webview/app.js under the real CSP): stands in for VS Code.
// acquireVsCodeApi records posted messages and keeps state in sessionStorage (so a reload restores
// it, like a hidden webview coming back); theme variables are set through the CSSOM, as VS Code
// does; hostile-content canaries record anything that executes or violates the CSP.
(function () {
  const params = new URLSearchParams(location.search);
  const theme = window.__THEMES[params.get('theme') || 'dark'];
  for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
  document.body.dataset.surface = params.get('surface') || 'panel';
  if (params.has('perf')) document.body.setAttribute('data-perf', '');
  window.__posted = [];
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
  );
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null'),
      setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
    };
  };
  /** Posts a host message the way VS Code does (a message event on the window). */
  window.__host = (m) => window.postMessage(m, '*');
})();
