// A hash of some source files, for the IDs that name what a cache keeps (a scanner's verdicts, an outliner's
// outlines): an ID is this hash written down, and a unit test fails when the sources change without it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './paths';

/** Reads a file of the checkout by its path from the root, with `\n` line ends whatever the checkout's. */
export const readSource = (rel: string): string => fs.readFileSync(path.join(REPO, rel), 'utf8').replace(/\r\n/g, '\n');

/**
 * The first 12 hex digits of a hash of `files` (paths from the checkout's root, `/`-separated) by path and content,
 * without any line `export const NAME_ID = ...` (an ID is not part of what it names); `read` reads one.
 */
export function sourceFingerprint(files: readonly string[], read: (rel: string) => string = readSource): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort()) hash.update(`${f}\0${read(f).replace(/^export const [A-Z]+_ID = .*$/m, '')}\0`);
  return hash.digest('hex').slice(0, 12);
}

/** The `.ts` files under `dir` (from the checkout's root), `/`-separated. */
export const sourcesUnder = (dir: string): string[] =>
  fs
    .readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split(path.sep).join('/')}`);
