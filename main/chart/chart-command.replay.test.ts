import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChartDocument, chartDocument } from '../../common/chart-document';
import { applyPage, displayedRows, emptySection, SECTION_COLUMNS, sectionMessages } from '../../common/section-view';
import { withdrawnSentences } from '../../common/withdrawn';
import { cellText, type Column } from '../../common/section-columns';
import type { ChartSectionId } from '../../common/sessions';
import { createFhirClient } from '../fhir/fhir-client';
import { parseSearchBundle } from '../fhir/search-bundle';
import { memoryLogger } from '../logging/testing/memory-logger';
import { EXIT, runChartCommand } from './chart-command';
import { believableTotal, pageNotices } from './page-checks';
import { tally } from './mappers/withdrawn';
import { SECTION_QUERIES, type SectionQuery } from './section-queries';
import { readReal } from './testing/real-fixtures';
import { chartCommandJson, loadOpenChart } from './testing/run-chart-command';
import { loadRecording, REAL_FIXTURES_DIR, type ReplayServer, startReplayServer } from './testing/replay-server';

/**
 * The replay level for issue 16: the chart command's own code path (the app's chart service, loader and
 * mappers, the renderer's display) against recorded EHR answers served verbatim, for every recorded
 * patient; then every recorded searchset through the sections' mapping and display.
 */

