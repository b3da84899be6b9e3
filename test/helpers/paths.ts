// Where things are in the checkout, for tests wherever they sit in the tree (found from this file,
// never from the working directory or from how deep a test is).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The checkout's root folder. */
export const REPO = path.resolve(__dirname, '../..');
/** The built CLI (`npm run build` makes it). */
export const CLI = path.join(REPO, 'dist/cli.js');

/** Throws a clear error when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
}
