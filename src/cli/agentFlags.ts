// `ask --agent`: the CLI's front end for the agent. Flags are the approval policy:
// edits are written only with --apply (otherwise each change set is printed as a unified diff and
// the model is told it awaits review), commands run only with --allow-run (any) or --allow-run
// PREFIX (repeatable; others are refused and the model is told so). The CLI has no editor, so
// get_problems answers that there are none, and nothing is ever asked interactively.
import type { ApprovalPolicy, FrontEndPort } from '../chat/agent/ports';
import { runShell } from '../chat/agent/shell';
import { unifiedDiff } from '../chat/agent/unifiedDiff';
import { workspacePort, type ToolViewSource } from '../chat/agent/workspacePort';
import { writeChangeSet } from '../chat/agent/writeChanges';
import type { AgentOptions } from '../chat/sessionTypes';
import { absOfLabel } from '../context/workspaceTools';
import type { WorkspaceRoot } from '../context/types';
import { UsageError } from './common';

export interface AgentFlags {
  agent?: boolean;
  apply?: boolean;
  /** `--allow-run` values: '' (bare flag) allows any command. */
  allowRun?: string[];
  maxSteps?: number;
  /** `--command-timeout`: a command's time limit (seconds) before it is killed with its process group. */
  commandTimeoutSeconds?: number;
}

/**
 * `argv` with a bare `--allow-run` (last, or followed by another option) written `--allow-run=`, so
 * the argument parser reads it as "any command" rather than taking the next word as its prefix.
 */
export function normalizeAllowRun(argv: string[]): string[] {
  return argv.map((a, i) =>
    a === '--allow-run' && (i === argv.length - 1 || argv[i + 1]!.startsWith('--')) ? '--allow-run=' : a,
  );
}

/** Checks the agent flags together; throws a UsageError for a combination that cannot work. */
export function checkAgentFlags(flags: AgentFlags): void {
  if (!flags.agent && flags.apply) throw new UsageError('--apply needs --agent');
  if (!flags.agent && flags.allowRun?.length) throw new UsageError('--allow-run needs --agent');
  if (!flags.agent && flags.commandTimeoutSeconds !== undefined)
    throw new UsageError('--command-timeout needs --agent');
}

/** The approval policy the flags give. */
export function policyOf(flags: AgentFlags): ApprovalPolicy {
  return {
    edits: flags.apply ? 'apply' : 'review',
    commands: { allowed: flags.allowRun?.includes('') ? [''] : (flags.allowRun ?? []), ask: false },
  };
}

/**
 * The agent's ports for the CLI over `engine` and `roots`; `say` prints for people (stderr), `out` the diffs (stdout
 * in plain mode).
 */
export function cliAgent(
  engine: ToolViewSource,
  roots: WorkspaceRoot[],
  flags: AgentFlags,
  print: { say: (text: string) => void; diff: (text: string) => void },
): AgentOptions {
  const absOf = (p: string) => absOfLabel(roots, p);
  const frontEnd: FrontEndPort = {
    proposeEdits: async (changes) => {
      for (const f of changes.files) print.diff(unifiedDiff(f.path, f.before, f.after));
      print.say(
        `(not applied: run with --apply to write ${changes.files.length === 1 ? 'this change' : 'these changes'})\n`,
      );
      return changes.files.map((f) => ({ path: f.path, state: 'pending' }));
    },
    applyEdits: async (changes) => {
      const decisions = writeChangeSet(changes, absOf);
      for (const d of decisions)
        print.say(d.state === 'applied' ? `wrote ${d.path}\n` : `did not write ${d.path}: ${d.reason ?? d.state}\n`);
      return decisions;
    },
    approveCommand: async () => ({ approved: false, reason: 'the command line does not ask; run with --allow-run' }),
    runCommand: (command, options) => runShell(command, { cwd: roots[0]!.path, ...options }),
    problems: async () => undefined,
  };
  return {
    workspace: workspacePort(engine, roots),
    frontEnd,
    policy: policyOf(flags),
    ...(flags.maxSteps !== undefined ? { maxSteps: flags.maxSteps } : {}),
    ...(flags.commandTimeoutSeconds !== undefined
      ? { settings: { commandTimeoutMs: flags.commandTimeoutSeconds * 1000 } }
      : {}),
  };
}
