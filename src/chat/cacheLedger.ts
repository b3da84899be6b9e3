// The client's model of what DeepSeek has cached, at message granularity, so the estimate can say
// how many input tokens will hit before anything is sent and the plan can decide on a warm-up.
// It mirrors the V4 unit rules (deepseek-api.md): a unit at the end of each request's input and
// output and at common prefixes seen across requests; a request hits the longest unit it fully
// matches. It is corrected by every billed usage: a unit that did not hit is forgotten, a longer hit
// than predicted is learned. Caches are per namespace (endpoint, model, thinking, effort).
// Whether a unit written by a request with other parameters outside the namespace (a warm-up's
// `max_tokens: 1`) is matched is disputed (deepseek-api.md): each unit carries its writer's `tag`,
// and the namespace learns from billed usage whether such "foreign" units hit: until a bill says
// they miss, they are predicted to hit; once one did not, they are not predicted for other
// parameters and no common prefix with such a request is assumed stored (so a warm-up that did not
// help is not counted on again); a later hit only a foreign unit explains turns them back on.
import { createHash } from 'node:crypto';
import type { Usage } from '../llm/types';
import { planned, type PlannedMessage } from './prompt';

export interface LedgerUnit {
  /** Chain key of the unit's last message (see `chainKeys`). */
  key: string;
  /** Leading messages the unit covers. */
  count: number;
  /** Estimated tokens the unit covers. */
  tokens: number;
  /**
   * `input`: the end of a request's input, generation prompt included: it matches a request only
   * when that request's next message is an assistant one (or there is none). `prefix`: any request
   * that starts with these messages.
   */
  kind: 'input' | 'prefix';
  /** Last time (ms since epoch) it was created or confirmed by a billed hit. */
  lastUsed: number;
  /** The writer's parameters outside the namespace (`requestTag`); absent in units from before tags. */
  tag?: string;
}

/** A recent request, for common-prefix detection: its chain keys and its `requestTag`. */
export interface RecentRequest {
  keys: string[];
  tag?: string;
}

export interface LedgerNamespace {
  units: LedgerUnit[];
  /** Recent requests, for common-prefix detection (a plain key list in states saved before tags). */
  recent: (RecentRequest | string[])[];
  /**
   * Whether units written with other parameters (another `tag`) are matched, as billed usage showed; unknown: assumed.
   */
  foreign?: 'match' | 'miss';
}

export type LedgerState = Record<string, LedgerNamespace>;

/** DeepSeek drops unused caches "after hours to days"; predictions assume the short end (ms). */
export const UNIT_TTL_MS = 6 * 3600_000;
/** A common prefix shorter than this (tokens) is not predicted to be stored. */
const MIN_PREFIX_TOKENS = 64;
const MAX_UNITS = 256;
const MAX_RECENT = 16;
const MAX_NAMESPACES = 16;

/** The parameters of a request outside its cache namespace that a strict server keeps caches apart by. */
export const requestTag = (params: { maxTokens: number }): string => `max_tokens=${params.maxTokens}`;

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** Long contents (UTF-16 code units) whose chain keys are remembered: an agent step re-keys the whole prefix. */
const LONG_CHARS = 64 * 1024;
/** previous key + role → the last long content keyed after it, and its key. */
const longKeys = new Map<string, { content: string; extra: string; key: string }>();

/** The chain key of `message` following the chain key `previous` ('' before the first message). */
function chainAfter(previous: string, { message: m, images }: PlannedMessage): string {
  // An image counts by its sha256 (the same bytes give the same base64), not its megabytes of base64.
  let i = 0;
  const content =
    typeof m.content === 'string'
      ? m.content
      : m.content
          .map((p) => (p.type === 'text' ? p.text : `\u0001image:${images?.[i++] ?? p.image_url.url}`))
          .join('\u0002');
  const extra =
    m.role === 'assistant'
      ? `${m.reasoning_content ?? ''}\u0000${JSON.stringify(m.tool_calls ?? null)}`
      : m.role === 'tool'
        ? m.tool_call_id
        : '';
  if (content.length < LONG_CHARS) return sha(`${previous}\u0000${m.role}\u0000${content}\u0000${extra}`);
  const at = `${previous}\u0000${m.role}`;
  const known = longKeys.get(at);
  if (known?.content === content && known.extra === extra) return known.key;
  const key = sha(`${previous}\u0000${m.role}\u0000${content}\u0000${extra}`);
  if (longKeys.size >= 16) longKeys.delete(longKeys.keys().next().value!);
  longKeys.set(at, { content, extra, key });
  return key;
}

