// One question and its answer in the log: the question (with Edit), the context chip, the thinking
// block (open while it streams, collapsed when the answer starts), the streamed answer, and a
// footer with the outcome and the turn's actions. Deltas are buffered and applied on `flush`.
import type { ChangeSetSummary, ContextSummary, TurnRecord, UsageSummary } from '../protocol/messages';
import { renderChangeSet } from './changeCard';
import { chipText } from './contextChip';
import { h, icon, iconButton, pathParts, textButton } from './dom';
import { BIDI } from './markdown';
import { questionMentions } from './mentions';
import { StreamingMarkdown, type StreamingOptions } from './streamingMarkdown';
import { ToolStepsView } from './toolSteps';

/** Model text shown as plain text, with invisible direction controls made visible. */
const visibleText = (s: string) =>
  s.replace(BIDI, (ch: string) => `[U+${ch.codePointAt(0)!.toString(16).toUpperCase()}]`);

/** The most file chips a question shows; the rest are counted. */
const MAX_FILE_CHIPS = 5;

/** An editor command's files as chips (a file opens on click; a folder is only named). */
function fileChips(files: readonly string[]): HTMLElement[] {
  const chips = files.slice(0, MAX_FILE_CHIPS).map((f) =>
    f.endsWith('/')
      ? h('span', { class: 'file-chip', title: f }, icon('folder'), ...pathParts(f))
      : h(
          'button',
          {
            type: 'button',
            class: 'file-chip',
            'data-action': 'openFileChip',
            'data-path': f,
            title: `Open ${f}`,
            'aria-label': `Open ${f}`,
          },
          icon('file'),
          ...pathParts(f),
        ),
  );
  const more = files.length - chips.length;
  return more > 0 ? [...chips, h('span', { class: 'file-chip-more' }, `+${more} more`)] : chips;
}

/** The thinking block's label on a finished turn whose thinking time is not known (replayed, restored). */
const FINISHED_THINKING = 'Thought process';

export class TurnView {
  readonly root: HTMLElement;
  readonly answer: StreamingMarkdown;
  /** The turn has an outcome (its estimate chip is moot once it ended without usage). */
  private ended = false;
  /** An agent turn's tool calls (toolSteps.ts). */
  readonly steps = new ToolStepsView();
  private readonly question: HTMLElement;
  private readonly editor: HTMLElement;
  private readonly images: HTMLElement;
  private readonly mentions: HTMLElement;
  /** An editor command's files, and its whole prompt behind a disclosure. */
  private readonly files: HTMLElement;
  private readonly prompt: HTMLDetailsElement;
  private readonly chip: HTMLButtonElement;
  private readonly details: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly reasoningText = document.createTextNode('');
  private readonly notice: HTMLElement;
  private readonly changes: HTMLElement;
  private readonly footer: HTMLElement;
  private pendingReasoning = '';
  private answerDirty = false;
  private thinkingSince: number | undefined;
  private thoughtMs: number | undefined;
  private context: ContextSummary | undefined;
  private usage: UsageSummary | undefined;

  /** `rendering`: how the answer's code blocks are decorated when frozen and shown while open. */
  constructor(index: number, rendering: StreamingOptions) {
    this.question = h('div', { class: 'question-text' });
    this.editor = h('div', { class: 'question-editor', hidden: true });
    this.images = h('div', { class: 'question-images', hidden: true });
    this.mentions = h('div', { class: 'question-mentions', hidden: true });
    this.files = h('div', { class: 'question-files', hidden: true });
    this.prompt = h('details', { class: 'question-prompt' }); // in the question only when it has a prompt
    this.chip = h('button', { type: 'button', class: 'chip', 'data-action': 'showContext', hidden: true });
    this.summary = h('span', {}, 'Thinking');
    this.details = h(
      'details',
      { class: 'thinking', hidden: true },
      h('summary', {}, icon('lightbulb'), this.summary),
      h('div', { class: 'reasoning' }, this.reasoningText),
    );
    const answer = h('div', { class: 'answer markdown-body' });
    this.notice = h('div', { class: 'notice', hidden: true });
    this.changes = h('div', { class: 'changes' });
    this.footer = h('div', { class: 'turn-footer' });
    this.root = h(
      'section',
      { class: 'turn', role: 'article' },
      h(
        'div',
        { class: 'question' },
        icon('account'),
        h('div', { class: 'question-body' }, this.question, this.mentions, this.files, this.editor, this.images),
        iconButton('edit', 'Edit and resend', 'edit'),
      ),
      this.chip,
      this.details,
      this.steps.root,
      answer,
      this.notice,
      this.changes,
      this.footer,
    );
    this.answer = new StreamingMarkdown(answer, rendering);
    this.setIndex(index);
  }

