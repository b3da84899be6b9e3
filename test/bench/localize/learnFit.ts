// How learn.ts fits a model's weights to training tasks' features (learnFeatures.ts): by gradient descent on a pairwise
// or a budget loss, or by searching one weight at a time for the most tasks found by a fast stand-in for budget.ts;
// and how far any weighting of the question's signals could go on a set (`bound`).
import { compile, FEATURES, HAND, PRIOR, roomAt, termsOf, tokensOf, type Model, type TaskRows } from './learnFeatures';

export interface FitOptions {
  /** The windows of the features (tokens), and the index of the only one to count, if one. */
  windows: number[];
  only?: number;
  /** A family of terms (termsOf) or the terms, comma-separated. */
  terms: string;
  /** `pairs`: each (fix's file, other file) pair alike; `tokens`: a pair by the other file's tokens; `budget`. */
  cost: string;
  /** The weights are fitted divided by this (the hand weights' 100 points of lexical are 100 / scale). */
  scale: number;
  /** L2 on the (scaled) weights, towards 0 or (`toward` hand) the hand weights. */
  l2: number;
  toward: string;
  steps: number;
  /** search: the model to start from (the hand weights when absent), the least gain to keep a change, rounds. */
  from?: Model;
  gain: number;
  rounds: number;
}

const counted = (o: FitOptions, wi: number) => o.only === undefined || o.only === wi;

/**
 * Fits a model's weights by Adam from the hand weights (terms they lack from 0), each task counting alike, evidence
 * terms kept at 0 or more. Loss (`cost`): pairwise logistic, each fix's file against each other file (`pairs`, or
 * weighted by the other's tokens: `tokens`), or `budget` (budgetLoss). Reports the loss every 100 steps to `log`.
 */
export function fit(data: TaskRows[], o: FitOptions, log: (line: string) => void): Model {
  const terms = termsOf(o.terms);
  const compiled = terms.map(compile);
  const w = terms.map((t) => {
    const k = HAND.terms.indexOf(t);
    return k < 0 ? 0 : HAND.weights[k]! / o.scale;
  });
  const row = (r: number[]) => compiled.map((t) => t.value(Float64Array.from(r)));
  const tasks = data.map((t) => {
    const cost = t.neg.map((n) => (o.cost === 'tokens' ? tokensOf(n) : 1));
    const mean = cost.reduce((a, b) => a + b, 0) / cost.length;
    return {
      pos: t.pos.map(row),
      neg: t.neg.map(row),
      cost: cost.map((c) => c / mean),
      tokens: [t.pos.map(tokensOf), t.neg.map(tokensOf)],
      rooms: o.windows.map((win, wi) => (counted(o, wi) ? roomAt(win, t.header[wi]!) : 0)),
    };
  });
  const target = w.map((x) => (o.toward === 'hand' ? x : 0));
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  const lr = 0.05;
  const dot = (a: number[]) => a.reduce((s, x, k) => s + x * w[k]!, 0);
  for (let step = 1; step <= o.steps; step++) {
    const grad = w.map((x, k) => 2 * o.l2 * (x - target[k]!));
    let loss = w.reduce((s, x, k) => s + o.l2 * (x - target[k]!) ** 2, 0);
    for (const t of tasks) {
      const sn = t.neg.map(dot);
      if (o.cost === 'budget') {
        loss += budgetLoss(t, sn, dot, grad, 1 / tasks.length);
        continue;
      }
      const pairs = t.pos.length * t.neg.length;
      for (const p of t.pos) {
        const sp = dot(p);
        t.neg.forEach((n, j) => {
          const d = sp - sn[j]!;
          const c = t.cost[j]! / pairs / tasks.length;
          // log(1 + e^-d) and its derivative -1 / (1 + e^d)
          loss += (d > 30 ? Math.exp(-d) : Math.log1p(Math.exp(-d))) * c;
          const g = -c / (1 + Math.exp(d));
          for (let k = 0; k < w.length; k++) grad[k]! += g * (p[k]! - n[k]!);
        });
      }
    }
    for (let k = 0; k < w.length; k++) {
      m[k] = 0.9 * m[k]! + 0.1 * grad[k]!;
      v[k] = 0.999 * v[k]! + 0.001 * grad[k]! ** 2;
      const mh = m[k]! / (1 - 0.9 ** step);
      const vh = v[k]! / (1 - 0.999 ** step);
      w[k]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
      if (!compiled[k]!.prior && w[k]! < 0) w[k] = 0;
    }
    if (step % 100 === 0 || step === o.steps) log(`step ${step} loss ${loss.toFixed(5)}`);
  }
  return { terms, weights: w.map((x) => Number((x * o.scale).toPrecision(4))) };
}

