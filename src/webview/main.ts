// Entry point of the webview bundle (dist/webview/app.js), shared by the editor panel and the
// sidebar chat: the host's HTML shell says which one it is in `data-surface`.
import { App } from './app';
import { getVsCodeApi } from './vscodeApi';

new App(
  getVsCodeApi(),
  document.getElementById('app')!,
  document.body.dataset.surface === 'sidebar' ? 'sidebar' : 'panel',
);
