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
  referenceDisplay,
  resourceId,
  resourceOf,
  str,
} from '../../fhir/fhir-read';

/** Procedure → row; null for anything else and for one entered in error. "not-done" stays a row: it says it was not done. */
export function mapProcedure(value: unknown): ProcedureRow | null {
  const procedure = resourceOf(value, 'Procedure');
  if (!procedure) return null;
  const status = str(procedure.status) ?? 'unknown';
  if (status === 'entered-in-error') return null;
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