/** The chain key after each message: equal keys at index i mean equal first i+1 messages. */
export function chainKeys(messages: PlannedMessage[]): string[] {
  let key = '';
  return messages.map((m) => (key = chainAfter(key, m)));
}

/** Cumulative estimated tokens: `cum[i]` covers the first i messages. */
function cumulative(messages: PlannedMessage[]): number[] {
  const cum = [0];
  for (const m of messages) cum.push(cum[cum.length - 1]! + m.tokens);
  return cum;
}

function matches(u: LedgerUnit, messages: PlannedMessage[], keys: string[]): boolean {
  if (u.count > keys.length || keys[u.count - 1] !== u.key) return false;
  return u.kind === 'prefix' || u.count === keys.length || messages[u.count]!.message.role === 'assistant';
}

/** True when `u` may serve a request tagged `tag` in `space` (foreign units only while not shown to miss). */
function usable(space: LedgerNamespace | undefined, u: LedgerUnit, tag: string | undefined): boolean {
  return space?.foreign !== 'miss' || u.tag === undefined || tag === undefined || u.tag === tag;
}

const recentOf = (r: RecentRequest | string[]): RecentRequest => (Array.isArray(r) ? { keys: r } : r);

function live(ledger: LedgerState, ns: string, now: number): LedgerNamespace {
  const space = ledger[ns] ?? { units: [], recent: [] };
  space.units = space.units.filter((u) => now - u.lastUsed < UNIT_TTL_MS);
  ledger[ns] = space;
  return space;
}

/**
 * The predicted cache hit of a request tagged `opts.tag` (estimated tokens) and the unit it would
 * hit; `opts.anyTag` counts every unit, as a server that matches units across parameters would.
 */
export function predictHit(
  ledger: LedgerState,
  ns: string,
  messages: PlannedMessage[],
  keys: string[],
  now: number,
  opts: { tag?: string; anyTag?: boolean } = {},
): { tokens: number; unit?: LedgerUnit } {
  const space = ledger[ns];
  let best: LedgerUnit | undefined;
  for (const u of space?.units ?? []) {
    if (!opts.anyTag && !usable(space, u, opts.tag)) continue;
    if (now - u.lastUsed < UNIT_TTL_MS && matches(u, messages, keys) && (!best || u.tokens > best.tokens)) best = u;
  }
  return best ? { tokens: best.tokens, unit: best } : { tokens: 0 };
}

/** Whether billed usage showed that units written with other parameters are not matched in `ns`. */
export function foreignUnitsMiss(ledger: LedgerState, ns: string): boolean {
  return ledger[ns]?.foreign === 'miss';
}

function addUnit(space: LedgerNamespace, unit: LedgerUnit): void {
  const same = space.units.find((u) => u.key === unit.key && u.kind === unit.kind && u.tag === unit.tag);
  if (same) same.lastUsed = unit.lastUsed;
  else space.units.push(unit);
}

export interface RequestOutcome {
  /** Billed usage of the request (the truth about hits). */
  usage: Usage;
  thinking: boolean;
  /** The answer, when it is complete: without thinking the output unit covers it. */
  answer?: string;
  /** The request's `requestTag`. */
  tag?: string;
}

