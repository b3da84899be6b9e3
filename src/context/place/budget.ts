// Fits the files to the token budget. When everything fits, everything goes in whole. Otherwise
// files are ranked (rank.ts); the files the question or the editor points at go in whole first, best
// evidence first (each skipped when it does not fit), in the budget less a small share kept for
// outlines (which the first file placed may take); every other file starts as an
// outline (or is left out when it has none), the best-ranked are upgraded to whole while the budget
// lasts, and if even the outlines do not fit the lowest-ranked are left out. Every file ends with a
// status; nothing is cut silently.
// Exact token counts are asked for only where a decision needs them: a file's lower bound
// (`minTokens`) rules it out first, so a repository far over the budget is not counted in full.
// `likelyCounted` tells beforehand which counts that will be, so they can be made in parallel.
import type { ImportResolver } from './imports';
import { rankFiles, type RankInput, type Ranked } from './rank';
import type { TreeEntry } from './render';
import type { FileStatus, PackRequest } from '../types';
import { maxOf } from './maxOf';

export interface Candidate extends RankInput {
  /** Exact tokens of the whole file block, tags included (counted on first call, then remembered). */
  tokens(): Promise<number>;
  /** tokens() if known without counting. */
  knownTokens(): number | undefined;
  /** The whole file block as sent (secrets redacted). */
  block(): string;
  /** Size of the text (bytes). */
  bytes: number;
  /** About a lower bound of tokens(), known without counting (tokens): decides whether to count at all. */
  minTokens: number;
  /**
   * The outline block and its tokens (memoised by the caller), or undefined when the file has no
   * outline: for planning, so possibly not scanned for secrets yet (never placed in a plan).
   */
  outline(): { block: string; tokens: number } | undefined;
  /** outline() as sent: the lines it shows scanned and redacted, counted (again, when a secret was found). */
  sentOutline(): { block: string; tokens: number } | undefined;
}

/** A file's typical tokens without counting: twice the lower bound (about 4 bytes a token). */
const typical = (c: Candidate) => c.minTokens * 2;

/**
 * The outline a file gets when not whole: only when smaller than the file (judged by the typical size, not counted).
 */
function outlineOf(c: Candidate): { block: string; tokens: number } | undefined {
  const o = c.outline();
  return o && o.tokens < typical(c) ? o : undefined;
}

/** About the tokens a file's line in the tree costs (its name, indentation and marker: ~3 characters a token). */
const treeLineTokens = (label: string) => Math.ceil((label.length - label.lastIndexOf('/') + 12) / 3);

/** The candidates best first (see rank.ts). */
export function rankCandidates(cands: Candidate[], request: PackRequest, resolver?: ImportResolver): Candidate[] {
  return rankWithReasons(cands, request, resolver).order;
}

/** The candidates best first, and each one's score and reasons by label. */
export interface Ranking {
  order: Candidate[];
  info: Map<string, Ranked>;
}

/** The candidates best first, with each one's score and reasons (see rank.ts). */
export function rankWithReasons(cands: Candidate[], request: PackRequest, resolver?: ImportResolver): Ranking {
  const byLabel = new Map(cands.map((c) => [c.label, c]));
  const ranked = rankFiles(cands, request.question, request.focus, resolver);
  return { order: ranked.map((r) => byLabel.get(r.label)!), info: new Map(ranked.map((r) => [r.label, r])) };
}

/**
 * Files the question or the editor points at clearly enough to go in whole before any outline:
 * evidence at least this share of the strongest file's. Low on purpose: a file named in the question
 * scores far above the rest, and a threshold near it (0.2 was) left the other files the question is
 * about as outlines; on bench:localize 0.03 sent more fixes' files whole at 32K and 128K on every set.
 */
const POINTED_SHARE = 0.03;
/**
 * How size weighs against evidence among them: a file ten times larger needs 10^SIZE_EXPONENT the
 * evidence. 0 measured best on bench:localize (0.3 lost files at 128K to many small ones); BM25's
 * length normalisation already discounts long files, and a file that does not fit is skipped.
 */
const SIZE_EXPONENT = 0;
/**
 * Share of the budget kept for outlines of the files that are not whole (when there are files left
 * to outline). Small: at 32K an outline of every file costs more than the whole files it displaces.
 */
export const OUTLINE_SHARE = 0.03;

/**
 * The files sent whole first, in the order they are given room: those the question or the editor
 * points at (evidence within POINTED_SHARE of the best), by expected usefulness per token (evidence
 * over tokens^SIZE_EXPONENT), so one giant file does not crowd out several relevant ones.
 */
