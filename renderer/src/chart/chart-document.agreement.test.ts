import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PatientBanner as Banner, SectionRows } from '../../../common/chart';
import type { SectionSnapshot } from '../../../common/section-view';
import { type ChartDocument, chartDocument } from '../../../common/chart-document';
import { CHART_SECTION_IDS, type ChartSectionId } from '../../../common/sessions';
import { EXIT } from '../../../main/chart/chart-command';
import type { ChartSections as Snapshots } from '../../../main/chart/headless-chart';
import { mapPatientBanner } from '../../../main/chart/mappers/map-patient';
import { tally } from '../../../main/chart/mappers/withdrawn';
import { SECTION_QUERIES } from '../../../main/chart/section-queries';
import { realMatches, realResource } from '../../../main/chart/testing/real-fixtures';
import { chartCommandJson, loadOpenChart } from '../../../main/chart/testing/run-chart-command';
import { loadRecording, type ReplayServer, startReplayServer } from '../../../main/chart/testing/replay-server';
import { SectionStore, type ChartSections } from '../lib/state/chart.svelte';
import { fakeLayout } from '../testing/layout';
import ChartView from './ChartView.svelte';
import PatientBanner from './PatientBanner.svelte';

vi.mock('uplot', () => import('../testing/uplot-mock'));

/**
 * The `chart` command's JSON is what the renderer shows: the same chart rendered by ChartView and
 * PatientBanner, read back from the DOM (headers, cells, messages, banner fields), equals the document.
 */

const TODAY = () => new Date('2026-11-28T12:00:00Z');
const MESSAGE_IDS = [
  'section-error',
  'section-notice',
  'section-statement',
  'section-partial',
  'section-empty',
  'section-withdrawn',
  'section-not-granted',
];

