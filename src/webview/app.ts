// The chat app (the same for the editor panel and the sidebar): applies validated host messages to
// the transcript and the DOM, routes the user's actions to the host, and keeps its state across
// being hidden (getState/setState). Deltas are buffered and rendered at most once per frame.
import {
  parseHostMessage,
  type ConversationListItem,
  type HostConfig,
  type HostToWebview,
  type Surface,
} from '../protocol/messages';
import { applyHostMessage, emptyConversation, runningRequest } from '../protocol/transcript';
import { changeAnnouncement } from './changeCard';
import { codeActionMessage, decorateCodeBlocks, openCodeBlock } from './codeBlocks';
import { Composer } from './composer';
import { h, iconButton } from './dom';
import { renderEmptyState } from './emptyState';
import { parseFileRef } from './fileRefs';
import { renderHistory } from './historyView';
import { warmUpHighlighter } from './highlight';
import { installKeyboard } from './keyboard';
import { FrameScheduler } from './scheduler';
import { TurnView } from './turnView';
import { persistedState, type PersistedState, type VsCodeApi } from './vscodeApi';

/** Milliseconds between state saves while an answer streams (setState copies the whole state). */
const SAVE_EVERY_MS = 1000;
/** Characters of an answer read out by screen readers when it completes. */
const ANNOUNCE_CHARS = 400;
/** Turns rendered at once when a conversation opens (the ones in view); older ones follow in slices. */
const EAGER_TURNS = 3;
/** Milliseconds of background rendering per slice, so opening a long conversation never blocks input. */
const SLICE_MS = 12;

export class App {
  private conversation = emptyConversation();
  private config: HostConfig | undefined;
  private views: TurnView[] = [];
  private readonly byRequest = new Map<string, TurnView>();
  private readonly dirty = new Set<TurnView>();
  private history: ConversationListItem[] | undefined;
  private readonly log: HTMLElement;
  private readonly turnsEl: HTMLElement;
  private readonly historyEl: HTMLElement;
  private readonly title: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly composer: Composer;
  private readonly scheduler = new FrameScheduler(() => this.flush());
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly perf = document.body.hasAttribute('data-perf');
  /** Bumped on every full re-render, so a stale background job stops. */
  private generation = 0;

  constructor(
    private readonly api: VsCodeApi,
    root: HTMLElement,
    surface: Surface,
  ) {
    document.body.dataset.surface = surface;
    this.title = h('span', { class: 'conversation-title' });
    this.turnsEl = h('div', { class: 'turns' });
    this.log = h(
      'main',
      { class: 'log', 'aria-label': 'Conversation' },
      this.turnsEl,
      h('div', { class: 'log-anchor' }),
    );
    this.historyEl = h('div', { class: 'history-host', hidden: true });
    this.announcer = h('div', { class: 'sr-only', 'aria-live': 'polite', role: 'status' });
    this.composer = new Composer({
      send: (text, editing, withEditor, images, mentions) =>
        this.api.postMessage(
          editing === undefined
            ? {
                type: 'ask',
                question: text,
                withEditor,
                ...(images ? { images } : {}),
                ...(mentions ? { mentions } : {}),
              }
            : { type: 'editAndResend', index: editing, question: text, withEditor, ...(mentions ? { mentions } : {}) },
        ),
      mentionQuery: (id, query) => this.api.postMessage({ type: 'mentionQuery', id, query }),
      attachFiles: (uris) => this.api.postMessage({ type: 'attachFiles', uris }),
      stop: () => this.stop(),
      lastQuestion: () => {
        const i = this.conversation.turns.length - 1;
        const t = this.conversation.turns[i];
        return t ? { index: i, text: t.question, mentions: t.mentions } : undefined;
      },
      options: (o) => {
        if (this.config) this.config = { ...this.config, ...o };
        this.composer.setHint(this.conversation);
        this.api.postMessage({ type: 'setOptions', ...o });
      },
      mode: (act) => {
        if (this.config) this.config = { ...this.config, act };
        this.api.postMessage({ type: 'setMode', act });
      },
      draftChanged: () => this.saveSoon(),
    });
    const header = h(
      'header',
      { class: 'app-header' },
      this.title,
      h('span', { class: 'spacer' }),
      iconButton('history', 'Past conversations', 'history'),
      iconButton('add', 'New chat', 'newChat', { class: 'icon-button new-chat' }),
    );
    root.replaceChildren(header, this.log, this.historyEl, this.composer.root, this.announcer);
    root.addEventListener('click', (e) => this.onClick(e));
    root.addEventListener('auxclick', (e) => this.onClick(e));
    installKeyboard({
      input: this.composer.input,
      focusInput: () => this.composer.focus(),
      stop: () => this.stop(),
      closeHistory: () => {
        if (this.historyEl.hidden) return false;
        this.showHistory(false);
        this.composer.focus();
        return true;
      },
    });
    window.addEventListener('message', (e: MessageEvent) => {
      const m = parseHostMessage(e.data);
      if (m) this.handle(m);
    });
    this.restore(this.api.getState());
    warmUpHighlighter();
    this.api.postMessage({ type: 'ready', ...(this.conversation.id ? { conversationId: this.conversation.id } : {}) });
  }

