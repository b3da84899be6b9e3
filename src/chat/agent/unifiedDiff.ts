// A change set as unified diffs (git's `a/` `b/` form): what the CLI prints for review, and what
// the model is told when the user changed a proposal before accepting it. The `diff` package
// (jsdiff) computes them: a correct Myers diff is not code we want to keep ourselves.
import { createTwoFilesPatch } from 'diff';

/** A unified diff of one file (`before` undefined: created; `after` undefined: deleted); '' when equal. */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${path}`,
    after === undefined ? '/dev/null' : `b/${path}`,
    (before ?? '').replace(/\r\n/g, '\n'),
    (after ?? '').replace(/\r\n/g, '\n'),
    undefined,
    undefined,
    { context: 3 },
  );
  // jsdiff opens with an `Index:` line and a `===` rule; git's form starts at `---`.
  return patch.slice(patch.indexOf('--- '));
}
