// Code blocks in answers get a header with the target file (from the fence's `path=`) or the
// language, and the actions Copy, Insert at Cursor, Apply (a diff the user accepts in the editor)
// and New File; a block of SEARCH/REPLACE edits gets Copy and Apply only. Buttons carry
// `data-action`; the app routes their clicks to the host.
import { hasEditBlocks } from '../protocol/editBlocks';
import type { WebviewToHost } from '../protocol/messages';
import { h, iconButton } from './dom';

/** Wraps every `pre` in the newly frozen elements with a header and actions. */
export function decorateCodeBlocks(elements: Element[]): void {
  for (const el of elements) {
    const pres = el.tagName === 'PRE' ? [el as HTMLElement] : [...el.querySelectorAll<HTMLElement>('pre')];
    for (const pre of pres) {
      if (pre.parentElement?.classList.contains('code-block')) continue;
      const { lang, path } = pre.dataset;
      // SEARCH/REPLACE edits are only applied to the file they edit: inserting them or making a file of them would copy
      // the markers.
      const edits = hasEditBlocks(codeText(pre));
      const name = `${path ?? lang ?? 'text'}${edits ? ' · edits' : ''}`;
      const label = h('span', { class: 'code-label', title: path ?? '' }, name);
      const actions = h(
        'span',
        {
          class: 'code-actions',
          role: 'toolbar',
          'aria-label': `Actions for ${path ?? lang ?? 'code'} ${edits ? 'edits' : 'block'}`,
        },
        iconButton('copy', 'Copy', 'copyCode'),
        ...(edits ? [] : [iconButton('insert', 'Insert at Cursor', 'insertCode')]),
        iconButton('diff', `${edits ? 'Apply Edits' : 'Apply'} to ${path ?? 'a File'}…`, 'applyCode'),
        ...(edits ? [] : [iconButton('new-file', 'New File', 'newFile')]),
      );
      const block = h('div', { class: 'code-block' }, h('div', { class: 'code-header' }, label, actions));
      pre.replaceWith(block);
      block.append(pre);
    }
  }
}

/** The code of a block as the model wrote it (direction controls restored from their markers). */
export function codeText(pre: HTMLElement): string {
  const code = pre.querySelector('code') ?? pre;
  if (!code.querySelector('.bidi')) return code.textContent ?? '';
  const clone = code.cloneNode(true) as HTMLElement;
  for (const m of clone.querySelectorAll<HTMLElement>('.bidi'))
    m.replaceWith(String.fromCodePoint(parseInt(m.dataset.cp ?? '0', 16)));
  return clone.textContent ?? '';
}

/** The host message for a code-block button, or undefined when the click is not on one. */
export function codeActionMessage(button: HTMLElement): WebviewToHost | undefined {
  const pre = button.closest('.code-block')?.querySelector('pre');
  if (!pre) return undefined;
  const code = codeText(pre);
  const { lang, path } = pre.dataset;
  const where = { ...(path ? { path } : {}), ...(lang ? { language: lang } : {}) };
  switch (button.dataset.action) {
    case 'copyCode':
      return { type: 'copy', text: code };
    case 'insertCode':
      return { type: 'insertCode', code };
    case 'applyCode':
      return { type: 'applyCode', code, ...where };
    case 'newFile':
      return { type: 'newFile', code, ...where };
    default:
      return undefined;
  }
}
