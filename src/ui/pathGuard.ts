// Where a file reference from model output may point: only inside a workspace folder. Plain Node
// (no `vscode`), so the rules are unit-tested: relative paths resolve against each root (or a
// `rootName/` prefix in multi-root workspaces), absolute paths must lie inside a root, and
// symlinks are followed before the check, so `../` and links cannot leave the workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Root {
  name: string;
  /** Absolute path. */
  path: string;
}

/** True when `child` is `parent` or inside it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return p;
  }
}

/** Candidate absolute paths for `ref` inside `roots`, best first (they may not exist yet). */
export function candidatePaths(ref: string, roots: readonly Root[]): string[] {
  const clean = ref.trim().replace(/\\/g, '/');
  if (!clean || clean.includes('\0')) return [];
  const out: string[] = [];
  const add = (root: Root, p: string) => {
    const abs = path.resolve(root.path, p);
    const realRoot = realOrSelf(root.path);
    // Follow symlinks of the longest existing prefix, so a link out of the workspace is refused.
    let existing = abs;
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    const real = path.join(realOrSelf(existing), path.relative(existing, abs));
    if (isInside(root.path, abs) && isInside(realRoot, real) && !out.includes(abs)) out.push(abs);
  };
  if (path.isAbsolute(clean)) {
    for (const r of roots) add(r, clean);
    return out;
  }
  for (const r of roots) if (clean.startsWith(`${r.name}/`)) add(r, clean.slice(r.name.length + 1));
  for (const r of roots) add(r, clean);
  return out;
}

/** The existing file `ref` names inside `roots`, or undefined (missing, a folder, or outside). */
export function resolveExistingFile(ref: string, roots: readonly Root[]): string | undefined {
  return candidatePaths(ref, roots).find((p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
}
