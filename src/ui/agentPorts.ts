// The agent's ports in VS Code: the workspace through the warm context engine (the
// pack's rules, editors' unsaved text included), change sets reviewed in VS Code's (multi-file) diff
// through the change-set review, commands asked about each time (with "Always Allow" for a prefix,
// kept per workspace) and run as a child process in the workspace root, problems from VS Code's
// diagnostics. Nothing here decides what the model may do: the approval policy is data, read by the
// core's tools.
import * as vscode from 'vscode';
import type {
  ApprovalPolicy,
  ChangeSet,
  CommandApproval,
  FileDecision,
  FrontEndPort,
  Problem,
} from '../chat/agent/ports';
import { suggestedPrefix } from '../chat/agent/commandPolicy';
import { runShell } from '../chat/agent/shell';
import { formatUsd } from '../llm/cost';
import { workspacePort, type ToolViewSource } from '../chat/agent/workspacePort';
import { currentText } from '../chat/agent/writeChanges';
import type { AgentOptions } from '../chat/sessionTypes';
import { absOfLabel, toolLabel } from '../context/workspaceTools';
import type { WorkspaceRoot } from '../context/types';
import type { AllowedCommands } from './allowedCommands';
import { askRejectReason, type AgentReviewOptions } from './agentReview';
import type { AgentView } from './sessionBackend';
import { diagnosticFacts } from './diagnostics';

export interface AgentSettings {
  /** Requests one agent turn may make. */
  maxSteps: number;
  /** A command's time limit (ms). */
  commandTimeoutMs: number;
  /** Write change sets without review (off by default). */
  applyWithoutReview: boolean;
}

export interface VsAgentDeps {
  roots(): WorkspaceRoot[];
  context: ToolViewSource;
  allowed: AllowedCommands;
  settings(): AgentSettings;
  /** Shows a change set for review and resolves with the user's decision per file (agentReview.ts). */
  review(changes: ChangeSet, opts: AgentReviewOptions): Promise<FileDecision[]>;
  /** The view whose turn this is: it shows the change sets under the turn. */
  view?: AgentView;
  prompts: AgentPrompts;
}

/** The workspace label of `uri` as the pack names files (`root/…` in a multi-root workspace); undefined outside. */
function labelOf(roots: WorkspaceRoot[], uri: vscode.Uri): string | undefined {
  if (uri.scheme !== 'file') return undefined;
  for (const r of roots) {
    const rel = vscode.Uri.file(r.path).path.replace(/\/$/, '');
    if (uri.path === rel || !uri.path.startsWith(`${rel}/`)) continue;
    const inside = uri.path.slice(rel.length + 1);
    return roots.length > 1 ? `${r.name}/${inside}` : inside;
  }
  return undefined;
}

/** VS Code's errors and warnings for `paths` (workspace labels; all files when undefined). */
export function workspaceProblems(roots: WorkspaceRoot[], paths?: string[]): Problem[] {
  const wanted = paths?.flatMap((p) => {
    const l = toolLabel(roots, p);
    return l.ok ? [l.label] : [];
  });
  const out: Problem[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const path = labelOf(roots, uri);
    if (!path || (wanted && !wanted.includes(path))) continue;
    for (const d of diagnostics) out.push({ path, ...diagnosticFacts(d) });
  }
  return out;
}

/** The questions an agent turn asks the user: modal dialogs and an input box (a test answers them itself). */
export interface AgentPrompts {
  /** May `command` run in `root`? `always`: and every command starting with `prefix`, in this workspace. */
  approveCommand(command: string, root: string, prefix: string): Promise<'run' | 'always' | undefined>;
  /** The turn has spent `spentUsd`: go on? */
  confirmSpend(spentUsd: number): Promise<boolean>;
  /** Why were `paths` rejected? Undefined: no reason given. */
  rejectReason(paths: string[]): Promise<string | undefined>;
}

