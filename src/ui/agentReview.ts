// The agent's `edit_files` in VS Code: its change set goes through the same review as Apply on a code
// block (changeReview.ts): VS Code's multi-file diff (the diff editor for one file), Accept / Reject in
// the chat under the turn (per file Leave out), ✓ / ✕ in the diff's title bar, the proposal editable
// before accepting, then Undo. What the user decided becomes one decision per file for the model;
// when a file was rejected the user may say why (optional), and the model is told. Stop ends a
// change set still under review undecided: not applied, and not counted as rejected.
import * as vscode from 'vscode';
import { decisions, type ChangeSet as ReviewedSet } from '../chat/changeSet';
import type { ChangeSet, FileDecision } from '../chat/agent/ports';
import { decisionsOf, remade } from '../chat/agent/reviewed';
import { absOfLabel } from '../context/workspaceTools';
import type { WorkspaceRoot } from '../context/types';
import type { ChangeSetSummary } from '../protocol/messages';
import type { ChangeReview } from './changeReview';

export interface AgentReviewOptions {
  signal?: AbortSignal;
  /** The set changed state: the chat shows it under the turn. */
  onUpdate?(summary: ChangeSetSummary): void;
  /** Asks why files were rejected; resolves undefined when the user gives no reason. */
  askReason?(paths: string[]): Promise<string | undefined>;
}

/** The files a settled review wrote (accepted or edited, in an applied set). */
const toApplyPaths = (set: ReviewedSet) =>
  set.status === 'applied'
    ? set.files.filter((f) => f.state === 'accepted' || f.state === 'edited').map((f) => f.path)
    : [];

/** Asks in an input box why `paths` were rejected (Escape: no reason). */
export async function askRejectReason(paths: string[]): Promise<string | undefined> {
  const reason = await vscode.window.showInputBox({
    title: `You rejected ${paths.join(', ')}`,
    prompt: 'Tell DeepSeek why (optional): it reads this before its next step. Escape: no reason.',
    placeHolder: 'e.g. keep the old name; only change the tests',
    ignoreFocusOut: true,
  });
  return reason?.trim() || undefined;
}

/** Reviews the agent's change set `changes` with `review`; resolves with the decision per file. */
export async function reviewAgentChanges(
  review: ChangeReview,
  roots: WorkspaceRoot[],
  changes: ChangeSet,
  opts: AgentReviewOptions = {},
): Promise<FileDecision[]> {
  let id: string | undefined;
  const onAbort = () => void (id && review.stop(id));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const set = await review.propose(
      {
        title: "DeepSeek's edits",
        files: changes.files.map((f) => ({
          uri: vscode.Uri.file(absOfLabel(roots, f.path)),
          make: (now: string | undefined) => remade(f, now),
        })),
      },
      {
        preserveFocus: true,
        onUpdate: (summary) => {
          id ??= summary.id;
          if (opts.signal?.aborted && summary.status === 'reviewing') onAbort();
          opts.onUpdate?.(summary);
        },
      },
    );
    // Saved: the commands the agent runs next read the disk.
    const written = new Set(toApplyPaths(set));
    for (const f of changes.files) {
      if (!written.has(f.path)) continue;
      const abs = absOfLabel(roots, f.path);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === abs);
      if (doc?.isDirty) await doc.save();
    }
    const rejected = decisions(set)
      .filter((d) => d.state === 'rejected' || d.state === 'proposed')
      .map((d) => d.path);
    const reason =
      rejected.length && set.status !== 'failed' && set.status !== 'stopped' && !opts.signal?.aborted
        ? await (opts.askReason ?? askRejectReason)(rejected)
        : undefined;
    return decisionsOf(changes, set, opts.signal?.aborted ? 'the user stopped the turn' : reason);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
