/**
 * A chart that fits one page per section, against the sandbox EHR with the Synthea patients: one
 * request per section and the Patient read, nothing more. The clinicians and organizations the
 * medications and encounters name come with their searches (`_include`, as the sandbox's
 * CapabilityStatement lists under searchInclude), not one read each.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { EncounterRow, MedicationRow } from '../../common/chart';
import { CHART_SECTION_IDS } from '../../common/sessions';
import { SYNTHEA_DIR } from '../../sandbox/data/synthea-fixtures';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { tokenFor } from '../../sandbox/testing/oauth-driver';
import { sandboxChartService } from './testing/sandbox-chart';

let sandbox: Sandbox;
let token: string;
/** Meg Toy, the largest chart of fixtures/synthea-r4. */
const patientId = '138d4e0c-e3d3-460d-bead-7d0b2f86f33c';

beforeAll(async () => {
  sandbox = await startSandbox({ dataDir: SYNTHEA_DIR, autoApprove: true, quiet: true });
  token = (await tokenFor(sandbox.fhirBaseUrl, 'user/*.rs')).tokens.access_token;
});
afterAll(() => sandbox.stop());

it('opens the largest Synthea chart with one search per section and the Patient read, prescribers and clinicians included', async () => {
  const { service, pages, urls } = sandboxChartService(sandbox.fhirBaseUrl, token, { pageSize: 1000 });
  await service.open({ connectionId: 'sandbox', patientId });
  await vi.waitFor(() => expect(pages.filter((page) => page.done)).toHaveLength(CHART_SECTION_IDS.length), {
    timeout: 30_000,
    interval: 10,
  });
  expect(pages.filter((page) => page.state === 'error')).toEqual([]);
  const rows = <T>(section: string) => pages.filter((page) => page.section === section).flatMap((page) => page.rows as T[]);
  expect(rows<MedicationRow>('medications').every((row) => row.prescriber !== null)).toBe(true);
  expect(rows<EncounterRow>('encounters').some((row) => row.participants.length > 0)).toBe(true);
  // The CapabilityStatement, the Patient, and one search per section: no clinician or organization read by itself.
  const paths = urls.map((url) => new URL(url).pathname.replace(/^.*\/fhir\//, ''));
  expect(paths.filter((path) => path !== 'metadata').sort()).toEqual(
    [
      `Patient/${patientId}`,
      'AllergyIntolerance',
      'Condition',
      'DiagnosticReport',
      'DocumentReference',
      'Encounter',
      'Immunization',
      'MedicationRequest',
      'Observation',
      'Observation',
      'Procedure',
    ].sort(),
  );
});
