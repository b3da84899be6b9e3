// Ignore rules with git's exact semantics (dir.c: add_patterns_from_buffer, parse_path_pattern,
// match_basename, match_pathname): comments, trailing-space trimming with `\ ` escapes, CRLF,
// `!` negation, directory-only `dir/`, anchoring by any inner or leading slash, `**`. Used for
// .gitignore, .git/info/exclude, core.excludesFile, .deepseekignore and the include/exclude settings.
import { Wm, wildmatch } from './wildmatch';

export interface IgnoreRule {
  /** The pattern as written on its line (after trimming), for reports. */
  text: string;
  /** Pattern bytes without the `!`, the trailing `/` (and for pathname rules the leading `/`). */
  bytes: Uint8Array;
  negative: boolean;
  mustBeDir: boolean;
  /** No slash in the pattern: matched against the basename only. */
  noDir: boolean;
  /** Pattern is `*literal`: a suffix compare on the basename. */
  endsWith: boolean;
  /** Length of the leading part without glob characters (bytes). */
  literalLen: number;
  /** 1-based line in its source. */
  line: number;
}

/** The rules of one file (or setting), applying below `base`. */
export interface RuleList {
  /** Directory the rules are relative to: '' or a POSIX path ending in '/'. */
  base: string;
  /** Where the rules come from, e.g. `src/.gitignore` or `setting deepseekRepo.context.exclude`. */
  source: string;
  rules: IgnoreRule[];
}

export interface RuleMatch {
  rule: IgnoreRule;
  list: RuleList;
}

const enc = new TextEncoder();
const isGlobSpecial = (c: number) => c === 0x2a || c === 0x3f || c === 0x5b || c === 0x5c;

/** Parses the text of an ignore file into rules, as git does (lines, comments, trailing spaces). */
export function parseRules(text: string, base: string, source: string): RuleList {
  const rules: IgnoreRule[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    if (raw === '' || raw.startsWith('#')) return;
    const line = trimTrailingSpaces(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    const rule = parsePattern(line, i + 1);
    if (rule) rules.push(rule);
  });
  return { base, source, rules };
}

/** Rules from a list of single patterns (settings, CLI flags); each entry is one line. */
export function rulesFromPatterns(patterns: readonly string[], source: string): RuleList {
  const rules = patterns.flatMap((p, i) => {
    const r = p.trim() && !p.startsWith('#') ? parsePattern(trimTrailingSpaces(p), i + 1) : undefined;
    return r ? [r] : [];
  });
  return { base: '', source, rules };
}

function trimTrailingSpaces(s: string): string {
  let lastSpace = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ' ') {
      if (lastSpace < 0) lastSpace = i;
    } else if (c === '\\') {
      i++;
      if (i >= s.length) return s;
      lastSpace = -1;
    } else lastSpace = -1;
  }
  return lastSpace >= 0 ? s.slice(0, lastSpace) : s;
}

/** One pattern line (already trimmed) as a rule. */
export function parsePattern(line: string, lineNo: number): IgnoreRule {
  let p = line;
  const negative = p.startsWith('!');
  if (negative) p = p.slice(1);
  let mustBeDir = false;
  if (p.endsWith('/')) {
    p = p.slice(0, -1);
    mustBeDir = true;
  }
  const noDir = !p.includes('/');
  let bytes = enc.encode(p);
  let literalLen = 0;
  while (literalLen < bytes.length && !isGlobSpecial(bytes[literalLen]!)) literalLen++;
  const endsWith = bytes[0] === 0x2a && !bytes.subarray(1).some(isGlobSpecial);
  if (!noDir && bytes[0] === 0x2f) {
    bytes = bytes.subarray(1);
    literalLen--;
  }
  return { text: line, bytes, negative, mustBeDir, noDir, endsWith, literalLen, line: lineNo };
}

