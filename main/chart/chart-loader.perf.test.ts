import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SectionPage } from '../../common/chart';
import { createChartService } from './chart-service';
import { CHART_SECTION_IDS } from '../../common/sessions';
import { fakeFhirStore } from './testing/fake-fhir-store';
import { type FakeServer, startFakeServer } from '../fhir/testing/fake-http-server';
import { FakeTokens } from '../fhir/testing/fake-tokens';
import { memoryLogger } from '../logging/testing/memory-logger';

const OBSERVATIONS = 10_000;
const VITALS: Array<[string, string, string]> = [
  ['8867-4', 'Heart rate', '/min'],
  ['8310-5', 'Body temperature', 'Cel'],
  ['9279-1', 'Respiratory rate', '/min'],
  ['59408-5', 'Oxygen saturation', '%'],
  ['29463-7', 'Body weight', 'kg'],
];

/** A patient with 10,000 Observations: one in five a blood pressure with components, the rest other vitals and labs. */
function bigPatient(): Array<Record<string, unknown> & { resourceType: string }> {
  const category = (code: string) => [
    { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] },
  ];
  const observations = Array.from({ length: OBSERVATIONS }, (_unused, index) => {
    const effectiveDateTime = new Date(Date.UTC(2000, 0, 1) + index * 3_600_000).toISOString();
    const base = {
      resourceType: 'Observation',
      id: `obs-${index}`,
      status: 'final',
      subject: { reference: 'Patient/big' },
      effectiveDateTime,
    };
    if (index % 5 === 0) {
      return {
        ...base,
        category: category('vital-signs'),
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }], text: 'Blood pressure' },
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: 110 + (index % 30), unit: 'mm[Hg]' },
          },
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
            valueQuantity: { value: 70 + (index % 20), unit: 'mm[Hg]' },
          },
        ],
      };
    }
    if (index % 5 === 1) {
      return {
        ...base,
        category: category('laboratory'),
        code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
        valueQuantity: { value: 80 + (index % 60), unit: 'mg/dL' },
        referenceRange: [{ low: { value: 70, unit: 'mg/dL' }, high: { value: 99, unit: 'mg/dL' } }],
        interpretation: index % 60 > 19 ? [{ coding: [{ code: 'H' }] }] : [],
      };
    }
    const [code, text, unit] = VITALS[index % VITALS.length] ?? VITALS[0]!;
    return {
      ...base,
      category: category('vital-signs'),
      code: { coding: [{ system: 'http://loinc.org', code }], text },
      valueQuantity: { value: index % 100, unit },
    };
  });
  return [
    {
      resourceType: 'Patient',
      id: 'big',
      name: [{ use: 'official', family: 'Large', given: ['Record'] }],
      birthDate: '1950-01-01',
    },
    ...observations,
  ];
}

let server: FakeServer;
beforeAll(async () => {
  server = await startFakeServer(fakeFhirStore(bigPatient(), { advertiseSort: true }));
});
afterAll(() => server.close());

describe('a 10,000-observation patient against the local fake server', () => {
  it.each([200, 500, 1000])(
    'opens and streams every section with _count=%i',
    async (pageSize) => {
      const pages: SectionPage[] = [];
      let firstPageAt = null as number | null;
      const started = performance.now();
      const service = createChartService({
        sessionFor: () => ({
          fhirBaseUrl: server.baseUrl,
          tokens: new FakeTokens(),
          grantedSections: [...CHART_SECTION_IDS],
          documentContent: true,
        }),
        fetch,
        emit: (page) => {
          firstPageAt ??= page.rows.length > 0 ? performance.now() - started : null;
          pages.push(page);
        },
        log: memoryLogger(),
        now: () => new Date(),
        options: { loader: { pageSize } },
      });
      const opened = await service.open({ connectionId: 'perf', patientId: 'big' });
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (pages.filter((page) => page.done).length === CHART_SECTION_IDS.length) {
            clearInterval(poll);
            resolve();
          }
        }, 1);
      });
      const elapsed = performance.now() - started;
      const rows = pages.reduce((sum, page) => sum + page.rows.length, 0);
      console.log(
        `10,000-observation patient, _count=${pageSize}: ${pages.length} pages, ${rows} rows, first rows after ${firstPageAt?.toFixed(0)} ms, all sections done in ${elapsed.toFixed(0)} ms`,
      );
      expect(rows).toBe(OBSERVATIONS);
      expect(pages.filter((page) => page.section === 'vitals').flatMap((page) => page.rows)).toHaveLength(8_000);
      expect(pages.every((page) => page.loadId === opened.loadId && page.state !== 'error')).toBe(true);
      // A bound for a busy shared machine: the figure itself is printed above.
      expect(elapsed).toBeLessThan(25_000);
    },
    60_000,
  );
});
