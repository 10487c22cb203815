import type { ObservationComponent, ObservationRow, Quantity, ReferenceBand, ResultFlag } from '../../../common/chart';
import { toTime } from '../../../common/chart-format';
import { formatQuantity } from '../../../common/quantity';
import { displayUnit } from '../../../common/units';
import { INTERPRETATION_SYSTEMS, isStandardInterpretation, standardFlag, textFlag } from '../../../common/result-flags';
import { BLOOD_PRESSURE_CODES, VITAL_CODES_READ } from '../../../common/vital-codes';
import { adultVitalFlag, type Measured } from '../../../common/vital-ranges';
import {
  arr,
  choiceDate,
  codedText,
  codings,
  fhirDate,
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
import { type Outcome, rowOf, withdrawnStatus } from './withdrawn';

const LOINC = 'http://loinc.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

const SYSTOLIC_LOINC = BLOOD_PRESSURE_CODES.systolic.code;
const DIASTOLIC_LOINC = BLOOD_PRESSURE_CODES.diastolic.code;

/** A valueString that is a plain decimal number, as some labs send numeric results ("15.0"). */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export type ObservationKind = ObservationRow['kind'];

/**
 * Which chart section an Observation belongs to: a known vital-sign LOINC code wins, then the
 * category (vital-signs → 'other' vital, laboratory → 'lab'); null for the rest (surveys, notes…).
 * One without any category is shown with the labs rather than dropped: it came from a search the
 * server answered, and a result that silently vanishes is worse than one in the wrong tab.
 */
export function observationKind(observation: Json): ObservationKind | null {
  for (const [kind, codes] of VITAL_CODES_READ) {
    if (hasCoding(observation.code, LOINC, codes)) return kind;
  }
  const categories = arr(observation.category);
  if (categories.length === 0) return 'lab';
  const inCategory = (code: string) =>
    categories.some((category) => hasCoding(category, OBSERVATION_CATEGORY, [code]) || hasCoding(category, null, [code]));
  if (inCategory('vital-signs')) return 'other';
  if (inCategory('laboratory')) return 'lab';
  return null;
}

/**
 * Observation → row, or withdrawn for a result entered in error or cancelled (withdrawn.ts: never listed, counted);
 * null for anything that is not an Observation of a charted kind that `accepts` takes (a section's own kinds).
 * The kind comes first: a withdrawn result of another section's kind is that section's to count.
 */
export function observationOutcome(
  value: unknown,
  accepts: (kind: ObservationKind) => boolean = () => true,
): Outcome<ObservationRow> {
  const observation = resourceOf(value, 'Observation');
  const kind = observation && observationKind(observation);
  if (!observation || !kind || !accepts(kind)) return null;
  const withdrawn = withdrawnStatus(observation);
  return withdrawn ? { withdrawn } : { row: observationRow(observation, kind) };
}

/** The row of an Observation of a charted kind; null for anything else and for a result withdrawn. */
export function mapObservation(value: unknown): ObservationRow | null {
  return rowOf(observationOutcome(value));
}

function observationRow(observation: Json, kind: ObservationKind): ObservationRow {
  const status = str(observation.status) ?? 'unknown';
  const { value: numeric, valueText } = observationValue(observation);
  const components: ObservationComponent[] = arr(observation.component)
    .map(obj)
    .filter((component): component is Json => component !== null)
    .map((component) => ({ code: codedText(component.code), ...observationValue(component) }));
  const effective = choiceDate(observation, 'effective') ?? fhirDate(observation.issued);
  return {
    id: resourceId(observation),
    kind,
    code: codedText(observation.code),
    effective,
    time: toTime(effective),
    value: numeric,
    valueText: valueText ?? (kind === 'blood-pressure' ? bloodPressureText(components) : null),
    components,
    referenceRange: referenceRangeText(observation.referenceRange),
    flag: interpretationFlag(observation.interpretation) ?? computedFlag(observation, kind),
    status,
    ...bandOf(observation),
  };
}

/** The reference band a trend draws behind this result, when its range can be compared with its value. */
function bandOf(observation: Json): { referenceBand?: ReferenceBand } {
  const band = comparableRange(measured(observation.valueQuantity), observation.referenceRange);
  return band ? { referenceBand: band } : {};
}

/** A Quantity with every name of its unit: its UCUM code and its text ("/min" and "beats/minute"). */
function measured(value: unknown): Measured | null {
  const q = obj(value);
  const amount = num(q?.value);
  if (!q || amount === null) return null;
  const units = [str(q.code), str(q.unit)].filter((unit): unit is string => unit !== null);
  const comparator = quantity(q)?.comparator;
  return comparator ? { value: amount, comparator, units } : { value: amount, units };
}

/**
 * The flag ChartDesk computes when the EHR gave none: from the EHR's reference range, else, for a vital
 * sign, from the documented adult range (common/vital-ranges.ts).
 */
function computedFlag(observation: Json, kind: ObservationKind): ResultFlag | null {
  const value = measured(observation.valueQuantity);
  const fromRange = rangeFlag(value, observation.referenceRange);
  if (fromRange || kind === 'lab' || kind === 'other') return fromRange;
  const component = (loinc: string) =>
    measured(
      arr(observation.component)
        .map(obj)
        .find((item) => hasCoding(item?.code, LOINC, [loinc]))?.valueQuantity,
    );
  return adultVitalFlag(kind, value, { systolic: component(SYSTOLIC_LOINC), diastolic: component(DIASTOLIC_LOINC) });
}

/**
 * A flag ChartDesk computes when the EHR gave a reference range but no interpretation (issue 18: a
 * creatinine of 3.15 mg/dL with a range of 0.7–1.3 and no flag read as normal): High above the range,
 * Low below it, Normal within, marked as computed. Only from the first range meant for everyone (no
 * `appliesTo`, type normal or absent), and only when its unit is the value's: a bound ("<5") or a
 * range in another unit is never compared.
 */
export function rangeFlag(value: Measured | null, ranges: unknown): ResultFlag | null {
  const range = comparableRange(value, ranges);
  if (!value || !range) return null;
  const code = range.low !== null && value.value < range.low ? 'L' : range.high !== null && value.value > range.high ? 'H' : 'N';
  const flag = standardFlag(code, 'computed');
  return flag && { ...flag, basis: 'reference-range' };
}

/**
 * The bounds of the first reference range meant for everyone (no `appliesTo`, type normal or absent), when a
 * value can be compared with it: an exact value (not a bound such as "<5") and a range in the value's unit. The
 * computed flag and the trend chart's reference band both come from it.
 */
export function comparableRange(value: Measured | null, ranges: unknown): ReferenceBand | null {
  if (!value || value.comparator) return null;
  const range = arr(ranges)
    .map(obj)
    .find((item): item is Json => item !== null && arr(item.appliesTo).length === 0 && isNormalRange(item.type));
  if (!range) return null;
  const low = measured(range.low);
  const high = measured(range.high);
  if (!low && !high) return null;
  // A bound without a unit is in the value's; one with a unit must share a name with the value's.
  const sameUnit = (bound: Measured | null) =>
    !bound || bound.units.length === 0 || bound.units.some((unit) => value.units.includes(unit));
  if (!sameUnit(low) || !sameUnit(high)) return null;
  return { low: low?.value ?? null, high: high?.value ?? null };
}

function isNormalRange(type: unknown): boolean {
  return obj(type) === null || hasCoding(type, null, ['normal']);
}

/** "120/80 mmHg" from the systolic and diastolic components, rounded as clinicians read them. */
function bloodPressureText(components: readonly ObservationComponent[]): string | null {
  const find = (loinc: string) => components.find((component) => component.code.code === loinc)?.value ?? null;
  const systolic = find(SYSTOLIC_LOINC);
  const diastolic = find(DIASTOLIC_LOINC);
  if (!systolic || !diastolic) return null;
  const unit = systolic.unit ?? diastolic.unit;
  return `${Math.round(systolic.value)}/${Math.round(diastolic.value)}${unit ? ` ${displayUnit(unit)}` : ''}`;
}

/**
 * value[x] of an Observation or a component: a number goes to `value`, anything else to
 * `valueText`; without a value, the dataAbsentReason explains why. A valueString that is a plain
 * number ("15.0") is both: charted as a number, shown as the EHR wrote it.
 */
export function observationValue(element: Json): { value: Quantity | null; valueText: string | null } {
  const q = quantity(element.valueQuantity);
  if (q) return { value: q, valueText: null };
  const integer = num(element.valueInteger);
  if (integer !== null) return { value: { value: integer, unit: null }, valueText: null };
  const string = str(element.valueString);
  if (string !== null && PLAIN_NUMBER.test(string)) return { value: { value: Number(string), unit: null }, valueText: string };
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
    return `${low.value}–${high.value}${unit ? ` ${displayUnit(unit)}` : ''}`;
  }
  if (low) return `≥ ${formatQuantity(low)}`;
  if (high) return `≤ ${formatQuantity(high)}`;
  return null;
}

