import type { ImmunizationRow } from '../../../common/chart';
import { codedText, fhirDate, resourceId, resourceOf, str } from '../../fhir/fhir-read';

/** Immunization → row; null for anything else. */
export function mapImmunization(value: unknown): ImmunizationRow | null {
  const immunization = resourceOf(value, 'Immunization');
  if (!immunization) return null;
  return {
    id: resourceId(immunization),
    vaccine: codedText(immunization.vaccineCode),
    occurrence: fhirDate(immunization.occurrenceDateTime) ?? fhirDate(immunization.recorded),
    status: str(immunization.status) ?? 'unknown',
  };
}
