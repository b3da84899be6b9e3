// Path helpers shared by the walk, the engine and ranking (absolute paths, either separator).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** True when `abs` is `dir` or inside it (`dir` may end with a separator; Windows paths work too). */
export function isWithin(abs: string, dir: string): boolean {
  return abs === dir || abs.startsWith(/[\\/]$/.test(dir) ? dir : dir + path.sep);
}

/** fs.statSync, or undefined when the path cannot be stat'ed (gone, unreadable). */
export function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** fs.realpathSync (symlinks resolved), or undefined when the path cannot be resolved (gone, a broken link). */
export function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}
