// The edits behind the inspector's Exclude / Include actions, as plain data: a line to add to (or
// remove from) a folder's .deepseekignore, or a pattern to add to (or remove from) the include /
// exclude settings. Which one depends on why the path is out: ignore files are answered in
// .deepseekignore (shared with the repository), default exclusions and settings in the settings.
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

/** The edit that leaves `t` out of the pack from now on. */
export function excludeEdit(t: EditTarget, settings: ContextSettings): ContextEdit {
  const p = exactPattern(t.rel);
  if (settings.include.includes(p)) return { kind: 'setting', key: 'include', remove: p };
  return { kind: 'ignoreFile', add: p, remove: `!${p}` };
}

/** The edit that brings `t` back into the pack, or undefined when its reason cannot be overridden. */
export function includeEdit(t: EditTarget, settings: ContextSettings): ContextEdit | undefined {
  if (t.status !== 'excluded' || !t.reason || !INCLUDABLE.has(t.reason)) return undefined;
  const p = exactPattern(t.rel);
  switch (t.reason) {
    case 'gitignore':
      return { kind: 'ignoreFile', add: `!${p}` };
    case 'deepseekignore':
      return { kind: 'ignoreFile', add: `!${p}`, remove: p };
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

/** Applies a setting edit to the current list of patterns. */
export function applyToPatterns(patterns: readonly string[], edit: { add?: string; remove?: string }): string[] {
  const out = patterns.filter((p) => p !== edit.remove);
  if (edit.add && !out.includes(edit.add)) out.push(edit.add);
  return out;
}
