// What one tool call produced: the text the model gets as the call's tool message, a one-line
// summary (the chat's step, the CLI's NDJSON `tool_result`), facts the UI shows, and for edits the
// exact texts before and after each written file (what Undo restores). Plain JSON: it is a history
// event and replays byte-identically.
import type { FileDecision } from './ports';

export type EditFileState = FileDecision['state'] | 'not-matched' | 'refused';

export type ToolDetail =
  | { kind: 'read'; files: { path: string; ok: boolean; reason?: string; tokens?: number }[] }
  | { kind: 'search'; pattern: string; matches: number; more: number; files: number }
  | { kind: 'edit'; files: { path: string; state: EditFileState; created: boolean; reason?: string }[] }
  | {
      kind: 'command';
      command: string;
      /** How it was allowed or refused: by the policy's prefixes, by the user (once or always), or not at all. */
      approval: 'policy' | 'user' | 'always' | 'refused' | 'declined';
      exitCode?: number | null;
      timedOut?: boolean;
      /** The output tail as the model got it (redacted). */
      output?: string;
    }
  | { kind: 'problems'; count: number; available: boolean }
  | { kind: 'invalid' };

/** A file an applied change set wrote: exact texts (before undefined: the change created it). */
export interface FileSnapshot {
  path: string;
  before?: string;
  after: string;
}

export interface ToolOutcome {
  /** The call did what it asked for (every file read, every edit applied, the command exited 0). */
  ok: boolean;
  /** The tool message the model gets. */
  content: string;
  /** One line for people. */
  summary: string;
  detail: ToolDetail;
  /** Files written by this call (edit_files), for Undo. */
  snapshots?: FileSnapshot[];
}

/** Formats a count with its noun, e.g. `plural(1, 'file')` → "1 file". */
export const plural = (n: number, noun: string, many = `${noun}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? noun : many}`;
