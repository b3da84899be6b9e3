// Edits to part of a file, as the model is asked to give them (prompt.ts `EDIT_FORMAT`): one or more
// SEARCH/REPLACE blocks in a code block whose fence names the file, the convention Aider made common
//   <<<<<<< SEARCH
//   lines as they are in the file
//   =======
//   the lines that replace them
//   >>>>>>> REPLACE
// A code block without a SEARCH marker is the whole file when it holds most of the file's lines,
// else a snippet merged where it belongs (snippetMerge.ts); the user may still ask for the block to
// replace the whole file, and is told plainly that it does. Edits apply in order, each below the one
// before it; each must match whole lines of the file, indentation included, but for trailing white
// space and line endings (what models most often get wrong). Anything else refuses the whole
// proposal: a partial or guessed merge would change lines the user never saw asked for.
import { isWholeFile, mergeSnippet } from './snippetMerge';

export interface EditBlock {
  /** Lines to find (none: append to the end, or the text of a new file). */
  search: string[];
  replace: string[];
}

const SEARCH = /^<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^={5,9}\s*$/;
const REPLACE = /^>{5,9} ?REPLACE\s*$/;

/** Which marker line of an edit `line` is (trailing white space allowed), or undefined for any other line. */
export function editMarker(line: string): 'search' | 'divider' | 'replace' | undefined {
  return SEARCH.test(line) ? 'search' : DIVIDER.test(line) ? 'divider' : REPLACE.test(line) ? 'replace' : undefined;
}

/** True when a code block holds SEARCH/REPLACE edits rather than a whole file. */
export const hasEditBlocks = (code: string): boolean =>
  code
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .some((l) => SEARCH.test(l));

/**
 * The SEARCH/REPLACE blocks of a code block; undefined when it has none (a whole file). Throws on a block left open.
 */
export function parseEditBlocks(code: string): EditBlock[] | undefined {
  if (!hasEditBlocks(code)) return undefined;
  const lines = code.replace(/\r\n?/g, '\n').split('\n');
  const blocks: EditBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!SEARCH.test(lines[i]!)) {
      i++; // text between blocks (a comment, a blank line) is not part of any edit
      continue;
    }
    const divider = lines.findIndex((l, k) => k > i && DIVIDER.test(l));
    const end = divider < 0 ? -1 : lines.findIndex((l, k) => k > divider && REPLACE.test(l));
    if (end < 0)
      throw new Error(
        `edit ${blocks.length + 1} is not closed: a SEARCH line needs a "=======" line and a ">>>>>>> ` +
          `REPLACE" line after it`,
      );
    const search = lines.slice(i + 1, divider);
    blocks.push({ search: search.every((l) => !l.trim()) ? [] : search, replace: lines.slice(divider + 1, end) });
    i = end + 1;
  }
  return blocks;
}

/** How a code block goes into a file, when it is not SEARCH/REPLACE edits. */
export interface ApplyHow {
  /** `new`: a file that does not exist yet; `whole`: the block is the whole file; `merge`: a snippet put
   *  where it belongs; `replace-all`: the user chose to replace the whole file with the block. */
  kind: 'new' | 'whole' | 'merge' | 'replace-all';
  /** In words, for the diff's title and the chat ("replaces `hello`; adds 2 lines at the end"). */
  summary: string;
}

export type EditResult = { ok: true; text: string; how?: ApplyHow } | { ok: false; error: string };

