// Keyboard first (DESIGN.md): the view's focus goes to the question box whenever the view gets focus
// with nothing focused inside it (VS Code's "Focus on Chat View", DeepSeek: Focus Chat Input, the
// view opening), so typing never goes nowhere; a key typed while the focus is on something that
// takes no text (an answer's buttons, the log) goes into the box; Escape stops a running answer,
// else leaves the history list, else returns to the box (an open dialog, the image viewer, keeps its
// own keys). Shift+Tab from the box reaches the newest answer's actions first (they come right before
// the composer).

export interface KeyboardTargets {
  /** The question box and how to put the caret in it. */
  input: HTMLElement;
  focusInput(): void;
  /** Stops the running answer; false when none runs. */
  stop(): boolean;
  /** Closes the history list; false when it is not shown. */
  closeHistory(): boolean;
}

/** Anything that takes typed text itself. */
const FIELD = 'input, textarea, select, [contenteditable]:not([contenteditable="false"])';

export function installKeyboard(t: KeyboardTargets): void {
  const nothingFocused = () => !document.activeElement || document.activeElement === document.body;
  window.addEventListener('focus', () => {
    if (nothingFocused()) t.focusInput();
  });
  if (document.hasFocus() && nothingFocused()) t.focusInput();
  document.addEventListener('keydown', (e) => {
    if (e.isComposing || e.defaultPrevented) return;
    const target = e.target instanceof Element ? e.target : undefined;
    if (target?.closest('dialog[open]')) return; // a modal (the image viewer) keeps its keys: Escape closes it
    const field = !!target?.closest(FIELD);
    if (e.key === 'Escape') {
      if (target === t.input) return; // the composer handles its own Escape (stop, cancel an edit)
      if (t.stop() || t.closeHistory() || (!field && (t.focusInput(), true))) e.preventDefault();
      return;
    }
    // A printable key (not Space, which presses the focused button) goes into the box.
    if (!field && e.key.length === 1 && e.key !== ' ' && !e.ctrlKey && !e.metaKey && !e.altKey) t.focusInput();
  });
}
