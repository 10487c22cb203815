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
  str,
} from '../../fhir/fhir-read';
import { formatQuantity } from '../../../common/quantity';
import { type Outcome, outcomeOf, rowOf } from './withdrawn';

const CATEGORIES: readonly ConditionCategory[] = ['problem-list-item', 'encounter-diagnosis', 'health-concern'];

/**
 * Condition → problem row, or withdrawn when entered in error (withdrawn.ts: Oracle Health codes that verification
 * status with the condition-clinical system, any system counts); null for anything that is not a Condition.
 */
export function conditionOutcome(value: unknown): Outcome<ProblemRow> {
  return outcomeOf(value, 'Condition', problemRow);
}

/** The problem row of a Condition; null for anything else and for one entered in error. */
export function mapCondition(value: unknown): ProblemRow | null {
  return rowOf(conditionOutcome(value));
}

function problemRow(condition: Json): ProblemRow {
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
