// The VS Code side of a change set (src/chat/changeSet.ts): opens the review (the diff editor for one
// file, VS Code's multi-file diff editor for several), puts Accept and Reject under the answer in
// the chat (and ✓ / ✕ in the diff's title bar), applies the accepted files in one undoable
// WorkspaceEdit, tells the chat what was applied, and undoes it to the exact bytes from before.
// Closing the diff undecided rejects; nothing is written before an Accept. Apply on a code block
// (codeActions.ts) uses it, and so does the agent's `proposeEdits` port.
import * as vscode from 'vscode';
import * as cs from '../chat/changeSet';
import { acceptedText, type EditResult } from '../protocol/editBlocks';
import { proposalOf, proposalsIn, type ProposalProvider } from './proposalDiff';

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

interface Target {
  uri: vscode.Uri;
  proposal: vscode.Uri;
  original: vscode.Uri;
  make: ProposedFile['make'];
  /** Held no unsaved edits when read: Undo puts its exact bytes back on disk. */
  clean: boolean;
}

interface Review {
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

/** Applied sets kept for Undo (the oldest go first). */
const KEEP_APPLIED = 50;

const fullRange = (doc: vscode.TextDocument) =>
  new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
const openDoc = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());

/** A workspace file as a change set needs it: its exact bytes (undefined: absent), its text as the editor shows it. */
async function readFile(
  uri: vscode.Uri,
): Promise<{ bytes: Uint8Array | undefined; text: string | undefined; clean: boolean }> {
  const doc = openDoc(uri);
  if (doc?.isDirty) return { bytes: cs.bytesOf(doc.getText()), text: doc.getText(), clean: false };
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { bytes, text: doc ? doc.getText() : cs.textOf(bytes), clean: true };
  } catch {
    return { bytes: undefined, text: undefined, clean: true };
  }
}

/** Longest wait for a save already under way (files.autoSave) to finish (milliseconds). */
const SAVE_WAIT_MS = 10_000;

/** Saves `doc` and waits until it is saved: a save files.autoSave started may still be running. */
async function savedNow(doc: vscode.TextDocument): Promise<void> {
  if (!doc.isDirty) return;
  if (await doc.save()) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const sub = vscode.workspace.onDidSaveTextDocument((d) => d === doc && done());
    const timer = setTimeout(done, SAVE_WAIT_MS);
    if (!doc.isDirty) done();
  });
}

