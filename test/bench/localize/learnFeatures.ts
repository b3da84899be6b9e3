// The features learn.ts weighs (the ranking's signals, rank.ts `Signals`, and a few more about each file), its models
// (a weighted sum of terms) and how a model ranks a task's files, as budget.ts takes them. A term is a feature
// (FEATURES), a transform of one (`sqrt:lexical`, `log1p:defines`, `sq:coverage`) or a product (`lexical*coverage`);
// terms made only of prior features (where the file sits, its size, its history) are the model's prior, the rest its
// evidence (budget.ts places the files with most evidence whole first).
import { repositoryBudget } from '../../../src/chat/requestPlan';
import { DEFAULT_MAX_OUTPUT } from '../../../src/cli/common';
import { OUTLINE_SHARE, type Candidate, type Ranking } from '../../../src/context/place/budget';
import { queryTerms } from '../../../src/context/place/lexical';
import { maxOf } from '../../../src/context/place/maxOf';
import { historyScores } from '../../../src/context/place/pastCommits';
import { rankFiles, WEIGHTS, type Ranked, type Signals } from '../../../src/context/place/rank';
import { countOf } from '../../../src/context/place/terms';
import type { Prepared } from './prepare';

/** The features of a file: rank.ts's signals (those the question gives times the role factor), then a few more. */
export const FEATURES = [
  'named',
  'folder',
  'weakName',
  'lexical',
  'defines',
  'history',
  'neighbour',
  'role',
  'imported',
  /** log(tokens) / 10. */
  'size',
  /** Folders above it / 10. */
  'depth',
  /** Share of the question's words (by weight) in it, times the role factor. */
  'matched',
  /** The same weighted by the words' rarity (idf), times the role factor. */
  'coverage',
  /** 1 for a test file. */
  'test',
  /** Past commits that changed it, log-scaled (1: all 1,000 read). */
  'churn',
  /** How recently it changed: e^(-commits since / 100). */
  'fresh',
  /** Past commits like the question, for every file (rank.ts counts them only for files with lexical points). */
  'historyAll',
] as const;
export type Feature = (typeof FEATURES)[number];
export const PRIOR = new Set<Feature>(['role', 'imported', 'size', 'depth', 'test', 'churn', 'fresh']);
const TIMES_ROLE: (keyof Signals)[] = ['folder', 'weakName', 'lexical', 'defines', 'history', 'neighbour'];

/** A model: a weighted sum of terms. */
export interface Model {
  terms: string[];
  weights: number[];
}
/** The weights as they are, as a model (WEIGHTS.lexical also weighs a name in the question weakly). */
export const HAND: Model = {
  terms: ['named', 'folder', 'weakName', 'lexical', 'defines', 'history', 'neighbour', 'role', 'imported'],
  weights: [
    WEIGHTS.named,
    WEIGHTS.folder,
    WEIGHTS.lexical,
    WEIGHTS.lexical,
    WEIGHTS.defines,
    WEIGHTS.history,
    WEIGHTS.neighbour,
    WEIGHTS.role,
    WEIGHTS.imported,
  ],
};

/** Each candidate's features for the question, and rank.ts's ranking. */
export function featuresOf(p: Prepared): { x: Float64Array[]; ranked: Ranked[] } {
  const signals = new Map<string, Signals>();
  const ranked = rankFiles(p.cands, p.task.question, undefined, p.resolver, signals);
  const query = queryTerms(p.task.question).terms;
  const stats = p.cands.map((c) => c.terms!());
  const n = stats.length;
  const idf = query.map((t) => {
    let df = 0;
    for (const s of stats) if (countOf(s, t.key)) df++;
    return df ? Math.log(1 + (n - df + 0.5) / (df + 0.5)) : 0;
  });
  const allWeight = query.reduce((a, t) => a + t.weight, 0) || 1;
  const allIdf = idf.reduce((a, b) => a + b, 0) || 1;
  const history = historyScores(p.cands, query);
  const most = maxOf([...history.values()].map((h) => h.score)) || 1;
  const x = p.cands.map((c, i) => {
    const s = signals.get(c.label)!;
    const v = new Float64Array(FEATURES.length);
    let matched = 0;
    let covered = 0;
    query.forEach((t, j) => {
      if (!countOf(stats[i]!, t.key)) return;
      matched += t.weight;
      covered += idf[j]!;
    });
    const f: Record<Feature, number> = {
      named: s.named,
      folder: 0,
      weakName: 0,
      lexical: 0,
      defines: 0,
      history: 0,
      neighbour: 0,
      role: s.role,
      imported: s.imported,
      size: Math.log(Math.max(1, c.knownTokens() ?? c.minTokens * 2)) / 10,
      depth: (c.label.split('/').length - 1) / 10,
      matched: (matched / allWeight) * s.roleFactor,
      coverage: (covered / allIdf) * s.roleFactor,
      test: /(^|\/|[._])(tests?|__tests__|specs?)([/._]|$)|_test\.|\/test_/i.test(c.label) ? 1 : 0,
      churn: Math.log1p(c.pastCommits?.length ?? 0) / Math.log(1001),
      fresh: c.pastCommits?.length ? Math.exp(-Math.min(...c.pastCommits.map((pc) => pc.age)) / 100) : 0,
      historyAll: ((history.get(i)?.score ?? 0) / most) * s.roleFactor,
    };
    for (const k of TIMES_ROLE) f[k as Feature] = s[k] * s.roleFactor;
    FEATURES.forEach((name, j) => (v[j] = f[name]));
    return v;
  });
  return { x, ranked };
}

