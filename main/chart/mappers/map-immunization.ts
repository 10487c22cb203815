import type { ImmunizationRow } from '../../../common/chart';
import { codedText, fhirDate, type Json, resourceId, str } from '../../fhir/fhir-read';
import { type Outcome, outcomeOf, rowOf } from './withdrawn';

/** Immunization → row, or withdrawn when entered in error (withdrawn.ts; "not-done" stays a row); null for anything else. */
export function immunizationOutcome(value: unknown): Outcome<ImmunizationRow> {
  return outcomeOf(value, 'Immunization', immunizationRow);
}

/** The row of an Immunization; null for anything else and for one entered in error. */
export function mapImmunization(value: unknown): ImmunizationRow | null {
  return rowOf(immunizationOutcome(value));
}

function immunizationRow(immunization: Json): ImmunizationRow {
  const status = str(immunization.status) ?? 'unknown';
  const occurrence = fhirDate(immunization.occurrenceDateTime);
  return {
    id: resourceId(immunization),
    vaccine: codedText(immunization.vaccineCode),
    occurrence: occurrence ?? fhirDate(immunization.recorded),
    // "January 2012" as the EHR wrote it; shown instead of a date, never parsed into one.
    occurrenceText: occurrence ? null : str(immunization.occurrenceString),
    status,
  };
}
