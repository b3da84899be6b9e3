// Puts a pack together from a plan: the blocks in order, a report for every file, the redactions
// in what is sent (whole files: every secret in them; outlines: those on the lines shown) and the
// manifest that tells later which files changed. The text is joined from its parts when first read:
// joining copies megabytes, which a pack nobody reads the text of (the inspector's, a follow-up's
// `updatesSince`, the CLI writing a file: `packParts`) never needs.
import { createHash } from 'node:crypto';
import type { Plan } from './budget';
import type { Entry } from '../read/candidates';
import type { FileStore } from '../read/fileStore';
import { PACK_FOOTER } from './render';
import type { FileReport, FileStatus, Pack, PackManifest, PackRequest, Redaction, WorkspaceRoot } from '../types';

/** What the pack is made of besides the plan. */
export interface Assembly {
  request: PackRequest;
  roots: WorkspaceRoot[];
  /** Reports of the files that cannot go in (path rules, unreadable, binary, ...). */
  excluded: FileReport[];
  entries: Entry[];
  warnings: string[];
  stats: Omit<Pack['stats'], 'elapsedMs'>;
  /** performance.now() when the pack started (ms). */
  t0: number;
}

/** Why the budget gave a ranked file its status, in a phrase (FileReport.placement). */
function placementOf(e: Entry, status: FileStatus, first: boolean | undefined): string {
  if (status === 'included')
    return first ? 'whole first: the question or the editor points at it' : 'whole: ranked high enough to fit';
  if (status === 'outline') return 'outline: no room left for it whole at its rank';
  return e.outline()
    ? 'left out: no room left even for its outline at its rank'
    : 'left out: no room left for it whole at its rank, and it has no outline';
}

/** The parts of each assembled pack's text, in order (header, blocks, footer). */
const PARTS = new WeakMap<Pack, readonly string[]>();

/** The pieces `pack.text` is made of, in order: its header, blocks and footer when assembled here, else the text. */
export function packParts(pack: Pack): readonly string[] {
  return PARTS.get(pack) ?? [pack.text];
}

/** The pack and each placed file's block by label. */
export function assemble(store: FileStore, a: Assembly, plan: Plan): { pack: Pack; blocks: Map<string, string> } {
  const files = [...a.excluded];
  const blocks = new Map<string, string>();
  const hashes = new Map<string, string>();
  const redactions: Redaction[] = [];
  const ranks = plan.ranking && new Map(plan.ranking.order.map((c, i) => [c.label, i + 1]));
  for (const e of a.entries) {
    const placed = plan.placed.get(e.label)!;
    const whole = placed.status === 'included';
    const hash = placed.status === 'excluded' ? undefined : store.hash(e.state, whole);
    const reasons = plan.ranking?.info.get(e.label)?.reasons;
    const rank = ranks?.get(e.label);
    files.push({
      root: e.file.root.name,
      path: e.label,
      bytes: e.state.result.bytes,
      tokens: placed.tokens,
      status: placed.status,
      ...(hash ? { hash } : {}),
      ...(whole ? {} : { reason: 'budget' as const }),
      ...(store.isUnsaved(e.state.abs) ? { unsaved: true as const } : {}),
      ...(reasons?.length ? { reasons } : {}),
      ...(rank !== undefined ? { rank, placement: placementOf(e, placed.status, plan.first?.has(e.label)) } : {}),
    });
    if (!hash) continue;
    blocks.set(e.label, placed.block);
    hashes.set(e.label, hash);
    const findings = whole ? store.sent(e.state).findings : (store.sentOutline(e.state, e.label)?.findings ?? []);
    for (const f of findings) redactions.push({ path: e.label, line: f.line, rule: f.rule });
  }
  const parts = [plan.header, ...blocks.values(), PACK_FOOTER];
  let text: string | undefined;
  const tokens = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
  const warnings = [...a.warnings];
  if (tokens > a.request.budgetTokens)
    warnings.push(
      `the repository block needs ${tokens} tokens, over the budget of ${a.request.budgetTokens}: even the ` +
        `file tree does not fit`,
    );
  // The pack's identity from its parts (header, then each block's path, kind and content hash): the
  // same as hashing the text for telling packs apart, without hashing megabytes on every re-pack.
  const identity = createHash('sha256').update(plan.header);
  for (const l of blocks.keys()) identity.update(`\0${l}\0${plan.placed.get(l)!.status}\0${hashes.get(l)}`);
  const outlined = [...blocks.keys()].filter((l) => plan.placed.get(l)!.status === 'outline').sort();
  const partial = a.entries.some((e) => plan.placed.get(e.label)!.status !== 'included');
  const manifest: PackManifest = {
    hash: identity.digest('hex'),
    tokens,
    files: Object.fromEntries([...blocks.keys()].sort().map((l) => [l, hashes.get(l)!])),
    ...(outlined.length ? { outlined } : {}),
    ...(partial ? { partial: true as const } : {}),
  };
  files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const stats = { ...a.stats, elapsedMs: Math.round(performance.now() - a.t0) };
  const pack: Pack = {
    get text() {
      return (text ??= parts.join(''));
    },
    tokens,
    manifest,
    roots: a.roots,
    files,
    redactions,
    warnings,
    stats,
  };
  PARTS.set(pack, parts);
  return { pack, blocks };
}
