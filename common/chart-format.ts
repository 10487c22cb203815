import type { ObservationComponent, ObservationRow, PatientBanner, PatientSearchResult } from './chart';
import { formatQuantity } from './quantity';
import { displayQuantity, type UnitSystem } from './units';

/**
 * How chart values read on screen, shared by the renderer and the `chart` command so both show the
 * same words. FHIR dates keep their precision ('2019', '2019-04', '2019-04-02', dateTime).
 */

// en-US for the month names: en-GB writes September 'Sept'. Named once, so that writing a date is string work:
// Intl's formatToParts took 126 ms for the search text of a 10,000-row table, a Date's own fields a tenth of that.
const MONTH = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' });
const MONTH_NAMES = Array.from({ length: 12 }, (_, month) => MONTH.format(Date.UTC(2000, month, 1)));

export const DATE_UNKNOWN = 'Date unknown';

/** 1 → 'Jan'; undefined for anything that is not a month. */
function monthName(month: number): string | undefined {
  return Number.isInteger(month) ? MONTH_NAMES[month - 1] : undefined;
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

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** A month by its name as formatDate writes it ("Apr"), in full ("April") or "Sept"; null otherwise. */
function monthNumber(word: string): number | null {
  const lower = word.toLowerCase().replace(/\.$/, '');
  const index = MONTHS.findIndex((month) => lower.startsWith(month) && (lower.length === 3 || monthNameOf(month, lower)));
  return index < 0 ? null : index + 1;
}
function monthNameOf(short: string, word: string): boolean {
  const full = new Intl.DateTimeFormat('en-US', { month: 'long', timeZone: 'UTC' })
    .format(Date.UTC(2000, MONTHS.indexOf(short), 1))
    .toLowerCase();
  return word === full || (short === 'sep' && word === 'sept');
}

/**
 * A date typed by the clinician as FHIR wants it (YYYY, YYYY-MM, YYYY-MM-DD) or as ChartDesk shows dates
 * ("2 Apr 1980", "Apr 1980", also "April 2, 1980"), read into a FHIR date; a date that does not exist or a
 * numeric one whose order is ambiguous ("04/02/1980") is refused with what to write instead.
 */
export function parseDateInput(text: string): { date: string } | { error: string } {
  const value = text.trim().replace(/\s+/g, ' ');
  const refuse = { error: `“${value}” is not a date ChartDesk can read: write it as 2 Apr 1980 or 1980-04-02.` };
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  const dayFirst = /^(\d{1,2}) ([A-Za-z]+\.?),? (\d{4})$/.exec(value);
  const monthFirst = /^([A-Za-z]+\.?) (?:(\d{1,2}),? )?(\d{4})$/.exec(value);
  let parts: [number, number | null, number | null] | null = null;
  if (iso) parts = [Number(iso[1]), iso[2] ? Number(iso[2]) : null, iso[3] ? Number(iso[3]) : null];
  else if (dayFirst) {
    const month = monthNumber(dayFirst[2] ?? '');
    if (month !== null) parts = [Number(dayFirst[3]), month, Number(dayFirst[1])];
  } else if (monthFirst) {
    const month = monthNumber(monthFirst[1] ?? '');
    if (month !== null) parts = [Number(monthFirst[3]), month, monthFirst[2] ? Number(monthFirst[2]) : null];
  }
  if (!parts) return refuse;
  const [year, month, day] = parts;
  if (month !== null && (month < 1 || month > 12)) return refuse;
  if (month !== null && day !== null) {
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return refuse;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: [String(year).padStart(4, '0'), month && pad(month), day && pad(day)].filter(Boolean).join('-') };
}

/** Adds the local time of day when the value carries one: '2019-04-02T21:05:00+02:00' → '2 Apr 2019 21:05' in Paris. */
export function formatDateTime(value: string | null): string {
  if (!value || !value.includes('T')) return formatDate(value);
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) return formatDate(value);
  const twoDigits = (n: number) => String(n).padStart(2, '0');
  return `${time.getDate()} ${MONTH_NAMES[time.getMonth()]} ${time.getFullYear()} ${twoDigits(time.getHours())}:${twoDigits(time.getMinutes())}`;
}

/** Milliseconds since the epoch for charting and sorting; null when the date cannot be read. */
export function toTime(value: string | null): number | null {
  if (!value) return null;
  const time = Date.parse(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value);
  return Number.isNaN(time) ? null : time;
}

function componentValue(component: ObservationComponent): string {
  return component.valueText ?? (component.value ? formatQuantity(displayQuantity(component.value, 'lab', 'metric')) : '—');
}

/**
 * The value cell of an observation: the value as the EHR sent it (a bound keeps its comparator), then
 * its other components by name, so an SpO2 reading keeps its oxygen flow rate and FiO2. Blood pressure
 * reads systolic/diastolic (main writes that text whatever order the EHR listed its components in).
 * Units read as people write them, a vital sign in the clinician's unit system (common/units.ts).
 */
export function formatObservationValue(row: ObservationRow, units: UnitSystem = 'metric'): string {
  const main = row.valueText ?? (row.value ? formatQuantity(displayQuantity(row.value, row.kind, units)) : null);
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

/** A FHIR status code in words, e.g. 'entered-in-error' → 'Entered in error', 'active' → 'Active'. */
export function statusWords(code: string | null): string {
  if (!code) return '';
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DAY_MS = 86_400_000;
/** A reading older than this is marked with its date and age, wherever it is shown as the latest. */
export const OLD_READING_DAYS = 365;

/** How long ago, in the largest whole unit: "3 years ago", "5 months ago", "12 days ago", "today". */
export function formatAgo(value: string | null, now: Date): string {
  const time = toTime(value);
  if (time === null) return DATE_UNKNOWN;
  const days = Math.floor((now.getTime() - time) / DAY_MS);
  if (days < 1) return 'today';
  const [count, unit] =
    days >= 730 ? [Math.floor(days / 365.25), 'year'] : days >= 60 ? [Math.floor(days / 30.44), 'month'] : [days, 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

/** Whether the latest reading is old enough that it must not pass for a current one. */
export function isOldReading(value: string | null, now: Date): boolean {
  const time = toTime(value);
  return time !== null && now.getTime() - time > OLD_READING_DAYS * DAY_MS;
}

/** When a latest reading was taken: its date, and for an old one how long ago ("12 Mar 2019, 6 years ago"). */
export function readingWhen(value: string | null, now: Date): string {
  if (!value) return DATE_UNKNOWN;
  return isOldReading(value, now) ? `${formatDate(value)}, ${formatAgo(value, now)}` : formatDateTime(value);
}

const CLOCK = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "as of 14:05" for today, "as of 3 Mar 2026 14:05" for an earlier day: when the chart's data was read. */
export function formatAsOf(at: string, now: Date): string {
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) return 'as of an unknown time';
  return time.toDateString() === now.toDateString() ? `as of ${CLOCK.format(time)}` : `as of ${formatDateTime(at)}`;
}
