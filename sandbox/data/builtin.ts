/**
 * The built-in data set: a few patients generated from a fixed seed and fixed dates, so that every
 * run (and every machine) serves the same chart without any files.
 */
import {
  bloodPressure,
  concept,
  CVX,
  labResult,
  LOINC,
  RXNORM,
  SNOMED,
  vitalSign,
  type Coding,
  type LabDefinition,
} from './builders.js';
import { documentsFor, type Visit } from './documents.js';
import type { FhirResource } from './fhir-types.js';
import { createRng, type Rng } from './rng.js';

interface PatientSeed {
  id: string;
  given: string;
  family: string;
  gender: 'female' | 'male';
  birthDate: string;
  mrn: string;
  conditions: Coding[];
}

const PATIENTS: PatientSeed[] = [
  {
    id: 'sbx-amelia-hart',
    given: 'Amelia',
    family: 'Hart',
    gender: 'female',
    birthDate: '1958-03-14',
    mrn: 'SBX-1001',
    conditions: [
      { system: SNOMED, code: '38341003', display: 'Hypertensive disorder' },
      { system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' },
    ],
  },
  {
    id: 'sbx-jonah-reyes',
    given: 'Jonah',
    family: 'Reyes',
    gender: 'male',
    birthDate: '1985-11-02',
    mrn: 'SBX-1002',
    conditions: [{ system: SNOMED, code: '195967001', display: 'Asthma' }],
  },
  {
    id: 'sbx-mei-chen',
    given: 'Mei',
    family: 'Chen',
    gender: 'female',
    birthDate: '2012-07-21',
    mrn: 'SBX-1003',
    conditions: [{ system: SNOMED, code: '65363002', display: 'Otitis media' }],
  },
];

export const BUILTIN_PRACTITIONERS = [
  { id: 'sbx-dr-lena-ross', given: 'Lena', family: 'Ross', prefix: 'Dr.' },
  { id: 'sbx-dr-omar-haddad', given: 'Omar', family: 'Haddad', prefix: 'Dr.' },
  { id: 'sbx-nurse-kim-park', given: 'Kim', family: 'Park', prefix: 'RN' },
];

const LABS: LabDefinition[] = [
  {
    code: { system: LOINC, code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' },
    unit: 'mg/dL',
    low: 70,
    high: 99,
    digits: 0,
  },
  {
    code: { system: LOINC, code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' },
    unit: 'g/dL',
    low: 12,
    high: 17.5,
    digits: 1,
  },
  {
    code: { system: LOINC, code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' },
    unit: 'mmol/L',
    low: 3.5,
    high: 5.1,
    digits: 1,
  },
  {
    code: { system: LOINC, code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma' },
    unit: 'mg/dL',
    low: 0.6,
    high: 1.3,
    digits: 2,
  },
  {
    code: { system: LOINC, code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' },
    unit: '%',
    low: 4,
    high: 5.6,
    digits: 1,
  },
];

const VACCINES: Coding[] = [
  { system: CVX, code: '140', display: 'Influenza, seasonal, injectable, preservative free' },
  { system: CVX, code: '115', display: 'Tdap' },
  { system: CVX, code: '208', display: 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose' },
];

const ENCOUNTERS_PER_PATIENT = 8;
const FIRST_VISIT = Date.UTC(2023, 0, 9, 9, 0, 0);
const VISIT_SPACING_DAYS = 120;
const DAY_MS = 86_400_000;

function practitioner(p: (typeof BUILTIN_PRACTITIONERS)[number]): FhirResource {
  return {
    resourceType: 'Practitioner',
    id: p.id,
    active: true,
    name: [{ use: 'official', family: p.family, given: [p.given], prefix: [p.prefix] }],
  };
}

function patient(seed: PatientSeed): FhirResource {
  return {
    resourceType: 'Patient',
    id: seed.id,
    identifier: [
      {
        system: 'urn:oid:2.16.840.1.113883.19.5.99999.1',
        value: seed.mrn,
        type: concept({ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }),
      },
    ],
    active: true,
    name: [{ use: 'official', family: seed.family, given: [seed.given] }],
    gender: seed.gender,
    birthDate: seed.birthDate,
    generalPractitioner: [{ reference: `Practitioner/${BUILTIN_PRACTITIONERS[0]?.id}` }],
  };
}

function vitalsFor(rng: Rng, seed: PatientSeed, encounterId: string, effective: string, child: boolean): FhirResource[] {
  const base = (suffix: string) => ({ id: `${encounterId}-${suffix}`, patientId: seed.id, encounterId, effective });
  const height = child ? rng.between(135, 150) : rng.between(160, 182);
  const weight = child ? rng.between(30, 42) : rng.between(62, 96);
  return [
    vitalSign(base('hr'), [{ system: LOINC, code: '8867-4', display: 'Heart rate' }], rng.between(58, 104), '/min', 0),
    bloodPressure(base('bp'), rng.between(108, 152), rng.between(66, 96)),
    vitalSign(base('temp'), [{ system: LOINC, code: '8310-5', display: 'Body temperature' }], rng.between(36.2, 38.1), 'Cel'),
    vitalSign(base('rr'), [{ system: LOINC, code: '9279-1', display: 'Respiratory rate' }], rng.between(12, 22), '/min', 0),
    vitalSign(
      base('spo2'),
      [
        { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
        { system: LOINC, code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
      ],
      rng.between(92, 100),
      '%',
      0,
    ),
    vitalSign(base('weight'), [{ system: LOINC, code: '29463-7', display: 'Body weight' }], weight, 'kg'),
    vitalSign(base('height'), [{ system: LOINC, code: '8302-2', display: 'Body height' }], height, 'cm'),
    vitalSign(
      base('bmi'),
      [{ system: LOINC, code: '39156-5', display: 'Body mass index (BMI) [Ratio]' }],
      weight / (height / 100) ** 2,
      'kg/m2',
    ),
  ];
}

function medicationsFor(seed: PatientSeed, authoredOn: string): FhirResource[] {
  const requester = { reference: `Practitioner/${BUILTIN_PRACTITIONERS[0]?.id}` };
  const common = (id: string) => ({
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${seed.id}` },
    authoredOn,
    requester,
  });
  return [
    {
      ...common(`${seed.id}-medreq-lisinopril`),
      medicationCodeableConcept: concept({ system: RXNORM, code: '314076', display: 'lisinopril 10 MG Oral Tablet' }),
      dosageInstruction: [{ text: 'Take 1 tablet by mouth once daily' }],
    },
    {
      ...common(`${seed.id}-medreq-metformin`),
      contained: [
        {
          resourceType: 'Medication',
          id: 'med',
          code: concept({ system: RXNORM, code: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet' }),
        },
      ],
      medicationReference: { reference: '#med' },
      dosageInstruction: [{ text: 'Take 1 tablet by mouth twice daily with meals' }],
    },
    {
      ...common(`${seed.id}-medreq-albuterol`),
      medicationReference: { reference: 'Medication/sbx-med-albuterol', display: 'albuterol inhaler' },
      dosageInstruction: [{ text: '2 puffs every 4 to 6 hours as needed' }],
    },
  ];
}

function allergiesFor(seed: PatientSeed, recordedDate: string): FhirResource[] {
  const clinical = concept({
    system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
    code: 'active',
    display: 'Active',
  });
  const allergens: Coding[] = [
    { system: SNOMED, code: '91936005', display: 'Allergy to penicillin' },
    { system: SNOMED, code: '91935009', display: 'Allergy to peanuts' },
  ];
  return allergens.map((code, i) => ({
    resourceType: 'AllergyIntolerance',
    id: `${seed.id}-allergy-${i + 1}`,
    clinicalStatus: clinical,
    verificationStatus: concept({
      system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
      code: 'confirmed',
      display: 'Confirmed',
    }),
    criticality: i === 0 ? 'high' : 'low',
    code: concept(code),
    patient: { reference: `Patient/${seed.id}` },
    recordedDate,
  }));
}

function patientRecords(seed: PatientSeed, rng: Rng): FhirResource[] {
  const child = Number(seed.birthDate.slice(0, 4)) > 2005;
  const out: FhirResource[] = [patient(seed)];
  const visits: Visit[] = [];
  for (let visit = 0; visit < ENCOUNTERS_PER_PATIENT; visit += 1) {
    const start = new Date(FIRST_VISIT + visit * VISIT_SPACING_DAYS * DAY_MS + rng.int(0, 20) * DAY_MS);
    const end = new Date(start.getTime() + 40 * 60_000);
    const encounterId = `${seed.id}-enc-${visit + 1}`;
    const effective = start.toISOString();
    const clinician = rng.pick(BUILTIN_PRACTITIONERS);
    visits.push({
      encounterId,
      start: effective,
      end: end.toISOString(),
      practitioner: { id: clinician.id, display: `${clinician.prefix} ${clinician.given} ${clinician.family}` },
    });
    out.push({
      resourceType: 'Encounter',
      id: encounterId,
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
      type: [concept({ system: SNOMED, code: '185349003', display: 'Encounter for check up' })],
      subject: { reference: `Patient/${seed.id}` },
      participant: [{ individual: { reference: `Practitioner/${clinician.id}` } }],
      period: { start: effective, end: end.toISOString() },
    });
    out.push(...vitalsFor(rng, seed, encounterId, effective, child));
    for (const lab of LABS) {
      const spread = (lab.high - lab.low) * 0.35;
      out.push(
        labResult(
          { id: `${encounterId}-lab-${lab.code.code}`, patientId: seed.id, encounterId, effective },
          lab,
          rng.between(lab.low - spread, lab.high + spread),
        ),
      );
    }
    if (visit % 3 === 0) {
      const vaccine = VACCINES[(visit / 3) % VACCINES.length] as Coding;
      out.push({
        resourceType: 'Immunization',
        id: `${encounterId}-imm`,
        status: 'completed',
        vaccineCode: concept(vaccine),
        patient: { reference: `Patient/${seed.id}` },
        encounter: { reference: `Encounter/${encounterId}` },
        occurrenceDateTime: effective,
        primarySource: true,
      });
    }
  }
  const firstVisit = new Date(FIRST_VISIT).toISOString();
  seed.conditions.forEach((code, i) =>
    out.push({
      resourceType: 'Condition',
      id: `${seed.id}-cond-${i + 1}`,
      clinicalStatus: concept({
        system: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
        code: 'active',
        display: 'Active',
      }),
      verificationStatus: concept({
        system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
        code: 'confirmed',
        display: 'Confirmed',
      }),
      category: [
        concept({
          system: 'http://terminology.hl7.org/CodeSystem/condition-category',
          code: 'problem-list-item',
          display: 'Problem List Item',
        }),
      ],
      code: concept(code),
      subject: { reference: `Patient/${seed.id}` },
      onsetDateTime: seed.birthDate,
      recordedDate: firstVisit,
    }),
  );
  out.push(...medicationsFor(seed, firstVisit), ...allergiesFor(seed, firstVisit));
  const name = `${seed.given} ${seed.family}`;
  out.push(...documentsFor({ id: seed.id, name, mrn: seed.mrn, birthDate: seed.birthDate, conditions: seed.conditions }, visits));
  return out;
}

/** Every resource of the built-in data set, in a stable order. */
export function builtinResources(): FhirResource[] {
  const rng = createRng(20260101);
  return [
    ...BUILTIN_PRACTITIONERS.map(practitioner),
    {
      resourceType: 'Medication',
      id: 'sbx-med-albuterol',
      code: concept({ system: RXNORM, code: '745679', display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler' }),
    },
    ...PATIENTS.flatMap((seed) => patientRecords(seed, rng)),
  ];
}
