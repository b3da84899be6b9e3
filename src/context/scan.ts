// First-slice workspace scan: walks each root, applies .gitignore files (nested, via the `ignore`
// package), skips binary files, and returns text files with their contents.
// The full engine (git-exact rules, symlinks, secrets, budget, warm cache) replaces this.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { ExcludeReason, FileReport, WorkspaceRoot } from './types';

export interface ScannedFile {
  root: string;
  /** POSIX path relative to the root. */
  rel: string;
  abs: string;
  text: string;
  bytes: number;
}

export interface ScanResult {
  files: ScannedFile[];
  excluded: FileReport[];
  warnings: string[];
}

const MAX_FILE_BYTES = 1_000_000;
const BINARY_SNIFF_BYTES = 8000;

function isBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, BINARY_SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/** Scans every root; never throws for a single bad file (reported in `excluded`/`warnings`). */
export function scanRoots(roots: WorkspaceRoot[]): ScanResult {
  const result: ScanResult = { files: [], excluded: [], warnings: [] };
  for (const root of roots) walk(root, root.path, [], result);
  return result;
}

function walk(root: WorkspaceRoot, dir: string, parents: Array<{ base: string; ig: Ignore }>, out: ScanResult): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    out.warnings.push(`cannot read ${dir}: ${(e as Error).message}`);
    return;
  }
  const stack = [...parents];
  const gi = path.join(dir, '.gitignore');
  if (fs.existsSync(gi)) {
    try {
      stack.push({ base: dir, ig: ignore().add(fs.readFileSync(gi, 'utf8')) });
    } catch (e) {
      out.warnings.push(`cannot read ${gi}: ${(e as Error).message}`);
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const abs = path.join(dir, entry.name);
    const rel = path.relative(root.path, abs).split(path.sep).join('/');
    const isDir = entry.isDirectory();
    const ignored = stack.some(({ base, ig }) => {
      const r = path.relative(base, abs).split(path.sep).join('/');
      return ig.ignores(isDir ? r + '/' : r);
    });
    const report = (reason: ExcludeReason, bytes = 0) =>
      out.excluded.push({ root: root.name, path: isDir ? rel + '/' : rel, bytes, tokens: 0, status: 'excluded', reason });
    if (ignored) {
      report('gitignore');
      continue;
    }
    if (isDir) {
      walk(root, abs, stack, out);
      continue;
    }
    if (!entry.isFile()) continue;
    let buf: Buffer;
    try {
      buf = fs.readFileSync(abs);
    } catch {
      report('unreadable');
      continue;
    }
    if (buf.length > MAX_FILE_BYTES) report('too-large', buf.length);
    else if (isBinary(buf)) report('binary', buf.length);
    else out.files.push({ root: root.name, rel, abs, text: buf.toString('utf8'), bytes: buf.length });
  }
}
