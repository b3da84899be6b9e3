// The cache plan's decisions, from cost: which repository prefix a new conversation builds on (the
// workspace's base pack plus an updated-files delta, or a fresh pack), whether to send a warm-up
// request ending at the repository boundary, and the verdict on warm-ups per endpoint+model learned
// from billed usage. State lives in a PlanStore (see planStore.ts).
import type { EditorFocus, Pack, PackDelta, PackManifest, WorkspaceRoot } from '../context/types';
import type { Usage } from '../llm/types';
import { foreignUnitsMiss, predictHit, recordRequest, type LedgerState, type RequestOutcome } from './cacheLedger';
import { summarizePack, type PackSummary } from './conversation';
import type { PlannedMessage } from './prompt';
import { sha256 } from '../shared/hash';
import type { PlanStore } from './planStore';

/** A workspace's base pack: the prefix new conversations reuse while the repository changes little. */
export interface BaseRecord {
  hash: string;
  tokens: number;
  roots: WorkspaceRoot[];
  /** Paths not whole in the pack (outlined, or left out for the budget). */
  partial: string[];
  /** The budget it was packed under (tokens; absent in records from before it was kept). */
  budgetTokens?: number;
  summary: PackSummary;
  createdAt: number;
  /** Updated-files tokens new conversations paid at the miss price while this base was kept (the "rent"). */
  rentTokens: number;
}

export interface WarmupVerdict {
  state: 'unknown' | 'pays' | 'useless';
  failures: number;
  /** When the verdict last changed (ms since epoch). */
  checkedAt: number;
  /** The last trial: billed tokens the warm-up sent, and the next request's billed hit. */
  last?: { warmTokens: number; hitTokens: number };
}

interface PlanState {
  v: 1;
  ledger: LedgerState;
  verdicts: Record<string, WarmupVerdict>;
  bases: Record<string, BaseRecord>;
}

/** `max_tokens` of a warm-up request: it only has to write the prefix's cache. */
export const WARMUP_MAX_TOKENS = 1;
/** A warm-up is skipped when fewer context tokens than this would miss: the saving would not pay the round trip. */
export const MIN_WARMUP_TOKENS = 2048;
/** A "useless" verdict is re-tested after this long (ms): DeepSeek changes its serving often. */
export const VERDICT_RETEST_MS = 7 * 24 * 3600_000;
/** Two failed trials in a row (one may be an eviction or another cache node) make a warm-up useless. */
const FAILURES_FOR_USELESS = 2;

export type RebaseReason =
  | 'no-base'
  | 'base-text-missing'
  | 'focus'
  | 'over-budget'
  | 'budget-grew'
  | 'delta-large'
  | 'rent-paid'
  | 'question';

/**
 * Whether a new conversation should re-pack instead of reusing `base` + `delta`.
 * Re-basing costs one miss of the whole repository (about P tokens at the miss price); keeping the
 * base costs the miss price on the delta for each new conversation that sends it. That is ski
 * rental: re-base once the delta tokens already paid plus this one reach P, and the total is never
 * more than twice the best choice made in hindsight. Hard limits come first: the prefix must fit
 * the budget; a base that left files out under a smaller budget (another model's window, `--budget`)
 * is not kept for a larger one, which would hold them; and a delta over half the base (most files
 * sent twice) wastes window and muddles answers. A question pointing at files the base lacks whole,
 * more than the room left holds (`delta.unjoined`), gets a pack of its own.
 */
export function rebaseReason(
  base: BaseRecord,
  delta: Pick<PackDelta, 'tokens' | 'unjoined'>,
  budgetTokens: number,
  uncachedDeltaTokens: number,
  focus?: EditorFocus,
): RebaseReason | undefined {
  if (focus && !coversFocus(base, focus)) return 'focus';
  // The question points at files the base has only outlined or left out, more than the room left holds.
  if (delta.unjoined?.length) return 'question';
  if (base.tokens + delta.tokens > budgetTokens) return 'over-budget';
  if (base.partial.length && base.budgetTokens !== undefined && budgetTokens > base.budgetTokens) return 'budget-grew';
  if (delta.tokens > base.tokens / 2) return 'delta-large';
  if (base.rentTokens + uncachedDeltaTokens >= base.tokens) return 'rent-paid';
  return undefined;
}

export type RebasePolicy = typeof rebaseReason;

/** The pack label of an absolute path under `roots` (multi-root packs prefix the root name). */
export function labelOf(roots: WorkspaceRoot[], abs: string): string | undefined {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  for (const r of roots) {
    const root = norm(r.path);
    const p = norm(abs);
    if (p === root || p.startsWith(root + '/')) {
      const rel = p.slice(root.length + 1);
      return roots.length > 1 ? (rel ? `${r.name}/${rel}` : r.name) : rel;
    }
  }
  return undefined;
}

/** True when the files the user points at (active file, pinned paths) are whole in the base. */
export function coversFocus(base: BaseRecord, focus: EditorFocus): boolean {
  const wanted = [focus.activeFile, ...(focus.pinned ?? [])]
    .flatMap((p) => (p ? [labelOf(base.roots, p)] : []))
    .filter((l): l is string => l !== undefined);
  return !base.partial.some((p) => wanted.some((w) => p === w || w === '' || p.startsWith(w + '/')));
}

export class CachePlan {
  private state: PlanState;

