// Entry point of the webview bundle (dist/webview/app.js), shared by the editor panel and the
// sidebar chat: the host's HTML shell says which one it is in `data-surface`.
import { App } from './app';
import { getVsCodeApi } from './vscodeApi';

const root = document.getElementById('app');
if (!root) throw new Error('DeepSeek Repo: the webview page has no #app element');
new App(getVsCodeApi(), root, document.body.dataset.surface === 'sidebar' ? 'sidebar' : 'panel');
