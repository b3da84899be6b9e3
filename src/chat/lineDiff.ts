// How many lines a change adds and removes, for the "+3 −1" the chat shows beside an applied file.
// Myers' O(ND) difference (the algorithm behind `diff` and git), counting only: no hunks are built.

/** Lines added and removed going from `before` to `after` (line endings ignored). */
export function lineDelta(before: string, after: string): { added: number; removed: number } {
  const split = (t: string) => (t ? t.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n') : []);
  let a = split(before);
  let b = split(after);
  // Common lines at both ends cost nothing and are most of a typical edit.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  a = a.slice(head, a.length - tail);
  b = b.slice(head, b.length - tail);
  const d = editDistance(a, b);
  // d = added + removed, and added - removed = b.length - a.length.
  return { added: (d + b.length - a.length) / 2, removed: (d - b.length + a.length) / 2 };
}

/** The fewest lines to insert plus delete to turn `a` into `b` (Myers 1986, greedy forward search). */
function editDistance(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  if (!n || !m) return max;
  const v = new Int32Array(2 * max + 2);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return max;
}