type Json = Record<string, unknown>;
const TODAY = () => new Date('2026-11-28T12:00:00Z');
const ROOT = path.resolve(REAL_FIXTURES_DIR, '../..');
const RECORDINGS = ['epic-sandbox-camila', 'oracle-health-docs', 'hl7-search-warning'];
const SECTIONS_OF: Record<string, ChartSectionId[]> = {
  Observation: ['vitals', 'labs'],
  Condition: ['problems'],
  MedicationRequest: ['medications'],
  AllergyIntolerance: ['allergies'],
  Immunization: ['immunizations'],
  Encounter: ['encounters'],
};
const BAD_TEXT = /undefined|\bnull\b|NaN|\[object Object\]/;
/** A flag is words ("Low", "Critical high", the EHR's own text) or nothing: never a bare number or a local code. */
const FLAG_TEXT = /^(—|[A-Za-z(][^\d]*)$/;
const FULL_SSN = /\b\d{3}-\d{2}-\d{4}\b/;

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const entriesOf = (pages: Json[]): Json[] =>
  pages.flatMap((page) =>
    ((page.entry ?? []) as Array<{ resource?: Json }>).flatMap((entry) => (entry.resource ? [entry.resource] : [])),
  );

/** Ids of the resources the EHR marked entered in error (any status element, trailing spaces and all). */
function enteredInError(resources: Json[]): Set<string> {
  const says = (value: unknown) => JSON.stringify(value ?? '').includes('entered-in-error');
  return new Set(
    resources
      .filter((resource) => says(resource.status) || says(resource.verificationStatus))
      .map((resource) => String(resource.id)),
  );
}

/** The sections a recorded search feeds: an Observation search by its category, else by resource type. */
function sectionsFed(self: URL): ChartSectionId[] {
  const type = self.pathname.split('/').at(-1) ?? '';
  const category = self.searchParams.get('category');
  if (type === 'Observation' && category)
    return category === 'laboratory' ? ['labs'] : category === 'vital-signs' ? ['vitals'] : [];
  return SECTIONS_OF[type] ?? [];
}

const selfOf = (page: Json) => new URL(String(((page.link ?? []) as Json[]).find((link) => link.relation === 'self')?.url));

/** The MRN as the recorded Patient gives it: typed MR, or by text (Epic's EPI). */
function recordedMrn(patient: Json): string | null {
  const identifiers = (patient.identifier ?? []) as Array<{ type?: Json; value?: string; period?: { end?: string } }>;
  const mrn = identifiers.find(
    (identifier) =>
      !identifier.period?.end &&
      (JSON.stringify(identifier.type ?? {}).includes('"MR"') || /^(EPI|MRN)$/.test(String(identifier.type?.text))),
  );
  return mrn?.value ?? null;
}

/** Whether a recorded page says the EHR withheld results (read as the FHIR client reads it). */
function withholds(page: Json): boolean {
  const type = selfOf(page).pathname.split('/').at(-1) ?? '';
  return pageNotices(parseSearchBundle(page, type, 'replay')).some((notice) => notice.startsWith('The EHR withheld'));
}

/** Every cell, field and notice of a chart document. */
function texts(document: ChartDocument): string[] {
  return [
    document.patient.name,
    ...Object.values(document.patient.fields),
    ...Object.values(document.sections).flatMap((section) => [
      ...section.notices,
      ...section.rows.flatMap((row) => Object.values(row)),
    ]),
  ];
}

function expectCleanCells(document: ChartDocument, where: string): void {
  for (const text of texts(document)) expect(text, where).not.toMatch(BAD_TEXT);
  expect(JSON.stringify(document), where).not.toMatch(FULL_SSN);
  for (const section of Object.values(document.sections)) {
    for (const row of section.rows) {
      if ('Flag' in row) expect(row.Flag, where).toMatch(FLAG_TEXT);
    }
  }
}

describe('every recorded patient, through the chart command', () => {
  const patients = RECORDINGS.flatMap((name) =>
    loadRecording(name)
      .reads.filter((resource) => resource.resourceType === 'Patient')
      .map((patient) => ({ name, patient })),
  );

  it('finds the recorded patients', () => {
    expect(patients.map(({ patient }) => patient.id)).toEqual(['erXuFYUfucBZaryVksYEcMg3', '12724067', '12742633']);
  });

  it.each(patients.map(({ name, patient }) => [name, String(patient.id), patient] as const))(
    '%s, patient %s: no entered-in-error row, the MRN shown, no full SSN, a notice where results were withheld, words for flags, no "undefined"',
    async (name, patientId, patient) => {
      const recording = loadRecording(name);
      server = await startReplayServer(recording);
      const chart = await loadOpenChart(server.replayBase, patientId, TODAY);
      const document = chartDocument(chart.banner, chart.sections, TODAY());

      const hidden = enteredInError([...recording.reads, ...entriesOf(recording.searches.flat())]);
      for (const section of Object.values(chart.sections)) {
        for (const row of section.rows) expect(hidden.has(row.id), `${section.id} ${row.id}`).toBe(false);
      }
      expect(document.patient.fields.MRN).toBe(recordedMrn(patient) ?? 'none');
      expectCleanCells(document, `${name}/${patientId}`);
      const withheld = recording.searches
        .flat()
        .filter((page) => selfOf(page).searchParams.get('patient') === patientId && withholds(page))
        .flatMap((page) => sectionsFed(selfOf(page)));
      for (const id of withheld) expect(document.sections[id].notices.join(' '), `${patientId} ${id}`).toMatch(/withheld/);
      if (patientId === 'erXuFYUfucBZaryVksYEcMg3') expect(withheld).toEqual(['labs']);
    },
  );

  it("shows Epic's withheld labs as a notice, not as an empty record, and the encounters with their classes in words", async () => {
    server = await startReplayServer(loadRecording('epic-sandbox-camila'));
    const { code, document } = await chartCommandJson(server.replayBase, 'erXuFYUfucBZaryVksYEcMg3', TODAY);
    expect(code).toBe(EXIT.loaded);
    expect(document.sections.labs).toEqual({
      state: 'complete',
      rows: [],
      notices: [
        'The EHR withheld some results: Client not authorized for Observation - Outside Record Results. Search results of this type have not been included.',
        'None received from the EHR.',
      ],
    });
    expect(document.sections.encounters.rows).toHaveLength(10);
    expect(document.sections.encounters.rows[0]).toEqual({
      Date: expect.stringMatching(/^6 Jun 2023 \d\d:\d\d/),
      Encounter: expect.any(String),
      Class: expect.stringMatching(/^(Preadmission|Surgery Log)$/),
      Status: expect.any(String),
      Reason: '—',
      Location: expect.any(String),
    });
    // The recording holds no allergy search: the banner says the allergies are unknown, never that there are none.
    expect(document.sections.allergies.state).toBe('error');
    expect(document.patient).toEqual({
      name: 'Camila Maria Lopez',
      fields: { Born: '12 Sep 1987', Age: '39 y', Sex: 'Female', MRN: '203713', Allergies: 'Could not be loaded: see Allergies' },
    });
  });

  it("masks an SSN sent with Epic's OID (derived/Patient-erXuFYUfucBZaryVksYEcMg3-ssn.json)", async () => {
    const recording = loadRecording('epic-sandbox-camila');
    const withSsn = { ...recording, reads: [readReal('derived/Patient-erXuFYUfucBZaryVksYEcMg3-ssn.json')] };
    server = await startReplayServer(withSsn);
    const chart = await loadOpenChart(server.replayBase, 'erXuFYUfucBZaryVksYEcMg3', TODAY);
    expect(JSON.stringify(chart)).not.toContain('999-45-6789');
    expect(JSON.stringify(chartDocument(chart.banner, chart.sections, TODAY()))).not.toMatch(FULL_SSN);
  });
});

describe('the command itself', () => {
  it('sends the bearer token to the EHR and never prints or logs it', async () => {
    server = await startReplayServer(loadRecording('epic-sandbox-camila'));
    const out: string[] = [];
    const err: string[] = [];
    const token = 'eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LWNoYXJ0LXRva2Vu.c2lnbmF0dXJl';
    const code = await runChartCommand([server.replayBase, '--patient', 'erXuFYUfucBZaryVksYEcMg3', '--bearer', token], {
      fetch,
      env: {},
      write: (text) => out.push(text),
      error: (text) => err.push(text),
      now: TODAY,
    });
    expect(code).toBe(EXIT.loaded);
    expect(server.requests.every((request) => request.authorization === `Bearer ${token}`)).toBe(true);
    expect(out.join('')).toContain('Patient: Camila Maria Lopez');
    expect(out.join('') + err.join('')).not.toContain(token);
    expect(out.join('') + err.join('')).not.toContain('c2VjcmV0LWNoYXJ0LXRva2Vu');
  });

  it('exits 2 when the server cannot be reached, 1 when it answers but the chart cannot be opened, 64 for bad usage', async () => {
    server = await startReplayServer(loadRecording('epic-sandbox-camila'));
    const base = server.replayBase;
    const io = { fetch, env: {}, write: () => undefined, error: () => undefined, now: TODAY };
    expect(await runChartCommand([base, '--patient', 'not-recorded'], io)).toBe(EXIT.notLoaded);
    await server.close();
    server = undefined;
    expect(await runChartCommand([base, '--patient', 'erXuFYUfucBZaryVksYEcMg3'], io)).toBe(EXIT.unreachable);
    expect(await runChartCommand([base], io)).toBe(EXIT.usage);
    expect(await runChartCommand(['http://ehr.example.org/fhir', '--patient', 'p'], io)).toBe(EXIT.usage);
    expect(await runChartCommand([base, '--patient', '../etc'], io)).toBe(EXIT.usage);
  });

  it('runs as `npm run -s chart` with the token from the environment, one JSON document on stdout', async () => {
    server = await startReplayServer(loadRecording('epic-sandbox-camila'));
    const token = 'environment-token-7f3a9c';
    const { stdout, stderr } = await promisify(execFile)(
      'npm',
      ['run', '-s', 'chart', '--', server.replayBase, '--patient', 'erXuFYUfucBZaryVksYEcMg3', '--json'],
      { cwd: ROOT, env: { ...process.env, CHARTDESK_BEARER_TOKEN: token }, timeout: 60_000 },
    );
    const document = JSON.parse(stdout) as ChartDocument;
    expect(document.patient.fields.MRN).toBe('203713');
    expect(server.requests[0]?.authorization).toBe(`Bearer ${token}`);
    expect(stdout + stderr).not.toContain(token);
  }, 90_000);
});

describe('every recorded searchset, through the sections it feeds', () => {
  const searches = RECORDINGS.flatMap((name) => loadRecording(name).searches.map((pages) => ({ name, pages })));

  it.each(searches.map(({ name, pages }) => [name, selfOf(pages[0] ?? {}).href, pages] as const))(
    '%s %s: no entered-in-error row but a count of them, words for flags, no "undefined" in any cell',
    async (name, href, pages) => {
      server = await startReplayServer(loadRecording(name));
      const open = { getAccessToken: () => Promise.resolve(''), refreshAfterUnauthorized: () => Promise.resolve(null) };
      const client = createFhirClient({ baseUrl: server.replayBase, tokens: open, fetch, log: memoryLogger() });
      const self = new URL(href);
      const type = self.pathname.split('/').at(-1) ?? '';
      // The first page only: the recorded next pages were not published.
      const first = await client.search(type, Object.fromEntries(self.searchParams)).next();
      if (first.done) throw new Error(`No page for ${href}`);
      const page = first.value;
      const hidden = enteredInError(entriesOf(pages));
      let counted = 0;
      for (const id of SECTIONS_OF[type] ?? []) {
        const query: SectionQuery<ChartSectionId> = SECTION_QUERIES[id];
        const { rows, withdrawn } = tally(page.matches.map((resource) => query.map(resource, () => null)));
        const section = applyPage(emptySection(id, 'loading'), {
          connectionId: 'replay',
          patientId: 'replay',
          loadId: 'replay',
          section: id,
          rows,
          done: true,
          state: 'complete',
          error: null,
          total: believableTotal(page, page.matches.length),
          notices: pageNotices(page),
          otherPatient: 0,
          withdrawn,
          newestSince: null,
        });
        for (const row of section.rows) expect(hidden.has(row.id), `${id} ${row.id}`).toBe(false);
        counted += section.withdrawn['entered-in-error'];
        const said = sectionMessages(section, section.rows.length).filter((message) => message.kind === 'withdrawn');
        expect(said.map((message) => message.text)).toEqual(withdrawnSentences(section.withdrawn));
        const columns = SECTION_COLUMNS[id] as ReadonlyArray<Column<unknown>>;
        for (const row of displayedRows(id, section.rows)) {
          for (const column of columns) {
            const text = cellText(column, row);
            expect(text, `${id} ${column.label}`).not.toMatch(BAD_TEXT);
            if (column.label === 'Flag') expect(text).toMatch(FLAG_TEXT);
          }
        }
      }
      // Each record the EHR marked entered in error is counted by the one section of its kind.
      expect(counted, href).toBe(hidden.size);
    },
  );
});
