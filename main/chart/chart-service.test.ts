import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SectionPage } from '../../common/chart';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ChartSectionId } from '../../common/sessions';
import { type ChartService, createChartService } from './chart-service';
import { CHART_SECTION_IDS } from '../../common/sessions';
import { DEFAULT_MAX_REQUESTS_IN_FLIGHT } from '../fhir/in-flight-limiter';
import { type FakeServer, operationOutcome, startFakeServer } from '../fhir/testing/fake-http-server';
import { type FakeStoreOptions, fakeFhirStore } from './testing/fake-fhir-store';
import { FakeTokens } from '../fhir/testing/fake-tokens';
import { memoryLogger } from '../logging/testing/memory-logger';
import { DEFAULT_RETRY_POLICY } from '../fhir/retry-policy';
import { readReal } from './testing/real-fixtures';
import { loadSyntheaPatients, type SyntheaBundle } from './testing/synthea';

const CONNECTION = 'ehr-1';
/** What the session says once it has ended (the connection row shows the same). */
const SESSION_ENDED = 'Your session at Test EHR has ended. Sign in again.';
let patients: SyntheaBundle[];
let everything: SyntheaBundle['resources'];

beforeAll(() => {
  patients = loadSyntheaPatients();
  everything = patients.flatMap((bundle) => bundle.resources);
});

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

interface Harness {
  service: ChartService;
  pages: SectionPage[];
  server: FakeServer;
  tokens: FakeTokens;
}

async function harness(
  options: FakeStoreOptions & {
    granted?: ChartSectionId[];
    pageSize?: number;
    resources?: SyntheaBundle['resources'];
    fetch?: typeof fetch;
    maxRequestsInFlight?: number;
    /** Whether the session is still on; always, unless a test ends it. */
    signedIn?: () => boolean;
    now?: () => Date;
    /** Tries per request (the FHIR client's retry policy). */
    maxAttempts?: number;
  } = {},
): Promise<Harness> {
  // Like the sandbox, the fake advertises `_sort`: Observation sections come newest first, long ones in date windows.
  const server = await startFakeServer(fakeFhirStore(options.resources ?? everything, { advertiseSort: true, ...options }));
  servers.push(server);
  const pages: SectionPage[] = [];
  const tokens = new FakeTokens();
  const granted = options.granted ?? [...CHART_SECTION_IDS];
  const service = createChartService({
    sessionFor: (connectionId) => {
      if (connectionId !== CONNECTION || !(options.signedIn?.() ?? true)) throw new ChartDeskError('auth', SESSION_ENDED);
      return { fhirBaseUrl: server.baseUrl, tokens, grantedSections: granted, documentContent: true };
    },
    fetch: options.fetch ?? fetch,
    emit: (page) => pages.push(page),
    log: memoryLogger(),
    now: options.now ?? (() => new Date('2026-11-28T12:00:00Z')),
    options: {
      loader: { pageSize: options.pageSize ?? 100 },
      client: { timeoutMs: 5_000, retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: options.maxAttempts ?? 4 } },
      ...(options.maxRequestsInFlight ? { maxRequestsInFlight: options.maxRequestsInFlight } : {}),
    },
  });
  return { service, pages, server, tokens };
}

/** Resolves when every section of the load has sent its last page. */
async function untilDone(
  pages: SectionPage[],
  loadId: string,
  sections: readonly ChartSectionId[] = CHART_SECTION_IDS,
): Promise<void> {
  await vi.waitFor(
    () => {
      const done = new Set(pages.filter((page) => page.loadId === loadId && page.done).map((page) => page.section));
      expect([...done].sort()).toEqual([...sections].sort());
    },
    { timeout: 10_000, interval: 5 },
  );
}

function rowsOf(pages: SectionPage[], loadId: string, section: ChartSectionId) {
  return pages.filter((page) => page.loadId === loadId && page.section === section).flatMap((page) => page.rows);
}

