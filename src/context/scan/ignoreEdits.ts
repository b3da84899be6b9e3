// The edits behind the inspector's Exclude / Include actions, as plain data: a line to add to (or
// remove from) a folder's .deepseekignore, or a pattern to add to (or remove from) the include /
// exclude settings. An exclusion goes where the user chose (the workspace settings by default;
// .deepseekignore to share it with the repository). An inclusion never writes .deepseekignore: it
// takes back the file's own exact line when that is what left the path out, else it goes to the
// include setting. A .deepseekignore left with no rule is deleted rather than kept empty.
import type { ContextSettings, ExcludeReason } from '../types';

export type ContextEdit =
  | { kind: 'ignoreFile'; add?: string; remove?: string }
  | { kind: 'setting'; key: 'include' | 'exclude'; add?: string; remove?: string };

/** The path the action is about: root-relative, POSIX; folders end with '/'. */
export interface EditTarget {
  rel: string;
  status: 'included' | 'outline' | 'excluded';
  reason?: ExcludeReason;
}

/** Reasons an include can override (secrets, binary content, symlink problems and I/O errors cannot be). */
export const INCLUDABLE: ReadonlySet<ExcludeReason> = new Set([
  'gitignore',
  'deepseekignore',
  'setting',
  'lockfile',
  'minified',
  'generated',
  'too-large',
]);

/** An anchored .gitignore-syntax pattern matching exactly `rel` (special characters escaped). */
export function exactPattern(rel: string): string {
  const isDir = rel.endsWith('/');
  const body = (isDir ? rel.slice(0, -1) : rel).replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ');
  return `/${body}${isDir ? '/' : ''}`;
}

/**
 * Where an exclusion is kept: the workspace settings (this workspace only), or .deepseekignore (shared with the
 * repository).
 */
export type ExcludeTo = 'setting' | 'ignoreFile';

/**
 * The edit that leaves `t` out of the pack from now on, kept where `to` says (when the include setting names `t`,
 * taking it out of that is the edit).
 */
export function excludeEdit(t: EditTarget, settings: ContextSettings, to: ExcludeTo): ContextEdit {
  const p = exactPattern(t.rel);
  if (settings.include.includes(p)) return { kind: 'setting', key: 'include', remove: p };
  return to === 'setting'
    ? { kind: 'setting', key: 'exclude', add: p }
    : { kind: 'ignoreFile', add: p, remove: `!${p}` };
}

/** True when an exclusion of `t` needs no choice of place: it only takes a pattern out of the include setting. */
export const excludeIsUndo = (t: EditTarget, settings: ContextSettings): boolean =>
  settings.include.includes(exactPattern(t.rel));

/**
 * The edit that brings `t` back into the pack, or undefined when its reason cannot be overridden.
 * `ignoreText`: the text of the .deepseekignore the edit would change (its exact line is taken out
 * when it is there; otherwise the include setting brings the path back, and no file is written).
 */
export function includeEdit(t: EditTarget, settings: ContextSettings, ignoreText = ''): ContextEdit | undefined {
  if (t.status !== 'excluded' || !t.reason || !INCLUDABLE.has(t.reason)) return undefined;
  const p = exactPattern(t.rel);
  switch (t.reason) {
    case 'deepseekignore':
      return ignoreText.split(/\r?\n/).some((l) => l.trimEnd() === p)
        ? { kind: 'ignoreFile', remove: p }
        : { kind: 'setting', key: 'include', add: p };
    case 'setting':
      return settings.exclude.includes(p)
        ? { kind: 'setting', key: 'exclude', remove: p }
        : { kind: 'setting', key: 'include', add: p };
    default:
      return { kind: 'setting', key: 'include', add: p };
  }
}

/** Applies an ignore-file edit to the file's text: removes the exact `remove` line, appends `add` once. */
export function applyToIgnoreText(text: string, edit: { add?: string; remove?: string }): string {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const kept = edit.remove ? lines.filter((l) => l.trimEnd() !== edit.remove) : lines;
  const removedOne = kept.length !== lines.length;
  // Removing an exclusion is enough on its own when that line was the only reason.
  if (edit.add && !kept.includes(edit.add) && !(removedOne && edit.add === `!${edit.remove}`)) kept.push(edit.add);
  return kept.length ? kept.join('\n') + '\n' : '';
}

/** True when an ignore file's text holds no rule (only blank lines and comments): it is better deleted than kept. */
export const hasNoRules = (text: string): boolean => text.split(/\r?\n/).every((l) => !l.trim() || l.startsWith('#'));

/** Applies a setting edit to the current list of patterns. */
export function applyToPatterns(patterns: readonly string[], edit: { add?: string; remove?: string }): string[] {
  const out = patterns.filter((p) => p !== edit.remove);
  if (edit.add && !out.includes(edit.add)) out.push(edit.add);
  return out;
}
