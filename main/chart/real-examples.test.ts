import { describe, expect, it } from 'vitest';
import type { AllergyRow, EncounterRow, ObservationRow, ProblemRow } from '../../common/chart';
import { bannerFields } from '../../common/chart-document';
import { formatObservationValue } from '../../common/chart-format';
import { foldMedications } from '../../common/medication-list';
import {
  allergyColumns,
  cellText,
  type Column,
  encounterColumns,
  immunizationColumns,
  medicationColumns,
  observationColumns,
  problemColumns,
} from '../../common/section-columns';
import { isActiveProblem, listedRows, PROBLEM_FILTERS, sectionMessages, emptySection } from '../../common/section-view';
import { mapAllergy } from './mappers/map-allergy';
import { mapCondition } from './mappers/map-condition';
import { mapEncounter } from './mappers/map-encounter';
import { mapImmunization } from './mappers/map-immunization';
import { mapMedicationRequest } from './mappers/map-medication';
import { interpretationFlag, mapObservation } from './mappers/map-observation';
import { mapPatientBanner } from './mappers/map-patient';
import { realMatches, realResource } from './testing/real-fixtures';

/**
 * Issue 16, row by row: each pattern of real EHR data, from a fixture of fixtures/real/ (file and
 * resource id named in each test; fixtures/real/SOURCES.md says where each comes from, and which were
 * derived from a real example by changing only the element the row describes).
 */

const TODAY = new Date('2026-11-28T12:00:00Z');
const cell = <T>(columns: readonly Column<T>[], label: string, row: T) => {
  const column = columns.find((each) => each.label === label);
  if (!column) throw new Error(`No column ${label}`);
  return cellText(column, row);
};
const observation = (file: string, id?: string) => mapObservation(realResource(file, id));

describe('statuses: entered in error never listed, uncertainty in words', () => {
  it('hides a Condition entered in error (oracle-health/r4-condition-entered-in-error-entry.json#d2266495305)', () => {
    expect(mapCondition(realResource('oracle-health/r4-condition-entered-in-error-entry.json'))).toBeNull();
  });

  it('hides an allergy entered in error (oracle-health/r4-allergy-intolerance-patient-bundle.json#12760051) and lists the rest', () => {
    const rows = realMatches('oracle-health/r4-allergy-intolerance-patient-bundle.json').map(mapAllergy);
    expect(rows.filter((row) => row !== null).map((row) => row?.id)).toEqual(['12765895', '12766993', '12765967']);
  });

  it('marks an unconfirmed allergy (hl7-r4-examples/AllergyIntolerance-medication.json#medication)', () => {
    const row = mapAllergy(realResource('hl7-r4-examples/AllergyIntolerance-medication.json')) as AllergyRow;
    expect(cell(allergyColumns, 'Verification', row)).toBe('Unconfirmed');
  });

  it('marks a refuted allergy as refuted, not merely inactive (derived/AllergyIntolerance-medication-refuted.json#medication)', () => {
    const row = mapAllergy(realResource('derived/AllergyIntolerance-medication-refuted.json')) as AllergyRow;
    expect(cell(allergyColumns, 'Status', row)).toBe('Inactive');
    expect(cell(allergyColumns, 'Verification', row)).toBe('Refuted');
  });

  it.each([
    ['hl7-r4-examples/Observation-f202.json', undefined],
    ['oracle-health/r4-observation-entered-in-error-status.json', 'L-197412603'],
    ['oracle-health/r4-observation-revinclude-bundle.json', 'VS-196190669'],
    ['hl7-r4-examples/Observation-blood-pressure-cancel.json', undefined],
    ['hl7-r4-examples/Observation-unsat.json', undefined],
  ])('hides a result entered in error or cancelled (%s#%s)', (file, id) => {
    expect(observation(file, id)).toBeNull();
  });

  it('marks a preliminary result (oracle-health/r4-observation-patient-bundle.json#L-197412603)', () => {
    const row = observation('oracle-health/r4-observation-patient-bundle.json', 'L-197412603') as ObservationRow;
    expect(cell(observationColumns, 'Status', row)).toBe('Preliminary');
  });

  it('marks a corrected result (oracle-health/r4-observation-labs-update.json#L-196186655)', () => {
    const row = observation('oracle-health/r4-observation-labs-update.json') as ObservationRow;
    expect(cell(observationColumns, 'Status', row)).toBe('Corrected');
  });
});