  /**
   * @param rebasePolicy decides re-basing for new conversations; the default is `rebaseReason`
   *   (benchmarks compare it with always / never re-basing)
   */
  constructor(
    private readonly store: PlanStore,
    private readonly now: () => number,
    readonly rebasePolicy: RebasePolicy = rebaseReason,
  ) {
    const saved = store.loadState() as Partial<PlanState> | undefined;
    this.state =
      saved?.v === 1
        ? { v: 1, ledger: saved.ledger ?? {}, verdicts: saved.verdicts ?? {}, bases: saved.bases ?? {} }
        : { v: 1, ledger: {}, verdicts: {}, bases: {} };
  }

  save(): void {
    this.store.saveState(this.state);
  }

  /** Predicted cache hit of a request (estimated tokens); `tag`: its `requestTag` (cacheLedger.ts). */
  predict(ns: string, messages: PlannedMessage[], keys: string[], opts: { tag?: string } = {}): number {
    return predictHit(this.state.ledger, ns, messages, keys, this.now(), opts).tokens;
  }

  /**
   * True when billed usage showed that `ns`'s server keeps caches of requests with other parameters
   * apart: a warm-up (`max_tokens: 1`) cannot help the request after it there.
   */
  foreignUnitsMiss(ns: string): boolean {
    return foreignUnitsMiss(this.state.ledger, ns);
  }

  /** Learns from a billed request. */
  record(ns: string, messages: PlannedMessage[], keys: string[], outcome: RequestOutcome): void {
    recordRequest(this.state.ledger, ns, messages, keys, outcome, this.now());
  }

  /** The warm-up verdict for `key` (endpoint|model|thinking). */
  verdict(key: string): WarmupVerdict {
    return this.state.verdicts[key] ?? { state: 'unknown', failures: 0, checkedAt: 0 };
  }

  /** Whether warm-ups may be tried for `key`: unknown or paying, or a useless verdict due for a re-test. */
  warmupAllowed(key: string): boolean {
    const v = this.verdict(key);
    return v.state !== 'useless' || this.now() - v.checkedAt >= VERDICT_RETEST_MS;
  }

  /**
   * Judges a warm-up from billed usage: it worked when the next request's hit reached the tokens the
   * warm-up sent (within 1% or 128 tokens: DeepSeek may count a few boundary tokens differently).
   */
  recordWarmup(key: string, warmup: Usage | undefined, next: Usage | undefined): WarmupVerdict {
    const v = { ...this.verdict(key) };
    // Without usage (a server that reports none) nothing shows the warm-up paid: a failed trial.
    const worked =
      !!warmup && !!next && next.cacheHitTokens + Math.max(128, warmup.promptTokens * 0.01) >= warmup.promptTokens;
    v.failures = worked ? 0 : v.failures + 1;
    const state = worked
      ? 'pays'
      : v.failures >= FAILURES_FOR_USELESS
        ? 'useless'
        : v.state === 'pays'
          ? 'pays'
          : 'unknown';
    if (state !== v.state) v.checkedAt = this.now();
    v.state = state;
    if (warmup && next) v.last = { warmTokens: warmup.promptTokens, hitTokens: next.cacheHitTokens };
    this.state.verdicts[key] = v;
    return v;
  }

  /** The workspace's base pack with its text and manifest, when all are still stored. */
  base(workspaceKey: string): { record: BaseRecord; text: string; manifest: PackManifest } | undefined {
    const record = this.state.bases[workspaceKey];
    if (!record) return undefined;
    const text = this.store.getBlob(record.hash);
    const manifest = this.store.getBlob(`${record.hash}.manifest`);
    return text === undefined || manifest === undefined
      ? undefined
      : { record, text, manifest: JSON.parse(manifest) as PackManifest };
  }

  /** Whether a base is recorded for the workspace (its texts may have been pruned). */
  hasBase(workspaceKey: string): boolean {
    return workspaceKey in this.state.bases;
  }

  /** Makes `pack` the workspace's base (its text and manifest go to the blob store). */
  setBase(workspaceKey: string, pack: Pack, budgetTokens: number): BaseRecord {
    this.putPack(pack);
    const partial = pack.files
      .filter((f) => f.status === 'outline' || (f.status === 'excluded' && f.reason === 'budget'))
      .map((f) => f.path);
    const record: BaseRecord = {
      hash: pack.manifest.hash,
      tokens: pack.tokens,
      roots: pack.roots,
      partial,
      budgetTokens,
      summary: summarizePack(pack),
      createdAt: this.now(),
      rentTokens: 0,
    };
    this.state.bases[workspaceKey] = record;
    return record;
  }

  /** Adds delta tokens a new conversation pays at the miss price because the base was kept. */
  payRent(workspaceKey: string, tokens: number): void {
    const b = this.state.bases[workspaceKey];
    if (b) b.rentTokens += tokens;
  }

  /** Stores a pack's text and manifest under its hash. */
  putPack(pack: Pack): void {
    this.store.putBlob(pack.manifest.hash, pack.text);
    this.store.putBlob(`${pack.manifest.hash}.manifest`, JSON.stringify(pack.manifest));
  }

  /** Stores a section text; returns its hash. */
  putText(text: string): string {
    const hash = sha256(text);
    this.store.putBlob(hash, text);
    return hash;
  }

  text(hash: string): string | undefined {
    return this.store.getBlob(hash);
  }
}
