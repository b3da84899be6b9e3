// What a new chat shows: what to do first (trust the workspace, open a folder, set the key), then
// a few questions to start with.
import type { HostConfig } from '../protocol/messages';
import { h, icon, textButton } from './dom';

export const STARTERS = [
  'Give me a tour of this codebase: the main parts and how they fit together.',
  'Where does a request enter, and what path does it take through the code?',
  'What are the riskiest or most fragile parts of this code, and why?',
];

export function renderEmptyState(c: HostConfig | undefined): HTMLElement {
  const root = h(
    'div',
    { class: 'empty' },
    h('h2', {}, icon('comment-discussion'), ' Ask about your whole repository'),
  );
  if (!c) return root;
  if (!c.trusted) {
    root.append(
      h('p', {}, 'This workspace is in Restricted Mode: DeepSeek Repo sends nothing until you trust it.'),
      textButton('Manage Workspace Trust', 'manageTrust', { icon: 'shield' }),
    );
    return root;
  }
  if (!c.hasWorkspace) {
    root.append(h('p', {}, 'Open a folder first: DeepSeek Repo answers questions about the files of your workspace.'));
    return root;
  }
  const ready = c.hasKey || c.localEndpoint !== undefined;
  const keyStep = c.hasKey
    ? 'DeepSeek API key is set.'
    : c.localEndpoint !== undefined
      ? `No API key needed: ${c.localEndpoint} is on this machine.`
      : 'Set your DeepSeek API key (stored in VS Code’s secret storage).';
  const steps = h('ol', { class: 'steps' });
  steps.append(
    // Struck through when done; "no key needed" is a fact to read, not a step done.
    h(
      'li',
      { class: c.hasKey ? 'done' : undefined },
      keyStep,
      ready ? undefined : h('div', {}, textButton('Set API Key', 'setApiKey', { icon: 'key' })),
    ),
    h(
      'li',
      {},
      'Ask anything below. The whole codebase goes into one prompt, and follow-up questions re-read it from ' +
        'DeepSeek’s cache at a fraction of the price.',
    ),
  );
  root.append(steps);
  if (ready) {
    const starters = h('div', { class: 'starters', role: 'group', 'aria-label': 'Example questions' });
    for (const q of STARTERS)
      starters.append(h('button', { type: 'button', class: 'starter secondary', 'data-action': 'starter' }, q));
    root.append(starters);
  }
  return root;
}