function pointedAt(ranking: Ranking): Candidate[] {
  const best = maxOf([...ranking.info.values()].map((r) => r.evidence));
  if (best <= 1e-6) return [];
  const worth = (c: Candidate) =>
    ranking.info.get(c.label)!.evidence / Math.pow(Math.max(1, typical(c)), SIZE_EXPONENT);
  return ranking.order
    .filter((c) => ranking.info.get(c.label)!.evidence >= POINTED_SHARE * best)
    .sort((a, b) => worth(b) - worth(a));
}

/**
 * The candidates not counted yet whose count `allocate` is likely to ask for, when they do not all
 * fit `budget`: its upgrade loop (best-ranked to whole while the budget lasts) run with
 * `estimate(c)` for each count not known yet. The header is left out, so the guess errs towards
 * counting more. Run it again after counting those: known counts make the next guess closer.
 */
export function likelyCounted(ranked: Candidate[], budget: number, estimate: (c: Candidate) => number): Candidate[] {
  const now = ranked.map((c) => outlineOf(c)?.tokens ?? 0);
  let left = budget - now.reduce((a, b) => a + b, 0);
  const out: Candidate[] = [];
  ranked.forEach((c, i) => {
    if (typical(c) - now[i]! > left * 1.25) return;
    const known = c.knownTokens();
    if (known === undefined) out.push(c);
    const more = (known ?? estimate(c)) - now[i]!;
    if (more <= left) left -= more;
  });
  return out;
}
/**
 * Whether files whose lower bounds add up to `minTokens` may fit `budget`, so that counting them
 * all is worth it: their typical size is within 1.5 x the budget (code runs 2.5-4.5 bytes a token).
 */
export function mayFit(minTokens: number, budget: number): boolean {
  return 2 * minTokens <= 1.5 * budget;
}

export interface Placement {
  status: FileStatus;
  /** Tokens this file adds to the pack (0 when left out). */
  tokens: number;
  /** The block in the pack ('' when left out). */
  block: string;
}

export interface Plan {
  /** label -> placement, for every candidate. */
  placed: Map<string, Placement>;
  /** How the files were ranked (absent when everything fit whole and nothing was ranked). */
  ranking?: Ranking;
  /** The files placed whole first because the question or the editor points at them. */
  first?: Set<string>;
  header: string;
  headerTokens: number;
}

/**
 * Places every candidate (whole, outline, left out) so header + blocks fit `request.budgetTokens`
 * when possible; `renderHead` gives a header and its tokens (footer included); `ranked` is
 * `rankCandidates(cands, request)` when the caller has it already; `scanAhead` may scan the
 * outlines about to be sent in parallel (each is scanned when sent in any case).
 */