/** An element's visible text: without screen-reader-only words or sort arrows (a message's Retry button aside). */
function shown(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll('.visually-hidden, [aria-hidden="true"], [data-testid="section-retry"]').forEach((node) => node.remove());
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function renderedBanner(banner: Banner, allergies: SectionSnapshot<'allergies'>): ChartDocument['patient'] {
  const { unmount } = render(PatientBanner, { props: { banner, source: 'Replay', allergies } });
  const name = shown(screen.getByTestId('banner-name'));
  const fields = Object.fromEntries(
    screen.getAllByTestId('banner-field').map((field) => [shown(field.querySelector('dt')!), shown(field.querySelector('dd')!)]),
  );
  unmount();
  return { name, fields };
}

function tableRows(panel: HTMLElement): Array<Record<string, string>> {
  const headers = [...panel.querySelectorAll('[role="columnheader"]')].map(shown).filter((header) => header !== '');
  return [...panel.querySelectorAll('[data-testid="table-row"]')].map((row) => {
    const cells = [...row.querySelectorAll('[role="cell"]')].filter((cell) => cell.querySelector('button') === null);
    return Object.fromEntries(headers.map((header, index) => [header, shown(cells[index]!)]));
  });
}

function timelineRows(panel: HTMLElement): Array<Record<string, string>> {
  return [...panel.querySelectorAll('[data-testid="encounter"]')].map((entry) => {
    const fields = Object.fromEntries(
      [...entry.querySelectorAll('[data-field]')].map((field) => [field.getAttribute('data-field')!, shown(field)]),
    );
    // The timeline leaves an empty field out where the document writes a dash.
    return Object.fromEntries(
      ['Date', 'Encounter', 'Class', 'Status', 'Reason', 'Location'].map((label) => [label, fields[label] ?? '—']),
    );
  });
}

/** The summary as shown: each group's title, items (their parts by name) and note. */
function renderedSummary(): ChartDocument['summary'] {
  return screen.getAllByTestId('summary-group').map((group) => ({
    title: shown(group.querySelector('[data-testid="summary-title"]')!),
    note: group.querySelector('[data-testid="summary-note"]')
      ? shown(group.querySelector('[data-testid="summary-note"]')!)
      : null,
    items: [...group.querySelectorAll('[data-testid="summary-item"]')].map((item) =>
      Object.fromEntries([...item.querySelectorAll('[data-part]')].map((part) => [part.getAttribute('data-part')!, shown(part)])),
    ),
  }));
}

async function renderedChart(snapshots: Snapshots): Promise<Pick<ChartDocument, 'summary' | 'sections'>> {
  const stores = Object.fromEntries(
    CHART_SECTION_IDS.map((id) => {
      const store = new SectionStore(id, snapshots[id].state);
      Object.assign(store, {
        rows: snapshots[id].rows,
        error: snapshots[id].error,
        total: snapshots[id].total,
        notices: snapshots[id].notices,
        withdrawn: snapshots[id].withdrawn,
      });
      return [id, store];
    }),
  ) as ChartSections;
  render(ChartView, { props: { sections: stores, onretry: vi.fn(), now: TODAY() } });
  const summary = renderedSummary();
  const sections = {} as ChartDocument['sections'];
  for (const id of CHART_SECTION_IDS) {
    await fireEvent.click(screen.getByTestId(`tab-${id}`));
    const panel = screen.getByTestId(`section-${id}`);
    const notices = [...panel.querySelectorAll('[data-testid]')]
      .filter((node) => MESSAGE_IDS.includes(node.getAttribute('data-testid')!))
      .map(shown);
    let rows = id === 'encounters' ? timelineRows(panel) : tableRows(panel);
    if (id === 'problems') {
      // Every problem view in turn: the document lists the rows of all of them.
      const seen = new Map<string, Record<string, string>>();
      for (const filter of ['problem-list', 'active', 'resolved', 'diagnoses']) {
        const radio = panel.querySelector(`[data-testid="problem-filter-${filter}"]`);
        if (radio) await fireEvent.click(radio);
        for (const row of tableRows(panel)) seen.set(JSON.stringify(row), row);
      }
      rows = [...seen.values()];
    }
    if (id === 'labs') {
      // The renderer opens labs by panel; the table lists every result, as the document does.
      const table = panel.querySelector('[data-testid="lab-layout-table"]');
      if (table) await fireEvent.click(table);
      rows = tableRows(panel);
    }
    if (id === 'medications') {
      // The renderer opens on active medications; "All" lists what the document lists.
      const all = panel.querySelector('[data-testid="medication-filter-all"]');
      if (all) await fireEvent.click(all);
      rows = tableRows(panel);
    }
    sections[id] = { state: panel.dataset['state'] as ChartDocument['sections'][ChartSectionId]['state'], rows, notices };
  }
  return { summary, sections };
}

/** Problems are compared as a set: the renderer shows them filter by filter, the document all at once. */
function comparable(chart: Pick<ChartDocument, 'summary' | 'sections'>) {
  // Whitespace as the screen shows it (`shown`): a no-break space in an EHR's name reads as a space.
  const { summary, sections } = JSON.parse(JSON.stringify(chart).replace(/\u00a0/g, ' ')) as typeof chart;
  const problems = sections.problems.rows.map((row) => JSON.stringify(row)).sort();
  return { summary, sections: { ...sections, problems: { ...sections.problems, rows: problems } } };
}

/** A section built from real examples, as the loader's mapping delivers them (withdrawn records counted). */
function snapshot<S extends ChartSectionId>(id: S, resources: unknown[]): SectionSnapshot<S> {
  const { rows, withdrawn } = tally(resources.map((resource) => SECTION_QUERIES[id].map(resource, () => null)));
  return {
    id,
    state: 'complete',
    rows: rows as Array<SectionRows[S]>,
    error: null,
    total: null,
    notices: [],
    otherPatient: 0,
    withdrawn,
    newestSince: null,
  };
}

describe('the chart document agrees with the renderer', () => {
  let restore: () => void;
  let server: ReplayServer | undefined;
  beforeAll(() => {
    restore = fakeLayout(20_000, 1400);
  });
  afterAll(() => restore());
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('for the replayed Epic patient: `chart --json` equals what ChartView and PatientBanner show', async () => {
    server = await startReplayServer(loadRecording('epic-sandbox-camila'));
    const chart = await loadOpenChart(server.replayBase, 'erXuFYUfucBZaryVksYEcMg3', TODAY);
    const { code, document } = await chartCommandJson(server.replayBase, 'erXuFYUfucBZaryVksYEcMg3', TODAY);
    expect(code).toBe(EXIT.loaded);
    expect(document).toEqual(chartDocument(chart.banner, chart.sections, TODAY()));
    expect(renderedBanner(chart.banner, chart.sections.allergies)).toEqual(document.patient);
    expect(comparable(await renderedChart(chart.sections))).toEqual(comparable(document));
    expect(document.sections.encounters.rows).toHaveLength(10);
  }, 30_000);

  it('for a chart of real Oracle Health, HL7 and derived examples in every section', async () => {
    const banner = mapPatientBanner(realResource('hl7-r4-examples/Patient-pat3.json'), TODAY())!;
    const sections: Snapshots = {
      vitals: snapshot('vitals', [
        ...realMatches('oracle-health/r4-observation-bundle.json'),
        ...realMatches('oracle-health/r4-observation-revinclude-bundle.json'),
      ]),
      labs: snapshot('labs', [
        ...realMatches('oracle-health/r4-observation-patient-bundle.json'),
        ...realMatches('oracle-health/r4-observation-entered-in-error-status.json'),
        realResource('hl7-r4-examples/Observation-unsat.json'),
        realResource('oracle-health/r4-observation-labs-update.json'),
        realResource('derived/Observation-L-196186655-value-string.json'),
        realResource('hl7-r4-examples/Observation-f205.json'),
        realResource('hl7-r4-examples/Observation-vp-oyster.json'),
      ]),
      problems: snapshot('problems', [
        ...realMatches('derived/Bundle-condition-repeated-encounter-diagnosis.json'),
        realResource('hl7-r4-examples/Condition-f205.json'),
        realResource('hl7-r4-examples/Condition-f202.json'),
        realResource('hl7-r4-examples/Condition-f201.json'),
      ]),
      medications: snapshot('medications', [
        ...realMatches('oracle-health/r4-medication-request-bundle.json'),
        realResource('derived/MedicationRequest-create-home-medication.json'),
        realResource('hl7-r4-examples/MedicationRequest-medrx0322.json'),
      ]),
      allergies: snapshot('allergies', [
        ...realMatches('oracle-health/r4-allergy-intolerance-patient-bundle.json'),
        realResource('epic/AllergyIntolerance-not-on-file.json'),
        realResource('derived/AllergyIntolerance-medication-refuted.json'),
      ]),
      immunizations: snapshot('immunizations', [realResource('hl7-r4-examples/Immunization-historical.json')]),
      encounters: snapshot('encounters', [
        realResource('hl7-r4-examples/Encounter-example.json'),
        ...realMatches('epic/Bundle-encounter-search-camila.json').slice(0, 3),
      ]),
      notes: snapshot('notes', [
        realResource('us-core/DocumentReference-soap-note.json'),
        realResource('us-core/DocumentReference-episode-summary.json'),
        realResource('oracle-health/r4-document-reference.json'),
        realResource('hl7-r4-examples/DocumentReference-example.json'),
      ]),
      reports: snapshot('reports', [realResource('hl7-r4-examples/DiagnosticReport-gingival-mass.json')]),
      procedures: snapshot('procedures', [
        realResource('hl7-r4-examples/Procedure-example.json'),
        realResource('hl7-r4-examples/Procedure-f201.json'),
      ]),
    };
    const document = chartDocument(banner, sections, TODAY());
    expect(renderedBanner(banner, sections.allergies)).toEqual(document.patient);
    expect(comparable(await renderedChart(sections))).toEqual(comparable(document));
    // The uncertainty is on screen in words, as the document says it.
    const labs = document.sections.labs.rows;
    expect(labs.map((row) => row.Status)).toEqual(expect.arrayContaining(['Preliminary', 'Corrected']));
    expect(document.sections.allergies.notices[0]).toMatch(/^Allergies not recorded/);
    // Records the EHR withdrew are not rows, and the section says how many, per status.
    expect(document.sections.allergies.notices).toContain('1 record marked entered in error by the EHR is not shown.');
    expect(document.sections.vitals.notices).toContain('1 record marked entered in error by the EHR is not shown.');
    expect(document.sections.labs.notices).toEqual(
      expect.arrayContaining([
        '1 record marked entered in error by the EHR is not shown.',
        '1 record marked cancelled by the EHR is not shown.',
      ]),
    );
    expect(document.sections.allergies.rows.map((row) => row.Verification)).toContain('Refuted');
    expect(document.sections.encounters.rows.map((row) => row.Date)).toContain('Date unknown');
    expect(document.sections.notes.rows.map((row) => row.Format)).toEqual(
      expect.arrayContaining(['Text', 'PDF', 'CDA (cannot be shown)']),
    );
    expect(document.sections.reports.rows[0]?.Format).toBe('PDF');
    expect(document.sections.procedures.rows.map((row) => row.Procedure)).toEqual(['Appendectomy', 'Chemotherapy']);
  }, 30_000);
});
