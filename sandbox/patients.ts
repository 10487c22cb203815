/** Patient summaries for the picker, the launch page and Sandbox.patients(). */
import type { FhirResource } from './data/fhir-types.js';
import type { PatientSummary } from './types.js';

export function patientSummary(patient: FhirResource): PatientSummary {
  const name = (patient.name as Array<{ given?: string[]; family?: string; text?: string }> | undefined)?.[0];
  const display = name?.text ?? [...(name?.given ?? []), name?.family].filter(Boolean).join(' ');
  return {
    id: patient.id,
    name: display || patient.id,
    birthDate: typeof patient.birthDate === 'string' ? patient.birthDate : '',
  };
}

export function matchesName(patient: PatientSummary, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const name = patient.name.toLowerCase();
  return words.every((word) => name.includes(word));
}