export async function allocate(
  cands: Candidate[],
  request: PackRequest,
  renderHead: (tree: TreeEntry[]) => Promise<{ text: string; tokens: number }>,
  ranking?: Ranking,
  scanAhead?: (outlined: Candidate[]) => Promise<void>,
): Promise<Plan> {
  const budget = request.budgetTokens;
  const head = async (status: (label: string) => FileStatus) => {
    const h = await renderHead(cands.map((c) => ({ label: c.label, status: status(c.label) })));
    return { header: h.text, headerTokens: h.tokens };
  };
  const whole = async (c: Candidate): Promise<Placement> => ({
    status: 'included',
    tokens: await c.tokens(),
    block: c.block(),
  });
  if (
    mayFit(
      cands.reduce((n, c) => n + c.minTokens, 0),
      budget,
    )
  ) {
    const bodies = (await Promise.all(cands.map((c) => c.tokens()))).reduce((a, b) => a + b, 0);
    const all = bodies <= budget ? await head(() => 'included') : undefined;
    if (all && all.headerTokens + bodies <= budget)
      return { ...all, placed: new Map(await Promise.all(cands.map(async (c) => [c.label, await whole(c)] as const))) };
  }

  ranking ??= rankWithReasons(cands, request);
  const ranked = ranking.order;
  const outlines = new Map<string, Placement>();
  for (const c of ranked) {
    const o = outlineOf(c);
    outlines.set(c.label, o ? { status: 'outline', ...o } : { status: 'excluded', tokens: 0, block: '' });
  }
  const placed = new Map(outlines);
  let used = 0;
  for (const p of placed.values()) used += p.tokens;
  const set = (label: string, p: Placement) => {
    used += p.tokens - placed.get(label)!.tokens;
    placed.set(label, p);
  };
  const none: Placement = { status: 'excluded', tokens: 0, block: '' };
  // First the files the question or the editor points at, whole, in the budget less a share for outlines.
  const first = new Set<string>();
  const pointed = pointedAt(ranking);
  if (pointed.length) {
    for (const c of ranked) set(c.label, none);
    const bare = await head((l) => placed.get(l)!.status);
    const outlinable = ranked.some((c) => !pointed.includes(c) && outlines.get(c.label)!.status === 'outline');
    // A share is kept for the other files' outlines, but not from the first file placed: the question points at it
    // most (on bench:localize a 19,826-token pydantic module the question was about then fit at 32K).
    const reserve = outlinable ? Math.floor(OUTLINE_SHARE * budget) : 0;
    let left = budget - bare.headerTokens;
    // Skipped only when its lower bound rules it out: the typical size (4 bytes a token) overrates
    // Python and prose, which run near 5, and a file the question is about may just fit.
    for (const c of pointed) {
      const room = first.size ? left - reserve : left;
      if (c.minTokens > room || (await c.tokens()) > room) continue;
      const p = await whole(c);
      left -= p.tokens;
      set(c.label, p);
      first.add(c.label);
    }
    for (const c of ranked) if (!first.has(c.label)) set(c.label, outlines.get(c.label)!);
  }
  let plan = await head((l) => placed.get(l)!.status);
  // Even the outlines do not fit: leave out the lowest-ranked ones (never a file placed whole first).
  for (let i = ranked.length - 1; i >= 0 && plan.headerTokens + used > budget;) {
    for (const target = budget - plan.headerTokens; i >= 0 && used > target; i--)
      if (!first.has(ranked[i]!.label)) set(ranked[i]!.label, none);
    plan = await head((l) => placed.get(l)!.status);
  }
  // Upgrade the best-ranked files (to whole, or back to an outline) while the budget lasts.
  const upgrade = async () => {
    let left = budget - plan.headerTokens - used;
    for (const c of ranked) {
      const now = placed.get(c.label)!;
      const outline = outlines.get(c.label)!;
      // Count only files that may plausibly fit; the decision itself uses the exact count.
      // A file left out may sit in a folder summarised in the tree: placing it lists it (about a line's tokens).
      const line = now.status === 'excluded' ? treeLineTokens(c.label) : 0;
      const fitsWhole = typical(c) - now.tokens + line <= left * 1.25 && (await c.tokens()) - now.tokens + line <= left;
      const better = fitsWhole
        ? await whole(c)
        : now.status === 'excluded' && outline.status === 'outline' && outline.tokens + line <= left
          ? outline
          : undefined;
      if (better) {
        left -= better.tokens - now.tokens + line;
        set(c.label, better);
      }
    }
  };
  // Outlines are scanned for secrets only once it is known which are sent; a redaction changes
  // their tokens (a placeholder is shorter or longer than the secret), which may free room for
  // another upgrade. From then on every outline placed is the one sent.
  // Only candidates placed as an outline are sent as one: they have one.
  const sent = (c: Candidate): Placement => ({ status: 'outline', ...c.sentOutline()! });
  const scanPlaced = async () => {
    await scanAhead?.(ranked.filter((c) => placed.get(c.label)!.status === 'outline'));
    const before = used;
    for (const c of ranked) if (placed.get(c.label)!.status === 'outline') set(c.label, sent(c));
    return used !== before;
  };
  await upgrade();
  if (await scanPlaced()) {
    // A file left out may come back as an outline: as the one sent.
    for (const c of ranked)
      if (outlines.get(c.label)!.status === 'outline' && placed.get(c.label)!.status === 'excluded')
        outlines.set(c.label, sent(c));
    plan = await head((l) => placed.get(l)!.status);
    await upgrade();
    await scanPlaced();
  }
  // The final header differs (fewer markers; folders listed in full or summarised, so placing one
  // file can list its neighbours too). Step files down from the bottom, half the overshoot at a
  // time (the header shrinks as files go), then give what is left to the best-ranked again.
  const stepDown = async () => {
    plan = await head((l) => placed.get(l)!.status);
    for (let i = ranked.length - 1; i >= 0 && plan.headerTokens + used > budget;) {
      const over = plan.headerTokens + used - budget;
      for (const target = used - Math.max(1, Math.ceil(over / 2)); i >= 0 && used > target;) {
        const c = ranked[i]!;
        const label = c.label;
        const p = placed.get(label)!;
        if (p.status === 'included' && outlines.get(label)!.status === 'outline') set(label, sent(c));
        else {
          set(label, none);
          i--;
        }
      }
      plan = await head((l) => placed.get(l)!.status);
    }
  };
  await stepDown();
  for (let round = 0; round < 2 && budget - plan.headerTokens - used > budget / 50; round++) {
    await upgrade();
    await scanPlaced();
    await stepDown();
  }
  return { ...plan, placed, ranking, first };
}
