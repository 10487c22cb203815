import type { Quantity, VitalKind } from './chart';

/**
 * Units as people write them. EHRs (Synthea among them) often send the UCUM code as the unit
 * ("Cel", "mm[Hg]", "kg/m2", "/min"); the screen shows "°C", "mmHg", "kg/m²", and a rate in the words of
 * its vital sign ("bpm", "breaths/min"). US users may choose °F, lb and inches for the vital signs: a
 * per-user display setting, never a change to the data.
 */

export type UnitSystem = 'metric' | 'us';
export const UNIT_SYSTEMS: ReadonlyArray<{ id: UnitSystem; label: string }> = [
  { id: 'metric', label: 'Metric (°C, kg, cm)' },
  { id: 'us', label: 'US (°F, lb, in)' },
];

/** UCUM codes (and their common spellings) → how a clinician writes the unit. */
const UNIT_WORDS: Readonly<Record<string, string>> = {
  Cel: '°C',
  '[degF]': '°F',
  degF: '°F',
  'mm[Hg]': 'mmHg',
  'kg/m2': 'kg/m²',
  '[lb_av]': 'lb',
  '[in_i]': 'in',
  '[ft_i]': 'ft',
  '[oz_av]': 'oz',
  ug: 'µg',
  uL: 'µL',
  umol: 'µmol',
  'umol/L': 'µmol/L',
  'ug/dL': 'µg/dL',
  'ug/L': 'µg/L',
  '/uL': '/µL',
  '10*3/uL': '10³/µL',
  '10*6/uL': '10⁶/µL',
  '10*9/L': '10⁹/L',
  '10*12/L': '10¹²/L',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  'mL/min/1.73m2': 'mL/min/1.73 m²',
  '/[HPF]': '/HPF',
  '/[LPF]': '/LPF',
  '[iU]/L': 'IU/L',
  'm[IU]/L': 'mIU/L',
  '{beats}/min': 'bpm',
  '{breaths}/min': 'breaths/min',
};

/** The unit as people write it; unknown units are shown as the EHR sent them. */
export function displayUnit(unit: string): string {
  return UNIT_WORDS[unit] ?? unit;
}

/** A rate per minute reads as what it counts: beats for the heart rate, breaths for breathing. */
const RATE_WORDS: Partial<Record<VitalKind, string>> = { 'heart-rate': 'bpm', 'respiratory-rate': 'breaths/min' };

const CELSIUS = new Set(['Cel', '°C', 'C', 'degC']);
const KILOGRAMS = new Set(['kg']);
const GRAMS = new Set(['g']);
const CENTIMETRES = new Set(['cm']);
const METRES = new Set(['m']);
const FAHRENHEIT = new Set(['[degF]', 'degF', '°F']);
const POUNDS = new Set(['[lb_av]', 'lb']);
const INCHES = new Set(['[in_i]', 'in']);

interface Conversion {
  from: ReadonlySet<string>;
  to: string;
  convert: (value: number) => number;
}

/** US display of the vital signs that have US units; exact factors (NIST Handbook 44, Appendix C). */
const US_CONVERSIONS: Partial<Record<VitalKind, Conversion[]>> = {
  temperature: [{ from: CELSIUS, to: '[degF]', convert: (c) => (c * 9) / 5 + 32 }],
  weight: [
    { from: KILOGRAMS, to: '[lb_av]', convert: (kg) => kg / 0.45359237 },
    { from: GRAMS, to: '[lb_av]', convert: (g) => g / 453.59237 },
  ],
  height: [
    { from: CENTIMETRES, to: '[in_i]', convert: (cm) => cm / 2.54 },
    { from: METRES, to: '[in_i]', convert: (m) => m / 0.0254 },
  ],
};

/**
 * Metric display of readings taken in US units (a temperature entered in °F, at this EHR or from ChartDesk), so that
 * a chart never draws °F beside °C on one axis or shows a card in a unit the clinician did not choose.
 */
const METRIC_CONVERSIONS: Partial<Record<VitalKind, Conversion[]>> = {
  temperature: [{ from: FAHRENHEIT, to: 'Cel', convert: (f) => ((f - 32) * 5) / 9 }],
  weight: [{ from: POUNDS, to: 'kg', convert: (lb) => lb * 0.45359237 }],
  height: [{ from: INCHES, to: 'cm', convert: (inches) => inches * 2.54 }],
};

/**
 * The quantity in the units the clinician chose, with its unit as people write it. Converted values
 * are rounded to one decimal (a conversion adds digits the measurement never had); values left in
 * their own unit are never rounded.
 */
export function displayQuantity(quantity: Quantity, kind: VitalKind | 'lab', system: UnitSystem): Quantity {
  const conversions = system === 'us' ? US_CONVERSIONS : METRIC_CONVERSIONS;
  const conversion =
    kind !== 'lab' && quantity.unit ? conversions[kind]?.find((candidate) => candidate.from.has(quantity.unit ?? '')) : undefined;
  if (conversion) {
    const value = Math.round(conversion.convert(quantity.value) * 10) / 10;
    return { ...quantity, value, unit: displayUnit(conversion.to) };
  }
  if (!quantity.unit) return quantity;
  const rate = kind !== 'lab' && quantity.unit === '/min' ? RATE_WORDS[kind] : undefined;
  return { ...quantity, unit: rate ?? displayUnit(quantity.unit) };
}
