/**
 * One whole-chart load with fhirclient (the SMART reference JavaScript client), as its
 * documentation recommends: `request` with `pageLimit: 0` per section, `resolveReferences` for
 * the resources the chart names, all sections and the patient under one Promise.all; either
 * `flat: true` (every page concatenated into one array) or `onPage` (each page handed over as it
 * arrives, its way for large results). The searches are ChartDesk's plain ones (same parameters,
 * same `_count`), so both clients ask the server for the same rows and the same referenced
 * resources.
 */
import smart from 'fhirclient/lib/entry/node';
import type { ChartSectionId } from '../common/sessions';
import { SECTION_QUERIES } from '../main/chart/section-queries';
import type { LoadedChart, LoadRequest } from './load-types';

/**
 * What ChartDesk reads to name what a row shows (`references` in section-queries.ts: a Medication, the prescriber,
 * an encounter's clinicians and organization), as fhirclient's `resolveReferences` paths (`..` walks an array).
 * ChartDesk reads a clinician only when the reference has no display; the bench's Synthea references have none, so
 * both clients fetch the same resources (bench/fhirclient-load.test.ts checks the paths against ChartDesk's reads).
 */
export const FHIRCLIENT_RESOLVES: Partial<Record<ChartSectionId, string[]>> = {
  medications: ['medicationReference', 'requester'],
  encounters: ['participant..individual', 'serviceProvider'],
};

type SmartRequest = Parameters<typeof smart>[0];
type SmartResponse = Parameters<typeof smart>[1];

export async function loadWithFhirclient(request: LoadRequest, mode: 'flat' | 'onPage'): Promise<LoadedChart> {
  const rows: Record<string, number> = {};
  const errors: string[] = [];
  let firstDataMs: number | null = null;
  let bannerMs = 0;
  const started = performance.now();
  // fhirclient's Node adapter wants a request with a session and a response; no server-side flow runs here.
  const client = smart({ session: {} } as unknown as SmartRequest, {} as SmartResponse).client({
    serverUrl: request.fhirBaseUrl,
    tokenResponse: { access_token: request.accessToken },
  });
  const banner = client.request(`Patient/${request.patientId}`).then((patient: unknown) => {
    bannerMs = performance.now() - started;
    return patient;
  });
  const sections = request.grantedSections.map(async (section) => {
    const query = SECTION_QUERIES[section];
    const params = new URLSearchParams({ patient: request.patientId, ...query.params, _count: String(request.pageSize) });
    const kept: unknown[] = [];
    const arrived = (resources: unknown[]) => {
      if (resources.length > 0) firstDataMs ??= performance.now() - started;
      kept.push(...resources);
    };
    try {
      const answer = (await client.request(`${query.resourceType}?${params.toString()}`, {
        pageLimit: 0,
        flat: true,
        ...(FHIRCLIENT_RESOLVES[section] ? { resolveReferences: FHIRCLIENT_RESOLVES[section] } : {}),
        ...(mode === 'onPage' ? { onPage: (page: unknown) => arrived(page as unknown[]) } : {}),
      })) as unknown[] | null;
      if (mode === 'flat') arrived(answer ?? []);
    } catch (error) {
      errors.push(`${section}: ${error instanceof Error ? error.message : String(error)}`);
    }
    rows[section] = kept.length;
    return kept;
  });
  const retained = await Promise.all([banner, ...sections]);
  const fullChartMs = performance.now() - started;
  return { timing: { bannerMs, firstDataMs, fullChartMs, recentMs: null, rows, errors }, retained };
}
