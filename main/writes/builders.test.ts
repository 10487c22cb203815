/**
 * The resources ChartDesk writes, held against the real examples of fixtures/real/ (SOURCES.md says where each comes
 * from): the US Core vital-signs and DocumentReference examples, Oracle Health's documented create bodies, HL7's
 * MedicationRequest and Medication examples. Every element we write must be one a real example writes, with the same
 * codes and the same shape.
 */
import { describe, expect, it } from 'vitest';
import type { VitalReading } from '../../common/vital-entry';
import { validateForWrite } from '../../sandbox/fhir/validate';
import { readReal } from '../chart/testing/real-fixtures';
import type { FhirResource } from '../fhir/fhir-client';
import { outcomeDetails } from '../fhir/fhir-errors';

/** The sandbox's validator, which wants an id (the server assigns it on create). */
const faultsOf = (resource: unknown) => validateForWrite({ id: 'new', ...(resource as FhirResource) });
import { type Authoring, authorReference } from './authoring';
import { buildProposal, discontinued } from './build-medication';
import { buildNoteDocument } from './build-note';
import { buildVitalObservations } from './build-vitals';

type Json = Record<string, unknown>;
const authoring: Authoring = {
  patientId: 'example',
  encounterId: 'example-1',
  author: 'Practitioner/practitioner-1',
  now: '2026-11-30T10:00:00.000Z',
};

/** The elements of a real example, by name, for "we write nothing no real example writes". */
const elementsOf = (...files: string[]) => new Set(files.flatMap((file) => Object.keys(readReal(file))));

const READINGS: Array<[VitalReading, string]> = [
  [{ kind: 'blood-pressure', systolic: 109, diastolic: 44 }, 'us-core/Observation-blood-pressure.json'],
  [{ kind: 'heart-rate', value: 44, unit: '/min' }, 'us-core/Observation-heart-rate.json'],
  [{ kind: 'respiratory-rate', value: 26, unit: '/min' }, 'us-core/Observation-respiratory-rate.json'],
  [{ kind: 'temperature', value: 36.6, unit: 'Cel' }, 'us-core/Observation-temperature.json'],
  [{ kind: 'spo2', value: 95, unit: '%' }, 'us-core/Observation-satO2-fiO2.json'],
  [{ kind: 'weight', value: 185, unit: '[lb_av]' }, 'us-core/Observation-weight.json'],
  [{ kind: 'height', value: 111, unit: 'cm' }, 'us-core/Observation-height.json'],
];

const loincCodes = (concept: unknown) =>
  ((concept as { coding?: Array<{ system?: string; code?: string }> }).coding ?? [])
    .filter((coding) => coding.system === 'http://loinc.org')
    .map((coding) => coding.code);

describe('vital signs as US Core Observations', () => {
  it.each(READINGS)('%o carries the LOINC codes, category and value shape of %s', (reading, file) => {
    const example = readReal(file);
    const [built] = buildVitalObservations([reading], '2026-11-30T09:00:00+01:00', authoring) as unknown as [Json];
    // SpO2: the example's extra ISO 11073 coding aside, the same LOINC codes in the same order.
    expect(loincCodes(built.code)).toEqual(loincCodes(example.code));
    expect(built.category).toEqual([
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' },
        ],
        text: 'Vital Signs',
      },
    ]);
    const exampleCategory = (example.category as Array<{ coding: Json[] }>)[0]!.coding[0];
    expect((built.category as Array<{ coding: Json[] }>)[0]!.coding[0]).toEqual(exampleCategory);
    if (reading.kind === 'blood-pressure') {
      const components = (c: unknown) =>
        (c as Array<{ code: unknown; valueQuantity: Json }>).map((x) => [
          loincCodes(x.code),
          x.valueQuantity.code,
          x.valueQuantity.system,
        ]);
      expect(components(built.component)).toEqual(components(example.component));
    } else {
      const quantity = built.valueQuantity as Json;
      const exampleQuantity = example.valueQuantity as Json;
      expect(quantity.system).toBe(exampleQuantity.system);
      // Entered in pounds, sent in pounds: the profile allows [lb_av], and nothing is rounded by a conversion.
      expect(quantity).toEqual(
        reading.unit === '[lb_av]'
          ? { value: 185, unit: 'lb', system: 'http://unitsofmeasure.org', code: '[lb_av]' }
          : { ...quantity, code: exampleQuantity.code },
      );
    }
    expect(faultsOf(built)).toEqual([]);
    expect(faultsOf(example)).toEqual([]);
  });

  it('writes only elements a real vital-sign example writes (the encounter and performer as Oracle Health documents them)', () => {
    const real = elementsOf(
      ...READINGS.map(([, file]) => file),
      'oracle-health/r4-observation-create.json',
      'us-core/Observation-satO2-fiO2.json',
    );
    for (const built of buildVitalObservations(
      READINGS.map(([reading]) => reading),
      '2026-11-30T09:00:00Z',
      authoring,
    )) {
      expect(Object.keys(built).filter((element) => !real.has(element))).toEqual([]);
      expect(built).toMatchObject({
        subject: { reference: 'Patient/example' },
        encounter: { reference: 'Encounter/example-1' },
        performer: [{ reference: 'Practitioner/practitioner-1' }],
        effectiveDateTime: '2026-11-30T09:00:00Z',
        identifier: [{ system: 'urn:ietf:rfc:3986', value: expect.stringMatching(/^urn:uuid:[0-9a-f-]{36}$/) }],
      });
    }
  });

  it('names no encounter or performer it does not know, and mints a new identifier per resource', () => {
    const anonymous = { ...authoring, encounterId: null, author: null };
    const built = buildVitalObservations(
      READINGS.map(([reading]) => reading),
      '2026-11-30T09:00:00Z',
      anonymous,
    );
    expect(built.some((resource) => 'encounter' in resource || 'performer' in resource)).toBe(false);
    expect(new Set(built.map((resource) => resource.identifier[0]!.value)).size).toBe(built.length);
  });
});

