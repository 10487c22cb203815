import { BLOOD_PRESSURE_CODES, type LoincCoding, VITAL_CODES } from './vital-codes';

/**
 * The vital signs a clinician records, once for the renderer's form, main's validation and the Observation builder:
 * each kind's LOINC code (its US Core vital-signs profile's, from common/vital-codes.ts), the UCUM units it may
 * be entered in, and the range outside which a value is refused as implausible (a typo, a value in the wrong unit)
 * rather than sent to the EHR.
 */

export const VITAL_ENTRY_KINDS = [
  'blood-pressure',
  'heart-rate',
  'respiratory-rate',
  'temperature',
  'spo2',
  'weight',
  'height',
] as const;
export type VitalEntryKind = (typeof VITAL_ENTRY_KINDS)[number];
/** Every kind but blood pressure: one value in one unit. */
export type SingleVitalKind = Exclude<VitalEntryKind, 'blood-pressure'>;

/** UCUM codes ChartDesk writes: the ones the US Core vital-signs profiles bind each kind to. */
export type VitalUnit = 'mm[Hg]' | '/min' | 'Cel' | '[degF]' | '%' | 'kg' | '[lb_av]' | 'cm' | '[in_i]';

export const UNIT_LABELS: Record<VitalUnit, string> = {
  'mm[Hg]': 'mmHg',
  '/min': '/min',
  Cel: '°C',
  '[degF]': '°F',
  '%': '%',
  kg: 'kg',
  '[lb_av]': 'lb',
  cm: 'cm',
  '[in_i]': 'in',
};

export interface VitalDefinition {
  label: string;
  /** Observation.code: the profile's LOINC code first (SpO2 carries both codes, as the US Core example does). */
  codes: readonly LoincCoding[];
  /** The units the clinician may enter it in; the first is the one ranges are kept in. */
  units: readonly VitalUnit[];
  /** Plausible values, in the first unit, both ends included. */
  range: { min: number; max: number };
  /** Digits after the decimal point a reading may carry (a heart rate is whole, a temperature has one decimal). */
  decimals: number;
}

export const VITAL_DEFINITIONS: Record<SingleVitalKind, VitalDefinition> = {
  'heart-rate': {
    label: 'Heart rate',
    codes: VITAL_CODES['heart-rate'].profile,
    units: ['/min'],
    range: { min: 20, max: 300 },
    decimals: 0,
  },
  'respiratory-rate': {
    label: 'Respiratory rate',
    codes: VITAL_CODES['respiratory-rate'].profile,
    units: ['/min'],
    range: { min: 2, max: 80 },
    decimals: 0,
  },
  temperature: {
    label: 'Body temperature',
    codes: VITAL_CODES.temperature.profile,
    units: ['Cel', '[degF]'],
    range: { min: 25, max: 45 },
    decimals: 1,
  },
  spo2: {
    label: 'Oxygen saturation (SpO2)',
    codes: VITAL_CODES.spo2.profile,
    units: ['%'],
    range: { min: 50, max: 100 },
    decimals: 0,
  },
  weight: {
    label: 'Body weight',
    codes: VITAL_CODES.weight.profile,
    units: ['kg', '[lb_av]'],
    range: { min: 0.3, max: 650 },
    decimals: 2,
  },
  height: {
    label: 'Body height',
    codes: VITAL_CODES.height.profile,
    units: ['cm', '[in_i]'],
    range: { min: 20, max: 280 },
    decimals: 1,
  },
};

/** Blood pressure: a panel with two components, each in mm[Hg]. */
export const BLOOD_PRESSURE = {
  label: 'Blood pressure',
  ...BLOOD_PRESSURE_CODES,
  unit: 'mm[Hg]' as const,
  systolicRange: { min: 40, max: 300 },
  diastolicRange: { min: 20, max: 200 },
};

export type VitalReading =
  | { kind: 'blood-pressure'; systolic: number; diastolic: number }
  | { kind: Exclude<VitalEntryKind, 'blood-pressure'>; value: number; unit: VitalUnit };

