// Import neighbours: which packed files a file imports, found with per-language regexes and
// resolved against the files of the pack (relative specifiers first, then a path-suffix match for
// module paths like `pkg.mod` or `crate::a::b`). Used to rank files next to the ones in focus.

const SPEC_PATTERNS: [RegExp, RegExp[]][] = [
  // One pass: `import … from '…'` / `export … from '…'` (within one statement), `import '…'`, `import('…')`,
  // `require('…')`.
  [
    /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/,
    [
      /(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]|require\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    ],
  ],
  [/\.pyi?$/, [/^\s*from\s+([.\w]+)\s+import\b/gm, /^\s*import\s+([\w.]+)/gm]],
  [/\.go$/, [/^\s*(?:import\s+)?(?:\w+\s+)?"([\w./-]+)"\s*$/gm]],
  [/\.rs$/, [/^\s*(?:pub\s+)?mod\s+(\w+)\s*;/gm, /^\s*use\s+((?:crate|super|self)(?:::\w+)+)/gm]],
  [/\.(java|kt|kts|scala)$/, [/^\s*import\s+(?:static\s+)?([\w.]+)/gm]],
  [/\.(c|h|cc|cpp|cxx|hpp|hh|hxx|m|mm)$/, [/^\s*#\s*include\s*"([^"]+)"/gm]],
  [/\.(rb)$/, [/require_relative\s*\(?\s*['"]([^'"]+)['"]/g]],
  [/\.(css|scss|less)$/, [/@(?:import|use)\s+['"]([^'"]+)['"]/g]],
];

const EXTS = [
  '',
  '.ts',
  '.tsx',
  '.d.ts',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.py',
  '.rs',
  '.go',
  '.java',
  '.kt',
  '.h',
  '.rb',
  '.scss',
  '.css',
  '/index.ts',
  '/index.tsx',
  '/index.js',
  '/__init__.py',
  '/mod.rs',
];

/** Import specifiers found in a file's text. */
export function importSpecifiers(path: string, text: string): string[] {
  const patterns = SPEC_PATTERNS.find(([re]) => re.test(path))?.[1];
  if (!patterns) return [];
  const specs = new Set<string>();
  for (const re of patterns) for (const m of text.matchAll(re)) specs.add((m[1] ?? m[2] ?? m[3])!);
  return [...specs];
}

/** Resolves specifiers against the set of labels in the pack; returns the labels imported by `from`. */
export class ImportResolver {
  private readonly labels: Set<string>;
  /** Label without extension -> labels, for suffix matches of module paths. */
  private readonly byStem = new Map<string, string[]>();
  /** Resolutions made, by folder and specifier (files of one folder import alike). */
  private readonly memo = new Map<string, string[]>();
  /** The files each list of specifiers imports (a file's list is the same array while it is unchanged). */
  private readonly listed = new WeakMap<string[], { from: string; targets: string[] }>();

  constructor(labels: Iterable<string>) {
    this.labels = new Set(labels);
    for (const l of this.labels) {
      const stem = stemOf(l);
      const base = stem.slice(stem.lastIndexOf('/') + 1);
      const list = this.byStem.get(base);
      if (list) list.push(l);
      else this.byStem.set(base, [l]);
    }
  }

  /**
   * Forgets `label` (a file found unreadable after resolving began): what resolved to it is resolved again when next
   * asked, so the resolver answers as one made without it. A resolution that did not find it is unchanged: each
   * takes the first label that exists, or the first few that match, and this one was not among them.
   */
  remove(label: string): void {
    if (!this.labels.delete(label)) return;
    const stem = stemOf(label);
    const list = this.byStem.get(stem.slice(stem.lastIndexOf('/') + 1));
    if (list?.includes(label)) list.splice(list.indexOf(label), 1);
  }

  /** The labels `from` imports through `specs` (each once, never itself). */
  importsOf(from: string, specs: string[]): string[] {
    const hit = this.listed.get(specs);
    if (hit?.from === from && this.allKnown(hit.targets)) return hit.targets;
    const targets = [...new Set(specs.flatMap((s) => this.resolve(from, s)))].filter((t) => t !== from);
    this.listed.set(specs, { from, targets });
    return targets;
  }

  resolve(from: string, spec: string): string[] {
    const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
    const key = `${dir}\0${spec}`;
    let hit = this.memo.get(key);
    if (!hit || !this.allKnown(hit)) this.memo.set(key, (hit = this.resolveIn(dir, spec)));
    return hit;
  }

  /** True when every one of `labels` is still known (none removed since they were resolved). */
  private allKnown(labels: string[]): boolean {
    for (const l of labels) if (!this.labels.has(l)) return false;
    return true;
  }

  private resolveIn(dir: string, spec: string): string[] {
    const join = (p: string) => normalise(dir ? `${dir}/${p}` : p);
    if (/^\.\.?(\/|$)/.test(spec)) {
      const hit = this.tryExts(join(spec));
      return hit ? [hit] : [];
    }
    if (/^\.+\w/.test(spec)) {
      // Python relative import: one dot is this package, each further dot one level up.
      const dots = /^\.+/.exec(spec)![0].length;
      const hit = this.tryExts(join('../'.repeat(dots - 1) + spec.slice(dots).replace(/\./g, '/')));
      return hit ? [hit] : [];
    }
    const modPath =
      spec.includes('/') || /\.(h|hh|hpp|hxx|inc)$/.test(spec)
        ? spec
        : spec.replace(/^(crate|super|self)::/, '').replace(/::|\./g, '/');
    const local = this.tryExts(join(modPath));
    if (local) return [local];
    // A module path: files whose path (without extension) ends with it, or with its last segments.
    const segs = modPath
      .replace(/\.[^./]+$/, '')
      .split('/')
      .filter(Boolean);
    for (let k = segs.length; k >= Math.min(2, segs.length); k--) {
      const suffix = segs.slice(segs.length - k).join('/');
      const hits = (this.byStem.get(segs.at(-1)!) ?? []).filter((l) => ('/' + stemOf(l)).endsWith('/' + suffix));
      if (hits.length) return hits.slice(0, 8);
    }
    return [];
  }

  private tryExts(base: string): string | undefined {
    for (const v of [base, base.replace(/\.(js|jsx|mjs|cjs)$/, '')])
      for (const e of EXTS) if (this.labels.has(v + e)) return v + e;
    return undefined;
  }
}

const stemOf = (label: string) => label.replace(/\.[^./]+$/, '').replace(/\/(index|__init__|mod)$/, '');

function normalise(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}
