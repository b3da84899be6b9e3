// What the agent needs from the world, as ports a front end gives it (DESIGN "Acting"): the
// workspace as the context engine sees it (read and search with the pack's ignore and redaction
// rules, the exact text of a file to edit), the user's decisions on edits and commands, a command
// runner and the editor's problems. The extension implements them with VS Code, the CLI with flags,
// tests with fakes. Approval policy is data (`ApprovalPolicy`), read by the tools the same way for
// every front end; nothing here knows which front end it runs in.
import type { EditTarget, FileRead, SearchOutcome, SearchQuery } from '../../context/workspaceTools';
import type { EditBlock } from '../../protocol/editBlocks';

export type { EditTarget, FileRead, SearchMatch, SearchOutcome, SearchQuery } from '../../context/workspaceTools';

/** The workspace through src/context: the same rules as the pack. */
export interface WorkspacePort {
  readFiles(paths: string[], signal?: AbortSignal): Promise<FileRead[]>;
  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchOutcome>;
  /** The current text of files about to be edited (an editor's unsaved text where there is one). */
  editTargets(paths: string[], signal?: AbortSignal): Promise<EditTarget[]>;
}

/** One file of a change set: its exact text before (undefined: created by the change) and after. */
export interface FileChange {
  path: string;
  before: string | undefined;
  after: string;
  /** The edits that made `after` from `before`, so a review can make them again on text the user changed meanwhile. */
  blocks?: EditBlock[];
}

/** The edits of one `edit_files` call, made into whole files. `id` is the tool call's id. */
export interface ChangeSet {
  id: string;
  files: FileChange[];
}

/**
 * What became of one file of a change set. `applied`: written (`text`: what was written when the
 * user changed the proposal); `rejected`: the user said no (`reason` if they gave one); `pending`:
 * shown for review, not applied (the CLI without --apply); `failed`: could not be written;
 * `stopped`: not applied, the turn stopped (Stop, a window reload) before the user decided.
 */
export interface FileDecision {
  path: string;
  state: 'applied' | 'rejected' | 'pending' | 'failed' | 'stopped';
  reason?: string;
  text?: string;
}

export type CommandApproval = { approved: true; alwaysPrefix?: string } | { approved: false; reason?: string };

/** A command that ran: its exit code (null when a signal ended it), and the tail of its output, not yet redacted. */
export interface CommandRun {
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  /** stdout and stderr interleaved as they came, at most the last `maxOutputBytes`. */
  output: string;
  /** Bytes of output dropped from the start. */
  droppedBytes: number;
}

export interface Problem {
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
  code?: string;
}

/** The front end's side: the user's decisions, the command runner and the editor's problems. */
export interface FrontEndPort {
  /** Shows a change set for review and resolves with the user's decision per file (accepted files written). */
  proposeEdits(changes: ChangeSet, signal?: AbortSignal): Promise<FileDecision[]>;
  /** Writes a change set without review (policy `edits: 'apply'`). */
  applyEdits(changes: ChangeSet, signal?: AbortSignal): Promise<FileDecision[]>;
  /** Asks the user whether `command` may run (policy `commands.ask`). */
  approveCommand(command: string, signal?: AbortSignal): Promise<CommandApproval>;
  /** Runs `command` in the workspace root; killed with its process group after `timeoutMs` or on abort. */
  runCommand(
    command: string,
    options: { timeoutMs: number; maxOutputBytes: number; signal?: AbortSignal },
  ): Promise<CommandRun>;
  /** The editor's problems for `paths` (all when undefined); undefined when this front end has none (the CLI). */
  problems(paths?: string[]): Promise<Problem[] | undefined>;
}

/**
 * Who decides, as data. `edits`: `review` hands each change set to the user (the CLI without
 * --apply prints it and applies nothing), `apply` writes it at once. `commands.allowed`: prefixes
 * that run without asking (`''` allows any command); another command is asked about when `ask`,
 * else refused.
 */
export interface ApprovalPolicy {
  edits: 'review' | 'apply';
  commands: { allowed: string[]; ask: boolean };
}

/** Limits of the tools. */
export interface ToolSettings {
  /** A command's time limit (ms) before it is killed with its process group. Default 120,000. */
  commandTimeoutMs: number;
  /** Tokens of command output the model sees (the tail). */
  commandOutputTokens: number;
  /** Tokens one `read_files` call may return in all. */
  readTokens: number;
  /** Matches one `search` returns at most. */
  searchMatches: number;
}

export const DEFAULT_TOOL_SETTINGS: ToolSettings = {
  commandTimeoutMs: 120_000,
  commandOutputTokens: 4_000,
  readTokens: 100_000,
  searchMatches: 200,
};
