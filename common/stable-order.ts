/**
 * The order that sorts numeric keys, stable, by merging the runs the keys already come in. A chart's rows arrive
 * page by page, each page in date order (the newest page newest first, older windows oldest first), so 10,000
 * readings are a dozen runs: merging them is a few passes of plain comparisons, where a comparator sort calls back
 * into JavaScript for every pair, which is what a cold first render of the vitals tab paid for.
 */

/**
 * The indexes of `keys` in ascending order, or descending with `descending`, ties in their given order; null when
 * the keys already are in that order. Keys must not be NaN.
 */
export function stableOrder(keys: ArrayLike<number>, descending = false): Uint32Array | null {
  const count = keys.length;
  const sign = descending ? -1 : 1;
  // Plain loops over typed arrays, no call per comparison: the first render runs this before the JIT has warmed up.
  const key = new Float64Array(count);
  for (let index = 0; index < count; index += 1) key[index] = sign * (keys[index] as number);
  let order = new Uint32Array(count);
  // Runs laid out in `order`: a non-decreasing run as it is, a strictly decreasing one reversed (stable, as it holds no ties).
  const starts: number[] = [];
  let start = 0;
  while (start < count) {
    let end = start + 1;
    if (end < count && (key[end] as number) < (key[start] as number)) {
      while (end + 1 < count && (key[end + 1] as number) < (key[end] as number)) end += 1;
      end += 1;
      for (let index = start; index < end; index += 1) order[index] = end - 1 - (index - start);
    } else {
      while (end < count && (key[end] as number) >= (key[end - 1] as number)) end += 1;
      for (let index = start; index < end; index += 1) order[index] = index;
    }
    starts.push(start);
    start = end;
  }
  if (starts.length <= 1 && (count === 0 || order[0] === 0)) return null;
  let spare = new Uint32Array(count);
  let runs = starts;
  while (runs.length > 1) {
    const merged: number[] = [];
    for (let run = 0; run < runs.length; run += 2) {
      const from = runs[run] as number;
      const middle = runs[run + 1] ?? count;
      const to = runs[run + 2] ?? count;
      merged.push(from);
      let left = from;
      let right = middle;
      let out = from;
      while (left < middle && right < to) {
        const next = order[right] as number;
        const held = order[left] as number;
        // Left first on a tie: the earlier run holds the earlier rows.
        if ((key[next] as number) < (key[held] as number)) {
          spare[out++] = next;
          right += 1;
        } else {
          spare[out++] = held;
          left += 1;
        }
      }
      while (left < middle) spare[out++] = order[left++] as number;
      while (right < to) spare[out++] = order[right++] as number;
    }
    [order, spare] = [spare, order];
    runs = merged;
  }
  return order;
}

/** `items` in `order` (as stableOrder gives it), by a plain loop. */
export function permuted<T>(items: readonly T[], order: Uint32Array): T[] {
  const result = new Array<T>(order.length);
  for (let index = 0; index < order.length; index += 1) result[index] = items[order[index] as number] as T;
  return result;
}
