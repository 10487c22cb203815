import type { ConditionCategory, ProblemRow } from '../../../common/chart';
import {
  arr,
  choiceDate,
  codedText,
  conceptCode,
  conceptText,
  fhirDate,
  hasCode,
  type Json,
  obj,
  quantity,
  referencedId,
  resourceId,
  resourceOf,
  str,
} from '../../fhir/fhir-read';
import { formatQuantity } from '../../../common/quantity';

const CATEGORIES: readonly ConditionCategory[] = ['problem-list-item', 'encounter-diagnosis', 'health-concern'];

/**
 * Condition → problem row; null for anything that is not a Condition, and for a Condition entered in
 * error (Oracle Health codes that verification status with the condition-clinical system: any system counts).
 */
export function mapCondition(value: unknown): ProblemRow | null {
  const condition = resourceOf(value, 'Condition');
  if (!condition) return null;
  if (hasCode(condition.verificationStatus, ['entered-in-error'])) return null;
  return {
    id: resourceId(condition),
    code: codedText(condition.code),
    category: categoryOf(condition),
    clinicalStatus: conceptCode(condition.clinicalStatus),
    severity: conceptText(condition.severity),
    verificationStatus: conceptCode(condition.verificationStatus),
    onset: choiceDate(condition, 'onset'),
    onsetText: choiceText(condition, 'onset'),
    abatement: choiceDate(condition, 'abatement'),
    abatementText: choiceText(condition, 'abatement'),
    recorded: fhirDate(condition.recordedDate),
    encounterId: referencedId(condition.encounter, 'Encounter'),
  };
}

/** The first category ChartDesk groups by (any system: US Core codes health-concern in its own); uncategorised is the problem list. */
function categoryOf(condition: Json): ConditionCategory {
  for (const category of arr(condition.category)) {
    const found = CATEGORIES.find((code) => hasCode(category, [code]));
    if (found) return found;
  }
  return 'problem-list-item';
}

/** onset[x] / abatement[x] when it is not a date: an age ("age 52 years"), an age range, or the EHR's text. */
function choiceText(condition: Json, prefix: string): string | null {
  const age = quantity(condition[`${prefix}Age`]);
  if (age) return `age ${formatQuantity(age)}`;
  const range = obj(condition[`${prefix}Range`]);
  const low = quantity(range?.low);
  const high = quantity(range?.high);
  if (low && high) return `age ${formatQuantity({ ...low, unit: null })}–${formatQuantity(high)}`;
  return str(condition[`${prefix}String`]);
}