/** Counts per section straight from the bundle, independent of the mappers. */
function expectedCounts(bundle: SyntheaBundle): Record<ChartSectionId, number> {
  const count = (type: string, category?: string) =>
    bundle.resources.filter(
      (resource) =>
        resource.resourceType === type && (!category || JSON.stringify(resource.category).includes(`"code":"${category}"`)),
    ).length;
  return {
    vitals: count('Observation', 'vital-signs'),
    labs: count('Observation', 'laboratory'),
    problems: count('Condition'),
    medications: count('MedicationRequest'),
    allergies: count('AllergyIntolerance'),
    immunizations: count('Immunization'),
    encounters: count('Encounter'),
    notes: count('DocumentReference'),
    // A report is listed with its document only; Synthea's reports are lab panels without one.
    reports: bundle.resources.filter((resource) => resource.resourceType === 'DiagnosticReport' && 'presentedForm' in resource)
      .length,
    procedures: count('Procedure'),
  };
}

/** The patient with the most vital signs of the set, so that they come in several pages (Meg Toy's 203 procedures would not). */
function richestPatient(): { bundle: SyntheaBundle; id: string } {
  const bundle = [...patients].sort((a, b) => expectedCounts(b).vitals - expectedCounts(a).vitals)[0];
  const id = bundle?.resources.find((resource) => resource.resourceType === 'Patient')?.id;
  if (!bundle || typeof id !== 'string') throw new Error('no Synthea patient');
  return { bundle, id };
}

