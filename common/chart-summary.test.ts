import { describe, expect, it } from 'vitest';
import type { ObservationRow } from './chart';
import { bannerAllergies, chartSummary } from './chart-summary';
import { emptySection, type SectionSnapshot } from './section-view';
import { CHART_SECTION_IDS, type ChartSectionId } from './sessions';

const NOW = new Date('2026-03-10T12:00:00Z');
type Sections = { [S in ChartSectionId]: SectionSnapshot<S> };

function complete(overrides: Partial<Sections> = {}): Sections {
  const sections = Object.fromEntries(CHART_SECTION_IDS.map((id) => [id, emptySection(id, 'complete')])) as unknown as Sections;
  return { ...sections, ...overrides };
}

const labs = (fields: Partial<SectionSnapshot<'labs'>>, rows: ObservationRow[] = []): SectionSnapshot<'labs'> => ({
  ...emptySection('labs', 'complete'),
  rows,
  ...fields,
});

describe('chartSummary', () => {
  it('never lets "no abnormal results" stand alone when the EHR withheld results or sent another patient\'s', () => {
    const withheld = chartSummary(complete({ labs: labs({ notices: ['Client not authorized for Observation.'] }) }), NOW);
    expect(withheld.find((group) => group.id === 'labs')?.note).toBe(
      'The EHR sent a message about them (results it withheld, say): read it in Labs. No laboratory results recorded.',
    );
    const mixed = chartSummary(complete({ labs: labs({ otherPatient: 2 }) }), NOW);
    expect(mixed.find((group) => group.id === 'labs')?.note).toMatch(
      /^The EHR sent entries for another patient, left out: see Labs\./,
    );
  });

  it('says in the summary and the banner when the EHR marked records entered in error, which the chart leaves out', () => {
    const problems = { ...emptySection('problems', 'complete'), withdrawn: { 'entered-in-error': 2, cancelled: 0 } };
    const allergies = { ...emptySection('allergies', 'complete'), withdrawn: { 'entered-in-error': 1, cancelled: 0 } };
    const groups = chartSummary(complete({ problems, allergies }), NOW);
    const note = (id: string) => groups.find((group) => group.id === id)?.note;
    expect(note('problems')).toBe(
      '2 records marked entered in error by the EHR are not shown: see Problems. No active problems recorded.',
    );
    // Not "the EHR lists no allergies": it listed one, marked entered in error.
    expect(note('allergies')).toBe('1 record marked entered in error by the EHR is not shown: see Allergies. None current.');
    expect(bannerAllergies(allergies)).toBe('None current; 1 record marked entered in error by the EHR is not shown');
    expect(bannerAllergies(emptySection('allergies', 'complete'))).toBe('Not recorded: the EHR lists no allergies');
  });

  it('says what a section not granted, failed or still loading cannot show', () => {
    const groups = chartSummary(
      complete({
        allergies: emptySection('allergies', 'not-granted'),
        medications: { ...emptySection('medications', 'error'), error: 'The EHR answered 500.' },
        problems: emptySection('problems', 'loading'),
      }),
      NOW,
    );
    const note = (id: string) => groups.find((group) => group.id === id)?.note;
    expect(note('allergies')).toBe('Not available: the EHR did not grant ChartDesk access to allergies.');
    expect(note('medications')).toBe('Medications could not be loaded: open the section to retry.');
    expect(note('problems')).toBe('Loading problems…');
    expect(note('vitals')).toBe('No vital signs recorded.');
  });

  it("calls a vital sign's value the latest only once the newest readings are in", () => {
    const heartRate = (id: string, effective: string): ObservationRow => ({
      id,
      kind: 'heart-rate',
      code: { text: 'Heart rate', system: 'http://loinc.org', code: '8867-4' },
      effective,
      time: Date.parse(effective),
      value: { value: 72, unit: '/min' },
      valueText: null,
      components: [],
      referenceRange: null,
      flag: null,
      status: 'final',
    });
    const loading = { ...emptySection('vitals', 'loading'), rows: [heartRate('old', '2019-05-01T08:00:00Z')] };
    const when = (vitals: SectionSnapshot<'vitals'>) =>
      chartSummary(complete({ vitals }), NOW).find((group) => group.id === 'vitals')?.items[0]?.when;
    expect(when(loading)).toMatch(/^1 May 2019, 6 years ago \(loading newer…\)$/);
    expect(
      when({
        ...loading,
        rows: [...loading.rows, heartRate('new', '2026-03-09T08:00:00Z')],
        newestSince: '2026-01-01T00:00:00Z',
      }),
    ).toMatch(/^9 Mar 2026 \d\d:\d\d$/);
  });
});
