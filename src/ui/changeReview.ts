// The VS Code side of a change set (src/chat/changeSet.ts): opens the review (the diff editor for one
// file, VS Code's multi-file diff editor for several), puts Accept and Reject under the answer in
// the chat (and ✓ / ✕ in the diff's title bar), applies the accepted files in one undoable
// WorkspaceEdit, tells the chat what was applied, and undoes it to the exact bytes from before.
// Closing the diff undecided rejects; a Stop or a reload ends it undecided (`stopped`); nothing is
// written before an Accept. Apply on a code block
// (codeActions.ts) uses it, and so does the agent's `proposeEdits` port. This file holds the review's
// decisions; its editors are in reviewTabs.ts, its writes and Undo in reviewEdits.ts.
import * as vscode from 'vscode';
import * as cs from '../chat/changeSet';
import { acceptedText, type EditResult } from '../protocol/editBlocks';
import { proposalOf, type ProposalProvider } from './proposalDiff';
import { undoApplied, writeAccepted } from './reviewEdits';
import { readFile } from './reviewFiles';
import { closeDiff, closeOrphans, notifyReviewing, showDiff, showsReview } from './reviewTabs';
import type { ProposedFile, Review, ReviewOptions, Target } from './reviewTypes';

export type { ProposedFile, ReviewOptions } from './reviewTypes';

/** Applied sets kept for Undo (the oldest go first). */
const KEEP_APPLIED = 50;

