import { describe, expect, it } from 'vitest';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import { memoryLogger } from '../logging/testing/memory-logger';
import { LoadReads } from './load-reads';

/** A client whose reads answer after `ms`, and fail for the references in `failing`. */
function slowReads(ms: number, failing: string[] = []) {
  const asked: string[] = [];
  const client = {
    readReference: async (reference: string) => {
      asked.push(reference);
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (failing.includes(reference)) throw new Error(`${reference} could not be read`);
      const [resourceType, id] = reference.split('/');
      return { resourceType, id } as FhirResource;
    },
  } as unknown as FhirClient;
  return { client, asked };
}

const reads = (client: FhirClient, signal = new AbortController().signal) =>
  new LoadReads(client, signal, memoryLogger(), { patientId: 'p', pageSize: 100, panelsFromReports: false });

describe('reads shared by the sections of one load', () => {
  it('reads a reference two sections ask for at once only once, and both find it', async () => {
    const { client, asked } = slowReads(20);
    const shared = reads(client);
    const [first, second] = await Promise.all([
      shared.read(['Practitioner/1', 'Organization/9'], 4),
      shared.read(['Practitioner/1', 'Practitioner/1'], 4),
    ]);
    expect([first, second]).toEqual([[], []]);
    expect(asked.sort()).toEqual(['Organization/9', 'Practitioner/1']);
    expect(shared.lookup('Practitioner/1')).toMatchObject({ id: '1' });
    await shared.read(['Practitioner/1'], 4);
    expect(asked).toHaveLength(2);
  });

  it('takes what an _include brought without reading it, and keeps a failed read as unknown, reported once', async () => {
    const { client, asked } = slowReads(5, ['Practitioner/2']);
    const shared = reads(client);
    shared.addIncluded([{ resourceType: 'Practitioner', id: '1' }]);
    const [mine, theirs] = await Promise.all([
      shared.read(['Practitioner/1', 'Practitioner/2'], 2),
      shared.read(['Practitioner/2'], 2),
    ]);
    expect(asked).toEqual(['Practitioner/2']);
    expect(mine).toEqual(['Practitioner/2 could not be read']);
    expect(theirs).toEqual([]);
    expect(shared.lookup('Practitioner/2')).toBeNull();
    expect(shared.lookup('Practitioner/1')).toMatchObject({ id: '1' });
  });

  it('waits for the reports section for the lab panels, and reads them itself after that search failed', async () => {
    const { client } = slowReads(1);
    const searched: string[] = [];
    const withSearch = {
      ...client,
      baseUrl: 'https://ehr.example/fhir',
      async *search(type: string) {
        searched.push(type);
        yield { matches: [], included: [], next: null, total: null, outcomes: [] };
      },
    } as unknown as FhirClient;
    const shared = new LoadReads(withSearch, new AbortController().signal, memoryLogger(), {
      patientId: 'p',
      pageSize: 100,
      panelsFromReports: true,
    });
    const panels = shared.labPanels();
    shared.reportsStarted();
    shared.reportsRead([
      {
        resourceType: 'DiagnosticReport',
        id: 'bmp',
        status: 'final',
        code: { text: 'Basic metabolic panel' },
        subject: { reference: 'Patient/p' },
        result: [{ reference: 'Observation/k' }],
      },
    ]);
    shared.reportsEnded(false, new Error('the connection dropped'));
    expect([...(await panels).keys()]).toEqual(['k']);
    expect(searched).toEqual([]);
    await shared.labPanels();
    expect(searched).toEqual(['DiagnosticReport']);
  });
});
