import type { Trend } from './trends';

/**
 * What a trend chart draws for a time window. A record can hold 10,000 readings of one test: drawn one by one
 * across a few hundred pixels, their line zig-zags into a solid block (issue 18). So:
 * - sparse (at most one reading per SPARSE_PIXELS pixels in the window): every reading, as a line with points;
 * - dense: one bucket per pixel column, drawn as the range of its readings (lowest to highest, shaded) and a
 *   line through each bucket's median. Min/max buckets keep every extreme: a single critical value still
 *   reaches its height on the chart, which averaging or picking every n-th reading could hide. Zooming in
 *   (drag, or a shorter time range) brings back the readings themselves once they are sparse.
 */

/** Pixels per reading below which readings are drawn one by one, with their points. */
export const SPARSE_PIXELS = 6;

export interface PlotSeries {
  label: string;
  values: Array<number | null>;
  /** The series draws the bucket bounds (lowest or highest), shaded between them, not a reading. */
  bound?: 'low' | 'high';
}

export interface TrendPlot {
  /** Seconds since the epoch (uPlot's time scale), ascending. */
  times: number[];
  series: PlotSeries[];
  dense: boolean;
  /** Readings inside the window. */
  readings: number;
}

/** The readings of the trend inside [from, to] (milliseconds), as drawn on a plot `width` pixels wide. */
export function trendPlot(trend: Trend, from: number, to: number, width: number): TrendPlot {
  let start = trend.times.findIndex((time) => time >= from);
  if (start < 0) start = trend.times.length;
  let end = start;
  while (end < trend.times.length && (trend.times[end] as number) <= to) end += 1;
  const readings = end - start;
  const buckets = Math.max(1, Math.floor(width));
  if (readings * SPARSE_PIXELS <= width) {
    return {
      times: trend.times.slice(start, end).map((time) => time / 1000),
      series: trend.series.map((line) => ({ label: line.label, values: line.values.slice(start, end) })),
      dense: false,
      readings,
    };
  }
  const span = Math.max(1, to - from);
  const bucketOf = (time: number) => Math.min(buckets - 1, Math.floor(((time - from) / span) * buckets));
  // Times ascend, so a column's readings are a run of indexes: where each run starts, then where the last ends.
  const starts: number[] = [];
  let previous = -1;
  for (let index = start; index < end; index += 1) {
    const bucket = bucketOf(trend.times[index] as number);
    if (bucket !== previous) starts.push(index);
    previous = bucket;
  }
  starts.push(end);
  const columns = starts.length - 1;
  const times = Array.from({ length: columns }, (_, column) => {
    const first = starts[column] as number;
    const mid = first + Math.floor(((starts[column + 1] as number) - first) / 2);
    return (trend.times[mid] as number) / 1000;
  });
  let widest = 0;
  for (let column = 0; column < columns; column += 1) {
    widest = Math.max(widest, (starts[column + 1] as number) - (starts[column] as number));
  }
  const scratch = new Float64Array(widest);
  const series = trend.series.flatMap((line) => {
    const median: Array<number | null> = [];
    const high: Array<number | null> = [];
    const low: Array<number | null> = [];
    for (let column = 0; column < columns; column += 1) {
      const stat = summarize(line.values, starts[column] as number, starts[column + 1] as number, scratch);
      median.push(stat?.median ?? null);
      high.push(stat?.high ?? null);
      low.push(stat?.low ?? null);
    }
    return [
      { label: `${line.label} (median)`, values: median },
      { label: `${line.label}, highest`, values: high, bound: 'high' as const },
      { label: `${line.label}, lowest`, values: low, bound: 'low' as const },
    ];
  });
  return { times, series, dense: true, readings };
}

/** Lowest, highest and median of values[from, to) that are present, sorted in `scratch` (a typed array sorts numbers natively). */
function summarize(
  values: ReadonlyArray<number | null>,
  from: number,
  to: number,
  scratch: Float64Array,
): { low: number; high: number; median: number } | null {
  let count = 0;
  for (let index = from; index < to; index += 1) {
    const value = values[index];
    if (value !== null && value !== undefined) scratch[count++] = value;
  }
  if (count === 0) return null;
  const present = scratch.subarray(0, count).sort();
  const middle = count / 2;
  const median =
    count % 2 === 1
      ? (present[Math.floor(middle)] as number)
      : ((present[middle - 1] as number) + (present[middle] as number)) / 2;
  return { low: present[0] as number, high: present[count - 1] as number, median };
}

export interface TimeRange {
  id: 'all' | '5y' | '1y' | '3m';
  label: string;
  /** Milliseconds back from the latest reading; null for the whole record. */
  span: number | null;
}

const DAY = 86_400_000;
/** The time ranges offered beside drag-to-zoom (the keyboard's way to zoom). */
export const TIME_RANGES: readonly TimeRange[] = [
  { id: 'all', label: 'All', span: null },
  { id: '5y', label: '5 years', span: 5 * 365.25 * DAY },
  { id: '1y', label: '1 year', span: 365.25 * DAY },
  { id: '3m', label: '3 months', span: 91 * DAY },
];

/** The window [from, to] of a range, ending at the latest reading. */
export function rangeWindow(trend: Trend, range: TimeRange): { from: number; to: number } {
  const first = trend.times[0] ?? 0;
  const last = trend.times.at(-1) ?? first;
  return { from: range.span === null ? first : Math.max(first, last - range.span), to: last };
}
