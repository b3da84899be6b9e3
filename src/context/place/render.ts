// The text of the repository block and of an "updated files" section. Deterministic: no dates, no
// sizes or token counts (they would change the cached prefix on every edit), paths and order given
// by the caller. The header lists the folders and a file tree; each file is a <file path="..."> block.
import type { FileStatus, WorkspaceRoot } from '../types';

/** Folders whose left-out files number more than this are summarised in the tree, not listed. */
const COLLAPSE = 8;

export interface TreeEntry {
  /** Pack label: root-relative path, prefixed with `root/` in multi-root packs. */
  label: string;
  status: FileStatus;
}

const attr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;');

/**
 * A file or folder name as the tree shows it: a control character (a line break in a name) written as `\u000a`, so
 * no name can end its line and write lines of its own into the tree.
 */
const treeName = (s: string) =>
  s.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The opening and closing lines around a file's text; `outline` marks signatures-only blocks. */
export function fileTags(label: string, outline = false): { open: string; close: string } {
  return {
    open: `<file path="${attr(label)}"${outline ? ' outline="exported signatures only"' : ''}>\n`,
    close: '</file>\n',
  };
}

/** A whole file (or outline) block; `text` is already normalised. */
export function fileBlock(label: string, text: string, outline = false): string {
  const { open, close } = fileTags(label, outline);
  return open + text + (text === '' || text.endsWith('\n') ? '' : '\n') + close;
}

/** The header: folders, counts and the file tree (left-out files marked, large groups summarised). */
export function renderHeader(roots: WorkspaceRoot[], entries: TreeEntry[]): string {
  const n = (s: FileStatus) => entries.filter((e) => e.status === s).length;
  const folders =
    roots.length === 1
      ? `Workspace folder: ${roots[0]!.name}. Paths are relative to it.`
      : `Workspace folders: ${roots.map((r) => r.name).join(', ')}. Paths start with the folder name.`;
  const counts =
    `${entries.length} files: ${n('included')} whole, ${n('outline')} as outlines (exported signatures only), ` +
    `${n('excluded')} left out to fit the context budget.`;
  return `<repository>\n${folders}\n${counts}\n<tree>\n${renderTree(entries)}</tree>\n`;
}

export const PACK_FOOTER = '</repository>\n';

interface Dir {
  dirs: Map<string, Dir>;
  files: { name: string; status: FileStatus }[];
  omitted: number;
  total: number;
}

function renderTree(entries: TreeEntry[]): string {
  const root: Dir = { dirs: new Map(), files: [], omitted: 0, total: 0 };
  for (const e of entries) {
    const parts = e.label.split('/');
    let d = root;
    const omitted = e.status === 'excluded' ? 1 : 0;
    d.total++;
    d.omitted += omitted;
    for (const part of parts.slice(0, -1)) {
      let next = d.dirs.get(part);
      if (!next) d.dirs.set(part, (next = { dirs: new Map(), files: [], omitted: 0, total: 0 }));
      d = next;
      d.total++;
      d.omitted += omitted;
    }
    d.files.push({ name: parts.at(-1)!, status: e.status });
  }
  const lines: string[] = [];
  const walk = (d: Dir, indent: string) => {
    const names = [...d.dirs.keys(), ...d.files.map((f) => f.name)].sort();
    const files = new Map(d.files.map((f) => [f.name, f.status]));
    const omittedHere = d.files.filter((f) => f.status === 'excluded').length;
    // Many folders left out whole (a test folder per issue, a sample per case) are counted, not listed.
    const gone = [...d.dirs.values()].filter((sub) => sub.omitted === sub.total);
    const foldGone = gone.length > COLLAPSE;
    for (const name of names) {
      const sub = d.dirs.get(name);
      if (sub) {
        if (foldGone && sub.omitted === sub.total) continue;
        if (sub.omitted === sub.total && sub.total > COLLAPSE)
          lines.push(`${indent}${treeName(name)}/ (${sub.total} files left out)`);
        else {
          lines.push(`${indent}${treeName(name)}/`);
          walk(sub, indent + '  ');
        }
        continue;
      }
      const status = files.get(name)!;
      if (status === 'excluded' && omittedHere > COLLAPSE) continue;
      lines.push(
        `${indent}${treeName(name)}${status === 'outline' ? ' (outline)' : status === 'excluded' ? ' (left out)' : ''}`,
      );
    }
    if (foldGone) {
      const inside = gone.reduce((n, sub) => n + sub.total, 0);
      lines.push(`${indent}(${gone.length} more folders left out, ${inside} files)`);
    }
    if (omittedHere > COLLAPSE) lines.push(`${indent}(${omittedHere} more files left out)`);
  };
  walk(root, '');
  return lines.map((l) => l + '\n').join('');
}

/** The "updated files" section appended after an unchanged prefix; '' when nothing changed. */
export function renderUpdate(blocks: string[], removed: string[], joined: string[] = []): string {
  if (!blocks.length && !removed.length && !joined.length) return '';
  const gone = removed.length ? `Deleted or no longer included: ${removed.join(', ')}\n` : '';
  const changed =
    blocks.length || removed.length
      ? `These files changed after the repository block above; the versions here replace the earlier ones.\n` +
        `${blocks.join('')}${gone}`
      : '';
  const more = joined.length
    ? `These files were outlined or left out of the repository block above; here they are whole.\n${joined.join('')}`
    : '';
  return `<repository-update>\n${changed}${more}</repository-update>\n`;
}

/** Headers remembered at the most (a pack tries a few trees while it fits the budget). */
const HEADERS_KEPT = 4;

/** The header for a tree and its tokens (footer included), remembered for the few trees seen lately. */
export class HeaderCache {
  private readonly headers = new Map<string, { text: string; tokens: number }>();

  /** `count`: tokens of each text (tokens). */
  async get(
    roots: WorkspaceRoot[],
    tree: TreeEntry[],
    count: (texts: string[]) => Promise<number[]>,
  ): Promise<{ text: string; tokens: number }> {
    const key = JSON.stringify(roots) + tree.map((t) => `${t.label}\0${t.status}`).join('\n');
    let hit = this.headers.get(key);
    if (!hit) {
      const text = renderHeader(roots, tree);
      hit = { text, tokens: (await count([text + PACK_FOOTER]))[0]! };
      if (this.headers.size >= HEADERS_KEPT) this.headers.delete(this.headers.keys().next().value!);
      this.headers.set(key, hit);
    }
    return hit;
  }
}