/** A term of a model as a function of a file's features, and whether it is part of the prior. */
export function compile(term: string): { value: (x: Float64Array) => number; prior: boolean } {
  const factors = term.split('*').map((t) => {
    const [fn, name] = t.includes(':') ? (t.split(':') as [string, string]) : ['id', t];
    const j = FEATURES.indexOf(name as Feature);
    if (j < 0) throw new Error(`no feature ${name}`);
    const g =
      fn === 'sqrt' ? Math.sqrt : fn === 'log1p' ? Math.log1p : fn === 'sq' ? (v: number) => v * v : (v: number) => v;
    return { j, g, prior: PRIOR.has(name as Feature) };
  });
  return {
    value: (x) => factors.reduce((a, f) => a * f.g(x[f.j]!), 1),
    prior: factors.every((f) => f.prior),
  };
}

/** The terms of a named family of models. */
export function termsOf(family: string): string[] {
  const base = HAND.terms;
  const extra = ['size', 'depth', 'matched', 'coverage', 'test'];
  if (family === 'hand') return base;
  if (family === 'linear') return [...base, ...extra];
  if (family === 'extended')
    return [...base, ...extra, 'churn', 'fresh', 'historyAll', 'lexical*churn', 'lexical*fresh', 'coverage*fresh'];
  if (family === 'nonlinear')
    return [
      ...base,
      ...extra,
      'sqrt:lexical',
      'sqrt:defines',
      'lexical*coverage',
      'lexical*defines',
      'lexical*history',
      'lexical*size',
      'coverage*size',
      'sq:coverage',
      'neighbour*coverage',
    ];
  return family.split(',');
}

/** Ranks the candidates by a model, as budget.ts takes them (ties as rank.ts breaks them: by label). */
export function rankBy(cands: Candidate[], x: Float64Array[], model: Model): Ranking {
  const terms = model.terms.map(compile);
  const rows = cands.map((c, i) => {
    let score = 0;
    let prior = 0;
    terms.forEach((t, k) => {
      const v = model.weights[k]! * t.value(x[i]!);
      score += v;
      if (t.prior) prior += v;
    });
    return { c, score, evidence: score - prior };
  });
  rows.sort((a, b) => b.score - a.score || (a.c.label < b.c.label ? -1 : a.c.label > b.c.label ? 1 : 0));
  return {
    order: rows.map((r) => r.c),
    info: new Map(
      rows.map((r) => [r.c.label, { label: r.c.label, score: r.score, evidence: r.evidence, reasons: [] }]),
    ),
  };
}

/** A task's rows of features: its fix's files and others. */
export interface TaskRows {
  set: string;
  question: string;
  pos: number[][];
  neg: number[][];
  /** The header's tokens at each window, and whether the task was found there, with rank.ts's ranking. */
  header: number[];
  found: boolean[];
}

/**
 * The tokens budget.ts has for the files it places whole first at a window (`window` tokens), less the header's (as
 * rank.ts's ranking left it): the budget less the share kept for outlines.
 */
export function roomAt(window: number, headerTokens: number): number {
  const budget = repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, window);
  return budget - headerTokens - Math.floor(OUTLINE_SHARE * budget);
}

/** A file's tokens from its features (`size`). */
export const tokensOf = (row: ArrayLike<number>) => Math.exp(10 * row[FEATURES.indexOf('size')]!);
