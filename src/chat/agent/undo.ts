// Undo of an agent turn: every file the turn's accepted edits wrote goes back to its exact bytes
// from before the turn (a file the turn created is removed). The history keeps each write's texts
// (tool_result `snapshots`), so this works after a reload too. A file changed since the turn wrote
// it (the user typed, or a later turn edited it) is a conflict: the front end asks before
// overwriting it.
import type { Turn } from '../conversation';

/** What undoing a turn does to one file. */
export interface UndoStep {
  path: string;
  /** The text to restore; undefined: the turn created the file, so it is removed. */
  restore: string | undefined;
  /** The text the turn left: if the file holds anything else now, the user changed it since. */
  expected: string;
}

/** The files a turn wrote, each with the text from before its first write and after its last, in first-write order. */
export function undoSteps(turn: Pick<Turn, 'steps'>): UndoStep[] {
  const byPath = new Map<string, UndoStep>();
  for (const step of turn.steps ?? [])
    for (const r of step.results)
      for (const s of r.snapshots ?? []) {
        const known = byPath.get(s.path);
        if (known) known.expected = s.after;
        else byPath.set(s.path, { path: s.path, restore: s.before, expected: s.after });
      }
  return [...byPath.values()];
}

/** A text as an editor shows it: a byte-order mark is the file's encoding, not its text. */
export const bare = (text: string | undefined): string | undefined => text?.replace(/^\uFEFF/, '');

/**
 * Splits `steps` by the files' current texts (`current(path)`: undefined when the file is gone) into safe ones and
 * conflicts.
 */
export function checkUndo(
  steps: UndoStep[],
  current: (path: string) => string | undefined,
): { safe: UndoStep[]; changed: UndoStep[] } {
  const safe: UndoStep[] = [];
  const changed: UndoStep[] = [];
  for (const s of steps) (bare(current(s.path)) === bare(s.expected) ? safe : changed).push(s);
  return { safe, changed };
}
