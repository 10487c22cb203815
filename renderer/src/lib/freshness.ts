import { formatAsOf, formatDateTime } from '../../../common/chart-format';

/** A chart on screen longer than this says it may be out of date (the cache keeps one no longer either). */
export const STALE_AFTER_MS = 10 * 60_000;

export interface Freshness {
  /** "as of 14:05", or "from this session's cache, as of 14:05". */
  asOf: string;
  /** A warning when the chart may be out of date: the EHR could not be reached, or it was read long ago. */
  warning: string | null;
  kind: 'fresh' | 'stale' | 'offline';
}

/** What the chart's toolbar says about how current the chart on screen is. */
export function freshness(
  chart: { asOf: string | null; fromCache: boolean; offlineSince: string | null },
  now: Date,
): Freshness | null {
  if (!chart.asOf) return null;
  const asOf = `${chart.fromCache ? "From this session's cache, " : ''}${formatAsOf(chart.asOf, now)}`.replace(/^as/, 'As');
  if (chart.offlineSince) {
    return {
      asOf,
      kind: 'offline',
      warning: `The EHR could not be reached (${formatDateTime(chart.offlineSince)}). This chart is ${formatAsOf(chart.asOf, now)} and may be out of date: Refresh to try again.`,
    };
  }
  const age = now.getTime() - new Date(chart.asOf).getTime();
  if (age > STALE_AFTER_MS) {
    return {
      asOf,
      kind: 'stale',
      warning: `This chart was read ${Math.round(age / 60_000)} minutes ago and may be out of date: Refresh to see newer data.`,
    };
  }
  return { asOf, warning: null, kind: 'fresh' };
}