function bytesEqual(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, len: number, fold: boolean): boolean {
  for (let i = 0; i < len; i++) {
    let x = a[aStart + i]!;
    let y = b[bStart + i]!;
    if (fold) {
      if (x >= 0x41 && x <= 0x5a) x += 32;
      if (y >= 0x41 && y <= 0x5a) y += 32;
    }
    if (x !== y) return false;
  }
  return true;
}

/** A path to test: bytes of the path relative to the repository top (or root), and where its basename starts. */
export interface PathBytes {
  bytes: Uint8Array;
  baseStart: number;
}

export function pathBytes(rel: string): PathBytes {
  const bytes = enc.encode(rel);
  return { bytes, baseStart: bytes.lastIndexOf(0x2f) + 1 };
}

function matchBasename(rule: IgnoreRule, path: PathBytes, fold: boolean): boolean {
  const name = path.bytes.subarray(path.baseStart);
  const pat = rule.bytes;
  if (rule.literalLen === pat.length)
    return pat.length === name.length && bytesEqual(pat, 0, name, 0, pat.length, fold);
  if (rule.endsWith)
    return (
      pat.length - 1 <= name.length && bytesEqual(pat, 1, name, name.length - (pat.length - 1), pat.length - 1, fold)
    );
  return wildmatch(pat, name, false, fold) === Wm.Match;
}

function matchPathname(rule: IgnoreRule, path: PathBytes, base: Uint8Array, fold: boolean): boolean {
  const full = path.bytes;
  const baseLen = base.length ? base.length - 1 : 0; // without its trailing slash
  if (full.length < baseLen + 1 || (baseLen && full[baseLen] !== 0x2f) || !bytesEqual(full, 0, base, 0, baseLen, fold))
    return false;
  let name = baseLen ? full.subarray(baseLen + 1) : full;
  let pat = rule.bytes;
  const prefix = rule.literalLen;
  if (prefix > 0) {
    if (prefix > name.length || !bytesEqual(pat, 0, name, 0, prefix, fold)) return false;
    pat = pat.subarray(prefix);
    name = name.subarray(prefix);
    if (!pat.length && !name.length) return true;
  }
  return wildmatch(pat, name, true, fold) === Wm.Match;
}

const baseCache = new WeakMap<RuleList, Uint8Array>();

/** The last rule of `list` matching `path` (git's last_matching_pattern_from_list), if any. */
export function matchList(list: RuleList, path: PathBytes, isDir: boolean, fold = false): IgnoreRule | undefined {
  let base = baseCache.get(list);
  if (!base) baseCache.set(list, (base = enc.encode(list.base)));
  for (let i = list.rules.length - 1; i >= 0; i--) {
    const rule = list.rules[i]!;
    if (rule.mustBeDir && !isDir) continue;
    if (rule.noDir ? matchBasename(rule, path, fold) : matchPathname(rule, path, base, fold)) return rule;
  }
  return undefined;
}

/** The first list (in precedence order) with a rule matching `path`, and that rule. */
export function matchLists(
  lists: readonly RuleList[],
  path: PathBytes,
  isDir: boolean,
  fold = false,
): RuleMatch | undefined {
  for (const list of lists) {
    const rule = matchList(list, path, isDir, fold);
    if (rule) return { rule, list };
  }
  return undefined;
}

/**
 * Whether some path below directory `dirRel` (no trailing slash) could match a positive pathname rule
 * of `list`: used to walk into an ignored directory only when an include pattern names something in
 * it (`build/out/**`). Slash-free patterns (`*.lock`) never reach into ignored directories.
 */
export function couldMatchBelow(list: RuleList, dirRel: string): boolean {
  const dirSegs = dirRel.split('/');
  return list.rules.some((rule) => {
    if (rule.negative || rule.noDir) return false;
    const segs = Buffer.from(rule.bytes).toString('utf8').split('/');
    for (let i = 0; i < dirSegs.length; i++) {
      const seg = segs[i];
      if (seg === undefined) return false;
      if (seg === '**') return true;
      if (wildmatch(enc.encode(seg), enc.encode(dirSegs[i]), true) !== Wm.Match) return false;
    }
    return segs.length > dirSegs.length;
  });
}
