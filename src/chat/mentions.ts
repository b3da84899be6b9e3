// What a question's `@` mentions do to the pack: each becomes a pinned path of its focus, the same
// focus `--focus PATH` and Ask About Folder give. A file goes in whole, a folder's files are ranked
// first, a symbol brings the file that defines it. The mentions themselves are stored with the
// question (its history event), so a reloaded conversation shows them and a regenerated answer
// keeps them; the cache plan re-packs a new conversation's base only when a pinned file is not
// whole in it (cachePlan.ts `coversFocus`).
import * as path from 'node:path';
import type { EditorFocus, WorkspaceRoot } from '../context/types';
import type { Mention } from '../protocol/messages';

/**
 * The absolute path of a workspace label (`src/a.ts`; `root/src/a.ts` in a multi-root workspace), or undefined
 * for one that is empty, absolute, climbs out with `..`, or names no root.
 */
export function pathOfLabel(label: string, roots: readonly WorkspaceRoot[]): string | undefined {
  const parts = label.replace(/\\/g, '/').split('/').filter(Boolean);
  if (!parts.length || /^\/|^[A-Za-z]:/.test(label) || parts.some((p) => p === '..' || p === '.')) return undefined;
  let root = roots.length === 1 ? roots[0] : undefined;
  if (roots.length > 1) {
    root = roots.find((r) => r.name === parts[0]);
    parts.shift();
    if (!parts.length) return undefined;
  }
  return root ? path.join(root.path, ...parts) : undefined;
}

/** The absolute paths `mentions` pin (files, folders, symbols' defining files), once each, in order. */
export function mentionedPaths(mentions: readonly Mention[], roots: readonly WorkspaceRoot[]): string[] {
  const out: string[] = [];
  for (const m of mentions) {
    const abs = pathOfLabel(m.path, roots);
    if (abs && !out.includes(abs)) out.push(abs);
  }
  return out;
}

/** `focus` with the paths of `mentions` pinned after the ones it pins already; `focus` itself when there are none. */
export function focusWithMentions(
  focus: EditorFocus,
  mentions: readonly Mention[],
  roots: readonly WorkspaceRoot[],
): EditorFocus {
  const pinned = mentionedPaths(mentions, roots).filter((p) => !focus.pinned?.includes(p));
  return pinned.length ? { ...focus, pinned: [...(focus.pinned ?? []), ...pinned] } : focus;
}
