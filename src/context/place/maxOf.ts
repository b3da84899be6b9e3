// The largest of many numbers. `Math.max(...values)` passes each value as an argument, and past about
// 150,000 of them (a value per file of a large repository) V8 throws "Maximum call stack size exceeded".

/** The largest of `values`, and at least `floor` (returned when there are none). */
export function maxOf(values: Iterable<number>, floor = 0): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}
