/** Summary statistics of repeated measurements. */

/** The middle value (mean of the two middle ones for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (0–100) with linear interpolation between ranks; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not within [0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low);
}

/** a / b rounded to 3 decimals; null when b is not a positive number. */
export function ratio(a: number, b: number): number | null {
  if (!(b > 0) || !Number.isFinite(a)) return null;
  return Math.round((a / b) * 1000) / 1000;
}
