// Files written whole: a temporary file beside the target, then a rename, so a reader (another process, or this
// one after a crash) finds the old file or the new one, never half of one.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `data` to `file` whole, creating its folder; `mode` for a new file. Throws when it cannot be written, and
 * leaves no temporary file behind.
 */
export function writeFileWhole(file: string, data: string | Uint8Array, mode?: number): void {
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
