// Runs every content rule over a text, settles overlapping matches (the more specific rule wins),
// and rewrites the text with placeholders, reporting each secret by line and rule only.
import { LiteralSet } from './literals';
import { placeholderFor } from './placeholder';
import type { ScanInput, SecretRule } from './rule';
import { RULES } from './rules';

/**
 * Keywords shorter than this are looked for one by one (`includes`): they occur in most code (`gh`, `AT`), so the rules
 * they guard run anyway, and a one-pass search would stop at each occurrence.
 */
const MIN_SHARED_KEYWORD = 3;
/** Every rule's other keywords, looked for in one pass a text (literals.ts). */
const KEYWORDS = new LiteralSet(RULES.flatMap((r) => r.keywords.filter((k) => k.length >= MIN_SHARED_KEYWORD)));

export interface SecretFinding {
  /** 1-based line where the secret starts in the original text (`\n`, `\r\n` and `\r` each end a line). */
  line: number;
  /** Rule id, e.g. `private-key`, `github-pat`, `generic-password`. */
  rule: string;
}

interface Hit {
  start: number;
  end: number;
  rule: SecretRule;
  id: string;
}

/** A rule failed on some input. Its message names the rule, never the text. */
export class SecretScanError extends Error {
  override name = 'SecretScanError';
}

/** Keeps the best hit where hits overlap: lowest priority number, then earliest, then longest. Returns text order. */
function settle(hits: Hit[]): Hit[] {
  hits.sort((a, b) => a.rule.priority - b.rule.priority || a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  for (const h of hits) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < h.start) lo = mid + 1;
      else hi = mid;
    }
    if ((lo > 0 && kept[lo - 1]!.end > h.start) || (lo < kept.length && kept[lo]!.start < h.end)) continue;
    kept.splice(lo, 0, h);
  }
  return kept;
}

function findSecrets(text: string): Hit[] {
  const input: ScanInput = { text };
  const hits: Hit[] = [];
  const present = KEYWORDS.foundIn(text);
  for (const rule of RULES) {
    if (
      rule.keywords.length > 0 &&
      !rule.keywords.some((k) => (k.length >= MIN_SHARED_KEYWORD ? present.has(k) : text.includes(k)))
    )
      continue;
    let spans;
    try {
      spans = rule.find(input);
    } catch (e) {
      // Engine errors (a RegExp, JSON or URI error) can quote the input: keep only the rule and the error kind.
      throw new SecretScanError(`secret rule ${rule.id} failed (${e instanceof Error ? e.name : typeof e})`);
    }
    for (const [start, end, id] of spans) if (end > start) hits.push({ start, end, rule, id: id ?? rule.id });
  }
  return settle(hits);
}

/** Replaces every secret in `text` with its placeholder; findings are in text order. */
export function redactText(text: string): { text: string; findings: SecretFinding[] } {
  const hits = findSecrets(text);
  if (hits.length === 0) return { text, findings: [] };
  const parts: string[] = [];
  const findings: SecretFinding[] = [];
  let pos = 0;
  let line = 1;
  let counted = 0;
  for (const h of hits) {
    for (; counted < h.start; counted++) {
      const c = text.charCodeAt(counted);
      if (c === 10 || (c === 13 && text.charCodeAt(counted + 1) !== 10)) line++;
    }
    findings.push({ line, rule: h.id });
    parts.push(text.slice(pos, h.start), placeholderFor(h.id, h.rule.tagged, text.slice(h.start, h.end)));
    pos = h.end;
  }
  parts.push(text.slice(pos));
  return { text: parts.join(''), findings };
}
