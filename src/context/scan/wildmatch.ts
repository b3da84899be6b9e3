// A port of git's wildmatch (wildmatch.c), so ignore patterns match exactly as git matches them:
// byte-wise on UTF-8, `*`/`?`/`[...]` never cross `/` in pathname mode, `**/` spans directories,
// `[[:class:]]`, `[!...]`/`[^...]` and backslash escapes. Ignore rules (ignoreRules.ts) are built on it.

export const enum Wm {
  Match = 0,
  NoMatch = 1,
  AbortAll = -1,
  AbortToStarStar = -2,
}

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => isUpper(c) || isLower(c);
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isPrint = (c: number) => c >= 0x20 && c <= 0x7e;
const lower = (c: number) => (isUpper(c) ? c + 32 : c);
const isGlobSpecial = (c: number) => c === STAR || c === 0x3f || c === 0x5b || c === BACKSLASH;

const CLASSES: Record<string, (c: number, fold: boolean) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => isPrint(c) && c !== 0x20,
  lower: (c, fold) => isLower(c) || (fold && isUpper(c)),
  print: (c) => isPrint(c),
  punct: (c) => isPrint(c) && c !== 0x20 && !isAlpha(c) && !isDigit(c),
  space: (c) => isSpace(c),
  upper: (c, fold) => isUpper(c) || (fold && isLower(c)),
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

/** Matches `text` against `pattern` (both UTF-8 bytes) like git's wildmatch(); 0 (Wm.Match) on a match. */
export function wildmatch(pattern: Uint8Array, text: Uint8Array, pathname: boolean, caseFold = false): Wm {
  return dowild(pattern, 0, text, 0, pathname, caseFold);
}

function dowild(p: Uint8Array, pi: number, t: Uint8Array, ti: number, pathname: boolean, fold: boolean): Wm {
  const pat = (i: number) => (i < p.length ? p[i]! : 0);
  const txt = (i: number) => (i < t.length ? t[i]! : 0);
  const patStart = pi;
  for (; pi < p.length; ti++, pi++) {
    let pCh = p[pi]!;
    let tCh = txt(ti);
    if (ti >= t.length && pCh !== STAR) return Wm.AbortAll;
    if (fold) {
      tCh = lower(tCh);
      pCh = lower(pCh);
    }
    switch (pCh) {
      case BACKSLASH:
        pCh = pat(++pi); // literal next byte (not case-folded, as in git)
        if (tCh !== pCh) return Wm.NoMatch;
        continue;
      case 0x3f: // '?'
        if (pathname && tCh === SLASH) return Wm.NoMatch;
        continue;
      case STAR: {
        let matchSlash: boolean;
        if (pat(++pi) === STAR) {
          const prevP = pi - 2;
          while (pat(++pi) === STAR) {
            // a run of stars is one star
          }
          if (
            (prevP < patStart || p[prevP] === SLASH) &&
            (pi >= p.length || p[pi] === SLASH || (p[pi] === BACKSLASH && pat(pi + 1) === SLASH))
          ) {
            if (p[pi] === SLASH && dowild(p, pi + 1, t, ti, pathname, fold) === Wm.Match) return Wm.Match;
            matchSlash = true;
          } else matchSlash = !pathname;
        } else matchSlash = !pathname;
        if (pi >= p.length) {
          if (!matchSlash && t.includes(SLASH, ti)) return Wm.NoMatch;
          return Wm.Match;
        } else if (!matchSlash && p[pi] === SLASH) {
          const slash = t.indexOf(SLASH, ti);
          if (slash < 0) return Wm.NoMatch;
          ti = slash;
          break; // the slash is consumed by the loop
        }
        for (;;) {
          if (ti >= t.length) break;
          if (!isGlobSpecial(p[pi]!)) {
            const want = fold ? lower(p[pi]!) : p[pi]!;
            while (ti < t.length && (matchSlash || t[ti] !== SLASH)) {
              tCh = fold ? lower(t[ti]!) : t[ti]!;
              if (tCh === want) break;
              ti++;
            }
            tCh = fold ? lower(txt(ti)) : txt(ti);
            if (ti >= t.length || tCh !== want) return matchSlash ? Wm.AbortAll : Wm.AbortToStarStar;
          }
          const matched = dowild(p, pi, t, ti, pathname, fold);
          if (matched !== Wm.NoMatch) {
            if (!matchSlash || matched !== Wm.AbortToStarStar) return matched;
          } else if (!matchSlash && t[ti] === SLASH) return Wm.AbortToStarStar;
          ti++;
        }
        return Wm.AbortAll;
      }
      case 0x5b: {
        // '[': a character class; tCh is case-folded, class members are not (as in git)
        pCh = pat(++pi);
        if (pCh === 0x5e) pCh = 0x21; // '^' works like '!'
        const negated = pCh === 0x21;
        if (negated) pCh = pat(++pi);
        let prevCh = 0;
        let matched = false;
        do {
          if (!pCh) return Wm.AbortAll;
          if (pCh === BACKSLASH) {
            pCh = pat(++pi);
            if (!pCh) return Wm.AbortAll;
            if (tCh === pCh) matched = true;
          } else if (pCh === 0x2d && prevCh && pat(pi + 1) && pat(pi + 1) !== 0x5d) {
            pCh = pat(++pi);
            if (pCh === BACKSLASH) {
              pCh = pat(++pi);
              if (!pCh) return Wm.AbortAll;
            }
            if (tCh <= pCh && tCh >= prevCh) matched = true;
            else if (fold && isLower(tCh) && tCh - 32 <= pCh && tCh - 32 >= prevCh) matched = true;
            pCh = 0;
          } else if (pCh === 0x5b && pat(pi + 1) === 0x3a) {
            const s = (pi += 2);
            while ((pCh = pat(pi)) && pCh !== 0x5d) pi++;
            if (!pCh) return Wm.AbortAll;
            const len = pi - s - 1;
            if (len < 0 || p[pi - 1] !== 0x3a) {
              // no ":]": the "[" is an ordinary member
              pi = s - 2;
              pCh = 0x5b;
              if (tCh === pCh) matched = true;
              continue;
            }
            const cls = CLASSES[Buffer.from(p.subarray(s, s + len)).toString('latin1')];
            if (!cls) return Wm.AbortAll;
            if (cls(tCh, fold)) matched = true;
            pCh = 0;
          } else if (tCh === pCh) matched = true;
        } while (((prevCh = pCh), (pCh = pat(++pi)) !== 0x5d));
        if (matched === negated || (pathname && tCh === SLASH)) return Wm.NoMatch;
        continue;
      }
      default:
        if (tCh !== pCh) return Wm.NoMatch;
        continue;
    }
  }
  return ti < t.length ? Wm.NoMatch : Wm.Match;
}
