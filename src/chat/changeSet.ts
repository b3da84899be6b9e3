// A change set: changes to one or more files that DeepSeek proposes, that the user reviews (each file
// accepted, rejected, or edited before accepting), that are applied in one step, and that can be
// undone to the exact bytes from before. Plain data and pure functions, no `vscode`: the editor
// (src/ui/changeReview.ts) and the CLI apply them, tests drive them directly.
//
// How a change set plugs in, for any producer (Apply on a code block today; the agent's `edit_files`
// tool call tomorrow):
//   1. Read each file's current bytes (undefined when it does not exist) and compute the proposed
//      text, then `createChangeSet({ id, title, files: [{ path, before, proposed, note }] })`.
//   2. Hand it to the front end's review: in VS Code `ChangeReview.review(set, …)` (src/ui) opens
//      the diff (several files: VS Code's multi-file diff editor), shows Accept / Reject in the chat
//      under the answer that proposed it, and resolves once the user decided. The agent's
//      `proposeEdits` port returns `decisions(set)` from the settled set, never a branch of its own.
//   3. The front end records each decision with `accept` / `reject`, writes `toApply(set)` in one
//      undoable step, then calls `markApplied(set, bytesAfter)`. `summarize(set)` is what the chat
//      shows ("Applied to src/a.ts +3 −1" and an Undo button).
//   4. Undo: `undoPlan(set, bytesNow)` says per file what to restore (or delete, for a file the
//      change created) and whether the user changed it since (then ask before overwriting);
//      after writing it, `markUndone(set)`.
import { lineDelta } from './lineDiff';

export type FileChangeState = 'proposed' | 'accepted' | 'rejected' | 'edited';
/**
 * `stopped`: the review ended before the user decided (Stop, a window reload, the extension going away); nothing was
 * written, and no file counts as rejected.
 */
export type ChangeSetStatus = 'reviewing' | 'applied' | 'rejected' | 'undone' | 'failed' | 'stopped';

export interface FileChange {
  /** Workspace-relative, `/`-separated (in a multi-root workspace, as the workspace names it). */
  readonly path: string;
  /**
   * The exact bytes before the change (the editor's text when it had unsaved edits); undefined: the change creates the
   * file.
   */
  before: Uint8Array | undefined;
  /** The text proposed for the file. */
  proposed: string;
  /** What the change does, in words ("adds `hello` at the end"). */
  readonly note?: string;
  state: FileChangeState;
  /** The text written: the proposal, or the user's edited version of it. */
  applied?: string;
  /** The exact bytes after the change was applied: Undo compares the file with them. */
  after?: Uint8Array;
}

export interface ChangeSet {
  readonly id: string;
  /** Names the set in the review editor's title. */
  readonly title: string;
  readonly files: FileChange[];
  status: ChangeSetStatus;
  /** Why it failed, or what was said about it last. */
  message?: string;
}