  private restore(raw: unknown): void {
    const saved = persistedState(raw);
    if (!saved) return this.renderAll();
    this.config = saved.config;
    this.conversation = saved.conversation;
    this.composer.input.value = saved.draft;
    this.composer.autosize();
    if (saved.config) this.composer.setConfig(saved.config, saved.conversation);
    this.renderAll();
  }

  /** Applies one validated host message. */
  handle(m: HostToWebview): void {
    const prev = this.conversation;
    // A webview restored from its saved state gets the same conversation replayed: keep the DOM.
    if (
      m.type === 'replay' &&
      m.conversation.turns.length === prev.turns.length &&
      JSON.stringify(m.conversation) === JSON.stringify(prev)
    )
      return;
    this.conversation = applyHostMessage(this.conversation, m);
    switch (m.type) {
      case 'init':
      case 'config':
        this.config = m.config;
        this.composer.setConfig(m.config, this.conversation);
        if (!this.conversation.turns.length) this.renderAll();
        this.save();
        return;
      case 'replay':
        this.showHistory(false);
        this.renderAll();
        this.saveSoon();
        // The focus was on what the replay removed (a history entry, New Chat): back to the box.
        if (document.hasFocus() && !document.activeElement?.closest('.composer')) this.composer.focus();
        return;
      case 'turnStart':
        return this.onTurnStart(m);
      case 'context':
        this.byRequest.get(m.requestId)?.setContext(m.summary);
        return;
      case 'usage':
        this.byRequest.get(m.requestId)?.setUsage(m.usage);
        return;
      case 'toolStep': {
        const v = this.byRequest.get(m.requestId);
        if (!v) return;
        this.scheduler.run(); // text streamed before the call shows before its step
        // The transcript moved the text said before the call into the step's note: show it there.
        const t = this.conversation.turns.find((x) => x.requestId === m.requestId);
        const step = t?.steps?.find((s) => s.id === m.step.id) ?? m.step;
        v.steps.set(step);
        if (step.note && t && !t.answer) v.answer.reset('', false);
        this.saveSoon();
        return;
      }
      case 'retry':
        this.byRequest
          .get(m.requestId)
          ?.setNotice(`${m.message}: retrying in ${Math.ceil(m.delayMs / 1000)} s (attempt ${m.attempt})…`);
        return;
      case 'notice':
        this.byRequest.get(m.requestId)?.setNotice(m.message);
        return;
      case 'reasoningDelta':
      case 'contentDelta': {
        const v = this.byRequest.get(m.requestId);
        if (!v) return;
        if (m.type === 'reasoningDelta') v.appendReasoning(m.text);
        else v.appendAnswer(m.text);
        v.setNotice(undefined);
        this.dirty.add(v);
        this.scheduler.request();
        this.saveSoon();
        return;
      }
      case 'end':
        return this.onEnd(m);
      case 'history':
        this.history = m.conversations;
        if (!this.historyEl.hidden) {
          // The list replaces "Loading…": the focus that was in it moves to the newest conversation.
          const focusIn = this.historyEl.contains(document.activeElement);
          this.historyEl.replaceChildren(renderHistory(this.history));
          if (focusIn)
            (
              this.historyEl.querySelector<HTMLElement>('.history-open') ?? this.historyEl.querySelector('button')
            )?.focus();
        }
        return;
      case 'editor':
        this.composer.setEditor(m.label, m.note);
        return;
      case 'attachImages':
        void this.composer.attachments.addUploads(m.images, m.refused);
        this.composer.input.focus();
        return;
      case 'unsent':
        this.composer.giveBack(m.question, m.mentions);
        return;
      case 'mentionResults':
        this.composer.mentions.results(m.id, m.items, m.note);
        return;
      case 'changes':
        this.views[m.turn]?.setChanges(this.conversation.turns[m.turn]?.changes);
        this.announce(changeAnnouncement(m.changes));
        this.save(); // rare, and Undo must survive the view being hidden at once
        return;
      case 'showHistory':
        return this.showHistory(true);
      case 'focusInput':
        this.composer.focus();
        return;
    }
  }