/** How far a fix's files are from the room at a window, in shares of the room: 0.1 changes the loss by e. */
const TEMPERATURE = 0.1;

/**
 * The `budget` loss: for each window and each of the fix's files, the tokens of the files ranked above it (each counted
 * by the chance it is, a sigmoid of the score difference) and of the fix's own files against the room, through a
 * sigmoid (the chance the window misses the task, so that tasks far from the room either way count little); windows
 * where the fix's files alone do not fit are left out. Adds `share` x its gradient to `grad`.
 */
function budgetLoss(
  t: { pos: number[][]; neg: number[][]; tokens: number[][]; rooms: number[] },
  sn: number[],
  dot: (a: number[]) => number,
  grad: number[],
  share: number,
): number {
  const own = t.tokens[0]!.reduce((a, b) => a + b, 0);
  const rooms = t.rooms.filter((l) => l > own);
  if (!rooms.length) return 0;
  let loss = 0;
  const d = grad.length;
  for (const p of t.pos) {
    const sp = dot(p);
    let above = 0;
    const g = new Float64Array(d);
    t.neg.forEach((n, j) => {
      const sig = 1 / (1 + Math.exp(sp - sn[j]!));
      const tok = t.tokens[1]![j]!;
      above += tok * sig;
      const c = tok * sig * (1 - sig);
      for (let k = 0; k < d; k++) g[k]! += c * (n[k]! - p[k]!);
    });
    for (const room of rooms) {
      const x = (own + above - room) / (TEMPERATURE * room);
      const miss = 1 / (1 + Math.exp(-x));
      loss += (miss * share) / t.pos.length;
      const f = ((share / t.pos.length) * miss * (1 - miss)) / (TEMPERATURE * room);
      for (let k = 0; k < d; k++) grad[k]! += f * g[k]!;
    }
  }
  return loss;
}

/** A task as `found` takes it: its rows' term values (the fix's files first), tokens, and room at each window. */
interface Rows {
  rows: number[][];
  tokens: number[];
  npos: number;
  rooms: number[];
}

/**
 * A fast stand-in for budget.ts: how many windows find the task when ranked by weights `w` over its term values: the
 * files with evidence at least 0.03 of the best (budget.ts's POINTED_SHARE) whole first, most evidence first, then the
 * others best first, each when it fits, without outlines or counting the header again.
 */
function found(t: Rows, w: number[], evidence: boolean[]): number {
  const n = t.rows.length;
  const score = new Float64Array(n);
  const ev = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = t.rows[i]!;
    for (let k = 0; k < w.length; k++) {
      const v = w[k]! * r[k]!;
      score[i]! += v;
      if (evidence[k]) ev[i]! += v;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b]! - score[a]! || a - b);
  let best = 0;
  for (let i = 0; i < n; i++) best = Math.max(best, ev[i]!);
  const pointed = best > 1e-6 ? order.filter((i) => ev[i]! >= 0.03 * best).sort((a, b) => ev[b]! - ev[a]!) : [];
  let windows = 0;
  for (const room of t.rooms) {
    if (room <= 0) continue;
    let left = room;
    const placed = new Uint8Array(n);
    let pos = 0;
    for (const list of [pointed, order])
      for (const i of list) {
        if (placed[i] || t.tokens[i]! > left) continue;
        placed[i] = 1;
        left -= t.tokens[i]!;
        if (i < t.npos) pos++;
      }
    if (pos === t.npos) windows++;
  }
  return windows;
}

/**
 * Searches the weights for the most tasks found by `found`, one weight at a time (each times 0, 0.25 ... 4, or a new
 * term's from a few values), keeping a change that finds at least `gain` more; from the hand weights or `from`.
 */
