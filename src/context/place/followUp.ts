// What a conversation appends after its unchanged prefix before the next question (engine.ts
// `updatesSince`): the files edited since, in the form the conversation has them (whole stays whole,
// an outline stays an outline); files deleted or no longer readable; and, when the repository did not
// fit, the files the new question points at that the conversation has only outlined or left out,
// whole, best first, within the room it may use (`PackRequest.joinTokens`). A file the new question
// simply ranks lower is not "removed": the conversation keeps it as it was.
import type { Entry } from '../read/candidates';
import type { Ranking } from './budget';
import { renderUpdate } from './render';
import { countTokens } from '../tokens';
import type { JoinedFile, Pack, PackDelta, PackManifest, PackRequest } from '../types';
import { maxOf } from './maxOf';

/**
 * Files a follow-up's question points at clearly enough to join: evidence at least this share of the
 * strongest file's (the pack's own whole-first bar is 0.03; appending costs the conversation's room).
 */
export const JOIN_SHARE = 0.1;

/** What updatesSince compares against the manifest: a fresh pack for the request and how it was made. */
export interface FollowUpInput {
  manifest: PackManifest;
  request: PackRequest;
  pack: Pack;
  /** Each placed file's block in `pack`, by label. */
  blocks: Map<string, string>;
  /** Every readable file, by label. */
  entries: Entry[];
  ranking: Ranking | undefined;
  /** A file's content hash as the manifest records it (whole or outline). */
  hash: (e: Entry, whole: boolean) => string;
}

/** The section to append after `manifest`'s prefix (empty text when nothing is new). */
export async function followUpDelta(input: FollowUpInput): Promise<PackDelta> {
  const { manifest, pack, blocks, entries } = input;
  const outlinedBefore = new Set(manifest.outlined);
  const report = new Map(pack.files.map((f) => [f.path, f]));
  const { joined, unjoined } = await joins(input, outlinedBefore);
  const joinedSet = new Set(joined.map((j) => j.path));
  const changed: string[] = [];
  const added: string[] = [];
  const parts: string[] = [];
  const outlined: string[] = [];
  const hashes: Record<string, string> = {};
  for (const e of entries) {
    if (joinedSet.has(e.label)) continue;
    const before = manifest.files[e.label];
    if (before !== undefined) {
      // Compared in the form the conversation has the file: a file moving between whole and outline is no change.
      const wasWhole = !outlinedBefore.has(e.label);
      const now = input.hash(e, wasWhole);
      if (now === before) continue;
      changed.push(e.label);
      const o = wasWhole ? undefined : e.sentOutline();
      parts.push(o ? o.block : e.block());
      hashes[e.label] = o ? now : input.hash(e, true);
      if (o) outlined.push(e.label);
      continue;
    }
    // Not in the conversation: new, unless the repository did not fit (then it was left out, and joins when asked for).
    const r = report.get(e.label);
    if (manifest.partial || !r?.hash || r.status === 'excluded') continue;
    added.push(e.label);
    parts.push(blocks.get(e.label)!);
    hashes[e.label] = r.hash;
    if (r.status === 'outline') outlined.push(e.label);
  }
  const present = new Set(entries.map((e) => e.label));
  const removed = Object.keys(manifest.files)
    .filter((p) => !present.has(p))
    .sort();
  const byLabel = new Map(entries.map((e) => [e.label, e]));
  const joinedBlocks = joined.map((j) => byLabel.get(j.path)!.block());
  for (const j of joined) hashes[j.path] = input.hash(byLabel.get(j.path)!, true);
  const text = renderUpdate(parts, removed, joinedBlocks);
  const touched = new Set([...changed, ...added, ...joinedSet]);
  return {
    text,
    tokens: text ? countTokens(text) : 0,
    changed,
    added,
    removed,
    redactions: pack.redactions.filter((r) => touched.has(r.path)),
    files: hashes,
    ...(joined.length ? { joined } : {}),
    ...(unjoined.length ? { unjoined } : {}),
    ...(outlined.length ? { outlined } : {}),
  };
}

/** The files to append whole for the question, best first, within `request.joinTokens`; and those that did not fit. */
async function joins(
  input: FollowUpInput,
  outlinedBefore: Set<string>,
): Promise<{ joined: JoinedFile[]; unjoined: string[] }> {
  const { manifest, request, ranking, pack } = input;
  const room = request.joinTokens ?? 0;
  const none = { joined: [], unjoined: [] };
  if (!manifest.partial || !ranking || room <= 0) return none;
  const whole = new Set(pack.files.filter((f) => f.status === 'included').map((f) => f.path));
  const best = maxOf([...ranking.info.values()].map((r) => r.evidence));
  if (best <= 1e-6) return none;
  const out: JoinedFile[] = [];
  const unjoined: string[] = [];
  let left = room;
  for (const c of ranking.order) {
    const info = ranking.info.get(c.label)!;
    if (info.evidence < JOIN_SHARE * best) continue;
    // Only what a fresh pack for this question would send whole, and the conversation does not have whole.
    if (!whole.has(c.label)) continue;
    if (manifest.files[c.label] !== undefined && !outlinedBefore.has(c.label)) continue;
    const tokens = await c.tokens();
    if (tokens > left) {
      unjoined.push(c.label);
      continue;
    }
    left -= tokens;
    const was = manifest.files[c.label] !== undefined ? 'outlined' : 'left out';
    out.push({ path: c.label, tokens, was, reasons: info.reasons });
  }
  return { joined: out, unjoined };
}
