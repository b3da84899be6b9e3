// A path the model names, as the agent's tools take it: the pack label it stands for (root-relative;
// `root/…` in a multi-root workspace), the file it locates, and, when a tool may not use it, the one
// line that says why (outside, `..`, absolute, excluded and by which rule, a symlink out, missing).
// The tools themselves are in workspaceTools.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isWithin, realpathOrUndefined } from './scan/paths';
import type { ExcludeReason, FileReport, WorkspaceRoot } from './types';
import type { WalkedFile } from './scan/walk';

/** What a file holds as the pack reads it: the sent (redacted) text, or why it is left out. */
export type ToolText =
  | { ok: true; text: string; redactions: number }
  | { ok: false; reason: ExcludeReason; detail?: string };

/** The walked workspace at one moment, with each file's text on demand (ContextEngine.toolView). */
export interface ToolView {
  roots: WorkspaceRoot[];
  /** Walked files by pack label. */
  files: ReadonlyMap<string, WalkedFile>;
  /** Excluded paths by pack label (folders end in `/`). */
  excluded: ReadonlyMap<string, FileReport>;
  /** The file's text as the pack sends it. */
  sentText(file: WalkedFile): ToolText;
  /** The file's exact text: an editor's unsaved text, else the bytes on disk decoded as UTF-8. */
  exactText(file: WalkedFile): string;
}

/** The pack label for `raw` (a path the model wrote), or why it cannot name a workspace file. */
export function toolLabel(
  roots: WorkspaceRoot[],
  raw: string,
): { ok: true; label: string } | { ok: false; reason: string } {
  const p = raw.trim().replace(/\\/g, '/');
  if (!p) return { ok: false, reason: 'an empty path' };
  if (p.includes('\0')) return { ok: false, reason: 'a path with a NUL character' };
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.startsWith('~'))
    return { ok: false, reason: 'an absolute path: use a path relative to the workspace, as in the repository block' };
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.includes('..')) return { ok: false, reason: 'outside the workspace (`..` is not allowed)' };
  if (!parts.length) return { ok: false, reason: 'the workspace folder itself, not a file' };
  if (roots.length > 1 && !roots.some((r) => r.name === parts[0]))
    return {
      ok: false,
      reason: `not in a workspace folder: paths start with one of ${roots.map((r) => r.name).join(', ')}`,
    };
  return { ok: true, label: parts.join('/') };
}

/** The absolute path a label names (no checks: take labels from `toolLabel` or a tool result). */
export const absOfLabel = (roots: WorkspaceRoot[], label: string): string => locate(roots, label).abs;

/** The root and root-relative path of a label. */
export function locate(roots: WorkspaceRoot[], label: string): { root: WorkspaceRoot; rel: string; abs: string } {
  const parts = label.split('/');
  const root = roots.length > 1 ? roots.find((r) => r.name === parts[0]) : roots[0];
  if (!root) throw new Error(`${label} is in no workspace folder`);
  const rel = (roots.length > 1 ? parts.slice(1) : parts).join('/');
  return { root, rel, abs: path.join(root.path, ...rel.split('/')) };
}

/** Why an excluded path (or a folder above it) is not available to the tools, if it is excluded. */
export function exclusionOf(view: ToolView, label: string): string | undefined {
  const parts = label.split('/');
  for (let n = 1; n <= parts.length; n++) {
    const key = parts.slice(0, n).join('/') + (n < parts.length ? '/' : '');
    const hit = view.excluded.get(key);
    if (hit) return reasonText(hit.reason ?? 'unreadable', hit.detail, n < parts.length ? key : undefined);
  }
  return undefined;
}

/** One line for an exclusion reason (`folder`: the excluded folder the path is in). */
export function reasonText(reason: ExcludeReason, detail?: string, folder?: string): string {
  const where = folder ? ` (the folder ${folder})` : '';
  const include = '; the user can add it to deepseekRepo.context.include';
  switch (reason) {
    case 'gitignore':
    case 'deepseekignore':
      return (
        `left out by ` +
        `${detail ?? `a ${reason === 'gitignore' ? '.gitignore' : '.deepseekignore'} rule`}${where}${include}`
      );
    case 'setting':
      return `left out by the exclude setting${where}`;
    case 'binary':
      return 'a binary file';
    case 'too-large':
      return `larger than the size limit (deepseekRepo.context.maxFileBytes)${include}`;
    case 'lockfile':
    case 'minified':
    case 'generated':
      return `${reason === 'lockfile' ? 'a lockfile' : `a ${reason} file`}, which the pack leaves out${include}`;
    case 'secret-file':
      return `a secret file${detail ? ` (${detail})` : ''}: never sent`;
    case 'symlink-outside':
      return `outside the workspace (a symlink${where ? ` at ${folder}` : ''} leads out)`;
    case 'symlink-loop':
      return `a symlink loop${where}`;
    case 'duplicate':
      return (
        `a link to ${detail ? detail.replace(/^same (file|folder) as /, '') : 'a path'} in the workspace: use ` +
        `that path`
      );
    case 'vanished':
      return 'no such file';
    case 'invalid-utf8':
      return 'not UTF-8 text';
    case 'unreadable':
      return `could not be read${detail ? ` (${detail})` : ''}`;
    case 'budget':
      return 'left out to fit the budget';
  }
}

/** Why a label the walk does not know cannot be read. */
export function unknownPath(view: ToolView, label: string): string {
  const excluded = exclusionOf(view, label);
  if (excluded) return excluded;
  const { root, abs } = locate(view.roots, label);
  const real = realpathOrUndefined(abs);
  if (real === undefined) return 'no such file';
  const rootReal = realpathOrUndefined(root.path) ?? root.path;
  if (!isWithin(real, rootReal)) return 'outside the workspace (a symlink leads out)';
  if (fs.statSync(real).isDirectory()) return 'a folder, not a file: search it, or name its files';
  return 'not a file the pack considers';
}