describe('a note as a US Core DocumentReference', () => {
  it('has the category, type system, attachment and encounter shape of the US Core SOAP note', () => {
    const example = readReal('us-core/DocumentReference-soap-note.json');
    const text = 'S: Patient complained of sore toe.\nA: stubbed toe — 2 °C colder.';
    const built = buildNoteDocument({ type: '11506-3', category: 'clinical-note', title: null, text }, authoring) as Json;
    expect((built.category as Array<{ coding: Json[] }>)[0]!.coding).toEqual(
      (example.category as Array<{ coding: Json[] }>)[0]!.coding,
    );
    expect(built).toMatchObject({
      status: example.status,
      type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] },
      subject: { reference: 'Patient/example' },
      author: example.author,
      context: example.context,
      date: authoring.now,
    });
    const attachment = (built.content as Array<{ attachment: { contentType: string; data: string; title: string } }>)[0]!
      .attachment;
    expect(attachment.contentType.split(';')[0]).toBe('text/plain');
    expect(Buffer.from(attachment.data, 'base64').toString('utf8')).toBe(text);
    expect(attachment.title).toBe('Progress note');
    const real = elementsOf('us-core/DocumentReference-soap-note.json', 'oracle-health/r4-document-reference.json');
    expect(Object.keys(built).filter((element) => !real.has(element))).toEqual([]);
    const realAttachment = new Set(
      ['us-core/DocumentReference-soap-note.json', 'oracle-health/r4-document-reference.json'].flatMap((file) =>
        Object.keys((readReal(file).content as Array<{ attachment: Json }>)[0]!.attachment),
      ),
    );
    expect(Object.keys(attachment).filter((element) => !realAttachment.has(element))).toEqual([]);
    expect(faultsOf(built)).toEqual([]);
  });
});

describe('medication orders', () => {
  it("proposes with the Medication's code and the dose shape of HL7's medrx0311", () => {
    const medication = readReal('hl7-r4-examples/Medication-med0308.json') as FhirResource;
    const built = buildProposal(
      medication,
      { dose: { value: 1, unit: 'TAB' }, sig: '1 tablet every 6 hours as needed' },
      authoring,
    ) as Json;
    const example = readReal('hl7-r4-examples/MedicationRequest-medrx0311.json');
    const exampleDose = ((example.dosageInstruction as Json[])[0]!.doseAndRate as Json[])[0]!.doseQuantity;
    expect(built).toMatchObject({
      status: 'active',
      intent: 'proposal',
      medicationCodeableConcept: medication.code,
      requester: { reference: 'Practitioner/practitioner-1' },
      encounter: { reference: 'Encounter/example-1' },
      // The same code and system; the unit's words for the clinician rather than the code again.
      dosageInstruction: [
        {
          text: '1 tablet every 6 hours as needed',
          doseAndRate: [{ doseQuantity: { ...(exampleDose as Json), unit: 'tablet' } }],
        },
      ],
    });
    expect(faultsOf(built)).toEqual([]);
  });

  it('a discontinued order is the order as read with only its status (and reason) changed', () => {
    const order = readReal('hl7-r4-examples/MedicationRequest-medrx0311.json') as FhirResource;
    const stopped = discontinued({ ...order, meta: { versionId: '3' } }, 'Rash');
    expect(stopped).toEqual({ ...order, status: 'stopped', statusReason: { text: 'Rash' } });
    expect(discontinued(order, null)).toEqual({ ...order, status: 'stopped' });
  });
});

describe('what the EHR says back', () => {
  it("an OperationOutcome's issues in words, with where (HL7's validationfail example)", () => {
    expect(outcomeDetails(readReal('hl7-r4-examples/OperationOutcome-validationfail.json'))).toEqual([
      'Error parsing resource XML (Unknown Content "label" (at Patient.identifier)',
    ]);
    expect(outcomeDetails({ resourceType: 'Patient' })).toEqual([]);
  });

  it('the signed-in user becomes a reference on this EHR, or none', () => {
    const base = 'https://ehr.example.org/fhir/r4?tenant=a';
    expect(authorReference('Practitioner/123', base)).toBe('Practitioner/123');
    expect(authorReference('https://ehr.example.org/fhir/r4/Practitioner/123', base)).toBe('Practitioner/123');
    expect(authorReference('https://other.example.org/fhir/Practitioner/123', base)).toBeNull();
    expect(authorReference(null, base)).toBeNull();
  });
});
