// `get_problems`: the editor's errors and warnings, so the model can check its own edits. A front
// end without them (the CLI) says so, and the model is pointed at run_command instead.
import type { FrontEndPort, Problem } from './ports';
import { plural, type ToolOutcome } from './toolResult';

/** Problems shown at most; the rest are counted. */
const MAX_PROBLEMS = 200;

const line = (p: Problem) =>
  `${p.path}:${p.line}:${p.column}: ${p.severity}: ${p.message.replace(/\s*\n\s*/g, ' ')}` +
  (p.source || p.code ? ` [${[p.source, p.code].filter(Boolean).join(' ')}]` : '');

/** Runs `get_problems` for `paths` (all files when undefined). */
export async function problemsTool(paths: string[] | undefined, frontEnd: FrontEndPort): Promise<ToolOutcome> {
  const problems = await frontEnd.problems(paths);
  if (!problems) {
    const content =
      'No problems are available here (the command line has no editor diagnostics): run the compiler, linter ' +
      'or tests with run_command instead.';
    return {
      ok: false,
      content,
      summary: 'no problems view here',
      detail: { kind: 'problems', count: 0, available: false },
    };
  }
  const where = paths?.length ? paths.join(', ') : 'the workspace';
  const order = { error: 0, warning: 1, info: 2, hint: 3 };
  const sorted = [...problems].sort(
    (a, b) => order[a.severity] - order[b.severity] || a.path.localeCompare(b.path) || a.line - b.line,
  );
  const shown = sorted.slice(0, MAX_PROBLEMS).map(line);
  if (sorted.length > MAX_PROBLEMS) shown.push(`(${plural(sorted.length - MAX_PROBLEMS, 'more problem')} not shown.)`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  const summary = problems.length
    ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${where}`
    : `no problems in ${where}`;
  return {
    ok: true,
    content: problems.length ? shown.join('\n') + '\n' : `No errors or warnings in ${where}.\n`,
    summary,
    detail: { kind: 'problems', count: problems.length, available: true },
  };
}
