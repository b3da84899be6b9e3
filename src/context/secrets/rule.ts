// The shape every secret rule has, and factories for the two common cases. Speed comes from V8's
// regex engine skipping ahead on a literal (Boyer-Moore): a pattern that starts with a literal
// (`ghp_`, `AKIA`, `sk-`) is its own prefilter; a secret whose literal is in its middle (`…-us12`,
// `…:AA…`, `…Q~…`) is found from that literal and matched backwards a bounded distance; rules
// with neither declare keywords, and the scanner skips them unless one occurs in the text.

import { literalsOf } from './literals';

/** The text being scanned. */
export interface ScanInput {
  readonly text: string;
}

/**
 * `[start, end)` UTF-16 offsets of one secret (exactly the characters replaced), and the rule id when not the rule's
 * own.
 */
export type Span = readonly [start: number, end: number, id?: string];

export interface SecretRule {
  /** Stable id, reported in findings (`aws-access-key-id`, `github-pat`, ...). */
  readonly id: string;
  /** When two spans overlap, the lower priority wins (specific formats beat generic assignments). */
  readonly priority: number;
  /** Vendor-issued random value (≥ ~128 bits): its placeholder may carry a short hash tag. */
  readonly tagged: boolean;
  /**
   * The rule runs only when one of these literals occurs in the text (case-sensitive); empty means always. A regex
   * rule whose pattern starts with literals gets them as keywords (literals.ts), an anchored rule its string anchor.
   */
  readonly keywords: readonly string[];
  find(input: ScanInput): Span[];
}

/** Priorities, lowest first. */
export const PRIORITY = {
  privateKey: 0,
  token: 10,
  jwt: 20,
  manifest: 25,
  connection: 30,
  header: 40,
  generic: 50,
} as const;

export interface RegexRuleSpec {
  id: string;
  priority?: number;
  tagged?: boolean;
  /** See `SecretRule.keywords`; leave out when the pattern starts with a literal. */
  keywords?: readonly string[];
  /** Flags `g` and `d`; the named group `s` is the secret (the whole match when absent). Bounded quantifiers only. */
  pattern: RegExp;
  /** Extra checks on the secret (checksums, entropy, examples); `m` is the whole match. */
  validate?: (secret: string, m: RegExpExecArray, text: string) => boolean;
  /** For one pattern serving several rules: the id of the match (instead of `validate`), undefined to reject. */
  classify?: (secret: string, m: RegExpExecArray) => string | undefined;
}

/** Builds a rule from one regex (its own prefilter when it starts with a literal). */
export function regexRule(spec: RegexRuleSpec): SecretRule {
  if (!spec.pattern.global || !spec.pattern.hasIndices)
    throw new Error(`rule ${spec.id}: pattern needs the g and d flags`);
  const { pattern, validate, classify } = spec;
  return {
    id: spec.id,
    priority: spec.priority ?? PRIORITY.token,
    tagged: spec.tagged ?? true,
    keywords: spec.keywords ?? literalsOf(pattern) ?? [],
    find({ text }) {
      const spans: Span[] = [];
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const [start, end] = m.indices!.groups?.s ?? m.indices![0]!; // `d` flag checked above
        const secret = text.slice(start, end);
        if (classify) {
          const id = classify(secret, m);
          if (id) spans.push([start, end, id]);
        } else if (!validate || validate(secret, m, text)) spans.push([start, end]);
        if (m[0].length === 0) pattern.lastIndex++;
      }
      return spans;
    },
  };
}

export interface AnchoredRuleSpec extends Omit<RegexRuleSpec, 'pattern' | 'keywords' | 'classify'> {
  /** A literal every match contains (found with indexOf), or a global regex for the same purpose. */
  anchor: string | RegExp;
  /** How many characters before the anchor a match may start: [min, max]. */
  back: readonly [number, number];
  /** Flags `y` and `d`, tried at each start in range (earliest first); the named group `s` is the secret. */
  pattern: RegExp;
}

/** Builds a rule for secrets whose distinctive literal sits inside them, not at their start. */
export function anchoredRule(spec: AnchoredRuleSpec): SecretRule {
  if (!spec.pattern.sticky || !spec.pattern.hasIndices)
    throw new Error(`rule ${spec.id}: pattern needs the y and d flags`);
  const { anchor, back, pattern, validate } = spec;
  const anchors = (text: string): Iterable<number> => {
    if (typeof anchor === 'string') {
      const at: number[] = [];
      for (let i = text.indexOf(anchor); i >= 0; i = text.indexOf(anchor, i + 1)) at.push(i);
      return at;
    }
    return Array.from(text.matchAll(anchor), (m) => m.index);
  };
  return {
    id: spec.id,
    priority: spec.priority ?? PRIORITY.token,
    tagged: spec.tagged ?? true,
    keywords: typeof anchor === 'string' ? [anchor] : [], // every match contains its anchor
    find({ text }) {
      const spans: Span[] = [];
      let done = 0;
      for (const i of anchors(text)) {
        for (let start = Math.max(done, i - back[1]); start <= i - back[0]; start++) {
          pattern.lastIndex = start;
          const m = pattern.exec(text);
          if (!m) continue;
          const [s, e] = m.indices!.groups?.s ?? m.indices![0]!;
          if (!validate || validate(text.slice(s, e), m, text)) {
            spans.push([s, e]);
            done = m.index + m[0].length;
          }
          break;
        }
      }
      return spans;
    },
  };
}