describe('allergy statements', () => {
  it('shows Epic\'s "Not on File" as a statement, not an allergy (epic/AllergyIntolerance-not-on-file.json)', () => {
    const row = mapAllergy(realResource('epic/AllergyIntolerance-not-on-file.json')) as AllergyRow;
    expect(row.statement).toBe('not-recorded');
    const section = { ...emptySection('allergies', 'complete'), rows: [row] };
    expect(listedRows('allergies', section.rows)).toEqual([]);
    const messages = sectionMessages(section, 0);
    expect(messages).toEqual([
      { kind: 'statement', text: expect.stringMatching(/^Allergies not recorded: the EHR lists “Not on File”, unconfirmed/) },
    ]);
  });

  it.each([
    ['hl7-r4-examples/AllergyIntolerance-nka.json', 'No known allergies'],
    ['hl7-r4-examples/AllergyIntolerance-nkda.json', 'No known drug allergies'],
  ])('shows %s as the statement "%s"', (file, words) => {
    const row = mapAllergy(realResource(file)) as AllergyRow;
    const section = { ...emptySection('allergies', 'complete'), rows: [row] };
    expect(listedRows('allergies', section.rows)).toEqual([]);
    expect(sectionMessages(section, 0).map((message) => message.text)).toEqual([expect.stringMatching(new RegExp(`^${words}`))]);
  });
});

describe('flags', () => {
  it("takes the v3 code over Oracle Health's local code set 52 (oracle-health/r4-observation-bundle.json#VS-197292857)", () => {
    const row = observation('oracle-health/r4-observation-bundle.json', 'VS-197292857') as ObservationRow;
    expect(row.flag).toEqual({ text: 'Low', code: 'L', abnormal: true, source: 'ehr-coded' });
    expect(cell(observationColumns, 'Flag', row)).toBe('Low');
  });

  it('reads a v3 N after a bare local code as normal (oracle-health/r4-observation-revinclude-bundle.json#VS-196190669)', () => {
    const interpretation = realResource('oracle-health/r4-observation-revinclude-bundle.json', 'VS-196190669').interpretation;
    expect(interpretationFlag(interpretation)).toEqual({ text: 'Normal', code: 'N', abnormal: false, source: 'ehr-coded' });
  });

  it('reads a v3 N after a SNOMED code as normal (hl7-r4-examples/Observation-f203.json#f203)', () => {
    expect(observation('hl7-r4-examples/Observation-f203.json')?.flag).toMatchObject({ code: 'N', abnormal: false });
  });

  it.each([
    [
      'hl7-r4-examples/Observation-f205.json',
      'interpretation of results should be assigned based upon the level of kindey function',
    ],
    ['derived/Observation-f205-interpretation-none.json', '(NONE)'],
  ])('shows a text-only interpretation as written, never as abnormal (%s#f205)', (file, text) => {
    expect(observation(file)?.flag).toEqual({ text, code: null, abnormal: false, source: 'ehr-text' });
  });
});

describe('problems', () => {
  const bundle = realMatches('oracle-health/r4-condition-bundle.json').map(mapCondition) as ProblemRow[];

  it('keeps the problem list apart from encounter diagnoses (oracle-health/r4-condition-bundle.json)', () => {
    const listed = listedRows('problems', bundle);
    const view = (id: string) => listed.filter(PROBLEM_FILTERS.find((filter) => filter.id === id)!.test).map((row) => row.id);
    expect(new Set(view('problem-list'))).toEqual(new Set(['p73077203', 'bed1c2ec-1f33-4097-8296-f6aa01824387']));
    expect(view('diagnoses')).toEqual(['d2572382197']);
    const concern = listed.find((row) => row.id === 'bed1c2ec-1f33-4097-8296-f6aa01824387')!;
    expect(cell(problemColumns, 'Category', concern)).toBe('Health concern');
  });

  it('folds a diagnosis recorded at seven encounters into one entry (derived/Bundle-condition-repeated-encounter-diagnosis.json)', () => {
    const rows = realMatches('derived/Bundle-condition-repeated-encounter-diagnosis.json').map(mapCondition) as ProblemRow[];
    expect(rows).toHaveLength(9);
    const listed = listedRows('problems', rows);
    expect(listed).toHaveLength(3);
    const diagnosis = listed.find((row) => row.category === 'encounter-diagnosis')!;
    expect(diagnosis.occurrences).toBe(7);
    expect(cell(problemColumns, 'Recorded', diagnosis)).toMatch(/\(7 records\)$/);
  });

  it.each([
    ['hl7-r4-examples/Condition-f205.json', 'Differential (unconfirmed)'],
    ['derived/Condition-f205-refuted.json', 'Refuted'],
  ])('never counts an unconfirmed or refuted problem as active, whatever its clinical status (%s#f205)', (file, words) => {
    const row = mapCondition(realResource(file)) as ProblemRow;
    expect(row.clinicalStatus).toBe('active');
    expect(isActiveProblem(row)).toBe(false);
    expect(cell(problemColumns, 'Verification', { ...row, occurrences: 1 })).toBe(words);
  });

  it.each([
    ['hl7-r4-examples/Condition-f202.json', 'Onset', 'age 52 years'],
    ['hl7-r4-examples/Condition-f202.json', 'Resolved', 'age 54 years'],
    ['hl7-r4-examples/Condition-example2.json', 'Onset', 'approximately November 2012'],
    ['hl7-r4-examples/Condition-f201.json', 'Resolved', 'around April 9, 2013'],
  ])('shows onset and abatement given as an age or text (%s: %s)', (file, label, text) => {
    const row = mapCondition(realResource(file)) as ProblemRow;
    expect(cell(problemColumns, label, { ...row, occurrences: 1 })).toBe(text);
  });
});

