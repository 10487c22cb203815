import type { PatientSearchQuery } from '../../../common/chart';
import { FHIR_DATE } from '../../../common/fhir-patterns';
import type { GrantedScopeSummary } from '../../../common/sessions';

/**
 * Patient search is offered only when the EHR granted user- or system-level read/search on
 * Patient (v1 `user/Patient.read`, `user/*.read`, `.*`; v2 any permission set with `s`).
 */
const PATIENT_SEARCH_SCOPE = /^(user|system)\/(Patient|\*)\.(read|\*|c?r?u?d?s)(\?\S*)?$/i;

export function canSearchPatients(scopes: GrantedScopeSummary | null): boolean {
  if (!scopes) return false;
  return scopes.raw.split(/\s+/).some((token) => PATIENT_SEARCH_SCOPE.test(token));
}

export interface PatientQueryDraft {
  name: string;
  birthDate: string;
  identifier: string;
}

/** Mirrors main's `patientSearchQuery` schema: empty fields left out, at least one field, birth date YYYY[-MM[-DD]]. */
export function toPatientQuery(draft: PatientQueryDraft): { query: PatientSearchQuery } | { error: string } {
  const query: PatientSearchQuery = {};
  const name = draft.name.trim();
  const birthDate = draft.birthDate.trim();
  const identifier = draft.identifier.trim();
  if (name) {
    if (name.length > 100) return { error: 'The name is too long.' };
    query.name = name;
  }
  if (birthDate) {
    if (!FHIR_DATE.test(birthDate)) return { error: 'Write the birth date as YYYY, YYYY-MM or YYYY-MM-DD.' };
    query.birthDate = birthDate;
  }
  if (identifier) {
    if (identifier.length > 200) return { error: 'The identifier is too long.' };
    query.identifier = identifier;
  }
  if (!name && !birthDate && !identifier) return { error: 'Give a name, a birth date or an identifier.' };
  return { query };
}
