// Ranks files when the repository does not fit: pinned paths, the active editor, open editors,
// files named in the question (naming.ts: by path, file name or a name written as code; a stem that is a plain
// word, or folders named by consecutive words, `gh run view`, count less), files changed in git,
// what the question says (BM25 of its words, and of words written apart that code joins, over
// each file's content and path with term rarity, lexical.ts; the files defining the names it uses,
// terms.ts; among the files its words are in, those changed by past commits whose subjects say what it says,
// pastCommits.ts), and the import neighbours of the files those point at. Tests, docs and examples count
// a third, vendored code less, unless the question is about them (roles.ts). Each file gets its score, the part
// of it the question and editor give (`evidence`), and its main reasons. Under those signals lies a small
// structural prior that decides when nothing else does (a pack with no question or editor): the
// project's own code before tests, examples and docs, those before vendored and generated code, and
// files many others import before files nobody imports. Deterministic for the same input.
import { ImportResolver } from './imports';
import type { EditorFocus, Linguist } from '../types';
import { isWithin } from '../scan/paths';
import { bm25, queryTerms } from './lexical';
import { questionNames, stemKey, type Naming } from './naming';
import { historyScores, type PastCommit } from './pastCommits';
import { AUXILIARY_FACTOR, pathRole, questionPointsAt, VENDORED_FACTOR } from './roles';
import { definesName, termStats, type TermStats } from './terms';
import { maxOf } from './maxOf';

export { words } from './lexical';
export { pathRole, type PathRole } from './roles';

export interface RankInput {
  label: string;
  abs: string;
  /** The file's text before redaction (ranking stays on this machine), read on demand. */
  text(): string;
  /** The file's import specifiers (imports.ts), found on demand. */
  imports(): string[];
  /** The file's term statistics (terms.ts, path included), made on demand; without it they are made from text(). */
  terms?(): TermStats;
  /** Higher = changed more recently in git history. */
  recency: number;
  changedInGit: boolean;
  /** The repository's own word on the file (.gitattributes), over the path heuristics. */
  linguist?: Linguist;
  /** The past commits that changed the file (git history up to HEAD), newest first. */
  pastCommits?: readonly PastCommit[];
}

/** Score weights: a signal's weight is what it adds to a file's score. */
export const WEIGHTS = {
  pinned: 10_000,
  active: 5_000,
  named: 2_000,
  open: 1_000,
  neighbour: 300,
  folder: 60,
  defines: 120,
  changed: 150,
  lexical: 100,
  history: 50,
  role: 20,
  imported: 20,
};

/** A file's place in the ranking: its score and the main reasons for it, strongest first (short phrases). */
export interface Ranked {
  label: string;
  score: number;
  /**
   * The part of the score that comes from the question and the editor, not from where the file sits or how often it is
   * imported.
   */
  evidence: number;
  reasons: string[];
}

/**
 * A file's signals before they are weighted, each at most about 1 (0 when absent): how `rankFiles` made its score, for
 * measuring other ways to combine them (test/bench/localize/learn.ts). Each signal the question gives (from `folder`
 * on) is multiplied by `roleFactor` and by its weight in the score; `named`, `role` and `imported` by their weights.
 */
export interface Signals {
  /** Named in the question clearly: 1 / the files sharing its name. */
  named: number;
  /** Its folder is named in the question (1). */
  folder: number;
  /** Its name is in the question, weakly: 1 / (2 x the files sharing it), in lexical's weight. */
  weakName: number;
  /** BM25 of the question's words over the best file's. */
  lexical: number;
  /** The names the question uses that it defines, by their rarity (in defines' weight). */
  defines: number;
  /** Past commits like the question, over the best file's (only for files with lexical or defines points). */
  history: number;
  /** The lift from an import neighbour the question points at (1 for an editor's file's neighbours). */
  neighbour: number;
  /** 1 for the project's own code, 0.5 for tests, docs and examples, 0 for vendored code. */
  role: number;
  /** How many files import it, log-scaled to the most imported's (1). */
  imported: number;
  /** How much the question's signals count for its role (1, AUXILIARY_FACTOR or VENDORED_FACTOR). */
  roleFactor: number;
}

/** The weight of `WEIGHTS` each signal counts with in the score. */
const SIGNAL_WEIGHT: Record<Exclude<keyof Signals, 'roleFactor'>, keyof typeof WEIGHTS> = {
  named: 'named',
  folder: 'folder',
  weakName: 'lexical',
  lexical: 'lexical',
  defines: 'defines',
  history: 'history',
  neighbour: 'neighbour',
  role: 'role',
  imported: 'imported',
};

