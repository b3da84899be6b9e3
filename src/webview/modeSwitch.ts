// The composer's mode switch: Ask (answer only) or Act (the model may read and search files,
// propose edits for review, run commands with the user's approval, and check problems). The host
// remembers the choice per workspace; in Restricted Mode the switch is not shown (nothing that
// writes or runs is offered there).
import { h, icon } from './dom';

export class ModeSwitch {
  readonly root: HTMLElement;
  private readonly ask: HTMLButtonElement;
  private readonly act: HTMLButtonElement;

  constructor(onChange: (act: boolean) => void) {
    const button = (label: string, codicon: string, title: string, value: boolean) => {
      const b = h(
        'button',
        { type: 'button', class: 'mode-option', title, 'aria-label': label, 'aria-pressed': 'false' },
        icon(codicon),
        h('span', { class: 'mode-label' }, label),
      );
      b.addEventListener('click', () => {
        if (b.getAttribute('aria-pressed') === 'true') return;
        this.set(value);
        onChange(value);
      });
      return b;
    };
    this.ask = button(
      'Ask',
      'comment-discussion',
      'Answer only: nothing is read beyond the repository block, changed or run',
      false,
    );
    this.act = button(
      'Act',
      'tools',
      'Act: the model may read and search files, propose edits (you review them), run commands ' +
        '(you approve each) and check problems',
      true,
    );
    this.root = h('div', { class: 'mode-switch', role: 'group', 'aria-label': 'Mode' }, this.ask, this.act);
  }

  /** Shows `act` as the mode; `available`: false hides the switch (Restricted Mode, no folder). */
  set(act: boolean, available = true): void {
    this.root.hidden = !available;
    this.ask.setAttribute('aria-pressed', String(!act));
    this.act.setAttribute('aria-pressed', String(act));
  }
}
