// The webview app shared by the editor panel and the sidebar chat.
import { parseHostMessage, type HostToWebview, type WebviewToHost } from '../protocol/messages';
import { renderMarkdown } from './markdown';

declare function acquireVsCodeApi(): { postMessage(m: WebviewToHost): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();

const app = document.getElementById('app')!;
app.innerHTML = `
  <div id="log" class="log" role="log" aria-live="polite"></div>
  <form id="composer" class="composer">
    <textarea id="input" rows="3" placeholder="Ask about this repository (Enter to send, Shift+Enter for a new line)" aria-label="Question"></textarea>
    <div class="actions"><button id="stop" type="button" hidden>Stop</button><button id="send" type="submit">Ask</button></div>
  </form>`;
const log = document.getElementById('log')!;
const input = document.getElementById('input') as HTMLTextAreaElement;
const stopBtn = document.getElementById('stop') as HTMLButtonElement;

interface TurnView { root: HTMLElement; reasoning: HTMLElement; details: HTMLDetailsElement; answer: HTMLElement; status: HTMLElement; content: string; thinking: string }
const turns = new Map<string, TurnView>();
let current: string | undefined;

function turnView(requestId: string, question: string): TurnView {
  const root = document.createElement('section');
  root.className = 'turn';
  root.innerHTML = `<div class="question"></div><div class="context"></div><details class="thinking" open hidden><summary>Thinking</summary><div class="reasoning"></div></details><div class="answer markdown-body"></div><div class="status"></div>`;
  root.querySelector('.question')!.textContent = question;
  log.appendChild(root);
  const view = { root, reasoning: root.querySelector('.reasoning') as HTMLElement, details: root.querySelector('details') as HTMLDetailsElement, answer: root.querySelector('.answer') as HTMLElement, status: root.querySelector('.status') as HTMLElement, content: '', thinking: '' };
  turns.set(requestId, view);
  return view;
}

function handle(m: HostToWebview): void {
  switch (m.type) {
    case 'init':
      if (!m.hasKey && !log.childElementCount) log.innerHTML = `<p class="empty">Set your DeepSeek API key, then ask anything about this repository.</p>`;
      return;
    case 'clear':
      log.textContent = '';
      turns.clear();
      return;
    case 'turnStart':
      log.querySelector('.empty')?.remove();
      current = m.requestId;
      stopBtn.hidden = false;
      turnView(m.requestId, m.question).status.textContent = 'Reading the workspace…';
      return;
    case 'context': {
      const t = turns.get(m.requestId);
      if (t) {
        (t.root.querySelector('.context') as HTMLElement).textContent = `${m.summary.files} files · ${m.summary.tokens.toLocaleString()} tokens`;
        t.status.textContent = 'Waiting for DeepSeek…';
      }
      return;
    }
    case 'reasoningDelta': {
      const t = turns.get(m.requestId);
      if (!t) return;
      t.thinking += m.text;
      t.details.hidden = false;
      t.reasoning.textContent = t.thinking;
      t.status.textContent = 'Thinking…';
      return;
    }
    case 'contentDelta': {
      const t = turns.get(m.requestId);
      if (!t) return;
      if (!t.content) t.details.open = false;
      t.content += m.text;
      t.answer.innerHTML = renderMarkdown(t.content);
      t.status.textContent = '';
      return;
    }
    case 'end': {
      const t = turns.get(m.requestId);
      if (t) {
        t.status.textContent = m.outcome === 'complete' ? '' : m.outcome === 'cancelled' ? 'Stopped.' : m.outcome === 'interrupted' ? 'The answer was cut off.' : m.message ?? 'Error.';
        t.root.dataset.outcome = m.outcome;
      }
      if (current === m.requestId) {
        current = undefined;
        stopBtn.hidden = true;
      }
      return;
    }
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = parseHostMessage(e.data);
  if (m) handle(m);
});

function send(): void {
  const question = input.value.trim();
  if (!question) return;
  input.value = '';
  vscode.postMessage({ type: 'ask', question });
}
document.getElementById('composer')!.addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    send();
  } else if (e.key === 'Escape' && current) vscode.postMessage({ type: 'cancel', requestId: current });
});
stopBtn.addEventListener('click', () => current && vscode.postMessage({ type: 'cancel', requestId: current }));
log.addEventListener('click', (e) => {
  const a = (e.target as HTMLElement).closest('a');
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute('href');
  if (href) vscode.postMessage({ type: 'openLink', href });
});
vscode.postMessage({ type: 'ready' });
