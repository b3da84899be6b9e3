// The input area: the question box (Enter sends, Shift+Enter new line, Escape stops, Up in an
// empty box edits the last question), the chip saying which file and lines go with the question
// (click to leave them out), the images it carries (attachments.ts), the files, folders and symbols
// it mentions with `@` (mentions.ts), the model and effort pickers, and Send/Stop.
import { EFFORTS, type Effort, type HostConfig, type ImageUpload, type Mention } from '../protocol/messages';
import { Attachments } from './attachments';
import { Mentions } from './mentions';
import { formatWindow, h, icon } from './dom';
import { ModeSwitch } from './modeSwitch';

const EFFORT_LABELS: Record<Effort, string> = {
  off: 'No thinking',
  low: 'Think: low',
  high: 'Think: high',
  max: 'Think: max',
};

/** A question the composer sends. */
export interface ComposedQuestion {
  text: string;
  /** The index of the question being edited and resent; undefined: a new question. */
  editing: number | undefined;
  /** The editor chip is shown and on (where the user's editor is goes with the question). */
  withEditor: boolean;
  images: ImageUpload[] | undefined;
  mentions: Mention[] | undefined;
}

export interface ComposerEvents {
  /** A question to send (or an edited one to resend). */
  send(question: ComposedQuestion): void;
  /** Completes what follows `@` (the host answers with `mentionResults` and this id). */
  mentionQuery(id: number, query: string): void;
  /** Files dropped from VS Code's explorer (URIs): the host reads them. */
  attachFiles(uris: string[]): void;
  stop(): void;
  /** Up in an empty box: the index and text of the question to edit, if any. */
  lastQuestion(): { index: number; text: string; mentions?: Mention[] | undefined } | undefined;
  options(o: { model?: string; effort?: Effort }): void;
  /** The mode switch: act, or answer only. */
  mode(act: boolean): void;
  draftChanged(): void;
  /** The images the draft holds changed (the host keeps them while the view is hidden). */
  draftImages(images: ImageUpload[]): void;
}

export class Composer {
  readonly root: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  private readonly model: HTMLSelectElement;
  private readonly effort: HTMLSelectElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly editBanner: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly editorChip: HTMLButtonElement;
  private readonly modeSwitch: ModeSwitch;
  private editorNote: string | undefined;
  /** The user left the editor out (clicked the chip); stays so until clicked again. */
  private editorOff = false;
  private editing: number | undefined;
  private running = false;
  readonly attachments: Attachments;
  readonly mentions: Mentions;