export class ChangeReview implements vscode.Disposable {
  private readonly reviews = new Map<string, Review>();
  private seq = 0;
  private readonly subs: vscode.Disposable[] = [
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      this.closedTabs(e.closed);
      void this.closeOrphans(e.opened);
    }),
  ];

  constructor(private readonly proposals: ProposalProvider) {
    void this.closeOrphans(vscode.window.tabGroups.all.flatMap((g) => g.tabs));
  }

  /**
   * Closes diffs whose proposals this window does not hold: a window reloaded in the middle of a
   * review gets its diff back from VS Code, but the proposal (in memory) and its review went with
   * the old window, so it would show "The editor could not be opened". The review ended with the
   * old window (nothing was written); the chat says what became of it.
   */
  private async closeOrphans(tabs: readonly vscode.Tab[]): Promise<void> {
    const orphans = tabs.filter((tab) => {
      const shown = proposalsIn(tab);
      return shown.length > 0 && !shown.some((u) => this.proposals.has(u));
    });
    if (orphans.length) await vscode.window.tabGroups.close(orphans);
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
    this.notify(review, settled);
    try {
      await this.showDiff(review);
    } catch (e) {
      await this.decide(id, { accept: false });
      throw e;
    }
    return settled;
  }

  /** Opens the review's diff again (Show Diff in the chat). */
  async show(id: string): Promise<void> {
    const r = this.reviews.get(id);
    if (r?.set.status === 'reviewing') await this.showDiff(r);
    else if (r?.set.status === 'applied') {
      const t = [...r.targets.values()].find((x) => cs.toApply(r.set).some((w) => r.targets.get(w.path) === x));
      if (t) await vscode.window.showTextDocument(t.uri, { preview: false });
    }
  }

  private async showDiff(r: Review): Promise<void> {
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

  /** While a set is reviewed, a notification says where to decide; it goes once decided. */
  private notify(r: Review, settled: Promise<unknown>): void {
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
        if (writes) await this.write(r);
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

  /** Writes the accepted files in one undoable step. */
  private async write(r: Review): Promise<void> {
    const writes = cs.toApply(r.set);
    const edit = new vscode.WorkspaceEdit();
    const meta = { label: 'DeepSeek: apply the proposal', needsConfirmation: false };
    for (const w of writes) {
      const t = r.targets.get(w.path)!;
      const doc = w.create ? undefined : await vscode.workspace.openTextDocument(t.uri);
      if (doc) edit.replace(t.uri, fullRange(doc), w.text, meta);
      else {
        edit.createFile(t.uri, { ignoreIfExists: false }, meta);
        edit.insert(t.uri, new vscode.Position(0, 0), w.text, meta);
      }
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      cs.markFailed(r.set, 'VS Code could not apply the change; nothing was written.');
      return;
    }
    const after = new Map<string, Uint8Array>();
    for (const w of writes)
      after.set(w.path, cs.bytesOf((await vscode.workspace.openTextDocument(r.targets.get(w.path)!.uri)).getText()));
    const message = r.set.message;
    cs.markApplied(r.set, after);
    if (message) r.set.message = message;
    if (writes.length === 1)
      await vscode.window.showTextDocument(r.targets.get(writes[0]!.path)!.uri, {
        preview: false,
        preserveFocus: !!r.opts.preserveFocus,
        ...(r.opts.beside ? { viewColumn: vscode.ViewColumn.Beside } : {}),
      });
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
      const now = new Map<string, Uint8Array | undefined>();
      for (const [path, t] of r.targets) now.set(path, (await readFile(t.uri)).bytes);
      const plan = cs.undoPlan(r.set, (p) => now.get(p));
      const changed = plan.filter((s) => s.changedSince).map((s) => s.path);
      if (changed.length) {
        const them = changed.length === 1 ? 'it' : 'them';
        const go = await vscode.window.showWarningMessage(
          `${changed.join(', ')} changed since DeepSeek's change was applied.`,
          {
            modal: true,
            detail: `Undo puts back the text from before the change, and what you changed in ${them} since is lost.`,
          },
          'Undo Anyway',
        );
        if (go !== 'Undo Anyway') return false;
      }
      const edit = new vscode.WorkspaceEdit();
      const meta = { label: 'DeepSeek: undo the applied proposal', needsConfirmation: false };
      for (const s of plan) {
        const t = r.targets.get(s.path)!;
        const text = cs.textOf(s.restore);
        if (text === undefined) {
          // Saved first, so no save of it is left pending once it is gone (the user chose to lose those edits).
          const doc = openDoc(t.uri);
          if (doc?.isDirty) await savedNow(doc);
          edit.deleteFile(t.uri, { ignoreIfNotExists: true }, meta);
        } else if (now.get(s.path) === undefined) {
          edit.createFile(t.uri, { ignoreIfExists: true }, meta);
          edit.insert(t.uri, new vscode.Position(0, 0), text, meta);
        } else edit.replace(t.uri, fullRange(await vscode.workspace.openTextDocument(t.uri)), text, meta);
      }
      if (!(await vscode.workspace.applyEdit(edit))) {
        r.set.message = 'VS Code could not undo the change; the files are as they were.';
        this.update(r);
        return false;
      }
      // A file that had no unsaved edits before the change gets its exact bytes back on disk.
      for (const s of plan) {
        const t = r.targets.get(s.path)!;
        if (!s.restore || !t.clean) continue;
        const doc = openDoc(t.uri);
        if (doc) await savedNow(doc);
        const disk = await readFile(t.uri);
        if (!cs.sameBytes(disk.bytes, s.restore)) await vscode.workspace.fs.writeFile(t.uri, s.restore);
      }
      cs.markUndone(r.set);
      const restored = plan.filter((s) => s.restore).map((s) => s.path);
      const removed = plan.filter((s) => !s.restore).map((s) => s.path);
      r.set.message = [
        restored.length ? `${restored.join(', ')} ${restored.length === 1 ? 'is' : 'are'} back as before` : '',
        removed.length ? `${removed.join(', ')} removed` : '',
      ]
        .filter(Boolean)
        .join('; ')
        .concat('.');
      this.reviews.delete(id);
      this.update(r);
      return true;
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
      const shown = new Set([...r.targets.values()].map((t) => t.proposal.toString()));
      const multi = r.targets.size > 1;
      if (closed.some((tab) => (multi ? this.isMultiDiff(tab, r) : shown.has(proposalOf(tab) ?? ''))))
        void this.decide(r.set.id, { accept: false });
    }
  }

  /** The multi-file diff editor showing `r`: VS Code names its tab "<label> (N files)"; its input lists `textDiffs`. */
  private isMultiDiff(tab: vscode.Tab, r: Review): boolean {
    const input: unknown = tab.input;
    const diffs = typeof input === 'object' && input !== null && 'textDiffs' in input ? input.textDiffs : undefined;
    const proposals = new Set([...r.targets.values()].map((t) => t.proposal.toString()));
    return (
      (tab.label === r.label || tab.label.startsWith(`${r.label} (`)) &&
      Array.isArray(diffs) &&
      diffs.some((d: { modified?: unknown }) => proposals.has(String(d.modified)))
    );
  }

  /**
   * Closes the review's diff (its proposals saved first: closing an editor with unsaved changes would ask) and forgets
   * the proposals.
   */
  private async close(r: Review): Promise<void> {
    const shown = new Set([...r.targets.values()].map((t) => t.proposal.toString()));
    for (const d of vscode.workspace.textDocuments) if (shown.has(d.uri.toString()) && d.isDirty) await d.save();
    const multi = r.targets.size > 1;
    await vscode.window.tabGroups.close(
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((tab) => (multi ? this.isMultiDiff(tab, r) : shown.has(proposalOf(tab) ?? ''))),
    );
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

  dispose(): void {
    for (const r of this.reviews.values())
      if (r.set.status === 'reviewing') {
        cs.rejectAll(r.set);
        r.resolve(r.set);
      }
    this.reviews.clear();
    for (const s of this.subs) s.dispose();
  }
}
