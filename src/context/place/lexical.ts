// What the question says, as words: its terms (identifiers split at camelCase and snake_case, stop
// words out, compound identifiers also whole) and the names it uses, and BM25 of each file's term
// statistics (terms.ts) for them. Used by rank.ts.
import { countOf, termHash, wholeHash, type TermStats } from './terms';

export const STOP = new Set(
  (
    'a an and are as at be but by can do does for from has have how i if in into is it its me my of on or our ' +
    'so that the their then there these this to was we what when where which who why will with you your file ' +
    'files code function method class use used using make work works show tell explain about'
  ).split(' '),
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

/** The question's words, as the lexical score uses them. */
export interface QueryTerm {
  word: string;
  key: number;
  /** Weight in the lexical score: a compound identifier named whole counts twice. */
  weight: number;
}

/** A name the question uses; `weight` 1 when written as code or capitalised, less for a plain word. */
export interface QueryName {
  word: string;
  key: number;
  weight: number;
}

/** How much defining a plain word the question uses (`apply`, `approx`) counts against a name written as code. */
const PLAIN_NAME_WEIGHT = 0.35;

/** The question's words (identifiers split, stop words out; compound identifiers also whole) and the names it uses. */
export function queryTerms(text: string): { terms: QueryTerm[]; names: QueryName[] } {
  const terms = new Map<number, QueryTerm>();
  const names = new Map<number, QueryName>();
  for (const m of text.slice(0, 40_000).matchAll(/[A-Za-z_$][A-Za-z0-9_$]*/g)) {
    const id = m[0];
    const parts = words(id);
    for (const w of parts)
      if (!terms.has(termHash(w))) terms.set(termHash(w), { word: w, key: termHash(w), weight: 1 });
    const lower = id.toLowerCase();
    if (parts.length > 1 || (/[_$]/.test(id) && parts.length)) {
      const key = wholeHash(id);
      terms.set(key, { word: id, key, weight: 2 });
    }
    // A name: written as code (camelCase, snake_case, `$x`, a digit, in backticks) or capitalised
    // mid-sentence (`Tween`); a plain word (`apply`) is defined somewhere too, and says little.
    const prev = text[m.index - 1];
    const codeLike = parts.length > 1 || /[_$0-9]/.test(id) || prev === '`' || prev === '.';
    const capitalised = m.index > 0 && /^[A-Z][a-z]{2,}$/.test(id) && !/[.!?]\s*$/.test(text.slice(0, m.index));
    if (lower.replace(/[_$]/g, '').length >= 3 && !STOP.has(lower) && !COMMON_NAMES.has(lower)) {
      const weight = codeLike || capitalised ? 1 : PLAIN_NAME_WEIGHT;
      if ((names.get(wholeHash(id))?.weight ?? 0) < weight)
        names.set(wholeHash(id), { word: id, key: wholeHash(id), weight });
    }
  }
  // Words written apart that code writes as one name: "many to many" (ManyToMany), "stack trace" (stackTrace).
  const plain = [...text.slice(0, 2_000).matchAll(/[A-Za-z]+/g)].map((m) => m[0].toLowerCase());
  for (let i = 0; i + 1 < plain.length; i++)
    for (const n of [2, 3]) {
      const run = plain.slice(i, i + n);
      if (run.length < n || STOP.has(run[0]!) || STOP.has(run[n - 1]!)) continue;
      const joined = run.join('');
      if (joined.length < 6) continue;
      const key = wholeHash(joined);
      if (!terms.has(key)) terms.set(key, { word: run.join(' '), key, weight: 1 });
      if (!names.has(key)) names.set(key, { word: run.join(' '), key, weight: PLAIN_NAME_WEIGHT });
    }
  // A plural the question uses also looks for its singular, which code writes more (`urls` -> `url` in `AnyUrl`).
  for (const t of [...terms.values()])
    for (const one of singulars(t.word))
      if (!terms.has(termHash(one)) && !STOP.has(one))
        terms.set(termHash(one), { word: one, key: termHash(one), weight: SINGULAR_WEIGHT * t.weight });
  return { terms: [...terms.values()], names: [...names.values()] };
}

/**
 * How much a plural's singular counts against the word itself. On bench:localize's quick look (tune.ts, 32K and
 * 128K) half found 3 more of 240 tasks on the four sets and 2 more of 300 on the validation sets (`urls` found
 * `networks.py`, `parameters` `OracleDriver.ts`); 0.3 and 1 did no better, and adding plurals of singulars too lost 5.
 */
const SINGULAR_WEIGHT = 0.5;

/**
 * The singulars a lower-case English plural of four letters or more may have (`urls`: `url`; `caches`: `cache` and
 * `cach`; `entries`: `entrie` and `entry`): a form no file has adds nothing to BM25, so the wrong guesses cost nothing.
 */
function singulars(word: string): string[] {
  if (word.length < 4 || !/^[a-z]+s$/.test(word) || /(ss|us|is)$/.test(word)) return [];
  const out = [word.slice(0, -1)];
  if (word.endsWith('es')) out.push(word.slice(0, -2));
  if (word.endsWith('ies')) out.push(word.slice(0, -3) + 'y');
  return out;
}

/** Words too common as names to point at the file defining one. */
const COMMON_NAMES = new Set(
  (
    'get set run new add init main test data value name type error errors default options config index list ' +
    'map key keys item items args kwargs self cls this'
  ).split(' '),
);

/**
 * BM25's length normalisation (b). Half, not the prose default of 0.75: a repository's files differ in length far
 * more than documents do, and the long modules where most of the logic lives (and most fixes land) were discounted
 * below short files that mention a word once; on bench:localize 0.5 found more fixes' files at 32K (pydantic) and
 * 128K (svelte) and none fewer (0.3 and 0.9 did worse).
 */
const LENGTH_NORM = 0.5;

/**
 * BM25 (k1 1.2, b LENGTH_NORM) of each file's statistics for `query` (path words count three times, see termStats),
 * with the words that scored most.
 */
export function bm25(stats: TermStats[], query: QueryTerm[]): { score: number; top: string[] }[] {
  const n = stats.length;
  const avg = stats.reduce((a, s) => a + s.length, 0) / Math.max(1, n) || 1;
  const idf = query.map((t) => {
    let df = 0;
    for (const s of stats) if (countOf(s, t.key)) df++;
    return df ? t.weight * Math.log(1 + (n - df + 0.5) / (df + 0.5)) : 0;
  });
  return stats.map((s) => {
    let score = 0;
    const parts: [number, string][] = [];
    const norm = 1.2 * (1 - LENGTH_NORM + (LENGTH_NORM * s.length) / avg);
    query.forEach((t, i) => {
      if (!idf[i]) return;
      const c = countOf(s, t.key);
      if (!c) return;
      const p = (idf[i] * c * 2.2) / (c + norm);
      score += p;
      parts.push([p, t.word]);
    });
    return {
      score,
      top: parts
        .sort((a, b) => b[0] - a[0])
        .slice(0, 3)
        .map((p) => p[1]),
    };
  });
}
