// `edit_files`: the edits of one call become one change set. Each file's edits are matched like
// the chat's SEARCH/REPLACE Apply (src/protocol/editBlocks.ts: whole lines, indentation kept,
// trailing white space and CRLF tolerated, in order); if any edit does not match, or a path may
// not be written, nothing is offered and the model is told which edit and why. Otherwise the change
// set goes to the user (or is written, as the policy says) and the model is told per file exactly
// what happened: applied (with the user's own changes, as a diff), rejected (with their reason),
// pending review, not written, or not applied because the turn stopped before the user decided.
import { applyEditBlocks, type EditBlock } from '../../protocol/editBlocks';
import type { Edit } from './toolArgs';
import type { ApprovalPolicy, ChangeSet, FileDecision, FrontEndPort, WorkspacePort } from './ports';
import { plural, type FileSnapshot, type ToolDetail, type ToolOutcome } from './toolResult';
import { unifiedDiff } from './unifiedDiff';

type EditDetail = Extract<ToolDetail, { kind: 'edit' }>;

/** Text the model copied from a redacted file: written back, it would overwrite the user's secret. */
const PLACEHOLDER = /\[REDACTED:[\w-]+(?::[\w-]+)?\]/;

/** The lines of an edit's text (a final newline ends the last line; it does not add an empty one). */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const blockOf = (e: Edit): EditBlock => ({ search: linesOf(e.search), replace: linesOf(e.replace) });

/** Runs `edit_files` (`id`: the call's id, which names the change set). */
export async function editFilesTool(
  id: string,
  edits: Edit[],
  ports: { workspace: WorkspacePort; frontEnd: FrontEndPort; policy: ApprovalPolicy },
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  const raws = [...new Set(edits.map((e) => e.path))];
  const targets = await ports.workspace.editTargets(raws, signal);
  const labelOf = new Map(raws.map((r, i) => [r, targets[i]!]));
  const refused = targets.filter((t) => !t.ok);
  if (refused.length) {
    const lines = refused.map((t) => `${t.path}: ${t.ok ? '' : t.reason}`);
    return fail(`Nothing was changed: ${plural(refused.length, 'path')} may not be edited.\n${lines.join('\n')}`, {
      kind: 'edit',
      files: refused.map((t) => ({ path: t.path, state: 'refused', created: false, reason: t.ok ? '' : t.reason })),
    });
  }
  // Edits by file (labels), in the order the files first appear; each keeps its number in the call.
  const byFile = new Map<string, { n: number; edit: Edit }[]>();
  edits.forEach((edit, i) => {
    const t = labelOf.get(edit.path)!;
    const list = byFile.get(t.path) ?? [];
    list.push({ n: i + 1, edit });
    byFile.set(t.path, list);
  });
  const problems: string[] = [];
  const changes: ChangeSet = { id, files: [] };
  const detail: EditDetail = { kind: 'edit', files: [] };
  for (const [path, list] of byFile) {
    const target = targets.find((t) => t.path === path)!;
    const before = target.ok ? target.text : undefined;
    const placeholder = list.find((x) => PLACEHOLDER.test(x.edit.replace) && !PLACEHOLDER.test(x.edit.search));
    if (placeholder) {
      problems.push(
        `Edit ${placeholder.n} (${path}) writes a [REDACTED:…] placeholder: the file holds a secret there ` +
          `that you cannot see. Leave those lines out of the edit.`,
      );
      detail.files.push({ path, state: 'not-matched', created: before === undefined, reason: 'redaction placeholder' });
      continue;
    }
    const blocks = list.map((x) => blockOf(x.edit));
    const whole = applyEditBlocks(before, blocks);
    if (whole.ok) {
      changes.files.push({ path, before, after: whole.text, blocks });
      continue;
    }
    // Which edit: the first prefix of the file's edits that fails ends with it.
    let k = 1;
    while (k < blocks.length && applyEditBlocks(before, blocks.slice(0, k)).ok) k++;
    const failing = list[k - 1]!;
    const why = (applyEditBlocks(before, blocks.slice(0, k)) as { error: string }).error
      .replace(/^(Edit \d+ of \d+|The edit) /, '')
      .replace(/ Nothing was applied\.$/, '');
    problems.push(
      `Edit ${failing.n} (${path}) ` +
        `${why}${before === undefined ? '' : ' Read the file again and match its current lines exactly.'}`,
    );
    detail.files.push({ path, state: 'not-matched', created: before === undefined, reason: why });
  }
  if (problems.length)
    return fail(`Nothing was changed: the change set was not offered.\n${problems.join('\n')}`, detail);

  const decisions =
    ports.policy.edits === 'apply'
      ? await ports.frontEnd.applyEdits(changes, signal)
      : await ports.frontEnd.proposeEdits(changes, signal);
  return outcomeOf(changes, decisions);
}

function fail(content: string, detail: EditDetail): ToolOutcome {
  const first = content.split('\n')[1] ?? content;
  return {
    ok: false,
    content,
    summary: `nothing changed: ${first.length > 160 ? `${first.slice(0, 160)}…` : first}`,
    detail,
  };
}

/** What the model and the user are told once the front end decided each file. */
function outcomeOf(changes: ChangeSet, decisions: FileDecision[]): ToolOutcome {
  const lines: string[] = [];
  const detail: EditDetail = { kind: 'edit', files: [] };
  const snapshots: FileSnapshot[] = [];
  for (const f of changes.files) {
    const d: FileDecision = decisions.find((x) => x.path === f.path) ?? {
      path: f.path,
      state: 'failed',
      reason: 'no decision came back for it',
    };
    const created = f.before === undefined;
    detail.files.push({ path: f.path, state: d.state, created, ...(d.reason ? { reason: d.reason } : {}) });
    switch (d.state) {
      case 'applied': {
        const written = d.text ?? f.after;
        snapshots.push({ path: f.path, ...(f.before !== undefined ? { before: f.before } : {}), after: written });
        const own = written.replace(/\r\n/g, '\n') !== f.after.replace(/\r\n/g, '\n');
        lines.push(
          own
            ? `${f.path}: ${created ? 'created' : 'applied'} with the user's own changes to your proposal ` +
                `(diff from your proposal to what was written):\n${unifiedDiff(f.path, f.after, written)}`
            : `${f.path}: ${created ? 'created' : 'applied'}`,
        );
        break;
      }
      case 'rejected':
        lines.push(`${f.path}: rejected by the user${d.reason ? `: "${d.reason}"` : ' (no reason given)'}`);
        break;
      case 'pending':
        lines.push(`${f.path}: not applied: the change awaits the user's review`);
        break;
      case 'failed':
        lines.push(`${f.path}: not written: ${d.reason ?? 'the write failed'}`);
        break;
      case 'stopped':
        lines.push(`${f.path}: not applied: the user stopped the turn before deciding on it`);
        break;
    }
  }
  const count = (s: FileDecision['state']) => detail.files.filter((x) => x.state === s).length;
  const applied = count('applied');
  const parts = [
    applied && `${applied} applied`,
    count('rejected') && `${count('rejected')} rejected`,
    count('pending') && `${count('pending')} awaiting review`,
    count('failed') && `${count('failed')} not written`,
    count('stopped') && `${count('stopped')} not applied (the turn stopped)`,
  ].filter(Boolean);
  return {
    ok: applied === changes.files.length,
    content: lines.join('\n') + '\n',
    summary: `${plural(changes.files.length, 'file')}: ${parts.join(', ')}`,
    detail,
    ...(snapshots.length ? { snapshots } : {}),
  };
}
