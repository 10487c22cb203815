import type { ObservationRow, Quantity, VitalKind } from '../../../common/chart';
import { formatQuantity } from '../../../common/quantity';
import {
  arr,
  choiceDate,
  codedText,
  codings,
  fhirDate,
  conceptCode,
  conceptText,
  hasCoding,
  type Json,
  num,
  obj,
  quantity,
  resourceId,
  resourceOf,
  str,
} from '../../fhir/fhir-read';

const LOINC = 'http://loinc.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** LOINC codes of the vital signs ChartDesk charts (FHIR R4 vital signs profile and common variants). */
const VITAL_CODES: ReadonlyArray<[VitalKind, readonly string[]]> = [
  ['heart-rate', ['8867-4']],
  ['blood-pressure', ['85354-9', '55284-4']],
  ['temperature', ['8310-5', '8331-1']],
  ['respiratory-rate', ['9279-1']],
  ['spo2', ['2708-6', '59408-5']],
  ['weight', ['29463-7']],
  ['height', ['8302-2']],
  ['bmi', ['39156-5']],
];

export const SYSTOLIC_LOINC = '8480-6';
export const DIASTOLIC_LOINC = '8462-4';

/** Interpretation codes (v3-ObservationInterpretation) that mean "not abnormal". */
const NOT_ABNORMAL = new Set(['N', 'NEG', 'ND', 'NR', 'IND', 'E', 'EX', 'EXP', 'S', 'SDD', 'NORMAL', 'NEGATIVE']);

export type ObservationKind = ObservationRow['kind'];

/**
 * Which chart section an Observation belongs to: a known vital-sign LOINC code wins, then the
 * category (vital-signs → 'other' vital, laboratory → 'lab'); null for the rest (surveys, notes…).
 */
export function observationKind(observation: Json): ObservationKind | null {
  for (const [kind, codes] of VITAL_CODES) {
    if (hasCoding(observation.code, LOINC, codes)) return kind;
  }
  const categories = arr(observation.category);
  const inCategory = (code: string) =>
    categories.some((category) => hasCoding(category, OBSERVATION_CATEGORY, [code]) || hasCoding(category, null, [code]));
  if (inCategory('vital-signs')) return 'other';
  if (inCategory('laboratory')) return 'lab';
  return null;
}

/** Observation → row; null for anything that is not an Observation of a charted kind. */
export function mapObservation(value: unknown): ObservationRow | null {
  const observation = resourceOf(value, 'Observation');
  if (!observation) return null;
  const kind = observationKind(observation);
  if (!kind) return null;
  const { value: numeric, valueText } = observationValue(observation);
  const components = arr(observation.component)
    .map(obj)
    .filter((component): component is Json => component !== null)
    .map((component) => ({ code: codedText(component.code), ...observationValue(component) }));
  const flag = interpretationFlag(observation.interpretation);
  return {
    id: resourceId(observation),
    kind,
    code: codedText(observation.code),
    effective: choiceDate(observation, 'effective') ?? fhirDate(observation.issued),
    value: numeric,
    valueText: valueText ?? (kind === 'blood-pressure' ? bloodPressureText(components) : null),
    components,
    referenceRange: referenceRangeText(observation.referenceRange),
    flag,
    abnormal: flag !== null,
    status: str(observation.status) ?? 'unknown',
  };
}

/** "120/80 mm[Hg]" from the systolic and diastolic components, rounded as clinicians read them. */
function bloodPressureText(components: ObservationRow['components']): string | null {
  const find = (loinc: string) => components.find((component) => component.code.code === loinc)?.value ?? null;
  const systolic = find(SYSTOLIC_LOINC);
  const diastolic = find(DIASTOLIC_LOINC);
  if (!systolic || !diastolic) return null;
  const unit = systolic.unit ?? diastolic.unit;
  return `${Math.round(systolic.value)}/${Math.round(diastolic.value)}${unit ? ` ${unit}` : ''}`;
}

/**
 * value[x] of an Observation or a component: a number goes to `value`, anything else to
 * `valueText`; without a value, the dataAbsentReason explains why.
 */
export function observationValue(element: Json): { value: Quantity | null; valueText: string | null } {
  const q = quantity(element.valueQuantity);
  if (q) return { value: q, valueText: null };
  const integer = num(element.valueInteger);
  if (integer !== null) return { value: { value: integer, unit: null }, valueText: null };
  const text = valueAsText(element);
  if (text !== null) return { value: null, valueText: text };
  const absent = conceptText(element.dataAbsentReason);
  return { value: null, valueText: absent ? `No value: ${absent}` : null };
}

function valueAsText(element: Json): string | null {
  if (typeof element.valueBoolean === 'boolean') return element.valueBoolean ? 'Yes' : 'No';
  const direct =
    conceptText(element.valueCodeableConcept) ?? str(element.valueString) ?? str(element.valueDateTime) ?? str(element.valueTime);
  if (direct) return direct;
  const period = obj(element.valuePeriod);
  if (period) return [str(period.start), str(period.end)].filter(Boolean).join(' – ') || null;
  const ratio = obj(element.valueRatio);
  const numerator = quantity(ratio?.numerator);
  const denominator = quantity(ratio?.denominator);
  if (numerator && denominator) return `${formatQuantity(numerator)} / ${formatQuantity(denominator)}`;
  const range = rangeText(element.valueRange);
  if (range) return range;
  return null;
}

function rangeText(value: unknown): string | null {
  const range = obj(value);
  const low = quantity(range?.low);
  const high = quantity(range?.high);
  if (low && high) {
    const unit = high.unit ?? low.unit;
    return `${low.value}–${high.value}${unit ? ` ${unit}` : ''}`;
  }
  if (low) return `≥ ${formatQuantity(low)}`;
  if (high) return `≤ ${formatQuantity(high)}`;
  return null;
}

/** The first reference range as "low–high unit", or its text. */
export function referenceRangeText(value: unknown): string | null {
  for (const item of arr(value)) {
    const range = obj(item);
    if (!range) continue;
    const text = rangeText(range) ?? str(range.text);
    if (text) return text;
  }
  return null;
}

/** The first interpretation code that means abnormal (H, L, HH, LL, A, AA, HU, LU…), or null. */
export function interpretationFlag(value: unknown): string | null {
  for (const concept of arr(value)) {
    for (const coding of codings(concept)) {
      const code = str(coding.code);
      if (code && !NOT_ABNORMAL.has(code.toUpperCase())) return code;
    }
    const code = conceptCode(concept);
    if (code && codings(concept).length === 0 && !NOT_ABNORMAL.has(code.toUpperCase())) return code;
  }
  return null;
}
