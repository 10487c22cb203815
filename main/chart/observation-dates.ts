/**
 * When an Observation happened as the `date` search parameter sees it (R4: Observation.effective,
 * every choice of effective[x]), as the instants it covers, so the loader can tell whether a
 * server's answer to a date window holds what the window asked for.
 */
import { arr, fhirDate, type Json, obj } from '../fhir/fhir-read';

/** Milliseconds since the epoch, start inclusive, end exclusive; open ends are infinite. */
export interface DateRange {
  start: number;
  end: number;
}

const DAY_MS = 86_400_000;

/** The instants a FHIR date or dateTime stands for at its precision ('2019' is the whole year); null when unreadable. */
export function instantRange(value: unknown): DateRange | null {
  const text = fhirDate(value);
  if (!text) return null;
  if (text.length > 10) {
    const start = Date.parse(text);
    if (Number.isNaN(start)) return null;
    return { start, end: start + (text.includes('.') ? 1 : 1000) };
  }
  const [year, month, day] = text.split('-').map(Number);
  if (year === undefined) return null;
  if (text.length === 4) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  if (month === undefined) return null;
  if (text.length === 7) return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
  if (day === undefined) return null;
  return { start: Date.UTC(year, month - 1, day), end: Date.UTC(year, month - 1, day) + DAY_MS };
}

function hull(ranges: Array<DateRange | null>): DateRange | null {
  const known = ranges.filter((range): range is DateRange => range !== null);
  if (known.length === 0) return null;
  return { start: Math.min(...known.map((r) => r.start)), end: Math.max(...known.map((r) => r.end)) };
}

const ranges = new WeakMap<Json, DateRange | null>();

/**
 * effective[x] as instants; null for an Observation without one (what `date:missing=true` finds).
 * Read once per resource: the loader asks for it several times per row (window checks, overlaps, edges).
 */
export function observationDateRange(resource: Json): DateRange | null {
  let range = ranges.get(resource);
  if (range === undefined) {
    range = readDateRange(resource);
    ranges.set(resource, range);
  }
  return range;
}

function readDateRange(resource: Json): DateRange | null {
  const dateTime = instantRange(resource.effectiveDateTime) ?? instantRange(resource.effectiveInstant);
  if (dateTime) return dateTime;
  const period = obj(resource.effectivePeriod);
  if (period) {
    const start = instantRange(period.start);
    const end = instantRange(period.end);
    if (start || end) return { start: start?.start ?? -Infinity, end: end?.end ?? Infinity };
  }
  return hull(arr(obj(resource.effectiveTiming)?.event).map(instantRange));
}
