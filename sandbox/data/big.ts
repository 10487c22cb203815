/**
 * The `--big N` patient: one generated patient with N heart-rate Observations spread evenly over the
 * ten years up to today (UTC midnight), for benchmarks: like a real chart, its newest data is recent,
 * so "the last year" is a tenth of it whatever the day the sandbox starts.
 */
import { LOINC, vitalSign } from './builders.js';
import type { FhirResource } from './fhir-types.js';
import { createRng } from './rng.js';

export const BIG_PATIENT_ID = 'sbx-big-patient';
const DAY_MS = 86_400_000;
const SPAN_MS = 10 * 365 * DAY_MS;

export function bigPatientResources(observations: number, now = Date.now()): FhirResource[] {
  const rng = createRng(observations);
  const end = Math.floor(now / DAY_MS) * DAY_MS;
  const start = end - SPAN_MS;
  const step = observations > 1 ? SPAN_MS / observations : 0;
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
    const effective = new Date(start + Math.round((i + 1) * step)).toISOString();
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
