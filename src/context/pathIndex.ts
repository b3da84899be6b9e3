// The workspace's files and folders as the composer's `@` completes them: built once from the labels
// of the walk the packs already made (so the ignore rules, .deepseekignore and the Context view's
// exclusions apply, and nothing walks the disk a second time), then queried on every keystroke. Fast
// on 100,000 files: a query tests each path with `indexOf` only, a longer query re-tests only the
// paths the shorter one matched, and only the best `limit` are sorted (bench:mentions measures it).

/** One completion: a file or a folder (label without a trailing `/`), with its score (higher is better). */
export interface PathMatch {
  kind: 'file' | 'folder';
  label: string;
  score: number;
}

interface Entry {
  kind: 'file' | 'folder';
  label: string;
  lower: string;
  /** Where the last segment starts in `label`. */
  base: number;
  /** Segments in the label (a shallower path wins a tie). */
  depth: number;
}

/** The lowest score of a path that contains the query as written (a scattered match scores less). */
const DIRECT = 400;
/** A query is at most this long (characters); longer ones are cut. */
const MAX_QUERY = 200;

export class PathIndex {
  private readonly entries: Entry[];
  private readonly files = new Set<string>();
  /** The last query and the entries it matched in any way: a longer query that starts with it tests only those. */
  private last: { q: string; hits: Entry[] } | undefined;

  /** @param files the workspace labels of the files (POSIX, relative, as the pack writes them) */
  constructor(files: Iterable<string>) {
    const folders = new Set<string>();
    const entries: Entry[] = [];
    for (const label of files) {
      entries.push(entryOf('file', label));
      this.files.add(label);
      for (let i = label.indexOf('/'); i > 0; i = label.indexOf('/', i + 1)) folders.add(label.slice(0, i));
    }
    for (const label of folders) entries.push(entryOf('folder', label));
    this.entries = entries;
  }

  /** True when `label` is a file of the index. */
  hasFile(label: string): boolean {
    return this.files.has(label);
  }

  /** Files and folders in the index. */
  get size(): number {
    return this.entries.length;
  }

  /**
   * The best `limit` files and folders for `query` (typed after `@`): a name that starts with it first, then a
   * name or a path that contains it, then a path that has its characters in order (`uisb` finds `src/ui/sidebar.ts`).
   * A query ending in `/` asks for folders that contain it. An empty query lists the top-level entries.
   */
  query(query: string, limit = 20): PathMatch[] {
    let q = query
      .trim()
      .toLowerCase()
      .replace(/\\/g, '/')
      .replace(/^\.?\/+/, '')
      .slice(0, MAX_QUERY);
    const foldersOnly = q.endsWith('/');
    if (foldersOnly) q = q.replace(/\/+$/, '');
    const pool = this.last && q.startsWith(this.last.q) ? this.last.hits : this.entries;
    const hits: Entry[] = [];
    const top = new TopK(limit);
    for (const e of pool) {
      const score = scoreOf(e, q);
      if (score <= 0) continue;
      hits.push(e);
      // `ui/` means a folder named so: only folders that contain the query, not its characters scattered.
      if (foldersOnly && (e.kind !== 'folder' || score < DIRECT)) continue;
      if (!q && e.depth > 1) continue;
      top.add(e, score);
    }
    this.last = { q, hits };
    return top.sorted().map(([e, score]) => ({ kind: e.kind, label: e.label, score }));
  }
}

function entryOf(kind: Entry['kind'], label: string): Entry {
  const base = label.lastIndexOf('/') + 1;
  let depth = 1;
  for (let i = label.indexOf('/'); i >= 0; i = label.indexOf('/', i + 1)) depth++;
  return { kind, label, lower: label.toLowerCase(), base, depth };
}

/** How well `e` matches `q` (lower case); 0: not at all. */
function scoreOf(e: Entry, q: string): number {
  if (!q) return 1;
  const { lower, base } = e;
  // Ties go to shorter, shallower paths.
  const short = 50 - Math.min(49, lower.length / 4) - Math.min(20, e.depth * 2);
  if (lower === q) return 1000 + short;
  const inName = lower.indexOf(q, base);
  if (inName === base) return 800 + short + (lower.length - base === q.length ? 100 : 0);
  if (inName > 0) return 600 + short + (/[._\-/]/.test(lower[inName - 1]!) ? 50 : 0);
  const inPath = lower.indexOf(q);
  if (inPath >= 0) return DIRECT + short + (inPath === 0 || lower[inPath - 1] === '/' ? 50 : 0);
  // The characters in order: each one found after the last.
  let at = 0;
  let boundary = 0;
  for (const ch of q) {
    const found = lower.indexOf(ch, at);
    if (found < 0) return 0;
    if (found === 0 || /[._\-/]/.test(lower[found - 1]!)) boundary++;
    at = found + 1;
  }
  return 100 + short + boundary * 10 + (at > base ? 20 : 0);
}

/** The best `k` entries by score, kept with a cheap cut instead of sorting every match. */
class TopK {
  private items: [Entry, number][] = [];
  private floor = 0;

  constructor(private readonly k: number) {}

  add(e: Entry, score: number): void {
    if (this.items.length >= this.k && score < this.floor) return;
    this.items.push([e, score]);
    if (this.items.length >= this.k * 4) this.cut();
  }

  sorted(): [Entry, number][] {
    this.cut();
    return this.items;
  }

  private cut(): void {
    this.items.sort(([a, x], [b, y]) => y - x || a.label.localeCompare(b.label));
    this.items.length = Math.min(this.items.length, this.k);
    if (this.items.length >= this.k) this.floor = this.items[this.items.length - 1]![1];
  }
}
