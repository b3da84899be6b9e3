// The shapes a change review is made of, shared by its parts: what a caller proposes (ProposedFile),
// how the chat wants it shown (ReviewOptions), and the review's own record of each file (Target)
// and of the whole set (Review). changeReview.ts drives them; reviewTabs.ts and reviewEdits.ts read them.
import type * as vscode from 'vscode';
import type * as cs from '../chat/changeSet';
import type { EditResult } from '../protocol/editBlocks';

export interface ReviewOptions {
  /** Told every time the set changes state: the chat shows it under the answer that proposed it. */
  onUpdate?(summary: cs.ChangeSetSummary): void;
  /** The chat that asked is an editor (the panel): open the review beside it, not over it. */
  beside?: boolean;
  /** Keep the focus where it is (the chat's Accept is a Tab away). */
  preserveFocus?: boolean;
}

/** A file to propose a change to; `make` computes the proposal from its text now (undefined: it does not exist). */
export interface ProposedFile {
  uri: vscode.Uri;
  make(now: string | undefined): EditResult;
}

export interface Target {
  uri: vscode.Uri;
  proposal: vscode.Uri;
  original: vscode.Uri;
  make: ProposedFile['make'];
  /** Held no unsaved edits when read: Undo puts its exact bytes back on disk. */
  clean: boolean;
}

export interface Review {
  set: cs.ChangeSet;
  opts: ReviewOptions;
  targets: Map<string, Target>;
  /** The review editor's tab label. */
  label: string;
  /** Resolves `propose` once decided. */
  resolve(set: cs.ChangeSet): void;
  /** Accepting or undoing is under way: a second click does nothing. */
  busy: boolean;
}
