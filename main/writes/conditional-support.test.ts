import { describe, expect, it } from 'vitest';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import { FhirError } from '../fhir/fhir-errors';
import { createConditionalSupport } from './conditional-support';

function client(answers: Array<FhirResource | Error>): FhirClient & { asked: number } {
  const fake = {
    baseUrl: 'https://ehr.example.org/fhir',
    asked: 0,
    capabilities: async () => {
      const answer = answers[fake.asked++]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return fake as unknown as FhirClient & { asked: number };
}

const statement = (resource: unknown[]) => ({ resourceType: 'CapabilityStatement', rest: [{ mode: 'server', resource }] });

describe('whether a Retry is safe at this EHR', () => {
  it('says nothing when the EHR declares conditional create, and asks it once', async () => {
    const ehr = client([statement([{ type: 'Observation', conditionalCreate: true }])]);
    const support = createConditionalSupport();
    expect(await support.warning(ehr, ['Observation'])).toBeNull();
    expect(await support.warning(ehr, ['Observation', 'Observation'])).toBeNull();
    expect(ehr.asked).toBe(1);
  });

  it('warns when the EHR does not declare it, and when it could not be asked (then asks again next time)', async () => {
    const ehr = client([
      new FhirError('network', 'down'),
      statement([{ type: 'Observation' }, { type: 'DocumentReference', conditionalCreate: false }]),
    ]);
    const support = createConditionalSupport();
    expect(await support.warning(ehr, ['Observation'])).toMatch(/cannot confirm that a Retry/);
    expect(await support.warning(ehr, ['Observation', 'DocumentReference'])).toBe(
      'This EHR does not say it supports conditional create of Observation, DocumentReference: if its answer is lost, check the chart before you Retry, or a second copy could be made.',
    );
    expect(ehr.asked).toBe(2);
  });
});
