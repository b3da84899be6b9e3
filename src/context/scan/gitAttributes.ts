// GitHub Linguist's overrides in .gitattributes, read with git's own attribute semantics (attr.c):
// each line is a pattern and attributes; patterns match as in .gitignore, except that a negative
// pattern is ignored and a directory pattern (`dist/`) does not apply to the files inside it
// (`dist/**` does); for each attribute the deepest .gitattributes decides, within a file the last
// matching line, and $GIT_DIR/info/attributes above them all. Only three attributes matter here:
// linguist-generated (the file is left out as generated, or kept though it looks generated),
// linguist-vendored and linguist-documentation (where the ranking places the file). Not read:
// quoted patterns, macros (`[attr]`) and core.attributesFile.
import { matchLists, parsePattern, pathBytes, type IgnoreRule, type RuleList } from './ignoreRules';
import type { Linguist } from '../types';

const ATTRS = {
  'linguist-generated': 'generated',
  'linguist-vendored': 'vendored',
  'linguist-documentation': 'documentation',
} as const;
type Key = (typeof ATTRS)[keyof typeof ATTRS];

/** One attributes file: per attribute, the lines that mention it. */
export type AttrList = Partial<Record<Key, RuleList>>;

/**
 * Each line's value: true (set, or any value but `false`), false (unset, `=false`), undefined (`!attr`: unspecified).
 */
const VALUES = new WeakMap<IgnoreRule, boolean | undefined>();

/** Parses a .gitattributes file whose patterns apply below `base` ('' or a path ending in '/'). */
export function parseAttributes(text: string, base: string, source: string): AttrList {
  const out: AttrList = {};
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  body.split('\n').forEach((raw, i) => {
    const [pattern, ...attrs] = raw.trim().split(/[ \t]+/);
    if (
      !pattern ||
      pattern.startsWith('#') ||
      pattern.startsWith('"') ||
      pattern.startsWith('[attr]') ||
      pattern.startsWith('!')
    )
      return;
    for (const attr of attrs) {
      const m = /^([-!]?)([^=]+)(?:=(.*))?$/.exec(attr);
      const key = m && ATTRS[m[2] as keyof typeof ATTRS];
      if (!key) continue;
      const rule = parsePattern(pattern, i + 1);
      rule.text = `${pattern} ${attr}`;
      (out[key] ??= { base, source, rules: [] }).rules.push(rule);
      VALUES.set(rule, m[1] === '!' ? undefined : m[1] !== '-' && m[3] !== 'false');
    }
  });
  return out;
}

/**
 * The linguist attributes of `repoRel` (a file's path from the repository top) under these lists,
 * highest precedence first, and for each specified one the line that decided it.
 */
export function linguistOf(
  lists: readonly AttrList[],
  repoRel: string,
  fold = false,
): { linguist: Linguist; from: Partial<Record<Key, string>> } {
  const linguist: Linguist = {};
  const from: Partial<Record<Key, string>> = {};
  if (!lists.length) return { linguist, from };
  const p = pathBytes(repoRel);
  for (const key of Object.values(ATTRS)) {
    const hit = matchLists(
      lists.flatMap((l) => l[key] ?? []),
      p,
      false,
      fold,
    );
    if (!hit) continue;
    const value = VALUES.get(hit.rule);
    if (value !== undefined) linguist[key] = value;
    from[key] = `${hit.list.source}:${hit.rule.line}: ${hit.rule.text}`;
  }
  return { linguist, from };
}