describe('the patient', () => {
  it("finds Epic's MRN typed by text only, and keeps the other identifiers out of the banner (epic/Patient-erXuFYUfucBZaryVksYEcMg3.json)", () => {
    const banner = mapPatientBanner(realResource('epic/Patient-erXuFYUfucBZaryVksYEcMg3.json'), TODAY)!;
    expect(banner.mrn).toBe('203713');
    expect(bannerFields(banner)).toEqual([
      { label: 'Born', text: '12 Sep 1987' },
      { label: 'Age', text: '39 y' },
      { label: 'Sex', text: 'Female' },
      { label: 'MRN', text: '203713' },
    ]);
    expect(banner.identifiers.map((identifier) => identifier.label)).toEqual([
      'CEID',
      'EPIC',
      'EXTERNAL',
      'FHIR',
      'FHIR STU3',
      'INTERNAL',
      'MYCHARTLOGIN',
      'WPRINTERNAL',
    ]);
  });

  it('takes the current MRN when one has ended (oracle-health/r4-patient-entry.json#12724067)', () => {
    const patient = realResource('oracle-health/r4-patient-entry.json');
    const mrns = (patient.identifier as Array<{ type?: { text?: string }; value?: string; period?: { end?: string } }>).filter(
      (identifier) => identifier.type?.text === 'MRN',
    );
    const current = mrns.find((identifier) => !identifier.period?.end);
    expect(mapPatientBanner(patient, TODAY)?.mrn).toBe(current?.value);
  });

  it("masks an SSN sent with Epic's OID (derived/Patient-erXuFYUfucBZaryVksYEcMg3-ssn.json)", () => {
    const banner = mapPatientBanner(realResource('derived/Patient-erXuFYUfucBZaryVksYEcMg3-ssn.json'), TODAY)!;
    expect(banner.identifiers.at(-1)).toEqual({ label: 'SSN', value: '•••-••-6789', sensitive: true });
    expect(JSON.stringify(banner)).not.toContain('45-6789');
  });

  it("gives a deceased patient's age at death and date of death (hl7-r4-examples/Patient-pat3.json#pat3)", () => {
    const banner = mapPatientBanner(realResource('hl7-r4-examples/Patient-pat3.json'), TODAY)!;
    expect(banner).toMatchObject({ ageYears: 33, deceased: true, deceasedDate: '2015-02-14T13:42:00+10:00' });
    expect(bannerFields(banner)).toContainEqual({ label: 'Age', text: '33 y at death' });
    expect(bannerFields(banner)).toContainEqual({ label: 'Died', text: '14 Feb 2015' });
  });

  it('says a merged record was merged, and into which (oracle-health/r4-combined-patient-entry.json#12742633)', () => {
    const banner = mapPatientBanner(realResource('oracle-health/r4-combined-patient-entry.json'), TODAY)!;
    expect(banner).toMatchObject({ inactive: true, replacedBy: 'Patient/12724067', mrn: null });
    expect(bannerFields(banner).at(-1)).toEqual({
      label: 'Record',
      text: 'merged into Patient/12724067: open that record instead',
    });
  });

  it('shows the current name, not an ended official one listed first (derived/Patient-12724067-ended-name-first.json)', () => {
    expect(mapPatientBanner(realResource('derived/Patient-12724067-ended-name-first.json'), TODAY)?.name).toBe('SMART, JOE');
    expect(mapPatientBanner(realResource('hl7-r4-examples/Patient-example.json'), TODAY)?.name).toBe('Peter James Chalmers');
  });
});

