// A tool call as the chat shows it: a label made from its arguments (`read src/a.ts`, `$ npm test`)
// and, once it ran, its summary and the facts worth seeing (files of a change set with their
// states, a command's exit code and output). Live and replayed turns are built from the same
// functions, so a reloaded chat shows the steps as they were.
import type { ToolCall } from '../../llm/types';
import type { ToolDetail } from './toolResult';

/** One step as the view shows it (plain data; the protocol's `toolStep`). */
export interface StepView {
  id: string;
  name: string;
  label: string;
  /** Absent while it runs. */
  ok?: boolean;
  summary?: string;
  files?: { path: string; state: string }[];
  exitCode?: number;
  output?: string;
}

/** Longest label (characters). */
const LABEL_CHARS = 160;
/** Longest command output the view keeps (characters, the tail). */
const OUTPUT_CHARS = 20_000;

const short = (s: string, n = LABEL_CHARS) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function argsOf(call: ToolCall): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(call.function.arguments || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const names = (paths: string[]) =>
  paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 2).join(', ')} and ${paths.length - 2} more`;

/** A few words saying what `call` does, from its arguments (the name alone when they cannot be read). */
export function stepLabel(call: ToolCall): string {
  const a = argsOf(call);
  switch (call.function.name) {
    case 'read_files':
      return short(`read ${names(list(a.paths)) || '(no paths)'}`);
    case 'search': {
      const where = typeof a.path === 'string' && a.path ? ` in ${a.path}` : '';
      return short(`search /${typeof a.pattern === 'string' ? a.pattern : ''}/${where}`);
    }
    case 'edit_files': {
      const edits = Array.isArray(a.edits) ? a.edits : [];
      const paths = [
        ...new Set(
          edits
            .map((e) => (e && typeof e === 'object' ? (e as { path?: unknown }).path : undefined))
            .filter((p): p is string => typeof p === 'string'),
        ),
      ];
      return short(`edit ${names(paths) || '(no files)'}`);
    }
    case 'run_command':
      return short(`$ ${typeof a.command === 'string' ? a.command : ''}`);
    case 'get_problems': {
      const paths = list(a.paths);
      return short(paths.length ? `problems in ${names(paths)}` : 'problems in the workspace');
    }
    default:
      return short(call.function.name || '(unnamed tool)');
  }
}

/** The step of `call` before it ran. */
export function runningStep(call: ToolCall): StepView {
  return { id: call.id, name: call.function.name, label: stepLabel(call) };
}

/**
 * The step of `call` in a stored turn that has no result for it: the turn stopped (Stop, a reload, a
 * crash) before it finished, so nothing it would do was done; Continue runs it again, asking again.
 */
export function notRunStep(call: ToolCall): StepView {
  return { ...runningStep(call), ok: false, summary: NOT_RUN };
}

/** What a call the turn stopped before finishing did: nothing. */
export const NOT_RUN = 'Not run: the turn stopped before this call finished (Continue runs it again)';

/** The step of `call` once it ran. */
export function finishedStep(call: ToolCall, result: { ok: boolean; summary: string; detail?: ToolDetail }): StepView {
  const d = result.detail;
  const step: StepView = { ...runningStep(call), ok: result.ok, summary: result.summary };
  if (d?.kind === 'edit')
    step.files = d.files.map((f) => ({
      path: f.path,
      state: f.created && f.state === 'applied' ? 'created' : f.state,
    }));
  if (d?.kind === 'command') {
    if (typeof d.exitCode === 'number') step.exitCode = d.exitCode;
    if (d.output) step.output = d.output.length > OUTPUT_CHARS ? d.output.slice(-OUTPUT_CHARS) : d.output;
  }
  return step;
}
