// Ranks files when the repository does not fit: pinned paths, the active editor, open editors,
// files named in the question, their import neighbours, files changed in git, and lexical relevance
// to the question (BM25 over path words and identifier words). Under those signals lies a small
// structural prior that decides when nothing else does (a pack with no question or editor): the
// project's own code before tests, examples and docs, those before vendored and generated code, and
// files many others import before files nobody imports. Deterministic for the same input.
import { ImportResolver } from './imports';
import type { EditorFocus, Linguist } from '../types';
import { isWithin } from '../scan/paths';

export interface RankInput {
  label: string;
  abs: string;
  /** The file's text before redaction (ranking stays on this machine), read on demand. */
  text(): string;
  /** The file's import specifiers (imports.ts), found on demand. */
  imports(): string[];
  /** Higher = changed more recently in git history. */
  recency: number;
  changedInGit: boolean;
  /** The repository's own word on the file (.gitattributes), over the path heuristics. */
  linguist?: Linguist;
}

/** Score weights: a signal's weight is what it adds to a file's score. */
export const WEIGHTS = {
  pinned: 10_000,
  active: 5_000,
  named: 2_000,
  open: 1_000,
  neighbour: 300,
  changed: 150,
  lexical: 100,
  role: 20,
  imported: 20,
};

/** Where a file sits: the project's own code, its tests/examples/docs, or code vendored or generated into it. */
export type PathRole = 'own' | 'auxiliary' | 'vendored';

// `libs/` counts only below the top (examples/jsm/libs/): at the top it is an Nx-style workspace of the project's own libraries.
const VENDORED =
  /(^|\/)(vendors?|vendored|third[_-]?party|3rd[_-]?party|externals?|extern|bower_components|jspm_packages|node_modules|dist|build|out)\/|\/libs\//i;
const AUXILIARY =
  /(^|\/)(tests?|__tests__|specs?|e2e|fixtures?|__fixtures__|__mocks__|testdata|test[_-]data|examples?|samples?|demos?|docs?|documentation|benchmarks?|bench|playground|stories)\/|\.(test|spec|stories)\.[^/]+$|_test\.(go|py)$|(^|\/)test_[^/]+\.py$/i;

/** The role a path suggests (root-relative label), unless .gitattributes says (linguist-vendored, linguist-documentation). */
export function pathRole(label: string, linguist?: Linguist): PathRole {
  if (linguist?.vendored ?? VENDORED.test(label)) return 'vendored';
  if (linguist?.documentation ?? AUXILIARY.test(label)) return 'auxiliary';
  return 'own';
}

const STOP = new Set(
  'a an and are as at be but by can do does for from has have how i if in into is it its me my of on or our so that the their then there these this to was we what when where which who why will with you your file files code function method class use used using make work works show tell explain about'.split(
    ' ',
  ),
);