describe('encounters', () => {
  const rows = realMatches('epic/Bundle-encounter-search-camila.json').map((resource) =>
    mapEncounter(resource),
  ) as EncounterRow[];

  it("names Epic's encounter classes by their display, never by the bare code (epic/Bundle-encounter-search-camila.json)", () => {
    expect([...new Set(rows.map((row) => cell(encounterColumns, 'Class', row)))]).toEqual([
      'Preadmission',
      'Surgery Log',
      'Support OP Encounter',
      'HOV',
    ]);
  });

  it('says "Date unknown" for an encounter without a period (hl7-r4-examples/Encounter-example.json#example)', () => {
    const row = mapEncounter(realResource('hl7-r4-examples/Encounter-example.json')) as EncounterRow;
    expect(cell(encounterColumns, 'Date', row)).toBe('Date unknown');
    expect(cell(encounterColumns, 'Class', row)).toBe('inpatient encounter');
  });
});

describe('values', () => {
  it('keeps the comparator of a bound, and names each component (hl7-r4-examples/Observation-f205.json#f205)', () => {
    const row = observation('hl7-r4-examples/Observation-f205.json') as ObservationRow;
    expect(row.components[0]?.value).toEqual({ value: 60, unit: 'mL/min/1.73m2', comparator: '>' });
    expect(formatObservationValue(row)).toMatch(/^[^;]+: >60 mL\/min\/1\.73 m²; [^;]+: 60 mL\/min\/1\.73 m²$/);
  });

  it('shows SpO2 with its oxygen flow rate and FiO2 (oracle-health/r4-observation-bundle.json#VS-CV-55046871-SECT-8098)', () => {
    const row = observation('oracle-health/r4-observation-bundle.json', 'VS-CV-55046871-SECT-8098') as ObservationRow;
    expect(cell(observationColumns, 'Value', row)).toBe('95 % (Oxygen Flow Rate: 7 L/min; Inhaled Oxygen concentration: 21 %)');
  });

  it('charts a numeric result sent as a string, shown as written (derived/Observation-L-196186655-value-string.json)', () => {
    const row = observation('derived/Observation-L-196186655-value-string.json') as ObservationRow;
    expect(row.value).toEqual({ value: 15, unit: null });
    expect(cell(observationColumns, 'Value', row)).toBe('15.0');
    expect(observation('hl7-r4-examples/Observation-eye-color.json')?.value).toBeNull();
  });

  it('shows a reference range as the EHR wrote it (derived/Observation-L-196186655-range-text.json, hl7-r4-examples/Observation-f004.json)', () => {
    expect(observation('derived/Observation-L-196186655-range-text.json')?.referenceRange).toBe('12.0 - 15.5');
    expect(observation('oracle-health/r4-observation-labs-update.json')?.referenceRange).toBe('12–15.5 g/dL');
    expect(observation('hl7-r4-examples/Observation-f004.json')?.referenceRange).toMatch(/^12-14 y Male: 4\.4 - 5\.2/);
  });

  it('names a contained Medication without a code by its ingredients (hl7-r4-examples/MedicationRequest-medrx0322.json#medrx0322)', () => {
    // The row had no reference display; this example has one, so it is taken away here.
    const request = realResource('hl7-r4-examples/MedicationRequest-medrx0322.json');
    const withoutDisplay = { ...request, medicationReference: { reference: '#med0317' } };
    expect(mapMedicationRequest(withoutDisplay)?.medication.text).toBe(
      'Potassium Chloride, Sodium Chloride 0.9% injectable solution',
    );
    expect(mapMedicationRequest(request)?.medication.text).toBe('Potassium Chloride 20mEq in 1L Normal Saline');
  });

  it('marks a patient-reported (home) medication (derived/MedicationRequest-create-home-medication.json, oracle-health/r4-medication-request-create.json)', () => {
    for (const file of [
      'derived/MedicationRequest-create-home-medication.json',
      'oracle-health/r4-medication-request-create.json',
    ]) {
      const [row] = foldMedications([mapMedicationRequest(realResource(file))!]);
      expect(cell(medicationColumns, 'Source', row!)).toBe('Patient-reported');
    }
    const [ordered] = foldMedications([mapMedicationRequest(realMatches('oracle-health/r4-medication-request-bundle.json')[0])!]);
    expect(cell(medicationColumns, 'Source', ordered!)).toBe('Order');
  });

  it('shows an immunization date given as text (hl7-r4-examples/Immunization-historical.json#historical)', () => {
    const row = mapImmunization(realResource('hl7-r4-examples/Immunization-historical.json'))!;
    expect(cell(immunizationColumns, 'Date', row)).toBe('January 2012');
  });
});
