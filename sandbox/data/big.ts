/** The `--big N` patient: one generated patient with N heart-rate Observations spread over years, for benchmarks. */
import { LOINC, vitalSign } from './builders.js';
import type { FhirResource } from './fhir-types.js';
import { createRng } from './rng.js';

export const BIG_PATIENT_ID = 'sbx-big-patient';
const SPAN_MS = 10 * 365 * 86_400_000;
const START = Date.UTC(2016, 0, 1);

export function bigPatientResources(observations: number): FhirResource[] {
  const rng = createRng(observations);
  const step = observations > 1 ? SPAN_MS / (observations - 1) : 0;
  const out: FhirResource[] = [
    {
      resourceType: 'Patient',
      id: BIG_PATIENT_ID,
      active: true,
      name: [{ use: 'official', family: 'Benchmark', given: ['Bigchart'] }],
      gender: 'other',
      birthDate: '1970-01-01',
    },
  ];
  for (let i = 0; i < observations; i += 1) {
    const effective = new Date(START + Math.round(i * step)).toISOString();
    out.push(
      vitalSign(
        { id: `${BIG_PATIENT_ID}-hr-${i + 1}`, patientId: BIG_PATIENT_ID, effective },
        [{ system: LOINC, code: '8867-4', display: 'Heart rate' }],
        rng.between(55, 110),
        '/min',
        0,
      ),
    );
  }
  return out;
}