/**
 * The first reference range as the EHR wrote it: its text when it has one ("4.00 - 5.20" keeps its
 * decimals, which JSON numbers lose), else "low–high unit".
 */
export function referenceRangeText(value: unknown): string | null {
  for (const item of arr(value)) {
    const range = obj(item);
    if (!range) continue;
    const text = str(range.text) ?? rangeText(range);
    if (text) return text;
  }
  return null;
}

/**
 * The result's flag from Observation.interpretation. A standard code (v3 ObservationInterpretation,
 * v2 0078) wins wherever it sits: Oracle Health lists its local code set 52 first ("211" LOW) and the
 * v3 code second. Without one, the EHR's text or a local code's display is shown as written but never
 * highlighted; a bare local code is not shown at all.
 */
export function interpretationFlag(value: unknown): ResultFlag | null {
  const concepts = arr(value);
  const all = concepts.flatMap(codings);
  const standard =
    all.find((coding) => INTERPRETATION_SYSTEMS.has(str(coding.system) ?? '')) ??
    all.find((coding) => coding.system === undefined && isStandardInterpretation(str(coding.code) ?? ''));
  if (standard) {
    const code = str(standard.code) ?? '';
    return standardFlag(code, 'ehr-coded') ?? textFlagOf(str(standard.display));
  }
  for (const concept of concepts) {
    const text =
      str(obj(concept)?.text) ??
      codings(concept)
        .map((coding) => str(coding.display))
        .find(Boolean) ??
      null;
    if (text) return textFlag(text);
  }
  return null;
}

function textFlagOf(text: string | null): ResultFlag | null {
  return text ? textFlag(text) : null;
}
