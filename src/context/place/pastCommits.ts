// Version history as evidence: a question about a bug often says what the subjects of past commits said
// about the same code ("select value", "error boundary"), so the files those commits changed are likely
// where it lives (as in BLUiR and Locus). Each past commit's subject is scored against the question
// (BM25 over the commits), and each file gets the sum of the scores of the commits that changed it, each
// damped for the files it changed (a release or a rename says little about any one of them) and for its age.
// The commits come from the same `git log` as recency (gitHistory.ts), up to HEAD. Used by rank.ts.
import { bm25, type QueryTerm } from './lexical';
import { termStats, type TermStats } from './terms';

/** A past commit: its subject's words (terms.ts), how many files it changed, and how many commits came after it. */
export interface PastCommit {
  terms: TermStats;
  files: number;
  /** Commits between it and HEAD (0: the newest). */
  age: number;
}

/** A past commit from its subject, the number of files it changed and its age (commits after it). */
export function pastCommit(subject: string, files: number, age = 0): PastCommit {
  return { terms: termStats(subject, '', { symbols: false }), files, age };
}

/**
 * How a commit's match counts for each file it changed: divided by (files changed)^DAMPING. Half: a commit
 * changing four files gives each half of what a one-file fix would. 1 (a match split evenly) lost a fastify and a
 * svelte task at 32K that 0.5 keeps (bench:localize's quick look).
 */
const DAMPING = 0.5;
/**
 * Older commits count less: a commit `age` commits before HEAD counts e^(-age/AGE_SCALE), the oldest of the 1,000
 * read about a third. The code a fix touched may have moved on since; on bench:localize a scale of 1,000 found more
 * at 128K (pydantic, svelte) and none fewer than no decay, 300 lost a typeorm and a clap task.
 */
const AGE_SCALE = 1000;

/**
 * Per file (by index in `files`), the summed score of the past commits that changed it (BM25 of their subjects for
 * `query`, damped), and the matching words of the best one.
 */
export function historyScores(
  files: readonly { pastCommits?: readonly PastCommit[] }[],
  query: readonly QueryTerm[],
): Map<number, { score: number; top: string[] }> {
  const out = new Map<number, { score: number; top: string[] }>();
  const index = new Map<PastCommit, number>();
  for (const f of files) for (const c of f.pastCommits ?? []) if (!index.has(c)) index.set(c, index.size);
  if (!index.size) return out;
  const commits = [...index.keys()];
  const scored = bm25(
    commits.map((c) => c.terms),
    [...query],
  ).map((s, i) => {
    const c = commits[i]!;
    return { score: (s.score / Math.pow(Math.max(1, c.files), DAMPING)) * Math.exp(-c.age / AGE_SCALE), top: s.top };
  });
  files.forEach((f, i) => {
    let best: { score: number; top: string[] } | undefined;
    let sum = 0;
    for (const c of f.pastCommits ?? []) {
      const s = scored[index.get(c)!]!;
      sum += s.score;
      if (s.score > 0 && s.score > (best?.score ?? 0)) best = s;
    }
    if (best) out.set(i, { score: sum, top: best.top });
  });
  return out;
}
