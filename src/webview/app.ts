// The chat app (the same for the editor panel and the sidebar): applies validated host messages to
// the transcript and the DOM, routes the user's actions to the host, and keeps its state across
// being hidden (getState/setState). Deltas are buffered and rendered at most once per frame.
import {
  parseHostMessage,
  type HostConfig,
  type HostToWebview,
  type Mention,
  type Surface,
  type WebviewToHost,
} from '../protocol/messages';
import { applyHostMessage, emptyConversation, runningRequest } from '../protocol/transcript';
import { Announcer, endAnnouncement } from './announcer';
import { changeAnnouncement } from './changeCard';
import { Composer } from './composer';
import { h, iconButton } from './dom';
import { HistoryPanel } from './historyView';
import { warmUpHighlighter } from './highlight';
import { installKeyboard } from './keyboard';
import { FrameScheduler } from './scheduler';
import { TurnLog } from './turnLog';
import { onClick, questionMessage } from './userActions';
import { persistedState, type PersistedState, type VsCodeApi } from './vscodeApi';

/** Milliseconds between state saves while an answer streams (setState copies the whole state). */
const SAVE_EVERY_MS = 1000;

export class App {
  private conversation = emptyConversation();
  private config: HostConfig | undefined;
  private readonly turns = new TurnLog(document.body.hasAttribute('data-perf'));
  private readonly log: HTMLElement;
  private readonly history: HistoryPanel;
  private readonly title: HTMLElement;
  private readonly announcer = new Announcer();
  private readonly composer: Composer;
  private readonly scheduler = new FrameScheduler(() => this.turns.flush());
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: VsCodeApi,
    root: HTMLElement,
    surface: Surface,
  ) {
    document.body.dataset.surface = surface;
    this.title = h('span', { class: 'conversation-title' });
    this.log = h(
      'main',
      { class: 'log', 'aria-label': 'Conversation' },
      this.turns.root,
      h('div', { class: 'log-anchor' }),
    );
    this.history = new HistoryPanel({
      log: this.log,
      listHistory: () => this.api.postMessage({ type: 'listHistory' }),
    });
    this.composer = new Composer({
      send: (question) => this.api.postMessage(questionMessage(question)),
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
      draftImages: (images) => this.api.postMessage({ type: 'draftImages', images }),
    });
    const header = h(
      'header',
      { class: 'app-header' },
      this.title,
      h('span', { class: 'spacer' }),
      iconButton('history', 'Past conversations', 'history'),
      iconButton('add', 'New chat', 'newChat', { class: 'icon-button new-chat' }),
    );
    root.replaceChildren(header, this.log, this.history.root, this.composer.root, this.announcer.root);
    const clicks = {
      post: (m: WebviewToHost) => this.api.postMessage(m),
      conversation: () => this.conversation,
      edit: (index: number, question: string, mentions: Mention[] | undefined) =>
        this.composer.edit(index, question, mentions),
      historyShown: () => this.history.shown,
      showHistory: (show: boolean) => this.history.show(show),
    };
    root.addEventListener('click', (e) => onClick(e, clicks));
    root.addEventListener('auxclick', (e) => onClick(e, clicks));
    installKeyboard({
      input: this.composer.input,
      focusInput: () => this.composer.focus(),
      stop: () => this.stop(),
      closeHistory: () => {
        if (!this.history.shown) return false;
        this.history.show(false);
        this.composer.focus();
        return true;
      },
    });
    window.addEventListener('message', (e: MessageEvent) => {
      const m = parseHostMessage(e.data);
      if (m) this.handle(m);
    });
    this.restore(this.api.getState());
    // A webview hidden or reloaded goes without a last timer tick: what was typed this second is kept too.
    window.addEventListener('pagehide', () => this.save());
    warmUpHighlighter();
    this.api.postMessage({ type: 'ready', ...(this.conversation.id ? { conversationId: this.conversation.id } : {}) });
  }

  private restore(raw: unknown): void {
    const saved = persistedState(raw);
    if (!saved) return this.renderAll();
    this.config = saved.config;
    this.conversation = saved.conversation;
    this.composer.input.value = saved.draft;
    this.composer.mentions.set(saved.draftMentions ?? []);
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
        this.history.show(false);
        this.renderAll();
        this.saveSoon();
        // The focus was on what the replay removed (a history entry, New Chat): back to the box.
        if (document.hasFocus() && !document.activeElement?.closest('.composer')) this.composer.focus();
        return;
      case 'turnStart':
        return this.onTurnStart(m);
      case 'context':
        this.turns.streaming(m.requestId)?.setContext(m.summary);
        return;
      case 'usage':
        this.turns.streaming(m.requestId)?.setUsage(m.usage);
        return;
      case 'toolStep': {
        const v = this.turns.streaming(m.requestId);
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
        this.turns
          .streaming(m.requestId)
          ?.setNotice(`${m.message}: retrying in ${Math.ceil(m.delayMs / 1000)} s (attempt ${m.attempt})…`);
        return;
      case 'notice':
        this.turns.streaming(m.requestId)?.setNotice(m.message);
        return;
      case 'reasoningDelta':
      case 'contentDelta': {
        const v = this.turns.streaming(m.requestId);
        if (!v) return;
        if (m.type === 'reasoningDelta') v.appendReasoning(m.text);
        else v.appendAnswer(m.text);
        v.setNotice(undefined);
        this.turns.changed(v);
        this.scheduler.request();
        this.saveSoon();
        return;
      }
      case 'end':
        return this.onEnd(m);
      case 'history':
        this.history.setList(m.conversations);
        return;
      case 'editor':
        this.composer.setEditor(m.label, m.note);
        return;
      case 'attachImages':
        void this.composer.attachments.addUploads(m.images, m.refused);
        if (!m.restored) this.composer.input.focus();
        return;
      case 'unsent':
        this.composer.giveBack(m.question, m.mentions, m.images);
        return;
      case 'mentionResults':
        this.composer.mentions.results(m.id, m.items, m.note);
        return;
      case 'changes':
        this.turns.at(m.turn)?.setChanges(this.conversation.turns[m.turn]?.changes);
        this.announcer.say(changeAnnouncement(m.changes));
        this.save(); // rare, and Undo must survive the view being hidden at once
        return;
      case 'showHistory':
        return this.history.show(true);
      case 'focusInput':
        this.composer.focus();
        return;
    }
  }

  private onTurnStart(m: Extract<HostToWebview, { type: 'turnStart' }>): void {
    this.scheduler.run();
    this.history.show(false);
    if (!this.turns.start(m, this.conversation)) return;
    this.title.textContent = this.conversation.title;
    this.composer.setRunning(true);
    this.log.scrollTop = this.log.scrollHeight;
    this.save();
  }

  private onEnd(m: Extract<HostToWebview, { type: 'end' }>): void {
    if (!this.turns.streaming(m.requestId)) return;
    this.scheduler.run();
    const v = this.turns.end(m)!;
    if (!runningRequest(this.conversation)) this.composer.setRunning(false);
    const answer = (v.root.querySelector('.answer')?.textContent ?? '').trim();
    this.announcer.say(endAnnouncement(m, answer));
    this.save();
  }

  /** Rebuilds the log from the transcript (restore, replay, New Chat). */
  private renderAll(): void {
    this.turns.render(this.conversation, this.config);
    this.title.textContent = this.conversation.title;
    this.composer.setRunning(!!runningRequest(this.conversation));
    if (this.config) this.composer.setHint(this.conversation);
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** Stops the running answer; false when none runs. */
  private stop(): boolean {
    const id = runningRequest(this.conversation);
    if (id) this.api.postMessage({ type: 'cancel', requestId: id });
    return !!id;
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
      ...(this.composer.mentions.mentions.length ? { draftMentions: this.composer.mentions.mentions } : {}),
      ...(this.config ? { config: this.config } : {}),
    };
    this.api.setState(state);
  }
}
