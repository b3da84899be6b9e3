// One list of `@` symbols from two sources: our index's (src/context/symbolIndex.ts: every file, any
// language, at once) and the language servers' (methods, containers, exact kinds, when they answer).
// The same definition found by both is listed once, where it ranks best, with the language server's
// kind and container; the list is ordered by how the name matches the query (exact, prefix, a part's
// start, contains, then whatever a server matched fuzzily), ours first within a tier (already ranked).
// No vscode import.
import type { Mention } from '../protocol/messages';

export interface MergeInput {
  /** What was typed after `@`. */
  query: string;
  /** Our index's symbols, best first. */
  ours: readonly Mention[];
  /** The language servers' symbols (names may be `Container.name`), in their order. */
  theirs: readonly Mention[];
  /** Most symbols listed. */
  limit: number;
}

/** The name without its container (`AuthService.login` → `login`). */
const bare = (m: Mention) => {
  const name = m.name ?? '';
  return name.slice(name.lastIndexOf('.') + 1);
};

/** How `name` matches `q` (lower case): 0 exact, 1 prefix, 2 a part starts with it, 3 contains it, 4 other. */
export function matchTier(name: string, q: string): number {
  const lower = name.toLowerCase();
  if (lower === q) return 0;
  if (lower.startsWith(q)) return 1;
  for (let at = lower.indexOf(q); at > 0; at = lower.indexOf(q, at + 1)) {
    const prev = name.charCodeAt(at - 1);
    const c = name.charCodeAt(at);
    if (prev === 95 || prev === 36 || (c >= 65 && c <= 90 && !(prev >= 65 && prev <= 90))) return 2;
  }
  return lower.includes(q) ? 3 : 4;
}

/** Ours and theirs as one list, duplicates (same file and line, or same name and file) merged, best first. */
export function mergeSymbols(input: MergeInput): Mention[] {
  const q = input.query.toLowerCase().replace(/[^\w$]/g, '');
  const merged: Mention[] = input.ours.map((m) => ({ ...m }));
  const byLine = new Map(merged.map((m, i) => [`${m.path}:${m.line}`, i]));
  const byName = new Map(merged.map((m, i) => [`${m.path}:${bare(m)}`, i]));
  for (const m of input.theirs) {
    const i = byLine.get(`${m.path}:${m.line}`) ?? byName.get(`${m.path}:${bare(m)}`);
    if (i !== undefined) {
      // The language server knows the kind and container better; our line stays if it differs (same name).
      merged[i] = { ...merged[i]!, ...(m.name ? { name: m.name } : {}), ...(m.detail ? { detail: m.detail } : {}) };
      continue;
    }
    byLine.set(`${m.path}:${m.line}`, merged.length);
    byName.set(`${m.path}:${bare(m)}`, merged.length);
    merged.push(m);
  }
  const tier = merged.map((m) => matchTier(bare(m), q));
  return merged
    .map((m, i) => [m, i] as const)
    .sort(([, a], [, b]) => tier[a]! - tier[b]! || a - b)
    .slice(0, input.limit)
    .map(([m]) => m);
}
