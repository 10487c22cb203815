/**
 * Cuts the older part of a long Observation history into date windows that the loader fetches in
 * parallel, newest first, so the chart no longer waits for one chain of pages. Each window is
 * sized to about 0.8 of a page from the span and the count learnt from the first page; the oldest
 * window is open below and the windows overlap a little at their edges, so a server whose dates
 * are read a little differently (time zones, day precision) loses no row between two windows and
 * the overlap shows whether their edges agree.
 */

/** Milliseconds since the epoch. `from` null: open below. Rows from `from − overlap` up to `to` (exclusive) are asked for. */
export interface DateWindow {
  from: number | null;
  to: number;
  overlapMs: number;
}

export interface WindowSpan {
  /** Rows at or after this are covered already; the windows end here (a whole second). */
  top: number;
  /** The oldest row's date, known or estimated; older rows still land in the open oldest window. */
  oldest: number;
  /** Rows expected below `top`. */
  rows: number;
}

export const WINDOW_FILL = 0.8;
/** Enough for 160,000 observations at 1,000 a page; beyond, the windows just hold more than a page. */
export const MAX_WINDOWS = 200;
const SECOND_MS = 1000;
const DAY_MS = 86_400_000;

/** Windows newest first, their edges on whole seconds. */
export function planWindows(span: WindowSpan, pageSize: number): DateWindow[] {
  const width = Math.max(0, span.top - span.oldest);
  const wanted = Math.ceil(span.rows / Math.max(1, Math.floor(pageSize * WINDOW_FILL)));
  const count = Math.max(1, Math.min(wanted, MAX_WINDOWS, Math.floor(width / SECOND_MS)));
  const length = width / count;
  const overlapMs = Math.floor(Math.min(DAY_MS, length / 4) / SECOND_MS) * SECOND_MS;
  const cut = (index: number) => Math.floor((span.top - index * length) / SECOND_MS) * SECOND_MS;
  return Array.from({ length: count }, (_unused, i) => ({
    from: i === count - 1 ? null : cut(i + 1),
    to: cut(i),
    overlapMs,
  }));
}

/** A FHIR instant without milliseconds, as every server reads it. */
export function fhirInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The `date` parameters of a window: both bounds must hold. */
export function windowParams(window: DateWindow): { date: string[] } {
  const below = window.from === null ? [] : [`ge${fhirInstant(window.from - window.overlapMs)}`];
  return { date: [...below, `lt${fhirInstant(window.to)}`] };
}

/** Where a window asks from (its lower edge less the overlap); -Infinity when open below. */
export function askedFrom(window: DateWindow): number {
  return window.from === null ? -Infinity : window.from - window.overlapMs;
}
