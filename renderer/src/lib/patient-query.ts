import { EMPTY_PATIENT_QUERY, type PatientSearchQuery } from '../../../common/chart';
import { parseDateInput } from '../../../common/chart-format';
import type { GrantedScopeSummary } from '../../../common/sessions';
import { parseScopeString } from '../../../common/smart-scopes';

/**
 * Patient search is offered only when the EHR granted user- or system-level search on Patient
 * (v1 `user/Patient.read`, `user/*.read`, `.*`; v2 any permission set with `s`).
 */
export function canSearchPatients(scopes: GrantedScopeSummary | null): boolean {
  if (!scopes) return false;
  return parseScopeString(scopes.raw).some(
    (scope) =>
      scope.kind === 'resource' &&
      (scope.context === 'user' || scope.context === 'system') &&
      (scope.resourceType === '*' || scope.resourceType.toLowerCase() === 'patient') &&
      scope.permissions.includes('s'),
  );
}

export interface PatientQueryDraft {
  name: string;
  birthDate: string;
  identifier: string;
}

/**
 * Mirrors main's `patientSearchQuery` schema: empty fields left out, at least one field. The birth date is read
 * as the clinician types it, also as the app shows dates ("2 Apr 1980"), and sent as FHIR's YYYY[-MM[-DD]].
 */
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
    const parsed = parseDateInput(birthDate);
    if ('error' in parsed) return { error: `Birth date: ${parsed.error}` };
    query.birthDate = parsed.date;
  }
  if (identifier) {
    if (identifier.length > 200) return { error: 'The identifier is too long.' };
    query.identifier = identifier;
  }
  if (!name && !birthDate && !identifier) return { error: EMPTY_PATIENT_QUERY };
  return { query };
}