  setIndex(index: number): void {
    this.root.dataset.index = String(index);
    this.root.setAttribute('aria-label', `Question ${index + 1}`); // screen readers move turn by turn
  }

  /**
   * Shows only the question (an older turn whose answer is rendered in the background). An editor
   * command's question shows what the user asked for and its files; the prompt sent is folded away.
   */
  showQuestion(t: Pick<TurnRecord, 'question' | 'editor' | 'shown' | 'images' | 'mentions'>): void {
    const { question, editor, shown, images, mentions } = t;
    this.mentions.hidden = !mentions?.length;
    this.mentions.replaceChildren(...questionMentions(mentions ?? []));
    this.question.textContent = shown ? shown.text : question;
    this.files.hidden = !shown?.files?.length;
    this.files.replaceChildren(...fileChips(shown?.files ?? []));
    if (shown) {
      this.prompt.replaceChildren(
        h('summary', {}, 'Full prompt'),
        h('pre', { class: 'prompt-text', tabindex: '0', 'aria-label': 'The prompt sent' }, visibleText(question)),
      );
      this.editor.after(this.prompt);
    } else this.prompt.remove();
    this.images.hidden = !images?.length;
    this.images.title = images?.length ? 'Sent with the question (and again with every follow-up)' : '';
    this.images.replaceChildren(
      ...(images ?? []).map((i) =>
        h('span', { class: 'question-image' }, icon('file-media'), `${i.name ?? 'image'} · ${i.width}×${i.height}`),
      ),
    );
    this.editor.hidden = !editor;
    this.editor.title = editor ? 'Sent with the question: where your editor was' : '';
    this.editor.replaceChildren(...(editor ? [icon('file-code'), h('span', {}, editor)] : []));
  }

  /** Shows a whole turn at once (replay or restore): answer rendered final unless still streaming. */
  show(t: TurnRecord, isLast: boolean): void {
    this.showQuestion(t);
    this.context = t.context;
    this.usage = t.usage;
    this.updateChip();
    this.reasoningText.data = visibleText(t.reasoning);
    this.details.hidden = !t.reasoning;
    this.details.open = t.outcome === undefined && !t.answer;
    this.summary.textContent = t.outcome === undefined && !t.answer ? 'Thinking…' : FINISHED_THINKING;
    this.steps.show(t.steps ?? []);
    this.answer.reset(t.answer, t.outcome !== undefined);
    if (t.requestId) this.root.dataset.requestId = t.requestId;
    this.setChanges(t.changes);
    this.setOutcome(t, isLast);
  }

  /** The changes proposed from this answer (Apply), each with its Accept / Reject or Undo. */
  setChanges(changes: readonly ChangeSetSummary[] | undefined): void {
    this.changes.replaceChildren(...(changes ?? []).map(renderChangeSet));
  }

  appendReasoning(text: string): void {
    this.thinkingSince ??= performance.now();
    this.pendingReasoning += text;
  }

  appendAnswer(text: string): void {
    this.answer.append(text);
    this.answerDirty = true;
  }

  /** Applies buffered deltas to the DOM. */
  flush(): void {
    if (this.pendingReasoning) {
      if (this.details.hidden) {
        this.details.hidden = false;
        this.details.open = true;
        this.summary.textContent = 'Thinking…';
      }
      this.reasoningText.appendData(visibleText(this.pendingReasoning));
      this.pendingReasoning = '';
    }
    if (this.answerDirty) {
      this.answerDirty = false;
      if (this.thinkingSince !== undefined && this.thoughtMs === undefined) this.endThinking(this.thinkingSince);
      this.answer.flush();
    }
  }

