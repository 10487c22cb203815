import type { ImmunizationRow } from '../../../common/chart';
import { codedText, fhirDate, resourceId, resourceOf, str } from '../../fhir/fhir-read';

/** Immunization → row; null for anything else and for one entered in error. */
export function mapImmunization(value: unknown): ImmunizationRow | null {
  const immunization = resourceOf(value, 'Immunization');
  if (!immunization) return null;
  const status = str(immunization.status) ?? 'unknown';
  if (status === 'entered-in-error') return null;
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
