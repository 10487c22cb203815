import {
  convertVital,
  UNIT_LABELS,
  VITAL_DEFINITIONS,
  vitalReadingProblem,
  type SingleVitalKind,
  type VitalEntryKind,
  type VitalReading,
  type VitalUnit,
} from '../../../common/vital-entry';
import type { VitalsDraft } from '../../../common/writes';

/**
 * The vitals form as the clinician fills it: text fields, each unit as they chose it. Reading it turns the filled
 * fields into readings and judges each with the rule main applies again (common/vital-entry.ts), so a value that
 * would be refused is marked beside its field before anything is sent.
 */
export type { SingleVitalKind, VitalsDraft };
export const SINGLE_VITAL_KINDS = Object.keys(VITAL_DEFINITIONS) as SingleVitalKind[];

export type VitalsField = 'takenAt' | VitalEntryKind;
export type VitalsErrors = Partial<Record<VitalsField, string>>;

export function emptyVitalsDraft(now: Date, units: Partial<Record<SingleVitalKind, VitalUnit>> = {}): VitalsDraft {
  const values = {} as Record<SingleVitalKind, string>;
  const chosen = {} as Record<SingleVitalKind, VitalUnit>;
  for (const kind of SINGLE_VITAL_KINDS) {
    values[kind] = '';
    const allowed = VITAL_DEFINITIONS[kind].units;
    const preferred = units[kind];
    chosen[kind] = preferred && allowed.includes(preferred) ? preferred : allowed[0]!;
  }
  return { takenAt: toLocalInput(now), systolic: '', diastolic: '', values, units: chosen };
}

/** A Date as a `datetime-local` value, to the minute, in the clinician's time zone. */
export function toLocalInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value as a FHIR dateTime with the offset of the clinician's time zone at that moment. */
export function toOffsetDateTime(local: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return null;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  const date = new Date(year, month - 1, day, hour, minute);
  if (Number.isNaN(date.getTime()) || date.getDate() !== day) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (value: number) => String(Math.floor(Math.abs(value))).padStart(2, '0');
  return `${local}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** A number as typed; a decimal comma is read as a point ("37,5"). Null when it is not a plain number. */
function parseNumber(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : null;
}

export function readVitals(draft: VitalsDraft): { readings: VitalReading[]; effective: string | null; errors: VitalsErrors } {
  const errors: VitalsErrors = {};
  const readings: VitalReading[] = [];
  const effective = toOffsetDateTime(draft.takenAt);
  if (effective === null) errors.takenAt = 'Give the date and time the vitals were taken.';

  const systolicText = draft.systolic.trim();
  const diastolicText = draft.diastolic.trim();
  if (systolicText !== '' || diastolicText !== '') {
    const systolic = parseNumber(systolicText);
    const diastolic = parseNumber(diastolicText);
    if (systolicText === '' || diastolicText === '') {
      errors['blood-pressure'] = 'Enter both the systolic and the diastolic pressure.';
    } else if (systolic === null || diastolic === null) {
      errors['blood-pressure'] = 'Blood pressure must be two numbers, in mmHg.';
    } else {
      const reading: VitalReading = { kind: 'blood-pressure', systolic, diastolic };
      const problem = vitalReadingProblem(reading);
      if (problem) errors['blood-pressure'] = problem;
      else readings.push(reading);
    }
  }

  for (const kind of SINGLE_VITAL_KINDS) {
    const text = draft.values[kind].trim();
    if (text === '') continue;
    const value = parseNumber(text);
    if (value === null) {
      errors[kind] = `${VITAL_DEFINITIONS[kind].label} must be a number.`;
      continue;
    }
    const reading: VitalReading = { kind, value, unit: draft.units[kind] };
    const problem = vitalReadingProblem(reading);
    if (problem) errors[kind] = problem;
    else readings.push(reading);
  }

  const fieldErrors = Object.keys(errors).filter((field) => field !== 'takenAt');
  if (readings.length === 0 && fieldErrors.length === 0) errors['blood-pressure'] = 'Enter at least one vital sign.';
  return { readings, effective, errors };
}

/** The value in the kind's other unit, as a check for the eye ("= 37.0 °C"); null when there is nothing to convert. */
export function otherUnitHint(kind: SingleVitalKind, text: string, unit: VitalUnit): string | null {
  const value = parseNumber(text);
  const other = VITAL_DEFINITIONS[kind].units.find((candidate) => candidate !== unit);
  if (value === null || !other) return null;
  return `= ${convertVital(value, unit, other).toFixed(1)} ${UNIT_LABELS[other]}`;
}