/** Files a name may be defined in and still point at them (a name defined in more files says little). */
const MAX_DEFINERS = 12;
/** Seeds whose import neighbours are lifted: the best-scoring files by what the question says. */
const LEXICAL_SEEDS = 5;
/** A lexical seed's neighbours get up to this share of the neighbour weight (an editor's file's get all of it). */
const LEXICAL_LIFT = 0.1;

/**
 * Files in best-first order, with each file's score and reasons; `resolver` (over these files' labels, or more) may be
 * kept between calls: it remembers its resolutions. `signals`, when given, gets each file's signals before weighting.
 */
export function rankFiles(
  files: RankInput[],
  question: string | undefined,
  focus: EditorFocus | undefined,
  resolver?: ImportResolver,
  signals?: Map<string, Signals>,
): Ranked[] {
  const score = new Map<string, number>(files.map((f) => [f.label, 0]));
  const prior = new Map<string, number>();
  const why = new Map<string, [number, string][]>(files.map((f) => [f.label, []]));
  const zero = { named: 0, folder: 0, weakName: 0, lexical: 0, defines: 0, history: 0, neighbour: 0, role: 0 };
  for (const f of signals ? files : []) signals!.set(f.label, { ...zero, imported: 0, roleFactor: 1 });
  const add = (label: string, n: number, reason?: string) => {
    score.set(label, score.get(label)! + n);
    if (reason && n > 0) why.get(label)!.push([n, reason]);
  };
  /** Adds signal `key` of `value` (before weighting), times `factor`, to the file's score; the points it added. */
  const signal = (label: string, key: keyof typeof SIGNAL_WEIGHT, value: number, factor: number, reason?: string) => {
    if (signals) signals.get(label)![key] += value;
    const pts = WEIGHTS[SIGNAL_WEIGHT[key]] * value * factor;
    add(label, pts, reason);
    return pts;
  };
  const byAbs = new Map(files.map((f) => [f.abs, f]));
  const within = (abs: string, dirs: string[]) => dirs.some((d) => isWithin(abs, d));
  const seeds = new Map<string, number>();
  const pinned = focus?.pinned ?? [];
  const open = new Set(focus?.openFiles ?? []);
  const changed = focus?.changedFiles ? new Set(focus.changedFiles) : undefined;
  const q = question ?? '';
  const qLower = q.toLowerCase();
  // Files the question names: by path or file name (`view.go`) clearly; by a bare stem that is also a
  // plain word (`rename`, `check`) only a little, as a path word; and folders a run of its words names (`gh run view`).
  const naming = q ? questionNames(q) : undefined;
  const named: { f: RankInput; how: Naming }[] = [];
  if (naming)
    for (const f of files) {
      const how = naming.names(f.label);
      if (how) named.push({ f, how });
    }
  // A name many files share (`view.go` in forty folders) points at none of them in particular.
  const namedShare = new Map<string, number>();
  const weakNames: { f: RankInput; how: Naming; share: number }[] = [];
  for (const { f } of named) namedShare.set(stemKey(f.label), (namedShare.get(stemKey(f.label)) ?? 0) + 1);
  const seed = (label: string, weight: number, reason: string) => {
    add(label, weight, reason);
    seeds.set(label, 1);
  };
  for (const f of files) {
    if (pinned.length && within(f.abs, pinned)) seed(f.label, WEIGHTS.pinned, 'pinned');
    if (focus?.activeFile === f.abs) seed(f.label, WEIGHTS.active, 'the active editor');
    if (open.has(f.abs)) seed(f.label, WEIGHTS.open, 'open in an editor');
    if (changed ? changed.has(f.abs) : f.changedInGit) add(f.label, WEIGHTS.changed, 'changed in git');
  }
  // A name written as code (`serialization`, `validate_call`) names the code: a test, doc or example
  // sharing its stem counts as a name in the question only, unless the question is about those.
  const pointsAt = questionPointsAt(qLower);
  const aside = (f: RankInput) => pathRole(f.label, f.linguist) !== 'own' && !pointsAt(f.label);
  for (const { f, how } of named) {
    const share = namedShare.get(stemKey(f.label))!;
    if (how === 'path' || (how === 'name' && share <= 3) || (how === 'stem' && share <= 3 && !aside(f))) {
      signal(f.label, 'named', 1 / share, 1, 'named in the question');
      seeds.set(f.label, 1);
    } else weakNames.push({ f, how, share });
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
  const mostImported = maxOf(importers.values());
  const roleFactor = new Map<string, number>();
  for (const f of files) {
    const role = pathRole(f.label, f.linguist);
    const rolePts = signal(f.label, 'role', role === 'own' ? 1 : role === 'auxiliary' ? 0.5 : 0, 1);
    const r = role === 'own' ? 1 : role === 'auxiliary' ? (pointsAt(f.label) ? 1 : AUXILIARY_FACTOR) : VENDORED_FACTOR;
    roleFactor.set(f.label, r);
    if (signals) signals.get(f.label)!.roleFactor = r;
    const n = importers.get(f.label);
    const importedPts = signal(f.label, 'imported', n ? Math.log1p(n) / Math.log1p(mostImported) : 0, 1);
    prior.set(f.label, rolePts + importedPts);
  }
  for (const { f, how, share } of weakNames) {
    const r = roleFactor.get(f.label)!;
    if (how === 'folder') signal(f.label, 'folder', 1, r, 'its folder is named in the question');
    else
      signal(
        f.label,
        'weakName',
        1 / (2 * share),
        r,
        `its name is in the question${share > 1 ? ` (as are ${share - 1} others')` : ''}`,
      );
  }
  // What the question says: its words in each file's text and path (BM25), and the names it uses that files define.
  const extra = selectionText(focus, byAbs);
  const query = queryTerms(q + (extra ? '\n' + extra : ''));
  if (query.terms.length) {
    const stats = files.map((f) => f.terms?.() ?? termStats(f.text(), f.label));
    const lexical = bm25(stats, query.terms);
    const max = maxOf(lexical.map((l) => l.score));
    const lex = new Map<string, number>();
    if (max > 0)
      files.forEach((f, i) => {
        const l = lexical[i]!;
        if (l.score <= 0) return;
        const pts = signal(
          f.label,
          'lexical',
          l.score / max,
          roleFactor.get(f.label)!,
          `question words: ${l.top.join(', ')}`,
        );
        lex.set(f.label, pts);
      });
    // A name the question uses, defined in few files, points at them.
    for (const name of query.names) {
      const definers = files.filter((_, i) => definesName(stats[i]!, name.key));
      if (!definers.length || definers.length > MAX_DEFINERS) continue;
      const rarity = (name.weight * Math.log1p(files.length / definers.length)) / Math.log1p(files.length);
      for (const f of definers) {
        const p = signal(f.label, 'defines', rarity, roleFactor.get(f.label)!, `defines ${name.word}`);
        lex.set(f.label, (lex.get(f.label) ?? 0) + p);
      }
    }
    // The past commits whose subjects match the question, for the files the question's words are in: a subject
    // like the question's alone says less (counted for every file, it lost two cli tasks on bench:localize).
    const history = historyScores(files, query.terms);
    const most = maxOf([...history.values()].map((h) => h.score));
    for (const [i, h] of history) {
      const label = files[i]!.label;
      if (!lex.has(label)) continue;
      signal(label, 'history', h.score / most, roleFactor.get(label)!, `past commits: ${h.top.join(', ')}`);
    }
    // The import neighbours of the files the question points at most clearly.
    const best = [...lex].sort((a, b) => b[1] - a[1]).slice(0, LEXICAL_SEEDS);
    const top = best[0]?.[1] ?? 0;
    for (const [label, pts] of best)
      if (!seeds.has(label) && pts >= top / 2) seeds.set(label, (LEXICAL_LIFT * pts) / top);
  }
  if (seeds.size) {
    const lift = new Map<string, { by: number; from: string }>();
    const offer = (to: string, by: number, from: string) => {
      if ((lift.get(to)?.by ?? 0) < by) lift.set(to, { by, from });
    };
    for (const [from, targets] of importsOf) {
      const s = seeds.get(from);
      if (s !== undefined) for (const t of targets) offer(t, s, from);
      for (const t of targets) {
        const st = seeds.get(t);
        if (st !== undefined) offer(from, st, t);
      }
    }
    for (const [label, { by, from }] of lift)
      if (!seeds.has(label) || seeds.get(label)! < 1)
        signal(label, 'neighbour', by, roleFactor.get(label)!, `imports or is imported by ${from}`);
  }
  return files
    .map((f) => ({ label: f.label, score: score.get(f.label)!, recency: f.recency }))
    .sort((a, b) => b.score - a.score || b.recency - a.recency || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .map(({ label, score }) => ({
      label,
      score,
      evidence: score - prior.get(label)!,
      reasons: why
        .get(label)!
        .sort((a, b) => b[0] - a[0])
        .slice(0, 3)
        .map((r) => r[1]),
    }));
}

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