describe('opening a chart', () => {
  it('answers with the banner, then streams every section with all of the patient’s records', async () => {
    const { bundle, id } = richestPatient();
    const { service, pages } = await harness({ pageSize: 25 });
    const opened = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(opened).toMatchObject({ fromCache: false, banner: { id, ageYears: expect.any(Number) as number } });
    expect(Object.values(opened.sections)).toEqual(CHART_SECTION_IDS.map(() => 'loading'));
    await untilDone(pages, opened.loadId);
    const expected = expectedCounts(bundle);
    for (const section of CHART_SECTION_IDS) {
      expect(rowsOf(pages, opened.loadId, section), section).toHaveLength(expected[section]);
      const ofSection = pages.filter((page) => page.section === section);
      expect(
        ofSection.filter((page) => page.done),
        section,
      ).toHaveLength(1);
      // The server's total counts every report searched, lab panels too; the rows are those with a document.
      const total =
        section === 'reports'
          ? bundle.resources.filter((resource) => resource.resourceType === 'DiagnosticReport').length
          : expected[section];
      expect(ofSection.at(-1)).toMatchObject({ done: true, state: 'complete', error: null, total });
    }
    expect(expected.vitals).toBeGreaterThan(25); // so the vitals came in several pages
    expect(pages.filter((page) => page.section === 'vitals').length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toMatchObject({ connectionId: CONNECTION, patientId: id, loadId: opened.loadId });
  });

  it('emits no page before open() has answered, so the renderer knows the loadId first', async () => {
    const { id } = richestPatient();
    const { service, pages } = await harness();
    const opened = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(pages).toHaveLength(0);
    await untilDone(pages, opened.loadId);
  });

  it('fetches the sections in parallel, up to the in-flight limit', async () => {
    const { id } = richestPatient();
    let inFlight = 0;
    let most = 0;
    const limit = 8; // fewer than the searches: they wait their turn, never more at once
    const { service, pages } = await harness({
      maxRequestsInFlight: limit,
      delay: (url) => {
        if (url.pathname.endsWith('/Patient/' + id) || url.pathname.endsWith('/metadata')) return 0;
        inFlight += 1;
        most = Math.max(most, inFlight);
        setTimeout(() => (inFlight -= 1), 100);
        return 100;
      },
      pageSize: 1000,
    });
    const started = Date.now();
    const opened = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, opened.loadId);
    // One search per section (the lab panels come with the reports section's DiagnosticReport search).
    const searches = CHART_SECTION_IDS.length;
    expect(searches).toBeGreaterThan(limit);
    expect(most).toBe(limit);
    expect(Date.now() - started).toBeLessThan(searches * 100);
  });

  it('delivers each page as it arrives: the first page is out while the next is still on the server', async () => {
    const { id } = richestPatient();
    let pagesBeforeSecondAnswer: number | null = null;
    const harnessed = await harness({
      pageSize: 10,
      delay: (url) => {
        if (url.pathname.endsWith('/Encounter') && url.searchParams.get('_offset') === '10') {
          // The second page is asked for at once (read-ahead) and held 400 ms; look half-way through.
          setTimeout(
            () => (pagesBeforeSecondAnswer = harnessed.pages.filter((page) => page.section === 'encounters').length),
            200,
          );
          return 400;
        }
        return 0;
      },
    });
    const opened = await harnessed.service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(harnessed.pages, opened.loadId);
    expect(pagesBeforeSecondAnswer).toBe(1);
  });

  it('reports sections the EHR did not grant as not-granted and never asks for them', async () => {
    const { id } = richestPatient();
    const { service, pages, server } = await harness({ granted: ['vitals', 'problems'] });
    const opened = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(opened.sections).toMatchObject({
      vitals: 'loading',
      problems: 'loading',
      labs: 'not-granted',
      medications: 'not-granted',
    });
    await untilDone(pages, opened.loadId);
    expect(pages.find((page) => page.section === 'labs')).toMatchObject({ state: 'not-granted', done: true, rows: [] });
    expect(
      server.requests.map((request) => request.url).filter((url) => /laboratory|MedicationRequest|Encounter/.test(url)),
    ).toEqual([]);
  });

  it('answers open() with a clear error when the patient does not exist', async () => {
    const { service } = await harness();
    await expect(service.open({ connectionId: CONNECTION, patientId: 'nobody' })).rejects.toMatchObject({
      code: 'not-found',
      message: "Reading the patient's record failed: nothing was found (HTTP 404). error: Patient/nobody not found",
    });
  });

  it('refuses to open a chart on a signed-out connection', async () => {
    const { service } = await harness();
    await expect(service.open({ connectionId: 'other', patientId: 'x' })).rejects.toBeInstanceOf(ChartDeskError);
    await expect(service.searchPatients('other', { name: 'x' })).rejects.toMatchObject({ code: 'auth' });
    await expect(service.open({ connectionId: CONNECTION, patientId: '../Observation' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('says "sign in again" when the session ends while the patient is still being read', async () => {
    // As when a section's 401 and failed refresh end the session before the Patient read has its own answer.
    const { id } = richestPatient();
    const { service, server } = await harness({ delay: (url) => (url.pathname.includes('/Patient/') ? 300 : 0) });
    const opening = service.open({ connectionId: CONNECTION, patientId: id });
    await vi.waitFor(() => expect(server.requests.some((request) => request.url.includes(`/Patient/${id}`))).toBe(true), {
      timeout: 10_000,
    });
    service.clear(CONNECTION);
    await expect(opening).rejects.toMatchObject({ code: 'auth', message: expect.stringMatching(/Sign in again/) });
  });
});

const sectionSearches = (server: FakeServer, patientId: string) =>
  server.requests.filter((request) => request.url.includes(`patient=${patientId}`)).length;

/** Resolves once the first section searches for the patient are at the server (the Patient read and the CapabilityStatement take a slot each). */
async function inFlight(server: FakeServer, patientId: string): Promise<void> {
  await vi.waitFor(() => expect(sectionSearches(server, patientId)).toBeGreaterThanOrEqual(DEFAULT_MAX_REQUESTS_IN_FLIGHT - 1));
}

describe('no wrong-patient views', () => {
  const twoPatients = () => {
    const ids = patients.map((bundle) => bundle.resources.find((resource) => resource.resourceType === 'Patient')?.id as string);
    return { first: ids[0] as string, second: ids[1] as string };
  };

  it('drops the late answers of the previous patient once another is opened (slow server)', async () => {
    const { first, second } = twoPatients();
    const { service, pages, server } = await harness({ delay: (url) => (url.searchParams.get('patient') === first ? 300 : 0) });
    const a = await service.open({ connectionId: CONNECTION, patientId: first });
    await inFlight(server, first);
    const b = await service.open({ connectionId: CONNECTION, patientId: second });
    await untilDone(pages, b.loadId);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the first patient's answers have come back by now
    expect(pages.filter((page) => page.loadId === a.loadId || page.patientId === first)).toEqual([]);
    expect(pages.every((page) => page.patientId === second && page.loadId === b.loadId)).toBe(true);
  });

  it('drops late answers even when the transport ignores cancellation', async () => {
    const { first, second } = twoPatients();
    const deaf: typeof fetch = (input, init) => fetch(input, { ...init, signal: null });
    const { service, pages, server } = await harness({
      fetch: deaf,
      delay: (url) => (url.searchParams.get('patient') === first ? 200 : 0),
    });
    const a = await service.open({ connectionId: CONNECTION, patientId: first });
    await inFlight(server, first);
    const b = await service.open({ connectionId: CONNECTION, patientId: second });
    await untilDone(pages, b.loadId);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(pages.filter((page) => page.loadId === a.loadId)).toEqual([]);
  });

  it('emits nothing after close() and aborts the requests in flight', async () => {
    const { first } = twoPatients();
    const aborted: string[] = [];
    const harnessed = await harness({
      delay: (url) => (url.pathname.includes('/Patient/') ? 0 : 300),
      onAbandoned: (url) => aborted.push(url.pathname),
    });
    harnessed.server.requests.length = 0;
    const opened = await harnessed.service.open({ connectionId: CONNECTION, patientId: first });
    await inFlight(harnessed.server, first);
    expect(harnessed.service.close(CONNECTION, opened.loadId)).toBeNull();
    const asked = sectionSearches(harnessed.server, first);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(harnessed.pages).toEqual([]);
    // Every search in flight was aborted, and the ones still waiting for a slot were never sent.
    expect(aborted).toHaveLength(asked);
    expect(asked).toBeLessThanOrEqual(DEFAULT_MAX_REQUESTS_IN_FLIGHT);
    expect(sectionSearches(harnessed.server, first)).toBe(asked);
  });

  it('cancels an open() still reading its patient when another patient is opened', async () => {
    const { first, second } = twoPatients();
    const { service, pages } = await harness({ delay: (url) => (url.pathname.endsWith(`/Patient/${first}`) ? 200 : 0) });
    // The first open() may fail before the second answers: its outcome is watched from the start.
    const a = expect(service.open({ connectionId: CONNECTION, patientId: first })).rejects.toMatchObject({ code: 'cancelled' });
    const b = await service.open({ connectionId: CONNECTION, patientId: second });
    await a;
    await untilDone(pages, b.loadId);
    expect(pages.every((page) => page.patientId === second)).toBe(true);
  });

  it('ends every section of the same chart opened again mid-section, the first load having freed its request slots', async () => {
    // As a reload or a second click does: the first load is stopped while every slot holds one of its searches.
    const { id } = richestPatient();
    const { service, pages, server } = await harness({
      maxRequestsInFlight: 2,
      pageSize: 25,
      delay: (url) => (url.pathname.includes('/Patient/') ? 0 : 150),
    });
    await service.open({ connectionId: CONNECTION, patientId: id });
    // Both slots hold section searches (the Patient read and the CapabilityStatement are answered by then).
    await vi.waitFor(() => expect(sectionSearches(server, id)).toBeGreaterThanOrEqual(2));
    const before = pages.length;
    const b = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(b.fromCache).toBe(false);
    await untilDone(pages, b.loadId);
    const since = pages.slice(before);
    expect(since.every((page) => page.loadId === b.loadId)).toBe(true);
    expect(since.filter((page) => page.done).map((page) => page.state)).toEqual(CHART_SECTION_IDS.map(() => 'complete'));
  });

  it('ignores close() of a load that is no longer current', async () => {
    const { first, second } = twoPatients();
    const { service, pages } = await harness();
    const a = await service.open({ connectionId: CONNECTION, patientId: first });
    const b = await service.open({ connectionId: CONNECTION, patientId: second });
    service.close(CONNECTION, a.loadId);
    await untilDone(pages, b.loadId);
  });
});

describe('cache, retry and fallbacks', () => {
  it('reopens a patient instantly from the in-memory cache, with the same rows and a new loadId', async () => {
    const { id } = richestPatient();
    const { service, pages, server } = await harness({ pageSize: 50 });
    const first = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, first.loadId);
    service.close(CONNECTION, first.loadId);
    const asked = server.requests.length;
    const started = performance.now();
    const again = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, again.loadId);
    const elapsed = performance.now() - started;
    expect(again.fromCache).toBe(true);
    expect(again.asOf).toBe(first.asOf);
    expect(again.offline).toBe(false);
    expect(again.loadId).not.toBe(first.loadId);
    // Only the patient is read again: the banner stays current, and an unreachable EHR is noticed.
    expect(server.requests.slice(asked).map((request) => request.url)).toEqual([expect.stringMatching(`/Patient/${id}$`)]);
    expect(elapsed).toBeLessThan(1_000); // one small read; generous for a busy machine
    for (const section of CHART_SECTION_IDS) {
      expect(rowsOf(pages, again.loadId, section)).toEqual(rowsOf(pages, first.loadId, section));
    }
  });

  it('reads a chart again once its cache is older than the age limit, and says when it was read (asOf)', async () => {
    const { id } = richestPatient();
    let now = new Date('2026-11-28T12:00:00Z');
    const { service, pages } = await harness({ now: () => now });
    const first = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(first.asOf).toBe('2026-11-28T12:00:00.000Z');
    await untilDone(pages, first.loadId);
    now = new Date('2026-11-28T12:09:00Z');
    const young = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(young).toMatchObject({ fromCache: true, asOf: '2026-11-28T12:00:00.000Z' });
    await untilDone(pages, young.loadId);
    now = new Date('2026-11-28T12:11:00Z');
    const old = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(old).toMatchObject({ fromCache: false, asOf: '2026-11-28T12:11:00.000Z' });
    await untilDone(pages, old.loadId);
  });

  it('reads the whole chart again on Refresh, whatever the cache holds', async () => {
    const { id } = richestPatient();
    const { service, pages, server } = await harness();
    const first = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, first.loadId);
    const asked = server.requests.length;
    const again = await service.open({ connectionId: CONNECTION, patientId: id, refresh: true });
    expect(again.fromCache).toBe(false);
    await untilDone(pages, again.loadId);
    // Every read and search again; only the server's capabilities, learnt once per session, are not asked twice.
    const urls = (from: number, to?: number) => server.requests.slice(from, to).map((request) => request.url);
    const firstTime = urls(0, asked);
    expect(firstTime.filter((url) => url.endsWith('/metadata'))).toHaveLength(1);
    expect(urls(asked).sort()).toEqual(firstTime.filter((url) => !url.endsWith('/metadata')).sort());
  });

  it('shows a cached chart marked offline when the EHR cannot be reached, and refuses one it never read', async () => {
    const { id } = richestPatient();
    let reachable = true;
    const unreachable: typeof fetch = (input, init) =>
      reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: ECONNREFUSED'));
    const { service, pages } = await harness({ fetch: unreachable, maxAttempts: 1 });
    const first = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, first.loadId);
    reachable = false;
    const offline = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(offline).toMatchObject({ fromCache: true, offline: true, asOf: first.asOf });
    await untilDone(pages, offline.loadId);
    for (const section of CHART_SECTION_IDS) {
      expect(rowsOf(pages, offline.loadId, section)).toEqual(rowsOf(pages, first.loadId, section));
    }
    // A refresh while offline is refused (the renderer keeps what it shows), and the cached chart stays.
    await expect(service.open({ connectionId: CONNECTION, patientId: id, refresh: true })).rejects.toMatchObject({
      code: 'network',
    });
    const other = patients.find((bundle) => bundle !== richestPatient().bundle)!;
    const otherId = String(other.resources.find((resource) => resource.resourceType === 'Patient')?.id);
    await expect(service.open({ connectionId: CONNECTION, patientId: otherId })).rejects.toMatchObject({ code: 'network' });
  });

  it('forgets the cache and the recent patients at sign-out (clear)', async () => {
    const { id } = richestPatient();
    const { service, pages } = await harness();
    const first = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, first.loadId);
    expect(service.recentPatients().map((patient) => [patient.connectionId, patient.id])).toEqual([[CONNECTION, id]]);
    service.clear(CONNECTION);
    expect(service.recentPatients()).toEqual([]);
    const again = await service.open({ connectionId: CONNECTION, patientId: id });
    expect(again.fromCache).toBe(false);
    await untilDone(pages, again.loadId);
  });

  it('keeps the charts of the signed-in connections only (keepOnly)', async () => {
    const { id } = richestPatient();
    const { service, pages } = await harness();
    const first = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, first.loadId);
    service.keepOnly(new Set([CONNECTION]));
    expect(service.recentPatients().map((patient) => patient.id)).toEqual([id]);
    service.keepOnly(new Set(['another-connection']));
    expect(service.recentPatients()).toEqual([]);
  });

  it('answers with the session’s own message, not "cancelled", when the session ends while the patient is read', async () => {
    const { id } = richestPatient();
    let signedIn = true;
    let patientAsked!: () => void;
    const asked = new Promise<void>((resolve) => (patientAsked = resolve));
    const { service } = await harness({
      signedIn: () => signedIn,
      fetch: (input, init) => {
        if (String(input).endsWith(`/Patient/${id}`)) patientAsked();
        return fetch(input, init);
      },
    });
    const opening = service.open({ connectionId: CONNECTION, patientId: id });
    await asked;
    // What the app does when a refresh fails elsewhere: the session ends, and its chart is dropped.
    signedIn = false;
    service.keepOnly(new Set());
    await expect(opening).rejects.toMatchObject({ code: 'auth', message: SESSION_ENDED });
  });

  it('shows a section error with the server’s message, and retrying that section fills it', async () => {
    const { bundle, id } = richestPatient();
    let failing = true;
    const { service, pages } = await harness({
      fault: (url) =>
        failing && url.pathname.endsWith('/Condition')
          ? { status: 500, body: operationOutcome('Condition index rebuilding') }
          : null,
    });
    const opened = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, opened.loadId);
    expect(pages.find((page) => page.section === 'problems')).toMatchObject({
      state: 'error',
      done: true,
      error: 'Looking up problems failed: the server failed (HTTP 500). error: Condition index rebuilding',
    });
    failing = false;
    pages.length = 0;
    await expect(service.retrySection(CONNECTION, opened.loadId, 'problems')).resolves.toBeNull();
    await untilDone(pages, opened.loadId, ['problems']);
    expect(rowsOf(pages, opened.loadId, 'problems')).toHaveLength(expectedCounts(bundle).problems);
    await expect(service.retrySection(CONNECTION, 'stale', 'problems')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('falls back to the server’s default page size when it refuses a large _count', async () => {
    const { bundle, id } = richestPatient();
    const { service, pages, server } = await harness({ maxCount: 50, pageSize: 500 });
    const opened = await service.open({ connectionId: CONNECTION, patientId: id });
    await untilDone(pages, opened.loadId);
    expect(rowsOf(pages, opened.loadId, 'vitals')).toHaveLength(expectedCounts(bundle).vitals);
    expect(
      server.requests.some((request) => request.url.includes('category=vital-signs') && !request.url.includes('_count')),
    ).toBe(true);
  });

  it('resolves medicationReference from _include, or by reading the Medication when _include is refused', async () => {
    const patient = { resourceType: 'Patient', id: 'pm', name: [{ family: 'Med' }] };
    const medication = { resourceType: 'Medication', id: 'med-1', code: { text: 'Lisinopril 10 mg' } };
    const request = {
      resourceType: 'MedicationRequest',
      id: 'mr-1',
      status: 'active',
      subject: { reference: 'Patient/pm' },
      medicationReference: { reference: 'Medication/med-1' },
    };
    for (const rejectInclude of [false, true]) {
      const { service, pages, server } = await harness({ resources: [patient, medication, request], rejectInclude });
      const opened = await service.open({ connectionId: CONNECTION, patientId: 'pm' });
      await untilDone(pages, opened.loadId);
      expect(rowsOf(pages, opened.loadId, 'medications')).toMatchObject([{ medication: { text: 'Lisinopril 10 mg' } }]);
      expect(server.requests.some((item) => item.url === '/fhir/Medication/med-1')).toBe(rejectInclude);
    }
  });
});

describe('reads shared by the sections of a load', () => {
  const patient = { resourceType: 'Patient', id: 'ps', name: [{ family: 'Shared' }] };
  const doctor = { resourceType: 'Practitioner', id: 'dr-1', name: [{ family: 'Osler', given: ['William'] }] };
  const request = {
    resourceType: 'MedicationRequest',
    id: 'mr-1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/ps' },
    medicationCodeableConcept: { text: 'Lisinopril 10 mg' },
    requester: { reference: 'Practitioner/dr-1' },
  };
  const visit = {
    resourceType: 'Encounter',
    id: 'enc-1',
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: 'Patient/ps' },
    participant: [{ individual: { reference: 'Practitioner/dr-1' } }],
    period: { start: '2026-11-01T09:00:00Z' },
  };
  const potassium = {
    resourceType: 'Observation',
    id: 'k-1',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }], text: 'Potassium' },
    subject: { reference: 'Patient/ps' },
    effectiveDateTime: '2026-11-01T09:30:00Z',
    valueQuantity: { value: 4.1, unit: 'mmol/L' },
  };
  const panel = {
    resourceType: 'DiagnosticReport',
    id: 'bmp-1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '51990-0' }], text: 'Basic metabolic panel' },
    subject: { reference: 'Patient/ps' },
    effectiveDateTime: '2026-11-01T09:30:00Z',
    result: [{ reference: 'Observation/k-1' }],
  };

  it('reads a clinician named by two sections once, and searches DiagnosticReport once for the reports and the lab panels', async () => {
    const { service, pages, server } = await harness({ resources: [patient, doctor, request, visit, potassium, panel] });
    const opened = await service.open({ connectionId: CONNECTION, patientId: 'ps' });
    await untilDone(pages, opened.loadId);
    expect(rowsOf(pages, opened.loadId, 'medications')).toMatchObject([{ prescriber: 'William Osler' }]);
    expect(rowsOf(pages, opened.loadId, 'encounters')).toMatchObject([{ participants: [{ name: 'William Osler' }] }]);
    expect(rowsOf(pages, opened.loadId, 'labs')).toMatchObject([
      { panel: { id: 'bmp-1', name: { text: 'Basic metabolic panel' } } },
    ]);
    const urls = server.requests.map((item) => item.url);
    expect(urls.filter((url) => url === '/fhir/Practitioner/dr-1')).toHaveLength(1);
    expect(urls.filter((url) => url.startsWith('/fhir/DiagnosticReport?'))).toHaveLength(1);
  });

  it('reads the lab panels itself when the reports section is not granted', async () => {
    const granted = CHART_SECTION_IDS.filter((section) => section !== 'reports');
    const { service, pages, server } = await harness({ resources: [patient, potassium, panel], granted });
    const opened = await service.open({ connectionId: CONNECTION, patientId: 'ps' });
    await untilDone(pages, opened.loadId);
    expect(rowsOf(pages, opened.loadId, 'labs')).toMatchObject([
      { panel: { id: 'bmp-1', name: { text: 'Basic metabolic panel' } } },
    ]);
    expect(server.requests.filter((item) => item.url.startsWith('/fhir/DiagnosticReport?'))).toHaveLength(1);
  });

  it('shows the labs without panels when the reports search fails', async () => {
    const { service, pages } = await harness({
      resources: [patient, potassium, panel],
      fault: (url) =>
        url.pathname.endsWith('/DiagnosticReport') ? { status: 403, body: operationOutcome('not granted') } : null,
    });
    const opened = await service.open({ connectionId: CONNECTION, patientId: 'ps' });
    await untilDone(pages, opened.loadId);
    const labs = rowsOf(pages, opened.loadId, 'labs');
    expect(labs.map((row) => row.id)).toEqual(['k-1']);
    expect(labs[0]).not.toHaveProperty('panel');
    expect(pages.find((page) => page.section === 'reports' && page.done)?.state).toBe('error');
  });
});