/** Exact factors: 1 lb = 0.45359237 kg (international avoirdupois pound), 1 in = 2.54 cm. */
const TO_FIRST_UNIT: Partial<Record<VitalUnit, (value: number) => number>> = {
  '[degF]': (f) => ((f - 32) * 5) / 9,
  '[lb_av]': (lb) => lb * 0.45359237,
  '[in_i]': (inches) => inches * 2.54,
};
const FROM_FIRST_UNIT: Partial<Record<VitalUnit, (value: number) => number>> = {
  '[degF]': (c) => (c * 9) / 5 + 32,
  '[lb_av]': (kg) => kg / 0.45359237,
  '[in_i]': (cm) => cm / 2.54,
};

/** A value in one of a kind's units converted to another of its units (°F → °C, lb → kg, in → cm and back). */
export function convertVital(value: number, from: VitalUnit, to: VitalUnit): number {
  if (from === to) return value;
  const inFirst = TO_FIRST_UNIT[from]?.(value) ?? value;
  return FROM_FIRST_UNIT[to]?.(inFirst) ?? inFirst;
}

function rounded(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}

function outOfRange(label: string, value: number, min: number, max: number, unit: VitalUnit, kindUnit: VitalUnit): string | null {
  const inFirst = convertVital(value, unit, kindUnit);
  if (inFirst >= min && inFirst <= max) return null;
  const low = rounded(convertVital(min, kindUnit, unit), 1);
  const high = rounded(convertVital(max, kindUnit, unit), 1);
  return `${label} of ${value} ${UNIT_LABELS[unit]} is not plausible: it must be between ${low} and ${high} ${UNIT_LABELS[unit]}. Check the value and its unit.`;
}

/** What is wrong with a reading, in a sentence for the clinician, or null when it may be sent. */
export function vitalReadingProblem(reading: VitalReading): string | null {
  if (reading.kind === 'blood-pressure') {
    const { systolic, diastolic } = reading;
    if (!Number.isInteger(systolic) || !Number.isInteger(diastolic)) return 'Blood pressure is recorded in whole mmHg.';
    const bp = BLOOD_PRESSURE;
    const problem =
      outOfRange('A systolic pressure', systolic, bp.systolicRange.min, bp.systolicRange.max, bp.unit, bp.unit) ??
      outOfRange('A diastolic pressure', diastolic, bp.diastolicRange.min, bp.diastolicRange.max, bp.unit, bp.unit);
    if (problem) return problem;
    return systolic > diastolic ? null : 'The systolic pressure must be higher than the diastolic pressure. Check their order.';
  }
  const definition = VITAL_DEFINITIONS[reading.kind];
  if (!definition.units.includes(reading.unit)) {
    return `${definition.label} cannot be recorded in ${UNIT_LABELS[reading.unit]}.`;
  }
  if (!Number.isFinite(reading.value)) return `${definition.label} must be a number.`;
  if (rounded(reading.value, definition.decimals) !== String(reading.value)) {
    return definition.decimals === 0
      ? `${definition.label} is recorded as a whole number.`
      : `${definition.label} is recorded with at most ${definition.decimals} decimal${definition.decimals > 1 ? 's' : ''}.`;
  }
  const { min, max } = definition.range;
  return outOfRange(`A ${definition.label.toLowerCase()}`, reading.value, min, max, reading.unit, definition.units[0]!);
}

/** A reading in words, in the unit it was entered in: "120/80 mmHg", "98.6 °F". */
export function formatVitalReading(reading: VitalReading): string {
  if (reading.kind === 'blood-pressure') return `${reading.systolic}/${reading.diastolic} mmHg`;
  return `${reading.value} ${UNIT_LABELS[reading.unit]}`;
}

export function vitalLabel(kind: VitalEntryKind): string {
  return kind === 'blood-pressure' ? BLOOD_PRESSURE.label : VITAL_DEFINITIONS[kind].label;
}