export function search(data: TaskRows[], o: FitOptions, log: (line: string) => void): Model {
  const start = o.from ?? HAND;
  const terms = o.from ? start.terms : termsOf(o.terms);
  const compiled = terms.map(compile);
  const evidence = compiled.map((c) => !c.prior);
  const w = terms.map((t) => {
    const k = start.terms.indexOf(t);
    return k < 0 ? 0 : start.weights[k]!;
  });
  const tasks = data.map((t) => {
    const raw = [...t.pos, ...t.neg];
    return {
      rows: raw.map((r) => compiled.map((c) => c.value(Float64Array.from(r)))),
      tokens: raw.map((r) => Math.round(tokensOf(r))),
      npos: t.pos.length,
      rooms: o.windows.map((win, wi) => (counted(o, wi) ? roomAt(win, t.header[wi]!) : 0)),
      found: t.found.filter((f, wi) => f && counted(o, wi)).length,
    };
  });
  const total = (ws: number[]) => tasks.reduce((a, t) => a + found(t, ws, evidence), 0);
  const actual = tasks.reduce((a, t) => a + t.found, 0);
  const agree = tasks.filter((t) => found(t, w, evidence) === t.found).length;
  let now = total(w);
  log(`start: ${now} found (${actual} by budget.ts with rank.ts's ranking; ${agree} of ${tasks.length} tasks alike)`);
  for (let round = 0; round < o.rounds; round++) {
    let changed = false;
    for (let k = 0; k < w.length; k++) {
      const was = w[k]!;
      const tries = was
        ? [0, 0.25, 0.5, 0.7, 1.4, 2, 4].map((f) => was * f)
        : [5, 10, 20, 50, 100, 200].flatMap((v) => (evidence[k] ? [v] : [v, -v]));
      let bestW = was;
      let bestN = now;
      for (const tw of tries) {
        w[k] = tw;
        const n = total(w);
        if (n >= bestN + o.gain || (n > bestN && bestW !== was)) [bestW, bestN] = [tw, n];
      }
      w[k] = bestW;
      if (bestW !== was) {
        changed = true;
        now = bestN;
        log(`round ${round}: ${terms[k]} ${was} -> ${bestW}: ${now}`);
      }
    }
    if (!changed) break;
  }
  log(`found ${now}`);
  return { terms, weights: w.map((x) => Number(x.toPrecision(4))) };
}

/**
 * How many tasks any weighting of the question's signals could find at most, per set and window: a fix's file ranks
 * below every file at least as strong on each signal the question gives and stronger on one, whatever the
 * (non-negative) weights and the prior; a task is out of reach when those files and the fix's own do not fit the room.
 * Beside: the tasks found with rank.ts's ranking and those whose files alone fit. One line a set.
 */
export function bound(data: TaskRows[], windows: number[]): string[] {
  const signals = FEATURES.flatMap((f, k) => (PRIOR.has(f) || f === 'historyAll' ? [] : [k]));
  const per = new Map<string, { found: number[]; fits: number[]; reach: number[] }>();
  for (const t of data) {
    if (!per.has(t.set)) per.set(t.set, { found: windows.map(() => 0), fits: windows.map(() => 0), reach: [0, 0] });
    const s = per.get(t.set)!;
    const own = t.pos.reduce((a, r) => a + tokensOf(r), 0);
    let above = 0;
    for (const p of t.pos) {
      let sum = 0;
      for (const n of t.neg)
        if (signals.every((k) => n[k]! >= p[k]! - 1e-12) && signals.some((k) => n[k]! > p[k]! + 1e-12))
          sum += tokensOf(n);
      above = Math.max(above, sum);
    }
    windows.forEach((win, wi) => {
      const room = roomAt(win, t.header[wi]!);
      if (t.found[wi]) s.found[wi]!++;
      if (own <= room) s.fits[wi]!++;
      if (own + above <= room) s.reach[wi] = (s.reach[wi] ?? 0) + 1;
    });
  }
  return [...per].map(
    ([set, s]) => `${set.padEnd(12)} ${s.found.join('/')}  ${s.fits.join('/')}  ${s.reach.join('/')}`,
  );
}
