// A change proposed from an answer, shown under that answer: while it is reviewed, the files with
// their added/removed lines and Accept / Reject (per file too when there are several) and Show Diff;
// once applied, what was applied and Undo; then what Undo did; or that it was rejected, or not
// applied because the turn stopped before the user decided. Buttons carry `data-action` and the
// set's id; the app routes them to the host.
import type { ChangeSetSummary } from '../protocol/messages';
import { h, icon, iconButton, textButton } from './dom';

type FileSummary = ChangeSetSummary['files'][number];

const HEADINGS: Record<ChangeSetSummary['status'], { icon: string; text: (n: number) => string }> = {
  reviewing: { icon: 'diff', text: (n) => (n === 1 ? 'Proposed change' : `Proposed changes to ${n} files`) },
  applied: { icon: 'check', text: (n) => (n === 1 ? 'Applied' : `Applied to ${n} files`) },
  rejected: { icon: 'close', text: () => 'Rejected: nothing was changed' },
  undone: { icon: 'discard', text: () => 'Undone' },
  failed: { icon: 'warning', text: () => 'Not applied' },
  stopped: { icon: 'debug-stop', text: () => STOPPED },
};

/** A set whose review the turn's end (Stop, a reload) cut short: the user decided nothing. */
const STOPPED = 'Not applied: the turn stopped before you decided';

function fileRow(f: FileSummary, s: ChangeSetSummary, many: boolean): HTMLElement {
  const dropped = f.state === 'rejected' && s.status !== 'rejected';
  const row = h(
    'li',
    { class: `change-file${dropped ? ' dropped' : ''}`, 'data-path': f.path },
    h('span', { class: 'change-path', title: f.path }, f.path),
    f.created ? h('span', { class: 'change-tag' }, 'new') : undefined,
    h('span', { class: 'change-added', 'aria-label': `${f.added} lines added` }, `+${f.added}`),
    h('span', { class: 'change-removed', 'aria-label': `${f.removed} lines removed` }, `−${f.removed}`),
    f.state === 'edited' && s.status === 'applied' ? h('span', { class: 'change-tag' }, 'edited') : undefined,
    dropped ? h('span', { class: 'change-tag' }, 'left out') : undefined,
  );
  if (many && s.status === 'reviewing')
    row.append(
      f.state === 'rejected'
        ? iconButton('add', `Include ${f.path} again`, 'includeChangeFile')
        : iconButton('close', `Leave out ${f.path}`, 'leaveOutChangeFile'),
    );
  if (f.note) row.append(h('span', { class: 'change-note' }, f.note));
  return row;
}

/** The card for one change set. */
export function renderChangeSet(s: ChangeSetSummary): HTMLElement {
  const done = s.status === 'applied' || s.status === 'undone';
  const kept = s.files.filter((f) => !done || f.state === 'accepted' || f.state === 'edited');
  const heading = HEADINGS[s.status];
  /** Rejected, or the turn stopped before a decision: nothing changed, no files to list. */
  const changed = s.status !== 'rejected' && s.status !== 'stopped';
  const many = s.files.length > 1;
  const actions = h('div', { class: 'change-actions' });
  if (s.status === 'reviewing') {
    const n = s.files.filter((f) => f.state !== 'rejected').length;
    actions.append(
      textButton(many ? `Accept ${n} File${n === 1 ? '' : 's'}` : 'Accept', 'acceptChanges', { icon: 'check' }),
      textButton(many ? 'Reject All' : 'Reject', 'rejectChanges', { icon: 'close', secondary: true }),
      textButton('Show Diff', 'showChanges', { icon: 'diff', secondary: true }),
    );
  } else if (s.status === 'applied')
    actions.append(textButton('Undo', 'undoChanges', { icon: 'discard', secondary: true }));
  return h(
    'div',
    {
      class: 'change-set',
      'data-change-id': s.id,
      'data-status': s.status,
      role: 'group',
      'aria-label': `${heading.text(kept.length)}: ${kept.map((f) => f.path).join(', ')}`,
    },
    h('div', { class: 'change-head' }, icon(heading.icon), h('span', {}, heading.text(kept.length))),
    changed ? h('ul', { class: 'change-files' }, ...kept.map((f) => fileRow(f, s, many))) : undefined,
    s.message ? h('div', { class: 'change-message' }, s.message) : undefined,
    actions.childElementCount ? actions : undefined,
  );
}

/** What a screen reader hears when a set changes state. */
export function changeAnnouncement(s: ChangeSetSummary): string {
  const files = s.files.filter((f) => f.state !== 'rejected').map((f) => `${f.path} +${f.added} −${f.removed}`);
  switch (s.status) {
    case 'reviewing':
      return `Proposed change: ${files.join(', ')}. Accept or Reject under the answer.`;
    case 'applied':
      return `Applied: ${files.join(', ')}. Undo is under the answer.`;
    case 'rejected':
      return 'Change rejected: nothing was changed.';
    case 'undone':
      return `Undone. ${s.message ?? ''}`;
    case 'failed':
      return `Not applied. ${s.message ?? ''}`;
    case 'stopped':
      return `${STOPPED}: nothing was changed.`;
  }
}