  private endThinking(since: number): void {
    this.thoughtMs = performance.now() - since;
    this.details.open = false;
    this.summary.textContent = `Thought for ${Math.max(1, Math.round(this.thoughtMs / 1000))} s`;
  }

  setContext(c: ContextSummary): void {
    this.context = c;
    this.updateChip();
  }

  setUsage(u: UsageSummary): void {
    this.usage = u;
    this.updateChip();
  }

  setNotice(text: string | undefined): void {
    this.notice.hidden = !text;
    this.notice.textContent = text ?? '';
  }

  private updateChip(): void {
    const { text, title } = chipText(this.context, this.usage, { ended: this.ended });
    this.chip.hidden = !text;
    this.chip.replaceChildren(icon('files'), text);
    this.chip.title = title;
    this.chip.setAttribute('aria-label', `Context: ${text}. ${title}`);
  }

  /** The footer for a turn's state: streaming, stopped, cut off (Continue), error (Retry / Set key). */
  setOutcome(t: Pick<TurnRecord, 'outcome' | 'message' | 'errorKind' | 'continuable'>, isLast: boolean): void {
    this.flush();
    if (t.outcome !== undefined) {
      this.answer.finish();
      delete this.root.dataset.requestId;
      if (this.thinkingSince !== undefined && this.thoughtMs === undefined) this.endThinking(this.thinkingSince);
      this.summary.textContent = this.thoughtMs === undefined ? FINISHED_THINKING : this.summary.textContent;
      this.setNotice(undefined);
    }
    this.root.dataset.outcome = t.outcome ?? 'streaming';
    if (this.ended !== (t.outcome !== undefined)) {
      this.ended = t.outcome !== undefined;
      this.updateChip();
    }
    const status = h('span', { class: 'status' });
    const actions = h('span', { class: 'turn-actions' });
    if (t.outcome === undefined)
      status.append(
        h('i', { class: 'codicon codicon-loading codicon-modifier-spin', 'aria-hidden': 'true' }),
        ' Working…',
      );
    else if (t.outcome === 'cancelled') status.textContent = 'Stopped.';
    else if (t.outcome === 'interrupted') status.textContent = t.message ?? 'The answer was cut off.';
    else if (t.outcome === 'error') status.textContent = t.message ?? 'The request failed.';
    else if (t.outcome === 'complete' && t.message)
      status.append(h('i', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }), ` ${t.message}`);
    if (t.outcome !== undefined && isLast) {
      if (t.outcome === 'error' && t.errorKind === 'auth')
        actions.append(textButton('Set API Key', 'setApiKey', { icon: 'key' }));
      if (t.outcome === 'error' && t.errorKind === 'context_too_long')
        actions.append(
          textButton('Context Settings', 'openContextSettings', { icon: 'settings-gear', secondary: true }),
        );
      // A complete answer the output limit cut continues as an interrupted one does.
      if (
        t.outcome === 'interrupted' ||
        (t.outcome === 'cancelled' && this.answer.value) ||
        (t.outcome === 'complete' && t.continuable)
      )
        actions.append(textButton('Continue', 'continue', { icon: 'debug-continue', secondary: true }));
      actions.append(iconButton('refresh', 'Regenerate', 'regenerate'));
    }
    if (t.outcome !== undefined && this.steps.changedFiles)
      actions.append(iconButton('discard', 'Undo the changes this turn made to files', 'undoTurn'));
    if (t.outcome !== undefined && this.answer.value) actions.append(iconButton('copy', 'Copy answer', 'copyAnswer'));
    // A long message (an error's explanation) gets the whole width, its actions the line below.
    this.footer.classList.toggle('long-status', (status.textContent ?? '').length > 80);
    this.footer.replaceChildren(status, actions);
  }
}
