import { beforeAll, describe, expect, it } from 'vitest';
import type { SectionRows } from '../../common/chart';
import { chartSummary, SUMMARY_LIMIT, type SummaryGroup } from '../../common/chart-summary';
import { formatDate } from '../../common/chart-format';
import { emptySection, type SectionSnapshot } from '../../common/section-view';
import { CHART_SECTION_IDS, type ChartSectionId } from '../../common/sessions';
import { mapAllergy } from './mappers/map-allergy';
import { mapCondition } from './mappers/map-condition';
import { mapEncounter } from './mappers/map-encounter';
import { mapImmunization } from './mappers/map-immunization';
import { mapMedicationRequest } from './mappers/map-medication';
import { mapObservation } from './mappers/map-observation';
import { loadSyntheaPatients, type SyntheaBundle } from './testing/synthea';

/**
 * The Summary tab (issue 18, item 6) against each Synthea patient of fixtures/synthea-r4: what it lists is
 * worked out here again from the raw bundle (codes, statuses, dates as Synthea wrote them), not from ChartDesk's
 * rows, so a summary that drops, invents or misdates an item fails.
 */
const TODAY = new Date('2026-11-28T12:00:00Z');
type Resource = SyntheaBundle['resources'][number];
type Coding = { system?: string; code?: string; display?: string };
type Concept = { text?: string; coding?: Coding[] };

/** The LOINC codes of the vital signs the summary lists, with the names it gives them (FHIR R4 vital signs profile). */
const VITALS: ReadonlyArray<[string, readonly string[]]> = [
  ['Heart rate', ['8867-4']],
  ['Blood pressure', ['85354-9', '55284-4']],
  ['Temperature', ['8310-5', '8331-1']],
  ['Respiratory rate', ['9279-1']],
  ['Oxygen saturation (SpO2)', ['2708-6', '59408-5']],
  ['Body weight', ['29463-7']],
  ['Body height', ['8302-2']],
  ['BMI', ['39156-5']],
];

const codes = (concept: unknown) => ((concept as Concept | undefined)?.coding ?? []).map((coding) => coding.code);
const statusOf = (concept: unknown) => codes(concept)[0];
const textOf = (concept: unknown) => (concept as Concept).text ?? (concept as Concept).coding?.[0]?.display ?? '';
const ofType = (bundle: SyntheaBundle, type: string) => bundle.resources.filter((resource) => resource.resourceType === type);
const latest = (resources: Resource[], when: (resource: Resource) => string | undefined) =>
  resources.filter((resource) => when(resource) !== undefined).sort((a, b) => Date.parse(when(b)!) - Date.parse(when(a)!))[0];

/** The sections the summary reads, as the loader delivers them: each resource through its mapper, each section complete. */
function sectionsOf(bundle: SyntheaBundle): { [S in ChartSectionId]: SectionSnapshot<S> } {
  const rows: { [S in ChartSectionId]: Array<SectionRows[S]> } = {
    vitals: [],
    labs: [],
    problems: [],
    medications: [],
    allergies: [],
    immunizations: [],
    encounters: [],
    notes: [],
    reports: [],
    procedures: [],
  };
  for (const resource of bundle.resources) {
    if (resource.resourceType === 'Observation') {
      const row = mapObservation(resource);
      if (row) (row.kind === 'lab' ? rows.labs : rows.vitals).push(row);
    }
    const problem = mapCondition(resource);
    if (problem) rows.problems.push(problem);
    const medication = mapMedicationRequest(resource);
    if (medication) rows.medications.push(medication);
    const allergy = mapAllergy(resource);
    if (allergy) rows.allergies.push(allergy);
    const immunization = mapImmunization(resource);
    if (immunization) rows.immunizations.push(immunization);
    const encounter = mapEncounter(resource);
    if (encounter) rows.encounters.push(encounter);
  }
  return Object.fromEntries(
    CHART_SECTION_IDS.map((id) => [id, { ...emptySection(id, 'complete'), rows: rows[id] }]),
  ) as unknown as { [S in ChartSectionId]: SectionSnapshot<S> };
}

/** A group's item labels, and, when the group was cut at SUMMARY_LIMIT, how many more its note says there are. */
function expectListed(group: SummaryGroup | undefined, expected: string[]): void {
  const labels = group?.items.map((item) => item.label) ?? [];
  const unique = [...new Set(expected)];
  expect(labels.length, group?.id).toBe(Math.min(unique.length, SUMMARY_LIMIT));
  for (const label of labels) expect(unique, group?.id).toContain(label);
  if (unique.length > SUMMARY_LIMIT) expect(group?.note).toContain(`${unique.length - SUMMARY_LIMIT} more in`);
}