  private onTurnStart(m: Extract<HostToWebview, { type: 'turnStart' }>): void {
    this.scheduler.run();
    this.showHistory(false);
    const continued = m.continued ? this.views[m.index] : undefined;
    if (continued) {
      const v = continued;
      for (const dead of this.views.splice(m.index + 1)) dead.root.remove();
      this.byRequest.set(m.requestId, v);
      v.answer.reset(v.answer.value, false);
      v.setOutcome({}, true);
    } else {
      if (!this.views.length) this.turnsEl.replaceChildren();
      for (const dead of this.views.splice(m.index)) dead.root.remove();
      // applyHostMessage appended the turn (at m.index, or at the end when the host skipped one).
      const turn = this.conversation.turns.at(-1);
      if (!turn) return;
      const v = this.newView(this.views.length);
      v.show(turn, true);
      this.byRequest.set(m.requestId, v);
    }
    this.refreshLastActions();
    this.title.textContent = this.conversation.title;
    this.composer.setRunning(true);
    this.log.scrollTop = this.log.scrollHeight;
    this.save();
  }

  private onEnd(m: Extract<HostToWebview, { type: 'end' }>): void {
    const v = this.byRequest.get(m.requestId);
    if (!v) return;
    this.scheduler.run();
    this.byRequest.delete(m.requestId);
    v.setOutcome(m, v === this.views[this.views.length - 1]);
    if (!runningRequest(this.conversation)) this.composer.setRunning(false);
    const answer = (v.root.querySelector('.answer')?.textContent ?? '').trim();
    this.announce(
      m.outcome === 'complete'
        ? `Answer ready.${m.message ? ` Warning: ${m.message}` : ''} ${answer.slice(0, ANNOUNCE_CHARS)}`
        : (m.message ?? (m.outcome === 'cancelled' ? 'Stopped.' : 'The answer was cut off.')),
    );
    this.save();
  }

  private newView(index: number): TurnView {
    const v = new TurnView(index, { onFrozen: decorateCodeBlocks, openFence: openCodeBlock });
    this.views.push(v);
    this.turnsEl.append(v.root);
    return v;
  }

