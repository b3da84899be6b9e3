// The user's actions as messages to the host: a question from the composer (asked, or edited and
// resent), and a click on the log (a link, a code block's or a change's button, a turn's action,
// a history entry). Kept apart from app.ts so that adding an action is one case here and one
// message in src/protocol.
import type { ConversationSnapshot, Mention, WebviewToHost } from '../protocol/messages';
import { runningRequest } from '../protocol/transcript';
import { codeActionMessage } from './codeBlocks';
import type { ComposedQuestion } from './composer';
import { parseFileRef } from './fileRefs';

/** The message that sends `q`: `ask`, or `editAndResend` when it edits an earlier question. */
export function questionMessage(q: ComposedQuestion): WebviewToHost {
  const { text, editing, withEditor, images, mentions } = q;
  return editing === undefined
    ? {
        type: 'ask',
        question: text,
        withEditor,
        ...(images ? { images } : {}),
        ...(mentions ? { mentions } : {}),
      }
    : { type: 'editAndResend', index: editing, question: text, withEditor, ...(mentions ? { mentions } : {}) };
}

/** What a click needs of the app besides the host. */
export interface ClickPorts {
  post(m: WebviewToHost): void;
  conversation(): ConversationSnapshot;
  /** Puts question `index` into the composer to edit and resend it. */
  edit(index: number, question: string, mentions: Mention[] | undefined): void;
  historyShown(): boolean;
  showHistory(show: boolean): void;
}

/** Acts on a click (or middle click) in the app: links go to the host, buttons by their `data-action`. */
export function onClick(e: MouseEvent, app: ClickPorts): void {
  const target = e.target as HTMLElement;
  const link = target.closest('a');
  if (link?.closest('.answer')) {
    e.preventDefault();
    const href = link.getAttribute('href') ?? '';
    if (/^https?:\/\//i.test(href)) app.post({ type: 'openLink', href });
    else {
      const ref = parseFileRef(href);
      if (ref) app.post({ type: 'openFile', ...ref });
    }
    return;
  }
  const button = target.closest<HTMLElement>('[data-action]');
  if (!button || e.type !== 'click') return;
  const action = button.dataset.action!;
  const turn = button.closest<HTMLElement>('.turn');
  const index = turn ? Number(turn.dataset.index) : -1;
  const id = button.closest<HTMLElement>('[data-id]')?.dataset.id;
  const conversation = app.conversation();
  switch (action) {
    case 'copyCode':
    case 'insertCode':
    case 'applyCode':
    case 'newFile': {
      const msg = codeActionMessage(button);
      if (msg) app.post(msg.type === 'applyCode' && index >= 0 ? { ...msg, turn: index } : msg);
      return;
    }
    case 'acceptChanges':
    case 'rejectChanges':
    case 'leaveOutChangeFile':
    case 'includeChangeFile': {
      const set = button.closest<HTMLElement>('[data-change-id]')?.dataset.changeId;
      const path = button.closest<HTMLElement>('[data-path]')?.dataset.path;
      if (!set) return;
      const accept = action === 'acceptChanges' || action === 'includeChangeFile';
      const one = action === 'leaveOutChangeFile' || action === 'includeChangeFile';
      app.post({ type: 'decideChanges', id: set, accept, ...(one && path ? { path } : {}) });
      return;
    }
    case 'undoChanges':
    case 'showChanges': {
      const set = button.closest<HTMLElement>('[data-change-id]')?.dataset.changeId;
      if (set) app.post({ type: action, id: set });
      return;
    }
    case 'edit':
      if (!runningRequest(conversation) && conversation.turns[index])
        app.edit(index, conversation.turns[index].question, conversation.turns[index].mentions);
      return;
    case 'undoTurn':
      if (index >= 0 && !runningRequest(conversation)) app.post({ type: 'undoTurn', index });
      return;
    case 'openFileChip': {
      const ref = parseFileRef(button.dataset.path ?? '');
      if (ref) app.post({ type: 'openFile', ...ref });
      return;
    }
    case 'copyAnswer':
      if (conversation.turns[index]) app.post({ type: 'copy', text: conversation.turns[index].answer });
      return;
    case 'starter':
      app.post({ type: 'ask', question: button.textContent ?? '' });
      return;
    case 'history':
      return app.showHistory(!app.historyShown());
    case 'closeHistory':
      return app.showHistory(false);
    case 'showContext':
      return app.post({ type: 'showContext' });
    case 'regenerate':
    case 'continue':
    case 'newChat':
    case 'setApiKey':
    case 'openContextSettings':
    case 'manageTrust':
      return app.post({ type: action });
    case 'openConversation':
    case 'exportConversation':
    case 'deleteConversation':
      if (id) app.post({ type: action, id });
      return;
  }
}
