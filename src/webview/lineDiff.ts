// The lines an edit changes, for showing a SEARCH/REPLACE edit as a compact diff: lines both sides
// share are shown once (as context), the others as removed or added. Lines compare as Apply matches
// them, trailing white space aside. Common leading and trailing lines are matched first (cheap, and
// most edits are like that); what is left in the middle gets a longest-common-subsequence match
// when it is small, else is shown as all removed, then all added (still exact, only less compact).

export type DiffRow = { kind: 'ctx'; a: number; b: number } | { kind: 'del'; a: number } | { kind: 'add'; b: number };

/** Largest middle part (lines before × lines after) matched line by line; beyond it, no LCS. */
const MAX_LCS_CELLS = 40_000;

/** The rows of a line diff from `a` (the lines searched) to `b` (their replacement), in display order. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffRow[] {
  const same = (i: number, j: number) => a[i]!.trimEnd() === b[j]!.trimEnd();
  let start = 0;
  while (start < a.length && start < b.length && same(start, start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && same(endA - 1, endB - 1)) {
    endA--;
    endB--;
  }
  const rows: DiffRow[] = [];
  for (let i = 0; i < start; i++) rows.push({ kind: 'ctx', a: i, b: i });
  rows.push(...middle(start, endA, endB, same));
  for (let i = endA, j = endB; i < a.length; i++, j++) rows.push({ kind: 'ctx', a: i, b: j });
  return rows;
}

/** The rows for a[start..endA) against b[start..endB). */
function middle(start: number, endA: number, endB: number, same: (i: number, j: number) => boolean): DiffRow[] {
  const n = endA - start;
  const m = endB - start;
  const rows: DiffRow[] = [];
  if (n * m === 0 || n * m > MAX_LCS_CELLS) {
    for (let i = start; i < endA; i++) rows.push({ kind: 'del', a: i });
    for (let j = start; j < endB; j++) rows.push({ kind: 'add', b: j });
    return rows;
  }
  // lcs[i][j]: length of the longest common subsequence of a[start+i..endA) and b[start+j..endB).
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = same(start + i, start + j) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  // Walk it, removals before additions within a change, as diff tools show them.
  let i = 0;
  let j = 0;
  const dels: DiffRow[] = [];
  const adds: DiffRow[] = [];
  const flush = () => rows.push(...dels.splice(0), ...adds.splice(0));
  while (i < n || j < m) {
    if (i < n && j < m && same(start + i, start + j)) {
      flush();
      rows.push({ kind: 'ctx', a: start + i++, b: start + j++ });
    } else if (j >= m || (i < n && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) dels.push({ kind: 'del', a: start + i++ });
    else adds.push({ kind: 'add', b: start + j++ });
  }
  flush();
  return rows;
}
