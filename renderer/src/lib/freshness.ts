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

/** "11 minutes", "3 hours", "2 days": how long ago, in the largest unit that fits. */
function ageWords(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const [count, unit] =
    minutes < 120
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [Math.floor(minutes / 60), 'hour']
        : [Math.floor(minutes / 1440), 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
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
      warning: `This chart was read ${ageWords(age)} ago and may be out of date: Refresh to see newer data.`,
    };
  }
  return { asOf, warning: null, kind: 'fresh' };
}