/** Lower-case words of identifiers and prose: camelCase, snake_case and kebab-case split apart. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*|[0-9]+/g)) {
    for (const part of m[0].split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)) {
      const w = part.toLowerCase();
      if (w.length >= 2 && !STOP.has(w)) out.push(w);
    }
  }
  return out;
}

/** Files in best-first order, with each file's score; `resolver` (over these files' labels, or more) may be kept between calls: it remembers its resolutions. */
export function rankFiles(
  files: RankInput[],
  question: string | undefined,
  focus: EditorFocus | undefined,
  resolver?: ImportResolver,
): Array<{ label: string; score: number }> {
  const score = new Map<string, number>(files.map((f) => [f.label, 0]));
  const add = (label: string, n: number) => score.set(label, score.get(label)! + n);
  const byAbs = new Map(files.map((f) => [f.abs, f]));
  const within = (abs: string, dirs: string[]) => dirs.some((d) => isWithin(abs, d));
  const seeds = new Set<string>();
  const pinned = focus?.pinned ?? [];
  const open = new Set(focus?.openFiles ?? []);
  const changed = focus?.changedFiles ? new Set(focus.changedFiles) : undefined;
  const q = question ?? '';
  const qLower = q.toLowerCase();
  for (const f of files) {
    if (pinned.length && within(f.abs, pinned)) (add(f.label, WEIGHTS.pinned), seeds.add(f.label));
    if (focus?.activeFile === f.abs) (add(f.label, WEIGHTS.active), seeds.add(f.label));
    if (open.has(f.abs)) (add(f.label, WEIGHTS.open), seeds.add(f.label));
    if (q && namedIn(qLower, f.label)) (add(f.label, WEIGHTS.named), seeds.add(f.label));
    if (changed ? changed.has(f.abs) : f.changedInGit) add(f.label, WEIGHTS.changed);
  }
  // Imports between the files: neighbours of the files in focus, and how many files import each one.
  const importsOf = new Map<string, string[]>();
  const importers = new Map<string, number>();
  for (const f of files) {
    const specs = f.imports();
    if (!specs.length) continue;
    resolver ??= new ImportResolver(files.map((x) => x.label));
    const targets = resolver.importsOf(f.label, specs).filter((t) => score.has(t));
    importsOf.set(f.label, targets);
    for (const t of targets) importers.set(t, (importers.get(t) ?? 0) + 1);
  }
  if (seeds.size) {
    const neighbours = new Set<string>();
    for (const [from, targets] of importsOf) {
      if (seeds.has(from)) targets.forEach((t) => neighbours.add(t));
      else if (targets.some((t) => seeds.has(t))) neighbours.add(from);
    }
    for (const n of neighbours) if (!seeds.has(n)) add(n, WEIGHTS.neighbour);
  }
  const mostImported = Math.max(0, ...importers.values());
  for (const f of files) {
    const role = pathRole(f.label, f.linguist);
    add(f.label, role === 'own' ? WEIGHTS.role : role === 'auxiliary' ? WEIGHTS.role / 2 : 0);
    const n = importers.get(f.label);
    if (n) add(f.label, (WEIGHTS.imported * Math.log1p(n)) / Math.log1p(mostImported));
  }
  const queryWords = [...new Set(words(q + ' ' + selectionText(focus, byAbs)))];
  if (queryWords.length) {
    const lexical = bm25(files, queryWords);
    const max = Math.max(0, ...lexical.values());
    if (max > 0) for (const [label, s] of lexical) add(label, (WEIGHTS.lexical * s) / max);
  }
  return files
    .map((f) => ({ label: f.label, score: score.get(f.label)!, recency: f.recency }))
    .sort((a, b) => b.score - a.score || b.recency - a.recency || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map(({ label, score }) => ({ label, score }));
}

/** True when the question names the file: its path, its file name, or a distinctive stem (>= 4 letters). */
function namedIn(qLower: string, label: string): boolean {
  const l = label.toLowerCase();
  const base = l.slice(l.lastIndexOf('/') + 1);
  const stem = base.replace(/\.[^.]+$/, '');
  const wordAt = (w: string) =>
    new RegExp(`(^|[^\\w.-])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-]|\\.(?!\\w))`).test(qLower);
  if (qLower.includes(l)) return true;
  if (base.includes('.') && wordAt(base)) return true;
  return stem.length >= 4 && !GENERIC_STEMS.has(stem) && wordAt(stem);
}

const GENERIC_STEMS = new Set([
  'index',
  'main',
  'test',
  'tests',
  'utils',
  'util',
  'types',
  'readme',
  'config',
  'setup',
  'init',
  'core',
  'common',
  'helpers',
  'constants',
  'data',
  'model',
  'models',
  'style',
  'styles',
  'package',
  'build',
  'server',
  'client',
  'base',
  'error',
  'errors',
  'app',
]);

function selectionText(focus: EditorFocus | undefined, byAbs: Map<string, RankInput>): string {
  const f = focus?.activeFile && focus.selection ? byAbs.get(focus.activeFile) : undefined;
  if (!f || !focus?.selection) return '';
  return f
    .text()
    .split('\n')
    .slice(Math.max(0, focus.selection.startLine - 1), focus.selection.endLine)
    .join('\n')
    .slice(0, 20_000);
}

/** BM25 (k1 1.2, b 0.75) of each file for `query`; path words count three times. */
function bm25(files: RankInput[], query: string[]): Map<string, number> {
  const qset = new Set(query);
  const tf = new Map<string, Map<string, number>>();
  const df = new Map<string, number>();
  let totalLen = 0;
  const lens = new Map<string, number>();
  for (const f of files) {
    const counts = new Map<string, number>();
    let len = 0;
    const take = (ws: string[], weight: number) => {
      for (const w of ws) {
        len += weight;
        if (qset.has(w)) counts.set(w, (counts.get(w) ?? 0) + weight);
      }
    };
    take(words(f.label), 3);
    take(words(f.text()), 1);
    lens.set(f.label, len);
    totalLen += len;
    tf.set(f.label, counts);
    for (const w of counts.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const avg = totalLen / Math.max(1, files.length) || 1;
  const n = files.length;
  const out = new Map<string, number>();
  for (const f of files) {
    let s = 0;
    const counts = tf.get(f.label)!;
    for (const w of qset) {
      const c = counts.get(w);
      if (!c) continue;
      const d = df.get(w)!;
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
      s += (idf * c * 2.2) / (c + 1.2 * (0.25 + (0.75 * lens.get(f.label)!) / avg));
    }
    out.set(f.label, s);
  }
  return out;
}
