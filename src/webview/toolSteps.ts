// An agent turn's tool calls in the chat: one compact, collapsible step each (what was read or
// searched, the change set with each file's state, the command with its exit code and output),
// updated live while it runs and rebuilt the same from a replayed transcript. Text goes in as text.
import type { ToolStep } from '../protocol/messages';
import { h, icon } from './dom';

const ICONS: Record<string, string> = {
  read_files: 'file',
  search: 'search',
  edit_files: 'edit',
  run_command: 'terminal',
  get_problems: 'warning',
};

/** A file state as the step says it. */
const STATE_TEXT: Record<string, string> = {
  applied: 'applied',
  created: 'created',
  rejected: 'rejected',
  pending: 'awaiting review',
  failed: 'not written',
  stopped: 'not applied: the turn stopped',
  'not-matched': 'did not match',
  refused: 'refused',
};

export class ToolStepsView {
  readonly root = h('div', { class: 'tool-steps', hidden: true });
  private readonly byId = new Map<string, HTMLElement>();

  /** Shows `steps` (a replayed or restored turn), replacing what was shown. */
  show(steps: readonly ToolStep[]): void {
    this.byId.clear();
    this.root.replaceChildren();
    steps.forEach((s) => this.set(s));
    this.root.hidden = steps.length === 0;
  }

  /** True when a step wrote files (a change set applied or created files): the turn offers Undo. */
  get changedFiles(): boolean {
    return [...this.byId.values()].some((el) => el.querySelector('li[data-state="applied"], li[data-state="created"]'));
  }

  /** Adds step `s`, or updates the one with its id (it finished). */
  set(s: ToolStep): void {
    const old = this.byId.get(s.id);
    const open = (old && detailsOf(old)?.open) ?? false;
    const el = render(s);
    const details = detailsOf(el);
    if (details) details.open = open;
    if (old) old.replaceWith(el);
    else this.root.append(el);
    this.byId.set(s.id, el);
    this.root.hidden = false;
  }
}

/** The collapsible part of a rendered step (the element itself, or inside its group with the note). */
const detailsOf = (el: HTMLElement): HTMLDetailsElement | null =>
  el instanceof HTMLDetailsElement ? el : el.querySelector('details');

function render(s: ToolStep): HTMLElement {
  const state = s.ok === undefined ? 'running' : s.ok ? 'ok' : 'failed';
  const status =
    state === 'running'
      ? h('i', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-label': 'running' })
      : h('i', {
          class: `codicon codicon-${state === 'ok' ? 'check' : 'circle-slash'}`,
          'aria-label': state === 'ok' ? 'done' : 'did not succeed',
        });
  const body = h('div', { class: 'tool-step-body' });
  if (s.summary) body.append(h('div', { class: 'tool-step-summary' }, s.summary));
  if (s.files?.length)
    body.append(
      h(
        'ul',
        { class: 'tool-step-files' },
        ...s.files.map((f) =>
          h(
            'li',
            { 'data-state': f.state },
            h('span', { class: 'tool-step-path' }, f.path),
            ' ',
            h('span', { class: 'tool-step-state' }, STATE_TEXT[f.state] ?? f.state),
          ),
        ),
      ),
    );
  // The summary usually says the exit code already ("`npm test`: exit code 0").
  if (s.exitCode !== undefined && !s.summary?.includes(`exit code ${s.exitCode}`))
    body.append(h('div', { class: 'tool-step-exit' }, `exit code ${s.exitCode}`));
  if (s.output) body.append(h('pre', { class: 'tool-step-output' }, s.output));
  const details = h(
    'details',
    { class: 'tool-step', 'data-state': state, 'data-tool': s.name },
    h(
      'summary',
      { title: s.summary ?? s.label },
      icon(ICONS[s.name] ?? 'tools'),
      h('span', { class: 'tool-step-label' }, s.label),
      status,
    ),
    body,
  );
  return s.note
    ? h('div', { class: 'tool-step-group' }, h('p', { class: 'tool-step-note' }, s.note), details)
    : details;
}
