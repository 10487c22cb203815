import { FHIR_ID_PATTERN } from '../../common/fhir-patterns';
import type { FhirResource } from '../fhir/fhir-client';
import { obj, str } from '../fhir/fhir-read';

/**
 * "Never show one patient's data under another's name": the resources of a chart section must belong to the patient
 * the chart was opened for. A FHIR server may ignore a search parameter it does not support (`patient` included) and
 * answer with everyone's, so each resource's own link to its patient is checked here, before it becomes a row.
 *
 * A resource names its patient in `subject` (Observation, Condition, MedicationRequest, Encounter) or `patient`
 * (AllergyIntolerance, Immunization). A literal reference there must be this patient: `Patient/<id>`, with or
 * without `/_history/<version>`, relative or absolute under this FHIR base. Anything else a literal reference can
 * say (another patient, another resource type such as a Group, another server, a contained or urn: reference) is
 * not this patient. A resource whose subject is given without a literal reference (only an identifier or a
 * display) cannot be checked and is kept: the server chose it for this patient.
 */
export interface PatientScoped {
  kept: FhirResource[];
  /** How many were left out because they name someone else. */
  otherPatient: number;
}

const PATIENT_PATH = new RegExp(`^(.*?)/?Patient/(${FHIR_ID_PATTERN})(?:/_history/[^/]+)?$`);

export function keepPatientsOwn(resources: readonly FhirResource[], patientId: string, fhirBaseUrl: string): PatientScoped {
  const kept: FhirResource[] = [];
  let otherPatient = 0;
  for (const resource of resources) {
    if (namesOnly(resource, patientId, fhirBaseUrl)) kept.push(resource);
    else otherPatient += 1;
  }
  return { kept, otherPatient };
}

/** Whether every literal patient reference of the resource is this patient. */
export function namesOnly(resource: FhirResource, patientId: string, fhirBaseUrl: string): boolean {
  return ['subject', 'patient'].every((field) => {
    const reference = str(obj(resource[field])?.reference);
    return reference === null || referencesPatient(reference, patientId, fhirBaseUrl);
  });
}

/** `Patient/<id>` (relative, or absolute under the FHIR base, with or without `_history`) for exactly this id. */
export function referencesPatient(reference: string, patientId: string, fhirBaseUrl: string): boolean {
  const match = PATIENT_PATH.exec(reference);
  if (!match || match[2] !== patientId) return false;
  const prefix = match[1]!;
  if (prefix === '') return !reference.startsWith('/');
  let absolute: URL;
  try {
    absolute = new URL(reference);
  } catch {
    return false;
  }
  const base = new URL(fhirBaseUrl);
  // Paths only: a query string the EHR carries on its base is no part of a resource's address.
  const basePath = base.pathname.replace(/\/+$/, '');
  return absolute.origin === base.origin && absolute.pathname.replace(/\/Patient\/.*$/, '') === basePath;
}
