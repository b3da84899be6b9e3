// A test that cannot run on this machine (it needs root, a capability, a program) says so instead of
// passing or failing: it prints one `not run here: <test>: <reason>` line and ends as pending.
// `npm test` (test/run-all.sh) and the end-to-end runner count these apart from failures and repeat
// them in their closing summary; any other pending test (an `it.skip`) still counts as failed.
import type { Context } from 'mocha';

/** The mark a test carries once `notRunHere` ended it (read by test/e2e/shared/runMocha.ts). */
export const NOT_RUN_HERE = 'notRunHere';

/** Prints why the current test cannot run here and ends it as pending. */
export function notRunHere(ctx: Context, reason: string): never {
  const test = ctx.test;
  if (test) Object.assign(test, { [NOT_RUN_HERE]: reason });
  console.log(`not run here: ${test?.fullTitle() ?? 'a test'}: ${reason}`);
  ctx.skip();
}