describe('patient search and recent patients', () => {
  it('finds patients by name, birth date and identifier', async () => {
    const { bundle, id } = richestPatient();
    const patient = bundle.resources.find((resource) => resource.resourceType === 'Patient') as unknown as {
      name: Array<{ family: string }>;
      birthDate: string;
    };
    const { service } = await harness();
    const byName = await service.searchPatients(CONNECTION, { name: patient.name[0]?.family ?? '' });
    expect(byName.map((result) => result.id)).toContain(id);
    const byBoth = await service.searchPatients(CONNECTION, {
      name: patient.name[0]?.family ?? '',
      birthDate: patient.birthDate,
    });
    expect(byBoth).toEqual([expect.objectContaining({ id, birthDate: patient.birthDate })]);
    const mrn = byName.find((result) => result.id === id)?.mrn;
    expect(mrn).toBeTruthy();
    const byIdentifier = await service.searchPatients(CONNECTION, { identifier: mrn ?? '' });
    expect(byIdentifier.map((result) => result.id)).toEqual([id]);
    await expect(service.searchPatients(CONNECTION, {})).rejects.toMatchObject({ code: 'invalid-input' });
  });

  it('keeps the opened patients most recent first, without duplicates', async () => {
    const ids = patients
      .slice(0, 3)
      .map((bundle) => bundle.resources.find((resource) => resource.resourceType === 'Patient')?.id as string);
    const { service } = await harness({ granted: [] });
    for (const id of [...ids, ids[0] as string]) await service.open({ connectionId: CONNECTION, patientId: id });
    expect(service.recentPatients().map((patient) => patient.id)).toEqual([ids[0], ids[2], ids[1]]);
  });
});

