import type { ProcedureRow } from '../../../common/chart';
import { formatQuantity } from '../../../common/quantity';
import {
  arr,
  choiceDate,
  codedText,
  conceptText,
  fhirDate,
  obj,
  quantity,
  type Json,
  referenceDisplay,
  resourceId,
  str,
} from '../../fhir/fhir-read';
import { type Outcome, outcomeOf, rowOf } from './withdrawn';

/**
 * Procedure → row, or withdrawn when entered in error (withdrawn.ts); null for anything else. "not-done" stays a
 * row: it says it was not done.
 */
export function procedureOutcome(value: unknown): Outcome<ProcedureRow> {
  return outcomeOf(value, 'Procedure', procedureRow);
}

/** The row of a Procedure; null for anything else and for one entered in error. */
export function mapProcedure(value: unknown): ProcedureRow | null {
  return rowOf(procedureOutcome(value));
}

function procedureRow(procedure: Json): ProcedureRow {
  const status = str(procedure.status) ?? 'unknown';
  const performed = choiceDate(procedure, 'performed');
  const age = quantity(procedure.performedAge);
  return {
    id: resourceId(procedure),
    code: codedText(procedure.code),
    status,
    performed,
    performedEnd: fhirDate(obj(procedure.performedPeriod)?.end),
    performedText: performed ? null : (str(procedure.performedString) ?? (age ? `age ${formatQuantity(age)}` : null)),
    performer: joined(arr(procedure.performer).map((performer) => referenceDisplay(obj(performer)?.actor))),
    reason: joined(arr(procedure.reasonCode).map(conceptText)) ?? joined(arr(procedure.reasonReference).map(referenceDisplay)),
    bodySite: joined(arr(procedure.bodySite).map(conceptText)),
  };
}

function joined(values: Array<string | null>): string | null {
  const present = [...new Set(values.filter((value): value is string => value !== null))];
  return present.length > 0 ? present.join(', ') : null;
}