export const vsPrompts: AgentPrompts = {
  async approveCommand(command, root, prefix) {
    const always = `Always Allow "${prefix}"`;
    const choice = await vscode.window.showWarningMessage(
      'DeepSeek wants to run a command',
      {
        modal: true,
        detail:
          `${command}\n\nin ${root}. It runs with your permissions; its output goes to the model (secrets ` +
          `redacted). "Always Allow" runs commands starting with "${prefix}" without asking in this workspace ` +
          '(DeepSeek: Allowed Commands revokes it).',
      },
      'Run',
      always,
    );
    return choice === 'Run' ? 'run' : choice === always ? 'always' : undefined;
  },
  async confirmSpend(spentUsd) {
    const choice = await vscode.window.showWarningMessage(
      `This agent turn has spent ${formatUsd(spentUsd)} so far. Go on?`,
      {
        modal: true,
        detail:
          'Asked at each multiple of deepseekRepo.confirmCostAboveUsd. Stopping keeps every step done so far; ' +
          'Continue goes on later.',
      },
      'Go On',
    );
    return choice === 'Go On';
  },
  rejectReason: askRejectReason,
};

/** Asks whether `command` may run: Run, Always Allow its prefix in this workspace, or not. */
async function askToRun(
  prompts: AgentPrompts,
  command: string,
  root: string,
  allowed: AllowedCommands,
): Promise<CommandApproval> {
  const prefix = suggestedPrefix(command);
  const choice = await prompts.approveCommand(command, root, prefix);
  if (choice === 'run') return { approved: true };
  if (choice === 'always') {
    await allowed.add(prefix);
    return { approved: true, alwaysPrefix: prefix };
  }
  return { approved: false };
}

/** Writes a change set without review: each file only if it still holds the text the edit saw, then saved. */
async function applyNow(roots: WorkspaceRoot[], changes: ChangeSet): Promise<FileDecision[]> {
  const out: FileDecision[] = [];
  for (const f of changes.files) {
    const uri = vscode.Uri.file(absOfLabel(roots, f.path));
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const now = open ? open.getText() : currentText(uri.fsPath);
    if (now !== f.before) {
      out.push({ path: f.path, state: 'failed', reason: 'the file changed since the edit was made (read it again)' });
      continue;
    }
    const edit = new vscode.WorkspaceEdit();
    if (f.before === undefined) edit.createFile(uri, { contents: Buffer.from(f.after), overwrite: false });
    else {
      const doc = open ?? (await vscode.workspace.openTextDocument(uri));
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), f.after);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      out.push({ path: f.path, state: 'failed', reason: 'VS Code did not apply the edit' });
      continue;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) await doc.save(); // commands the agent runs next read the disk
    out.push({ path: f.path, state: 'applied' });
  }
  return out;
}

/** The agent's options for a turn in this window: ports, policy (allowed prefixes, ask the rest) and limits. */
export function vsAgent(deps: VsAgentDeps): AgentOptions {
  const roots = deps.roots();
  const s = deps.settings();
  const policy: ApprovalPolicy = {
    edits: s.applyWithoutReview ? 'apply' : 'review',
    commands: { allowed: deps.allowed.list(), ask: true },
  };
  const frontEnd: FrontEndPort = {
    proposeEdits: (changes, signal) =>
      deps.review(changes, {
        ...(signal ? { signal } : {}),
        ...(deps.view ? { onUpdate: (summary) => deps.view!.showChanges(summary) } : {}),
        askReason: (paths) => deps.prompts.rejectReason(paths),
      }),
    applyEdits: (changes) => applyNow(roots, changes),
    approveCommand: (command) => askToRun(deps.prompts, command, roots[0]?.name ?? 'the workspace', deps.allowed),
    runCommand: (command, options) => runShell(command, { cwd: roots[0]!.path, ...options }),
    problems: async (paths) => workspaceProblems(roots, paths),
  };
  return {
    workspace: workspacePort(deps.context, roots),
    frontEnd,
    policy,
    maxSteps: s.maxSteps,
    settings: { commandTimeoutMs: s.commandTimeoutMs },
    confirmSpend: (spentUsd) => deps.prompts.confirmSpend(spentUsd),
  };
}
