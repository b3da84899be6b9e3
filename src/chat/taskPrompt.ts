// What every editor task prompt is made of: the task kinds and the model each uses, the prompt's shape
// (`TaskPrompt`), the code spans and problems the editor hands over, and the shared pieces of prompt
// text (fences, numbered lines, citing, edits, findings). The tasks themselves are tasks.ts (code)
// and gitTasks.ts (changes and commits).
import type { EditorFocus } from '../context/types';
import type { ShownQuestion } from './conversation';

export type TaskKind =
  | 'explainSelection'
  | 'explainFile'
  | 'reviewFile'
  | 'reviewChanges'
  | 'reviewBranch'
  | 'commitMessage'
  | 'fixProblems'
  | 'generateTests'
  | 'askFolder'
  | 'whereHandled';

/** Which configured model a task uses: the flagship (`model`) or the cheaper one (`fastModel`). */
export type ModelRole = 'pro' | 'flash';

export const DEFAULT_TASK_MODELS: Readonly<Record<TaskKind, ModelRole>> = {
  explainSelection: 'flash',
  explainFile: 'flash',
  reviewFile: 'pro',
  reviewChanges: 'pro',
  reviewBranch: 'pro',
  commitMessage: 'flash',
  fixProblems: 'pro',
  generateTests: 'pro',
  askFolder: 'pro',
  whereHandled: 'pro',
};

/** A piece of a workspace file (lines are 1-based, inclusive). */
export interface CodeSpan {
  /** Workspace-relative POSIX path, as it appears in the repository block. */
  path: string;
  /** Absolute path, for ranking when the repository does not fit. */
  absPath: string;
  language?: string;
  startLine: number;
  endLine: number;
  text: string;
}

export interface Problem {
  /** 1-based lines and columns. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
  code?: string;
}

export interface TaskPrompt {
  kind: TaskKind;
  /** Short title for the panel tab / the turn header. */
  title: string;
  /** The text of the last user message. */
  question: string;
  /** What the user asked for, shown instead of `question` (which stays behind a disclosure). */
  shown: ShownQuestion;
  /** Ranking hints for the context engine when the repository does not fit. */
  focus: EditorFocus;
}

/** A markdown fence that the text cannot close: one backtick longer than its longest run. */
export function fence(text: string, info = ''): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${info}\n${text}${text.endsWith('\n') ? '' : '\n'}${f}`;
}

/** The span's lines, each prefixed with its 1-based line number. */
export function numbered(span: CodeSpan): string {
  const width = String(span.endLine).length;
  return span.text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l, i) => `${String(span.startLine + i).padStart(width)}| ${l}`)
    .join('\n');
}

/** `n file(s)`: a count of files in words. */
export const fileCount = (n: number) => `${n} ${n === 1 ? 'file' : 'files'}`;

/** Where a span is, as `path:line` or `path:start-end`. */
export const where = (s: CodeSpan) =>
  s.startLine === s.endLine ? `${s.path}:${s.startLine}` : `${s.path}:${s.startLine}-${s.endLine}`;
/** How the model should cite code, so the view can link it. */
export const CITE = 'Cite code as `path:line` (workspace-relative) so it can be clicked.';
/** How the model should give changes, so Apply can review them as a diff. */
export const EDITS =
  'Give every change in a code block whose info string names the target file, e.g. ```ts path=src/a.ts: the ' +
  'whole file, or SEARCH/REPLACE edits of it as the instructions describe, so it can be applied with a diff ' +
  'review. Never leave parts out with "…".';

/** How a review lists what it found. */
export const FINDINGS =
  'List findings most important first, each as: `path:line` — severity (bug / risk / style) — what is wrong ' +
  '— how to fix it. Say plainly when you find nothing worth changing.';