  constructor(private readonly events: ComposerEvents) {
    this.attachments = new Attachments({
      attachFiles: (uris) => events.attachFiles(uris),
      changed: () => events.draftChanged(),
      imagesChanged: (images) => events.draftImages(images),
    });
    this.input = h('textarea', {
      id: 'input',
      rows: '1',
      placeholder: 'Ask about this repository',
      'aria-label': 'Question (Enter to send, Shift+Enter for a new line)',
    });
    this.mentions = new Mentions(this.input, {
      query: (id, query) => events.mentionQuery(id, query),
      changed: () => events.draftChanged(),
    });
    this.model = h('select', {
      class: 'picker model',
      'aria-label': 'Model',
      title: 'Model (fixed for a conversation)',
    });
    this.effort = h('select', {
      class: 'picker',
      'aria-label': 'Thinking effort',
      title: 'Thinking effort (fixed for a conversation)',
    });
    for (const e of EFFORTS) this.effort.append(h('option', { value: e }, EFFORT_LABELS[e]));
    this.sendButton = h(
      'button',
      { type: 'submit', class: 'send', title: 'Send (Enter)', 'aria-label': 'Send' },
      icon('send'),
    );
    this.editBanner = h('div', { class: 'edit-banner', hidden: true });
    this.hint = h('div', { class: 'hint', hidden: true, role: 'status' });
    this.editorChip = h('button', { type: 'button', class: 'editor-chip', hidden: true });
    this.modeSwitch = new ModeSwitch((act) => this.events.mode(act));
    this.editorChip.addEventListener('click', () => {
      this.editorOff = !this.editorOff;
      this.renderEditor();
    });
    this.root = h(
      'form',
      { class: 'composer' },
      this.editBanner,
      h('div', { class: 'chip-row' }, this.editorChip),
      h('div', { class: 'input-row' }, this.mentions.popup, this.input),
      this.mentions.tray,
      this.attachments.root,
      h(
        'div',
        { class: 'composer-row' },
        this.attachments.button,
        this.modeSwitch.root,
        this.model,
        this.effort,
        h('span', { class: 'spacer' }),
        this.sendButton,
      ),
      this.hint,
    );
    this.root.addEventListener('submit', (e) => {
      e.preventDefault();
      if (this.running) this.events.stop();
      else this.submit();
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('paste', (e) => this.attachments.onPaste(e));
    this.root.addEventListener('dragover', (e) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    });
    this.root.addEventListener('drop', (e) => this.attachments.onDrop(e));
    this.input.addEventListener('input', () => {
      this.autosize();
      this.events.draftChanged();
    });
    this.model.addEventListener('change', () => this.events.options({ model: this.model.value }));
    this.effort.addEventListener('change', () => this.events.options({ effort: this.effort.value as Effort }));
  }

  private onKey(e: KeyboardEvent): void {
    if (e.isComposing || this.mentions.onKey(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      if (!this.running) this.submit();
    } else if (e.key === 'Escape') {
      if (this.running) this.events.stop();
      else if (this.editing !== undefined) this.cancelEdit();
      else return;
      e.preventDefault();
    } else if (e.key === 'ArrowUp' && !this.input.value && !this.running) {
      const last = this.events.lastQuestion();
      if (!last) return;
      e.preventDefault();
      this.edit(last.index, last.text, last.mentions);
    }
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || this.attachments.busy) return;
    const editing = this.editing;
    const images = this.attachments.uploads;
    const mentions = this.mentions.mentions;
    this.input.value = '';
    this.cancelEdit();
    this.autosize();
    this.attachments.clear();
    this.mentions.clear();
    this.events.send({
      text,
      editing,
      withEditor: !this.editorChip.hidden && !this.editorOff,
      images,
      mentions: mentions.length ? mentions : undefined,
    });
  }

  /** Where the user's editor is (the host's `editor` message); both undefined: no file in an editor. */
  setEditor(label: string | undefined, note: string | undefined): void {
    this.editorChip.hidden = !label;
    this.editorNote = note;
    this.editorChip.dataset.label = label ?? '';
    this.renderEditor();
  }

  private renderEditor(): void {
    const label = this.editorChip.dataset.label ?? '';
    const on = !this.editorOff;
    this.editorChip.classList.toggle('off', !on);
    this.editorChip.setAttribute('aria-pressed', String(on));
    this.editorChip.title = on
      ? `Sent with your question: "${this.editorNote ?? label}", so "this" means that code. Click to leave it out.`
      : 'Not sent: click to send where your editor is with your question.';
    this.editorChip.setAttribute(
      'aria-label',
      on ? `Editor: ${label}, sent with the question` : `Editor: ${label}, left out`,
    );
    this.editorChip.replaceChildren(
      icon(on ? 'file-code' : 'eye-closed'),
      h('span', { class: 'editor-chip-label' }, label),
    );
  }

  /** A question the host did not send goes back into the box with its images (unless another was typed meanwhile). */
  giveBack(text: string, mentions?: readonly Mention[], images?: readonly ImageUpload[]): void {
    if (this.input.value.trim()) return;
    if (images?.length) void this.attachments.addUploads(images);
    this.input.value = text;
    this.mentions.set(mentions ?? []);
    this.autosize();
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }

  /** Puts question `index` (and its mentions) into the box to edit and resend it. */
  edit(index: number, text: string, mentions?: readonly Mention[]): void {
    this.editing = index;
    this.input.value = text;
    this.mentions.set(mentions ?? []);
    this.editBanner.hidden = false;
    this.editBanner.replaceChildren(
      icon('edit'),
      ` Editing question ${index + 1}: Enter resends it (the answers after it are replaced), Escape cancels.`,
    );
    this.autosize();
    this.input.focus();
    this.input.setSelectionRange(text.length, text.length);
  }

  cancelEdit(): void {
    if (this.editing === undefined) return;
    this.editing = undefined;
    this.editBanner.hidden = true;
    this.input.value = '';
    this.mentions.clear();
    this.autosize();
  }

  get editingIndex(): number | undefined {
    return this.editing;
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.sendButton.replaceChildren(icon(running ? 'debug-stop' : 'send'));
    this.sendButton.title = running ? 'Stop (Escape)' : 'Send (Enter)';
    this.sendButton.setAttribute('aria-label', running ? 'Stop' : 'Send');
    this.sendButton.classList.toggle('stop', running);
  }

  setConfig(c: HostConfig, conversation: { model?: string; effort?: Effort } | undefined): void {
    const models = c.models.includes(c.model) ? c.models : [c.model, ...c.models];
    const windows = new Map(c.windows?.map((w) => [w.id, w.tokens]));
    this.model.replaceChildren(
      ...models.map((m) => h('option', { value: m }, windows.has(m) ? `${m} · ${formatWindow(windows.get(m)!)}` : m)),
    );
    this.model.value = c.model;
    this.effort.value = c.effort;
    this.modeSwitch.set(c.act === true, c.trusted && c.hasWorkspace);
    this.setHint(conversation);
  }

  /** Says when the picked model/effort differ from the conversation's (they apply to the next chat). */
  setHint(conversation: { model?: string; effort?: Effort } | undefined): void {
    const differs =
      !!conversation?.model && (conversation.model !== this.model.value || conversation.effort !== this.effort.value);
    this.hint.hidden = !differs;
    this.hint.textContent = differs ? 'Applies to the next chat' : '';
  }

  /** Puts the caret at the end of the question box. */
  focus(): void {
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 240)}px`;
  }
}
