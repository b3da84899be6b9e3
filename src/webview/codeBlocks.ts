// Code blocks in answers get a header with the target file (from the fence's `path=`; its name is
// never cut, its folder elides first) or the language, and the actions Copy, Insert at Cursor, Apply
// (a diff the user accepts in the editor) and New File. A block of SEARCH/REPLACE edits is shown as
// a compact diff (editDiff.ts) with Copy and Apply only; its raw text stays in a hidden `pre`, so
// Copy and Apply get the edits exactly as written. While a block streams it has the same header
// (without actions), so closing it does not move the text. Buttons carry `data-action`; the app
// routes their clicks to the host.
import { editMarker, hasEditBlocks } from '../protocol/editBlocks';
import type { WebviewToHost } from '../protocol/messages';
import { h, iconButton, pathParts } from './dom';
import { EditDiffView, MAYBE_MARKER, type EditStats } from './editDiff';
import { parseFenceInfo } from './markdown';
import { plainFenceView, type FenceView } from './streamingMarkdown';

interface BlockInfo {
  lang?: string;
  path?: string;
}

/** The header's label: the file's folder (elided first at narrow widths) and name, or the language. */
function codeLabel({ lang, path }: BlockInfo): HTMLElement {
  return h(
    'span',
    { class: 'code-label', title: path ?? '' },
    ...(path ? pathParts(path) : [h('span', { class: 'code-base' }, lang || 'text')]),
  );
}

/** The header's "+3 −1" for edits, updated as they complete (said in words to screen readers). */
function statsBadge(): { el: HTMLElement; set: (s: EditStats) => void } {
  const el = h('span', { class: 'edit-stats', hidden: true });
  return {
    el,
    set: (s) => {
      const said =
        `${s.edits} edit${s.edits === 1 ? '' : 's'}: ` +
        `${s.added} line${s.added === 1 ? '' : 's'} added, ${s.removed} removed`;
      el.hidden = false;
      el.title = said;
      el.replaceChildren(
        h(
          'span',
          { 'aria-hidden': 'true' },
          h('span', { class: 'edit-added' }, `+${s.added}`),
          ' ',
          h('span', { class: 'edit-removed' }, `−${s.removed}`),
        ),
        h('span', { class: 'sr-only' }, said),
      );
    },
  };
}

/** Wraps every `pre` in the newly frozen elements with a header and actions. */
export function decorateCodeBlocks(elements: Element[]): void {
  for (const el of elements) {
    const pres = el.tagName === 'PRE' ? [el as HTMLElement] : [...el.querySelectorAll<HTMLElement>('pre')];
    for (const pre of pres) {
      if (pre.parentElement?.classList.contains('code-block')) continue;
      const { lang, path } = pre.dataset;
      const code = codeText(pre);
      // SEARCH/REPLACE edits are only applied to the file they edit: inserting them or making a file of them would copy
      // the markers.
      const edits = hasEditBlocks(code);
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
      const header = h('div', { class: 'code-header' }, codeLabel({ lang, path }));
      const block = h('div', { class: edits ? 'code-block edits' : 'code-block' }, header);
      pre.replaceWith(block);
      if (edits) {
        const stats = statsBadge();
        const diff = new EditDiffView({ label: editsLabel(path), lang, onStats: stats.set });
        diff.finish(code);
        header.append(stats.el);
        block.append(diff.root);
        pre.hidden = true; // the edits as written, for Copy and Apply
      }
      header.append(actions);
      block.append(pre);
    }
  }
}

const editsLabel = (path: string | undefined) => `Edits to ${path ?? 'a file'}`;

/** The view of a fence that is still streaming: its header, then its code, or the edits' diff once
 *  the first line says it holds edits (until then a line that may be a marker is not shown). */
export function openCodeBlock(info: string): FenceView {
  const { lang, path } = parseFenceInfo(info);
  const header = h('div', { class: 'code-header' }, codeLabel({ lang, path }));
  const root = h('div', { class: 'code-block streaming' }, header);
  let body: FenceView | undefined;
  return {
    root,
    show(code) {
      if (!body) {
        const first = /^(?:[ \t]*\n)*([^\n]*)(\n?)/.exec(code)!;
        const [line, complete] = [first[1]!, first[2] === '\n'];
        if (!complete && (!line.trim() || MAYBE_MARKER.test(line))) return; // not known yet
        if (complete && editMarker(line) === 'search') {
          const stats = statsBadge();
          const diff = new EditDiffView({ label: editsLabel(path), onStats: stats.set });
          root.classList.add('edits');
          header.append(stats.el);
          body = { root: diff.root, show: (c) => diff.update(c) };
        } else body = plainFenceView(info);
        root.append(body.root);
      }
      body.show(code);
    },
  };
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
