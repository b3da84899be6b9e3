// Writes a change set to disk (the CLI's --apply, and "apply without review" where a front end has no
// editor buffers): each file only if it still holds the text the edits were made from (the user may
// have typed meanwhile), through a temporary file and a rename so a crash never leaves half a file.
// Undo uses the same rule backwards (undo.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChangeSet, FileDecision } from './ports';

/** The exact text of `abs` now (undefined: no such file). */
export function currentText(abs: string): string | undefined {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Writes `text` to `abs` atomically (a temporary file beside it, then a rename), creating folders. */
export function writeAtomic(abs: string, text: string): void {
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.deepseek-${process.pid}.tmp`);
  try {
    const mode = fs.existsSync(abs) ? fs.statSync(abs).mode : undefined;
    fs.writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
    fs.renameSync(tmp, abs);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Writes every file of `changes` whose text is still its `before`; `absOf` maps a workspace path to its absolute path.
 */
export function writeChangeSet(changes: ChangeSet, absOf: (path: string) => string): FileDecision[] {
  return changes.files.map((f): FileDecision => {
    const abs = absOf(f.path);
    try {
      if (currentText(abs) !== f.before)
        return {
          path: f.path,
          state: 'failed',
          reason:
            f.before === undefined
              ? 'the file was created by someone else meanwhile'
              : 'the file changed since the edit was made (read it again)',
        };
      writeAtomic(abs, f.after);
      return { path: f.path, state: 'applied' };
    } catch (e) {
      return { path: f.path, state: 'failed', reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
    }
  });
}
