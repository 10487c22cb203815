import type { ObservationComponent, ObservationRow, PatientBanner, PatientSearchResult } from './chart';
import { formatQuantity } from './quantity';

/**
 * How chart values read on screen, shared by the renderer and the `chart` command so both show the
 * same words. FHIR dates keep their precision ('2019', '2019-04', '2019-04-02', dateTime).
 */

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

export const DATE_UNKNOWN = 'Date unknown';

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

const times = new WeakMap<ObservationRow, number | null>();

/** When an observation was made, in ms; parsed once per row, for the trends and the table's date order alike. */
export function observationTime(row: ObservationRow): number | null {
  let time = times.get(row);
  if (time === undefined) {
    time = toTime(row.effective);
    times.set(row, time);
  }
  return time;
}

function componentValue(component: ObservationComponent): string {
  return component.valueText ?? (component.value ? formatQuantity(component.value) : '—');
}

/**
 * The value cell of an observation: the value as the EHR sent it (a bound keeps its comparator), then
 * its other components by name, so an SpO2 reading keeps its oxygen flow rate and FiO2. Blood pressure
 * reads systolic/diastolic (main writes that text whatever order the EHR listed its components in).
 */
export function formatObservationValue(row: ObservationRow): string {
  const main = row.valueText ?? (row.value ? formatQuantity(row.value) : null);
  if (row.kind === 'blood-pressure' && row.valueText) return row.valueText;
  const parts = row.components.map((component) => `${component.code.text}: ${componentValue(component)}`).join('; ');
  if (main && parts) return `${main} (${parts})`;
  return main ?? (parts || '—');
}

/** Age in the banner: today's age, or the age at death ("72 y at death"). */
export function formatAge(banner: Pick<PatientBanner, 'ageYears' | 'deceased'>): string {
  if (banner.ageYears === null) return 'unknown';
  return banner.deceased ? `${banner.ageYears} y at death` : `${banner.ageYears} y`;
}

export function formatSex(sex: string | null): string {
  if (!sex) return 'unknown';
  return sex.charAt(0).toUpperCase() + sex.slice(1);
}

export function describePatient(patient: PatientSearchResult): string {
  const parts = [formatDate(patient.birthDate), patient.sex ? formatSex(patient.sex) : 'sex unknown'];
  if (patient.mrn) parts.push(`MRN ${patient.mrn}`);
  return parts.join(' · ');
}

/** A FHIR status code in words, e.g. 'entered-in-error' → 'entered in error'. */
export function statusWords(code: string | null): string {
  return code ? code.replace(/-/g, ' ') : '';
}