/** `original` with `blocks` applied in order (see the header); `original` undefined: a file that does not exist yet. */
export function applyEditBlocks(original: string | undefined, blocks: EditBlock[]): EditResult {
  const crlf = original?.includes('\r\n') ?? false;
  // A byte-order mark is the file's encoding, not part of its first line: kept, but not matched against.
  const bom = original?.startsWith('\uFEFF') ? '\uFEFF' : '';
  // Lines of the text; a final newline leaves an empty last entry.
  let lines = original?.slice(bom.length).replace(/\r\n/g, '\n').split('\n');
  let from = 0; // the first line the next edit may match
  for (const [k, b] of blocks.entries()) {
    const which = blocks.length > 1 ? `Edit ${k + 1} of ${blocks.length}` : 'The edit';
    if (!lines) {
      if (b.search.length)
        return { ok: false, error: `${which} searches a file that does not exist yet. Nothing was applied.` };
      lines = [...b.replace, ''];
      from = b.replace.length;
      continue;
    }
    if (!b.search.length) {
      const at = lines.length === 1 && lines[0] === '' ? 0 : lines.at(-1) === '' ? lines.length - 1 : lines.length;
      // At the end of a text without a final newline, the appended lines start on a new one.
      if (at === lines.length) lines.push(...b.replace, '');
      else lines.splice(at, 0, ...b.replace);
      from = at + b.replace.length;
      continue;
    }
    const at = findLines(lines, b.search, from);
    if (at < 0)
      return {
        ok: false,
        error:
          `${which} does not match the file${from > 0 ? ' below the edit before it' : ''}: its SEARCH lines ` +
          `are not there (the file may have changed since). Nothing was applied.`,
      };
    lines.splice(at, b.search.length, ...b.replace);
    from = at + b.replace.length;
  }
  const text = (lines ?? ['']).join('\n');
  return { ok: true, text: bom + (crlf ? text.replace(/\n/g, '\r\n') : text) };
}

/** How many lines a text has (a final newline ends the last line, it does not start another). */
export const lineCount = (t: string): number => (t ? t.replace(/\r?\n$/, '').split(/\r?\n/).length : 0);

/**
 * The text a code block proposes for a file whose text is `current` (undefined: it does not exist):
 * `current` with its edits applied, the block itself when it is the whole file (or `replaceAll`, the
 * user's explicit choice), else the block merged where it belongs; or why it cannot be applied.
 */
export function proposedText(
  code: string,
  current: string | undefined,
  opts: { replaceAll?: boolean } = {},
): EditResult {
  let blocks;
  try {
    blocks = parseEditBlocks(code);
  } catch (e) {
    return { ok: false, error: `The proposal's ${(e as Error).message}. Nothing was applied.` };
  }
  if (blocks) return applyEditBlocks(current, blocks);
  const whole = code.endsWith('\n') ? code : `${code}\n`;
  if (current === undefined) return { ok: true, text: whole, how: { kind: 'new', summary: 'creates the file' } };
  if (opts.replaceAll) {
    const [was, now] = [lineCount(current), lineCount(whole)];
    return {
      ok: true,
      text: whole,
      how: {
        kind: 'replace-all',
        summary: `replaces the whole file: its ${was} line${was === 1 ? '' : 's'} become these ${now}`,
      },
    };
  }
  if (isWholeFile(code, current))
    return { ok: true, text: whole, how: { kind: 'whole', summary: 'a new version of the whole file' } };
  const merged = mergeSnippet(code, current);
  return { ok: true, text: merged.text, how: { kind: 'merge', summary: merged.summary } };
}

/**
 * What Accept applies. `shown`: the proposal as its diff shows it now (the user may have edited it,
 * or reverted some of its changes); `proposed`: what was proposed; `unchanged`: the file is still
 * the text the proposal was made from; `again`: the proposal made anew from the file as it is now.
 * A proposal the user left alone goes onto the file as it is (its edits made again when the file
 * changed); one the user changed is applied as shown, and only onto the text it was made from.
 * Line endings alone do not count as a change (the editor may normalise them).
 */
export function acceptedText(shown: string, proposed: string, unchanged: boolean, again: () => EditResult): EditResult {
  const lf = (t: string) => t.replace(/\r\n?/g, '\n');
  if (lf(shown) === lf(proposed)) return unchanged ? { ok: true, text: proposed } : again();
  return unchanged
    ? { ok: true, text: shown }
    : {
        ok: false,
        error:
          'you edited the proposal in the diff, so it is not carried over to the new text. Nothing was ' +
          'applied; Apply it again.',
      };
}

/** The first line from `from` on where `search` stands, line for line but for trailing white space; -1 if none. */
function findLines(lines: string[], search: string[], from: number): number {
  const want = search.map((l) => l.trimEnd());
  for (let n = from; n + want.length <= lines.length; n++)
    if (want.every((w, j) => lines[n + j]!.trimEnd() === w)) return n;
  return -1;
}
