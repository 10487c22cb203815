import type { ObservationRow, PatientSearchResult, Quantity } from '../../../common/chart';
import { formatQuantity } from '../../../common/quantity';

/** Display helpers. FHIR dates keep their precision ('2019', '2019-04', '2019-04-02', dateTime). */

// en-US for the month names: en-GB writes September 'Sept'.
const MONTH = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' });
const LOCAL_DATE_TIME = new Intl.DateTimeFormat('en-US', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** 1 → 'Jan'; undefined for anything that is not a month. */
function monthName(month: number): string | undefined {
  return Number.isInteger(month) && month >= 1 && month <= 12 ? MONTH.format(Date.UTC(2000, month - 1, 1)) : undefined;
}

/** '2019-04-02T10:30:00Z' → '2 Apr 2019'; partial dates stay partial; unknown → '—'. */
export function formatDate(value: string | null): string {
  if (!value) return '—';
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  const name = month ? monthName(Number(month)) : undefined;
  if (!name) return year ?? value;
  return day ? `${Number(day)} ${name} ${year}` : `${name} ${year}`;
}

/** Adds the local time of day when the value carries one. */
export function formatDateTime(value: string | null): string {
  if (!value || !value.includes('T')) return formatDate(value);
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) return formatDate(value);
  const part = Object.fromEntries(LOCAL_DATE_TIME.formatToParts(time).map(({ type, value: text }) => [type, text]));
  return `${part.day} ${part.month} ${part.year} ${part.hour}:${part.minute}`;
}

/** Milliseconds since the epoch for charting and sorting; null when the date cannot be read. */
export function toTime(value: string | null): number | null {
  if (!value) return null;
  const time = Date.parse(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value);
  return Number.isNaN(time) ? null : time;
}

/**
 * The value cell of an observation: a number with its unit, main's text (blood pressure arrives as
 * systolic/diastolic, whatever order the EHR listed its components in), or the components.
 */
export function formatObservationValue(row: ObservationRow): string {
  if (row.value) return formatQuantity(row.value);
  if (row.valueText) return row.valueText;
  if (row.components.length > 0) {
    const numbers = row.components.map((component) => component.value);
    if (numbers.every((value): value is Quantity => value !== null)) {
      const unit = numbers[0]?.unit ?? null;
      const joined = numbers.map((value) => formatQuantity({ value: value.value, unit: null })).join('/');
      return unit ? `${joined} ${unit}` : joined;
    }
    return row.components
      .map(
        (component) =>
          `${component.code.text}: ${component.value ? formatQuantity(component.value) : (component.valueText ?? '—')}`,
      )
      .join('; ');
  }
  return '—';
}

export function formatAge(ageYears: number | null, birthDate: string | null): string {
  if (ageYears === null) return birthDate ? `born ${formatDate(birthDate)}` : 'age unknown';
  return birthDate ? `${ageYears} y (born ${formatDate(birthDate)})` : `${ageYears} y`;
}

export function formatSex(sex: string | null): string {
  if (!sex) return 'sex unknown';
  return sex.charAt(0).toUpperCase() + sex.slice(1);
}

export function describePatient(patient: PatientSearchResult): string {
  const parts = [formatDate(patient.birthDate), formatSex(patient.sex)];
  if (patient.mrn) parts.push(`MRN ${patient.mrn}`);
  return parts.join(' · ');
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