export class ChangeReview implements vscode.Disposable {
  private readonly reviews = new Map<string, Review>();
  private seq = 0;
  private readonly subs: vscode.Disposable[] = [
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      this.closedTabs(e.closed);
      void closeOrphans(e.opened, this.proposals);
    }),
  ];

  constructor(private readonly proposals: ProposalProvider) {
    void closeOrphans(
      vscode.window.tabGroups.all.flatMap((g) => g.tabs),
      this.proposals,
    );
  }

  /**
   * Proposes a change to `files` and resolves with the set once the user decided (applied,
   * rejected, or failed). `title` names a review of several files.
   */
  async propose(
    init: { title?: string; files: readonly ProposedFile[] },
    opts: ReviewOptions = {},
  ): Promise<cs.ChangeSet> {
    const id = `c${Date.now().toString(36)}${(this.seq++).toString(36)}`;
    const targets = new Map<string, Target>();
    const files: { path: string; before: Uint8Array | undefined; proposed: string; note?: string }[] = [];
    const errors: string[] = [];
    let first: EditResult | undefined;
    for (const f of init.files) {
      const path = vscode.workspace.asRelativePath(f.uri);
      const now = await readFile(f.uri);
      const made = f.make(now.text);
      first ??= made;
      if (!made.ok) {
        errors.push(`${path}: ${made.error}`);
        continue;
      }
      const proposal = this.proposals.add(f.uri, made.text);
      const original = now.bytes === undefined ? this.proposals.add(f.uri, '', true) : f.uri;
      targets.set(path, { uri: f.uri, proposal, original, make: f.make.bind(f), clean: now.clean });
      files.push({ path, before: now.bytes, proposed: made.text, ...(made.how ? { note: made.how.summary } : {}) });
    }
    const single = files.length === 1 ? files[0]! : undefined;
    const how = first?.ok ? first.how : undefined;
    const label = single
      ? `${single.path} ↔ DeepSeek proposal` +
        (single.before === undefined ? ' (new file)' : how && how.kind !== 'whole' ? ` (${how.summary})` : '')
      : (init.title ?? 'DeepSeek proposal');
    const set = cs.createChangeSet({ id, title: label, files });
    if (errors.length) {
      // Nothing of a set is proposed when a part of it cannot be made: the parts depend on each other.
      cs.rejectAll(set);
      cs.markFailed(set, `${errors.join(' ')}`);
      for (const t of targets.values()) this.release(t);
      opts.onUpdate?.(cs.summarize(set));
      if (!opts.onUpdate) void vscode.window.showWarningMessage(errors.join(' '));
      return set;
    }
    let resolve!: (s: cs.ChangeSet) => void;
    const settled = new Promise<cs.ChangeSet>((done) => (resolve = done));
    const review: Review = { set, opts, targets, label, resolve, busy: false };
    this.reviews.set(id, review);
    this.update(review);
    notifyReviewing(review, settled);
    try {
      await showDiff(review);
    } catch (e) {
      await this.decide(id, { accept: false });
      throw e;
    }
    // Settled while the diff was opening (Stop at once, a button in the chat): its close found no tab yet.
    if (set.status !== 'reviewing') await closeDiff(review);
    return settled;
  }

  /** Opens the review's diff again (Show Diff in the chat). */
  async show(id: string): Promise<void> {
    const r = this.reviews.get(id);
    if (r?.set.status === 'reviewing') await showDiff(r);
    else if (r?.set.status === 'applied') {
      const t = [...r.targets.values()].find((x) => cs.toApply(r.set).some((w) => r.targets.get(w.path) === x));
      if (t) await vscode.window.showTextDocument(t.uri, { preview: false });
    }
  }

  /** The title bar's ✓ / ✕ (or the palette): decides the review whose diff `uri` shows, else the active or only one. */
  decideFromEditor(uri: vscode.Uri | undefined, decision: { accept: boolean }): boolean {
    const open = [...this.reviews.values()].filter((r) => r.set.status === 'reviewing' && !r.busy);
    const key = uri?.toString() ?? proposalOf(vscode.window.tabGroups.activeTabGroup.activeTab);
    const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
    const r =
      open.find((x) => [...x.targets.values()].some((t) => t.proposal.toString() === key)) ??
      (uri?.scheme !== 'deepseek-proposal'
        ? (open.find((x) => x.label === label) ?? (open.length === 1 ? open[0] : undefined))
        : undefined);
    if (!r) {
      void vscode.window.showInformationMessage(
        'This proposal is no longer waiting for a decision: use Apply on the answer again.',
      );
      return false;
    }
    void this.decide(r.set.id, decision);
    return true;
  }

  /**
   * Accepts or rejects the set `id` (with `path`: leaves that file out, or takes it back in). False
   * when it awaits no decision.
   */
  async decide(id: string, decision: { accept: boolean; path?: string }): Promise<boolean> {
    const { accept, path } = decision;
    const r = this.reviews.get(id);
    const status = r?.set.status;
    if (!r || status !== 'reviewing' || r.busy) return false;
    if (path !== undefined) {
      if (!r.targets.has(path)) return false;
      if (accept) cs.undecide(r.set, path);
      else cs.reject(r.set, path);
      this.update(r);
      return true;
    }
    r.busy = true;
    try {
      if (accept) {
        // A multi-file diff editor is closed before writing: closing it reverts the unsaved files it shows.
        const multi = r.targets.size > 1;
        const writes = await this.settle(r);
        if (multi) await this.close(r);
        if (writes) await writeAccepted(r);
        if (!multi) await this.close(r); // a single diff closes after: its file stays open, its edit kept
      } else {
        cs.rejectAll(r.set);
        await this.close(r);
      }
    } catch (e) {
      cs.markFailed(r.set, `Could not apply the change: ${(e as Error).message}`);
      await this.close(r);
    } finally {
      r.busy = false;
    }
    // (settle() and write() changed the status: read it afresh)
    if (r.set.status !== 'applied') this.reviews.delete(id);
    else this.forgetOld();
    this.update(r);
    r.resolve(r.set);
    return true;
  }

  /**
   * Ends the review of `id` before the user decided (the turn stopped): its diff closes, nothing is written, and the
   * set is `stopped`, not rejected. False when it awaits no decision.
   */
  async stop(id: string): Promise<boolean> {
    const r = this.reviews.get(id);
    if (r?.set.status !== 'reviewing' || r.busy) return false;
    r.busy = true;
    cs.markStopped(r.set);
    try {
      await this.close(r);
    } finally {
      r.busy = false;
      this.reviews.delete(id);
      this.update(r);
      r.resolve(r.set);
    }
    return true;
  }

  /**
   * Takes each file's decision as its diff shows it now (edited by the user, or left alone); a file
   * that changed meanwhile gets its proposal made again. False when nothing is left to write.
   */
  private async settle(r: Review): Promise<boolean> {
    const left: string[] = [];
    for (const f of r.set.files) {
      if (f.state === 'rejected') continue;
      const t = r.targets.get(f.path)!;
      const now = await readFile(t.uri);
      const unchanged = cs.sameBytes(now.bytes, f.before) || now.text === cs.textOf(f.before);
      const shown = this.proposals.textOf(t.proposal) ?? f.proposed;
      const result = acceptedText(shown, f.proposed, unchanged, () => t.make(now.text));
      if (!result.ok) {
        left.push(`${f.path} changed while the proposal was open: ${result.error}`);
        cs.reject(r.set, f.path);
        continue;
      }
      if (!unchanged) {
        cs.rebase(r.set, f.path, now.bytes, result.text);
        t.clean = now.clean;
      }
      cs.accept(r.set, f.path, result.text);
    }
    if (left.length) r.set.message = `Left out: ${left.join(' ')}`;
    if (cs.toApply(r.set).length) return true;
    if (left.length) cs.markFailed(r.set, left.join(' '));
    else cs.markApplied(r.set, new Map());
    if (left.length && !r.opts.onUpdate) void vscode.window.showWarningMessage(left.join(' '));
    return false;
  }

  /**
   * Undoes the applied set `id`: each file back to its exact bytes from before, a created file removed; asks first
   * when the user changed one since.
   */
  async undo(id: string): Promise<boolean> {
    const r = this.reviews.get(id);
    if (r?.set.status !== 'applied' || r.busy) return false;
    r.busy = true;
    try {
      const outcome = await undoApplied(r);
      if (outcome === 'declined') return false;
      if (outcome === 'undone') this.reviews.delete(id);
      this.update(r);
      return outcome === 'undone';
    } finally {
      r.busy = false;
    }
  }

  private update(r: Review): void {
    r.opts.onUpdate?.(cs.summarize(r.set));
  }

  /** A review's diff closed by the user, undecided: rejected. */
  private closedTabs(closed: readonly vscode.Tab[]): void {
    for (const r of this.reviews.values()) {
      if (r.set.status !== 'reviewing' || r.busy) continue;
      if (closed.some((tab) => showsReview(tab, r))) void this.decide(r.set.id, { accept: false });
    }
  }

  /** Closes the review's diff and forgets its proposals. */
  private async close(r: Review): Promise<void> {
    await closeDiff(r);
    for (const t of r.targets.values()) this.release(t);
  }

  private release(t: Target): void {
    this.proposals.release(t.proposal);
    if (t.original.scheme === t.proposal.scheme) this.proposals.release(t.original);
  }

  private forgetOld(): void {
    const applied = [...this.reviews.values()].filter((r) => r.set.status === 'applied');
    for (const r of applied.slice(0, Math.max(0, applied.length - KEEP_APPLIED))) this.reviews.delete(r.set.id);
  }

  /** The window reloads or the extension goes away: a review still open ends undecided (`stopped`), nothing written. */
  dispose(): void {
    for (const r of this.reviews.values())
      if (r.set.status === 'reviewing') {
        cs.markStopped(r.set);
        r.resolve(r.set);
      }
    this.reviews.clear();
    for (const s of this.subs) s.dispose();
  }
}