  /** Rebuilds the log from the transcript (restore, replay, New Chat). */
  private renderAll(): void {
    this.views = [];
    this.byRequest.clear();
    this.dirty.clear();
    this.turnsEl.replaceChildren();
    const turns = this.conversation.turns;
    if (!turns.length) this.turnsEl.append(renderEmptyState(this.config));
    const later: (() => void)[] = [];
    turns.forEach((t, i) => {
      const v = this.newView(i);
      const last = i === turns.length - 1;
      if (i >= turns.length - EAGER_TURNS || t.outcome === undefined) v.show(t, last);
      else {
        v.showQuestion(t);
        later.unshift(() => v.show(t, last));
      }
      if (t.requestId && t.outcome === undefined) this.byRequest.set(t.requestId, v);
    });
    this.renderLater(later, ++this.generation);
    this.title.textContent = this.conversation.title;
    this.composer.setRunning(!!runningRequest(this.conversation));
    if (this.config) this.composer.setHint(this.conversation);
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** Runs `jobs` (newest turn first) in slices of SLICE_MS between frames. */
  private renderLater(jobs: (() => void)[], generation: number): void {
    if (!jobs.length) return;
    setTimeout(() => {
      if (generation !== this.generation) return;
      const end = performance.now() + SLICE_MS;
      while (jobs.length && performance.now() < end) jobs.shift()!();
      this.renderLater(jobs, generation);
    });
  }

  /** Only the last turn offers Regenerate / Continue. */
  private refreshLastActions(): void {
    const n = this.views.length;
    if (n < 2) return;
    const t = this.conversation.turns[n - 2];
    if (t?.outcome) this.views[n - 2]!.setOutcome(t, false);
  }

  private flush(): void {
    const start = this.perf ? performance.now() : 0;
    for (const v of this.dirty) v.flush();
    this.dirty.clear();
    if (this.perf) performance.measure('dsr:flush', { start });
  }

  /** Stops the running answer; false when none runs. */
  private stop(): boolean {
    const id = runningRequest(this.conversation);
    if (id) this.api.postMessage({ type: 'cancel', requestId: id });
    return !!id;
  }

  private announce(text: string): void {
    this.announcer.textContent = '';
    // A separate task, so screen readers notice the change even when the text repeats.
    setTimeout(() => (this.announcer.textContent = text), 50);
  }

  private showHistory(show: boolean): void {
    this.historyEl.hidden = !show;
    this.log.hidden = show;
    if (show) {
      this.historyEl.replaceChildren(renderHistory(this.history));
      this.api.postMessage({ type: 'listHistory' });
      this.historyEl.querySelector<HTMLElement>('button')?.focus();
    }
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const link = target.closest('a');
    if (link?.closest('.answer')) {
      e.preventDefault();
      const href = link.getAttribute('href') ?? '';
      if (/^https?:\/\//i.test(href)) this.api.postMessage({ type: 'openLink', href });
      else {
        const ref = parseFileRef(href);
        if (ref) this.api.postMessage({ type: 'openFile', ...ref });
      }
      return;
    }
    const button = target.closest<HTMLElement>('[data-action]');
    if (!button || e.type !== 'click') return;
    const action = button.dataset.action!;
    const turn = button.closest<HTMLElement>('.turn');
    const index = turn ? Number(turn.dataset.index) : -1;
    const id = button.closest<HTMLElement>('[data-id]')?.dataset.id;
    switch (action) {
      case 'copyCode':
      case 'insertCode':
      case 'applyCode':
      case 'newFile': {
        const msg = codeActionMessage(button);
        if (msg) this.api.postMessage(msg.type === 'applyCode' && index >= 0 ? { ...msg, turn: index } : msg);
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
        this.api.postMessage({ type: 'decideChanges', id: set, accept, ...(one && path ? { path } : {}) });
        return;
      }
      case 'undoChanges':
      case 'showChanges': {
        const set = button.closest<HTMLElement>('[data-change-id]')?.dataset.changeId;
        if (set) this.api.postMessage({ type: action, id: set });
        return;
      }
      case 'edit':
        if (!runningRequest(this.conversation) && this.conversation.turns[index])
          this.composer.edit(index, this.conversation.turns[index].question, this.conversation.turns[index].mentions);
        return;
      case 'undoTurn':
        if (index >= 0 && !runningRequest(this.conversation)) this.api.postMessage({ type: 'undoTurn', index });
        return;
      case 'openFileChip': {
        const ref = parseFileRef(button.dataset.path ?? '');
        if (ref) this.api.postMessage({ type: 'openFile', ...ref });
        return;
      }
      case 'copyAnswer':
        if (this.conversation.turns[index])
          this.api.postMessage({ type: 'copy', text: this.conversation.turns[index].answer });
        return;
      case 'starter':
        this.api.postMessage({ type: 'ask', question: button.textContent ?? '' });
        return;
      case 'history':
        return this.showHistory(this.historyEl.hidden === true);
      case 'closeHistory':
        return this.showHistory(false);
      case 'showContext':
        return this.api.postMessage({ type: 'showContext' });
      case 'regenerate':
      case 'continue':
      case 'newChat':
      case 'setApiKey':
      case 'openContextSettings':
      case 'manageTrust':
        return this.api.postMessage({ type: action });
      case 'openConversation':
      case 'exportConversation':
      case 'deleteConversation':
        if (id) this.api.postMessage({ type: action, id });
        return;
    }
  }

  private saveSoon(): void {
    this.saveTimer ??= setTimeout(() => this.save(), SAVE_EVERY_MS);
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const state: PersistedState = {
      conversation: this.conversation,
      draft: this.composer.input.value,
      ...(this.config ? { config: this.config } : {}),
    };
    this.api.setState(state);
  }
}
