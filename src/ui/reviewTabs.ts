// The editors a change review shows itself in: the diff editor for one file, VS Code's multi-file
// diff editor for several (beside the chat when the chat is an editor), the notification that says
// where to decide, and which tabs show a review (to close them, or to notice the user closed them).
import * as vscode from 'vscode';
import { proposalOf, proposalsIn, type ProposalProvider } from './proposalDiff';
import type { Review } from './reviewTypes';

/** Opens the review's diff: one file's diff editor, or the multi-file diff editor for several. */
export async function showDiff(r: Review): Promise<void> {
  const targets = [...r.targets.values()];
  if (targets.length === 1) {
    const t = targets[0]!;
    // Not a preview: opening another file must not replace (and so reject) a proposal not yet decided.
    await vscode.commands.executeCommand('vscode.diff', t.original, t.proposal, r.label, {
      preview: false,
      preserveFocus: !!r.opts.preserveFocus,
      viewColumn: r.opts.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
    });
    return;
  }
  if (r.opts.beside) {
    // The multi-file diff editor opens in the active group: make that the group beside the chat.
    const before = vscode.window.tabGroups.activeTabGroup;
    await vscode.commands.executeCommand('workbench.action.focusRightGroup');
    if (vscode.window.tabGroups.activeTabGroup === before)
      await vscode.commands.executeCommand('workbench.action.newGroupRight');
  }
  await vscode.commands.executeCommand(
    'vscode.changes',
    r.label,
    targets.map((t) => [t.uri, t.original, t.proposal]),
  );
}

/** While a set is reviewed, a notification says where to decide; it goes once `settled`. */
export function notifyReviewing(r: Review, settled: Promise<unknown>): void {
  const what = r.set.files.length === 1 ? r.set.files[0]!.path : `${r.set.files.length} files`;
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `DeepSeek proposes a change to ${what}`,
      cancellable: false,
    },
    (progress) => {
      progress.report({
        message: 'Accept or Reject it under the answer in the chat, or with ✓ / ✕ at the top of the diff.',
      });
      return settled;
    },
  );
}

/** True when `tab` shows the review `r` (its one file's diff, or its multi-file diff editor). */
export function showsReview(tab: vscode.Tab, r: Review): boolean {
  if (r.targets.size > 1) return isMultiDiff(tab, r);
  const proposal = proposalOf(tab);
  return proposal !== undefined && [...r.targets.values()].some((t) => t.proposal.toString() === proposal);
}

/** The multi-file diff editor showing `r`: VS Code names its tab "<label> (N files)"; its input lists `textDiffs`. */
function isMultiDiff(tab: vscode.Tab, r: Review): boolean {
  const input: unknown = tab.input;
  const diffs = typeof input === 'object' && input !== null && 'textDiffs' in input ? input.textDiffs : undefined;
  const proposals = new Set([...r.targets.values()].map((t) => t.proposal.toString()));
  return (
    (tab.label === r.label || tab.label.startsWith(`${r.label} (`)) &&
    Array.isArray(diffs) &&
    diffs.some((d: { modified?: unknown }) => proposals.has(String(d.modified)))
  );
}

/** Closes the review's diff, its proposals saved first (closing an editor with unsaved changes would ask). */
export async function closeDiff(r: Review): Promise<void> {
  const shown = new Set([...r.targets.values()].map((t) => t.proposal.toString()));
  for (const d of vscode.workspace.textDocuments) if (shown.has(d.uri.toString()) && d.isDirty) await d.save();
  await vscode.window.tabGroups.close(
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => showsReview(tab, r)),
  );
}

/**
 * Closes diffs whose proposals this window does not hold: a window reloaded in the middle of a
 * review gets its diff back from VS Code, but the proposal (in memory) and its review went with
 * the old window, so it would show "The editor could not be opened". The review ended with the
 * old window (nothing was written); the chat says what became of it.
 */
export async function closeOrphans(tabs: readonly vscode.Tab[], proposals: ProposalProvider): Promise<void> {
  const orphans = tabs.filter((tab) => {
    const shown = proposalsIn(tab);
    return shown.length > 0 && !shown.some((u) => proposals.has(u));
  });
  if (orphans.length) await vscode.window.tabGroups.close(orphans);
}
