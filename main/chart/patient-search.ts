import { EMPTY_PATIENT_QUERY, type PatientSearchQuery, type PatientSearchResult } from '../../common/chart';
import { FHIR_DATE } from '../../common/fhir-patterns';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { FhirClient } from '../fhir/fhir-client';
import { mapPatientSearchResult } from './mappers/map-patient';

/** Results asked for in one search; the clinician narrows the query rather than paging. */
export const PATIENT_SEARCH_COUNT = 50;

/** FHIR Patient search parameters from the clinician's query (name, birthdate, identifier). */
export function patientSearchParams(query: PatientSearchQuery): Record<string, string> {
  const params: Record<string, string> = {};
  const name = query.name?.trim();
  const identifier = query.identifier?.trim();
  if (name) params.name = name;
  if (query.birthDate) {
    if (!FHIR_DATE.test(query.birthDate)) {
      throw new ChartDeskError('invalid-input', 'Give the birth date as YYYY, YYYY-MM or YYYY-MM-DD.');
    }
    params.birthdate = query.birthDate;
  }
  if (identifier) params.identifier = identifier;
  if (Object.keys(params).length === 0) throw new ChartDeskError('invalid-input', EMPTY_PATIENT_QUERY);
  return { ...params, _count: String(PATIENT_SEARCH_COUNT) };
}

/** The first page of matches (at most PATIENT_SEARCH_COUNT). */
export async function searchPatients(
  client: FhirClient,
  query: PatientSearchQuery,
  signal?: AbortSignal,
): Promise<PatientSearchResult[]> {
  const pages = client.search('Patient', patientSearchParams(query), signal);
  try {
    const first = await pages.next();
    if (first.done) return [];
    return first.value.matches
      .map((resource) => mapPatientSearchResult(resource))
      .filter((result): result is PatientSearchResult => result !== null);
  } finally {
    await pages.return(undefined);
  }
}