describe('opening a note’s attachment', () => {
  const soap = () => readReal('us-core/DocumentReference-soap-note.json') as SyntheaBundle['resources'][number];

  it('reads the document again from the session’s FHIR server, with its token, and answers its text', async () => {
    const { service, server } = await harness({ resources: [soap()] });
    const content = await service.attachment(CONNECTION, {
      patientId: 'example',
      resourceType: 'DocumentReference',
      id: 'soap-note',
      index: 0,
    });
    expect(content.text).toMatch(/^S: Patient complained of sore toe/);
    expect(server.requests.map((request) => [request.url, request.authorization])).toEqual([
      ['/fhir/DocumentReference/soap-note', expect.stringMatching(/^Bearer /)],
    ]);
  });

  it('answers a refusal with its reason, and a connection without a session with the session’s message', async () => {
    const { service } = await harness({ resources: [soap()] });
    const refused = await service
      .attachment(CONNECTION, { patientId: 'someone-else', resourceType: 'DocumentReference', id: 'soap-note', index: 0 })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChartDeskError);
    expect((refused as ChartDeskError).code).toBe('forbidden');
    const ended = await service
      .attachment('another-connection', { patientId: 'example', resourceType: 'DocumentReference', id: 'soap-note', index: 0 })
      .catch((error: unknown) => error);
    expect((ended as ChartDeskError).code).toBe('auth');
  });
});
