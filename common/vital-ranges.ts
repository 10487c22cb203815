import type { QuantityComparator, ResultFlag, VitalKind } from './chart';
import { standardFlag } from './result-flags';

/**
 * Documented normal ranges of the vital signs for a healthy adult at rest, against which ChartDesk
 * flags a vital sign the EHR did not flag itself (issue 18). The flag says it is computed and from an
 * adult range: children's ranges differ, and the EHR's own flag always wins.
 *
 * Sources:
 * - Heart rate 60–100 /min, breathing 12–18 /min, temperature 36.5–37.3 °C, blood pressure 90/60 to
 *   120/80 mmHg: MedlinePlus, "Vital signs" (medlineplus.gov/ency/article/002341.htm, reviewed 16 Jan 2021),
 *   "normal vital sign ranges for the average healthy adult while resting".
 * - Oxygen saturation 96–100 %: Healthwise, "Normal Vital Signs for Adults" (blood oxygen saturation).
 * - BMI 18.5 to under 25 kg/m²: CDC, "Adult BMI Categories" (healthy weight).
 */
interface Range {
  low: number;
  high: number;
  /** The units the range is written in (UCUM codes and the spellings EHRs send); other units are not compared. */
  units: ReadonlySet<string>;
  /** The high limit is part of the healthy range (≤ high) or not (< high, as BMI's "under 25"). */
  highInclusive: boolean;
}

const PER_MINUTE = new Set([
  '/min',
  '{beats}/min',
  'beats/min',
  'beats/minute',
  'bpm',
  '{breaths}/min',
  'breaths/min',
  'breaths/minute',
]);
const MM_HG = new Set(['mm[Hg]', 'mmHg', 'mm Hg']);

const RANGES: Partial<Record<VitalKind, Range>> = {
  'heart-rate': { low: 60, high: 100, units: PER_MINUTE, highInclusive: true },
  'respiratory-rate': { low: 12, high: 18, units: PER_MINUTE, highInclusive: true },
  temperature: { low: 36.5, high: 37.3, units: new Set(['Cel', '°C', 'C', 'degC']), highInclusive: true },
  spo2: { low: 96, high: 100, units: new Set(['%']), highInclusive: true },
  bmi: { low: 18.5, high: 25, units: new Set(['kg/m2', 'kg/m²']), highInclusive: false },
};
const SYSTOLIC: Range = { low: 90, high: 120, units: MM_HG, highInclusive: true };
const DIASTOLIC: Range = { low: 60, high: 80, units: MM_HG, highInclusive: true };

const FAHRENHEIT = new Set(['[degF]', '°F', 'degF', 'F']);

type Side = 'H' | 'L' | 'N' | null;

/** A measured value with every name the EHR gave its unit (the UCUM code and the unit text). */
export interface Measured {
  value: number;
  comparator?: QuantityComparator;
  units: readonly string[];
}

/** The value in the range's unit; a temperature sent in °F is compared in °C. Null for another unit. */
function valueIn(measured: Measured, range: Range): number | null {
  if (measured.units.some((unit) => range.units.has(unit))) return measured.value;
  if (measured.units.some((unit) => FAHRENHEIT.has(unit)) && range.units.has('Cel')) return ((measured.value - 32) * 5) / 9;
  return null;
}

/** A bound ("<90") is not a measurement and is not compared. */
function compare(measured: Measured | null, range: Range): Side {
  const value = measured && !measured.comparator ? valueIn(measured, range) : null;
  if (value === null) return null;
  if (value < range.low) return 'L';
  if (range.highInclusive ? value > range.high : value >= range.high) return 'H';
  return 'N';
}

function flag(side: Side | 'A'): ResultFlag | null {
  if (side === null) return null;
  const computed = standardFlag(side, 'computed');
  return computed && { ...computed, basis: 'adult-range' };
}

/**
 * The flag of a vital sign against the adult range: High, Low, Normal, or Abnormal for a blood pressure
 * high on one side and low on the other; null when there is no range for it or its unit is not one the
 * range is written in. Blood pressure reads its systolic and diastolic components.
 */
export function adultVitalFlag(
  kind: VitalKind,
  value: Measured | null,
  bloodPressure: { systolic: Measured | null; diastolic: Measured | null },
): ResultFlag | null {
  if (kind === 'blood-pressure') {
    const sides = [compare(bloodPressure.systolic, SYSTOLIC), compare(bloodPressure.diastolic, DIASTOLIC)];
    if (sides.includes(null)) return null;
    if (sides.includes('H') && sides.includes('L')) return flag('A');
    return flag(sides.includes('H') ? 'H' : sides.includes('L') ? 'L' : 'N');
  }
  const range = RANGES[kind];
  return range ? flag(compare(value, range)) : null;
}