let patients: SyntheaBundle[];
beforeAll(() => {
  patients = loadSyntheaPatients();
});

describe("the summary of each Synthea patient, against the patient's own bundle (fixtures/synthea-r4)", () => {
  it('finds the four patients', () => {
    expect(patients).toHaveLength(4);
  });

  it('lists the latest reading of each vital sign with its date and value, marked old when it is', () => {
    for (const bundle of patients) {
      const vitals = chartSummary(sectionsOf(bundle), TODAY).find((group) => group.id === 'vitals');
      const observations = ofType(bundle, 'Observation');
      const expected = VITALS.flatMap(([title, loinc]) => {
        const newest = latest(
          observations.filter((resource) => codes(resource.code).some((code) => loinc.includes(code ?? ''))),
          (resource) => resource.effectiveDateTime as string | undefined,
        );
        return newest ? [{ title, newest }] : [];
      });
      expect(
        vitals?.items.map((item) => item.label),
        bundle.file,
      ).toEqual(expected.map(({ title }) => title));
      for (const [index, { title, newest }] of expected.entries()) {
        const item = vitals!.items[index]!;
        const when = newest.effectiveDateTime as string;
        expect(item.when, `${bundle.file} ${title}`).toContain(formatDate(when));
        expect(item.old).toBe(TODAY.getTime() - Date.parse(when) > 365 * 86_400_000);
        const components = (newest.component ?? []) as Array<{ valueQuantity?: { value: number } }>;
        const numbers =
          components.length > 0
            ? components.map((component) => String(Math.round(component.valueQuantity!.value)))
            : [String((newest.valueQuantity as { value: number }).value)];
        for (const number of numbers) expect(item.detail, `${bundle.file} ${title}`).toContain(number);
      }
    }
  });

  it('lists the active problems, the active medications (one line per drug) and the active allergies', () => {
    for (const bundle of patients) {
      const groups = chartSummary(sectionsOf(bundle), TODAY);
      const group = (id: string) => groups.find((each) => each.id === id);
      expectListed(
        group('problems'),
        ofType(bundle, 'Condition')
          .filter((resource) => statusOf(resource.clinicalStatus) === 'active')
          .map((resource) => textOf(resource.code)),
      );
      expectListed(
        group('medications'),
        ofType(bundle, 'MedicationRequest')
          .filter((resource) => resource.status === 'active')
          .map((resource) => textOf(resource.medicationCodeableConcept)),
      );
      expectListed(
        group('allergies'),
        ofType(bundle, 'AllergyIntolerance')
          .filter((resource) => statusOf(resource.clinicalStatus) === 'active')
          .map((resource) => textOf(resource.code)),
      );
    }
  });

  it('names the last encounter with its date, and says that none is planned', () => {
    for (const bundle of patients) {
      const encounters = chartSummary(sectionsOf(bundle), TODAY).find((group) => group.id === 'encounters');
      const last = latest(ofType(bundle, 'Encounter'), (resource) => (resource.period as { start?: string }).start);
      expect(last, bundle.file).toBeDefined();
      expect(encounters?.items).toHaveLength(1);
      expect(encounters?.items[0]?.label).toBe(`Last: ${textOf((last!.type as unknown[])[0])}`);
      expect(encounters?.items[0]?.when).toContain(formatDate((last!.period as { start: string }).start));
      expect(encounters?.note).toBe('No upcoming encounter recorded.');
    }
  });

  it('lists no abnormal lab when the EHR neither flagged a result nor gave a range, and says how many were not judged', () => {
    for (const bundle of patients) {
      const labs = ofType(bundle, 'Observation').filter((resource) => JSON.stringify(resource.category).includes('laboratory'));
      expect(labs.every((resource) => !resource.interpretation && !resource.referenceRange)).toBe(true);
      const group = chartSummary(sectionsOf(bundle), TODAY).find((each) => each.id === 'labs');
      expect(group?.items).toEqual([]);
      if (labs.length === 0) {
        expect(group?.note).toBe('No laboratory results recorded.');
        continue;
      }
      // The six months (183 days) before the latest result: its numeric results, none judged.
      const when = (resource: Resource) => Date.parse(resource.effectiveDateTime as string);
      const latestTime = Math.max(...labs.map(when));
      const judgedBy = labs.filter((resource) => resource.valueQuantity && when(resource) >= latestTime - 183 * 86_400_000);
      expect(judgedBy.length, bundle.file).toBeGreaterThan(0);
      expect(group?.note, bundle.file).toBe(
        `No result flagged abnormal in the 6 months before the latest result (${formatDate(new Date(latestTime).toISOString())}). ` +
          `${judgedBy.length} results of that time had neither a flag nor a range, so were not judged.`,
      );
    }
  });
});
