// Path helpers shared by the walk, the engine and ranking (absolute paths, either separator).
import * as path from 'node:path';

/** True when `abs` is `dir` or inside it (`dir` may end with a separator; Windows paths work too). */
export function isWithin(abs: string, dir: string): boolean {
  return abs === dir || abs.startsWith(/[\\/]$/.test(dir) ? dir : dir + path.sep);
}
