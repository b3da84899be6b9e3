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
  /** The top-level files and folders (an empty query lists them). */
  private readonly top: Entry[];
  private readonly files = new Set<string>();
  /**
   * The last query and the entries it matched: `direct` contain it, `scattered` (when it was needed) have its
   * characters in order. A longer query that starts with it tests only those.
   */
  private last: { q: string; direct: Entry[]; scattered: Entry[] | undefined } | undefined;

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
    this.top = entries.filter((e) => e.depth === 1);
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
   * name or a path that contains it, then (when those are fewer than `limit`) a path that has its characters in
   * order (`uisb` finds `src/ui/sidebar.ts`). A query ending in `/` asks for folders that contain it. An empty
   * query lists the top-level entries; one letter, the names that start with it.
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
    const best = new TopK(limit);
    if (!q) {
      for (const e of this.top) if (!foldersOnly || e.kind === 'folder') best.add(e, 1);
      return best.sorted().map(([e, score]) => ({ kind: e.kind, label: e.label, score }));
    }
    if (q.length === 1) {
      // One letter is in most paths: only names that start with it (nothing kept to narrow from).
      const c = q.charCodeAt(0);
      for (const e of this.entries)
        if (e.lower.charCodeAt(e.base) === c && (!foldersOnly || e.kind === 'folder')) best.add(e, directScore(e, q));
      this.last = undefined;
      return best.sorted().map(([e, score]) => ({ kind: e.kind, label: e.label, score }));
    }
    const last = this.last && q.startsWith(this.last.q) ? this.last : undefined;
    const direct: Entry[] = [];
    for (const e of last?.direct ?? this.entries) {
      if (!e.lower.includes(q)) continue;
      direct.push(e);
      if (!foldersOnly || e.kind === 'folder') best.add(e, directScore(e, q));
    }
    // Scattered letters only when what contains the query does not fill the list.
    let scattered: Entry[] | undefined;
    if (!foldersOnly && best.count < limit) {
      scattered = [];
      for (const e of last?.scattered ?? this.entries) {
        const score = scatteredScore(e, q);
        if (score <= 0) continue;
        scattered.push(e);
        if (!e.lower.includes(q)) best.add(e, score); // the ones that contain it are in already
      }
    }
    this.last = { q, direct, scattered };
    return best.sorted().map(([e, score]) => ({ kind: e.kind, label: e.label, score }));
  }
}

function entryOf(kind: Entry['kind'], label: string): Entry {
  const base = label.lastIndexOf('/') + 1;
  let depth = 1;
  for (let i = label.indexOf('/'); i >= 0; i = label.indexOf('/', i + 1)) depth++;
  return { kind, label, lower: label.toLowerCase(), base, depth };
}

/** Ties go to shorter, shallower paths (0..50). */
const shortness = (e: Entry) => 50 - Math.min(29, e.lower.length / 4) - Math.min(20, e.depth * 2);

/** The score of `e`, which contains `q` (lower case): DIRECT and up. */
function directScore(e: Entry, q: string): number {
  const { lower, base } = e;
  const short = shortness(e);
  if (lower === q) return 1000 + short;
  const inName = lower.indexOf(q, base);
  if (inName === base) return 800 + short + (lower.length - base === q.length ? 100 : 0);
  if (inName > 0) return 600 + short + (isSeparator(lower.charCodeAt(inName - 1)) ? 50 : 0);
  const inPath = lower.indexOf(q);
  return DIRECT + short + (inPath === 0 || lower.charCodeAt(inPath - 1) === SLASH ? 50 : 0);
}

/** The score of `e` when it has the characters of `q` in order (as any entry that contains `q`): 1 to DIRECT-1. */
function scatteredScore(e: Entry, q: string): number {
  const { lower } = e;
  let at = 0;
  let boundary = 0;
  for (const ch of q) {
    const found = lower.indexOf(ch, at);
    if (found < 0) return 0;
    if (found === 0 || isSeparator(lower.charCodeAt(found - 1))) boundary++;
    at = found + 1;
  }
  return 100 + shortness(e) + Math.min(200, boundary * 10) + (at > e.base ? 20 : 0);
}

const SLASH = 47;
/** `.`, `_`, `-` or `/`: a word starts after it. */
const isSeparator = (c: number) => c === 46 || c === 95 || c === 45 || c === SLASH;

/** The best `k` entries by score, kept with a cheap cut instead of sorting every match. */
class TopK {
  private items: [Entry, number][] = [];
  private floor = 0;

  constructor(private readonly k: number) {}

  /** How many entries it holds (at most `k` once sorted; more in between). */
  get count(): number {
    return this.items.length;
  }

  add(e: Entry, score: number): void {
    // A tie with the k-th best keeps the one found first (the order is the index's: stable from run to run).
    if (this.items.length >= this.k && score <= this.floor) return;
    this.items.push([e, score]);
    if (this.items.length >= this.k * 4) this.cut();
  }

  sorted(): [Entry, number][] {
    this.cut();
    return this.items;
  }

  private cut(): void {
    this.items.sort(([a, x], [b, y]) => y - x || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    this.items.length = Math.min(this.items.length, this.k);
    if (this.items.length >= this.k) this.floor = this.items[this.items.length - 1]![1];
  }
}