/** What the chat shows of a set: per file its state and lines added/removed. */
export interface ChangeSetSummary {
  id: string;
  title: string;
  status: ChangeSetStatus;
  files: {
    path: string;
    state: FileChangeState;
    added: number;
    removed: number;
    created?: boolean;
    note?: string;
  }[];
  message?: string;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** The text of some bytes (UTF-8; a byte-order mark is not part of the text). */
export const textOf = (bytes: Uint8Array | undefined): string | undefined =>
  bytes && decoder.decode(bytes).replace(/^\uFEFF/, '');
export const bytesOf = (text: string): Uint8Array => encoder.encode(text);
const lf = (t: string) => t.replace(/\r\n?/g, '\n');

/** True when two byte strings are identical (both absent counts as identical). */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A new set, every file proposed. Throws when a path comes twice. */
export function createChangeSet(init: {
  id: string;
  title: string;
  files: readonly { path: string; before: Uint8Array | undefined; proposed: string; note?: string }[];
}): ChangeSet {
  const paths = new Set<string>();
  for (const f of init.files) {
    if (paths.has(f.path)) throw new Error(`${f.path} is proposed twice in one change set`);
    paths.add(f.path);
  }
  return {
    id: init.id,
    title: init.title,
    status: 'reviewing',
    files: init.files.map((f) => ({ ...f, state: 'proposed' as const })),
  };
}

function file(set: ChangeSet, path: string): FileChange {
  const f = set.files.find((x) => x.path === path);
  if (!f) throw new Error(`${path} is not in the change set`);
  return f;
}

/**
 * The user accepts `path`, as `shown` (the proposal as the review shows it now, maybe edited; default: as proposed).
 */
export function accept(set: ChangeSet, path: string, shown?: string): void {
  const f = file(set, path);
  const text = shown ?? f.proposed;
  f.state = lf(text) === lf(f.proposed) ? 'accepted' : 'edited';
  f.applied = text;
}

/** The user rejects `path`: it is left as it is. */
export function reject(set: ChangeSet, path: string): void {
  const f = file(set, path);
  f.state = 'rejected';
  delete f.applied;
}

/** Takes back a decision on `path` during the review: it is proposed again. */
export function undecide(set: ChangeSet, path: string): void {
  const f = file(set, path);
  f.state = 'proposed';
  delete f.applied;
}

/**
 * The file changed during the review: its proposal is made again on top of `before` (edits the user made to the old
 * one are not carried over).
 */
export function rebase(set: ChangeSet, path: string, before: Uint8Array | undefined, proposed: string): void {
  const f = file(set, path);
  f.before = before;
  f.proposed = proposed;
  if (f.state === 'edited' || f.state === 'accepted') f.state = 'proposed';
  delete f.applied;
}

/** What to write: each accepted or edited file and its text. */
export function toApply(set: ChangeSet): { path: string; text: string; create: boolean }[] {
  return set.files
    .filter((f) => f.state === 'accepted' || f.state === 'edited')
    .map((f) => ({ path: f.path, text: f.applied ?? f.proposed, create: f.before === undefined }));
}

/** Records the bytes each applied file holds now; the set is applied (or rejected, when nothing was accepted). */
export function markApplied(set: ChangeSet, after: ReadonlyMap<string, Uint8Array>): void {
  for (const f of set.files) if (f.state === 'accepted' || f.state === 'edited') f.after = after.get(f.path);
  set.status = set.files.some((f) => f.state === 'accepted' || f.state === 'edited') ? 'applied' : 'rejected';
  delete set.message;
}

/** Every file still proposed is rejected, and so is the set. */
export function rejectAll(set: ChangeSet): void {
  for (const f of set.files) reject(set, f.path);
  set.status = 'rejected';
}

/**
 * The review ends before the user decided (the turn stopped, the window reloaded): nothing is written, each file keeps
 * the state the review showed (proposed, or left out).
 */
export function markStopped(set: ChangeSet): void {
  for (const f of set.files) delete f.applied;
  set.status = 'stopped';
}

export function markFailed(set: ChangeSet, message: string): void {
  set.status = 'failed';
  set.message = message;
}

/** One step of Undo: put `restore` back (undefined: delete the file the change created). */
export interface UndoStep {
  path: string;
  restore: Uint8Array | undefined;
  /** The file is no longer what the change left (the user edited, moved or deleted it since). */
  changedSince: boolean;
}

/** What Undo does to an applied set, given each file's bytes now (undefined: it does not exist). */
export function undoPlan(set: ChangeSet, now: (path: string) => Uint8Array | undefined): UndoStep[] {
  if (set.status !== 'applied') return [];
  return set.files
    .filter((f) => f.state === 'accepted' || f.state === 'edited')
    .map((f) => {
      const current = now(f.path);
      // Compared as text when the editor may have re-encoded what it saved (a BOM, line endings aside: no).
      const changedSince = !sameBytes(current, f.after) && textOf(current) !== textOf(f.after);
      return { path: f.path, restore: f.before, changedSince };
    });
}

export function markUndone(set: ChangeSet): void {
  set.status = 'undone';
  delete set.message;
}

/** Each file's decision, for a caller that asked (the agent's `proposeEdits` port). */
export function decisions(set: ChangeSet): { path: string; state: FileChangeState; text?: string }[] {
  return set.files.map((f) => ({
    path: f.path,
    state: f.state,
    ...(f.applied !== undefined ? { text: f.applied } : {}),
  }));
}

/** What the chat shows of `set`: for an applied file the lines it changed, else those the proposal changes. */
export function summarize(set: ChangeSet): ChangeSetSummary {
  return {
    id: set.id,
    title: set.title,
    status: set.status,
    files: set.files.map((f) => {
      const text = f.applied ?? f.proposed;
      const { added, removed } = lineDelta(textOf(f.before) ?? '', text);
      return {
        path: f.path,
        state: f.state,
        added,
        removed,
        ...(f.before === undefined ? { created: true } : {}),
        ...(f.note ? { note: f.note } : {}),
      };
    }),
    ...(set.message ? { message: set.message } : {}),
  };
}