/** Records a billed request: corrects the ledger with its usage and adds the units it created. */
export function recordRequest(
  ledger: LedgerState,
  ns: string,
  messages: PlannedMessage[],
  keys: string[],
  outcome: RequestOutcome,
  now: number,
): void {
  const space = live(ledger, ns, now);
  const cum = cumulative(messages);
  const estimated = cum[messages.length]! + 1;
  const scale = outcome.usage.promptTokens > 0 ? outcome.usage.promptTokens / estimated : 1;
  const hit = outcome.usage.cacheHitTokens / scale; // in estimated tokens
  const tag = outcome.tag;
  const predicted = predictHit(ledger, ns, messages, keys, now, { tag });

  // Correct: a predicted unit that did not hit is gone (and when a foreign one was counted on, foreign
  // units are not any more); a hit only a foreign unit explains turns them back on; a longer hit than
  // predicted is a unit we missed.
  if (predicted.unit && hit < predicted.tokens * 0.5) {
    const foreign = (u: LedgerUnit) => tag !== undefined && u.tag !== undefined && u.tag !== tag;
    if (foreign(predicted.unit)) space.foreign = 'miss';
    // A foreign unit stays: it still serves requests with its own parameters (the next warm-up).
    space.units = space.units.filter((u) => foreign(u) || !(matches(u, messages, keys) && u.tokens > hit * 1.1));
  } else if (predicted.unit) predicted.unit.lastUsed = now;
  if (space.foreign === 'miss' && hit > predicted.tokens * 1.2 + MIN_PREFIX_TOKENS) {
    const across = predictHit(ledger, ns, messages, keys, now, { anyTag: true });
    if (across.unit && hit >= across.tokens * 0.9) {
      space.foreign = 'match';
      across.unit.lastUsed = now;
    }
  }
  if (hit > predicted.tokens * 1.2 + MIN_PREFIX_TOKENS) {
    let c = 0;
    while (c < messages.length && cum[c + 1]! <= hit) c++;
    if (c > 0) addUnit(space, { key: keys[c - 1]!, count: c, tokens: cum[c]!, kind: 'prefix', lastUsed: now, tag });
  }

  // Created: the end of the input; common prefixes with recent requests; the end of a visible output.
  addUnit(space, {
    key: keys[keys.length - 1]!,
    count: keys.length,
    tokens: estimated,
    kind: 'input',
    lastUsed: now,
    tag,
  });
  for (const r of space.recent) {
    const { keys: prev, tag: prevTag } = recentOf(r);
    // A server that keeps other parameters' caches apart stores no prefix common with their requests.
    if (space.foreign === 'miss' && tag !== undefined && prevTag !== undefined && prevTag !== tag) continue;
    let c = 0;
    while (c < prev.length && c < keys.length && prev[c] === keys[c]) c++;
    if (c > 0 && c < keys.length && cum[c]! >= MIN_PREFIX_TOKENS)
      addUnit(space, { key: keys[c - 1]!, count: c, tokens: cum[c]!, kind: 'prefix', lastUsed: now, tag });
  }
  if (!outcome.thinking && outcome.answer) {
    const answer = planned({ role: 'assistant', content: outcome.answer });
    addUnit(space, {
      key: chainAfter(keys[keys.length - 1]!, answer),
      count: keys.length + 1,
      tokens: cum[messages.length]! + answer.tokens,
      kind: 'prefix',
      lastUsed: now,
      tag,
    });
  }
  space.recent.push(tag !== undefined ? { keys, tag } : { keys });
  if (space.recent.length > MAX_RECENT) space.recent.shift();
  if (space.units.length > MAX_UNITS)
    space.units = space.units.sort((a, b) => b.lastUsed - a.lastUsed).slice(0, MAX_UNITS);
  const names = Object.keys(ledger);
  if (names.length > MAX_NAMESPACES) {
    const newest = (n: string) => Math.max(0, ...ledger[n]!.units.map((u) => u.lastUsed));
    names
      .sort((a, b) => newest(a) - newest(b))
      .slice(0, names.length - MAX_NAMESPACES)
      .forEach((n) => delete ledger[n]);
  }
}
