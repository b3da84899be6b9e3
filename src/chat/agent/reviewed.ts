// An agent change set reviewed like Apply's (src/chat/changeSet.ts): the proposal a review shows for
// each file, made again from the tool's edits when the user typed in the file meanwhile, and the
// settled review turned into the per-file decisions the model is told. No `vscode`: the editor's
// side is src/ui/agentReview.ts.
import { decisions, type ChangeSet as ReviewedSet } from '../changeSet';
import { applyEditBlocks, type EditResult } from '../../protocol/editBlocks';
import type { ChangeSet, FileChange, FileDecision } from './ports';

/** The proposal for `f` on the file's text `now`: as the tool made it, or its edits made again on changed text. */
export function remade(f: FileChange, now: string | undefined): EditResult {
  if (now === f.before) return { ok: true, text: f.after };
  if (f.blocks) return applyEditBlocks(now, f.blocks);
  return { ok: false, error: 'the file changed since the edit was made (read it again)' };
}

/** The same text apart from a byte-order mark and line endings (what a review may change without the user). */
const sameText = (a: string, b: string) => {
  const norm = (t: string) => t.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return norm(a) === norm(b);
};

/**
 * The model's view of a settled review: per file applied (with the text written when it is not the
 * proposal: the user edited it, or it was made again on text that changed), rejected (with the
 * user's `reason`), every file failed when the set could not be written, or every file stopped when
 * the review ended before the user decided (nothing written, nothing rejected).
 */
export function decisionsOf(changes: ChangeSet, set: ReviewedSet, reason: string | undefined): FileDecision[] {
  if (set.status === 'failed')
    return changes.files.map((f) => ({ path: f.path, state: 'failed', reason: set.message ?? 'not applied' }));
  if (set.status === 'stopped') return changes.files.map((f) => ({ path: f.path, state: 'stopped' }));
  const decided = decisions(set);
  return changes.files.map((f, i): FileDecision => {
    const d = decided[i];
    if (d?.state === 'accepted' || d?.state === 'edited')
      return {
        path: f.path,
        state: 'applied',
        ...(d.text !== undefined && !sameText(d.text, f.after) ? { text: d.text } : {}),
      };
    return { path: f.path, state: 'rejected', ...(reason ? { reason } : {}) };
  });
}
