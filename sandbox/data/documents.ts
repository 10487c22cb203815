/**
 * Notes, reports and procedures of the built-in patients, in the shapes real servers publish (fixtures/real,
 * SOURCES.md): a progress note per visit as US Core's `DocumentReference-soap-note` (text/plain, inline base64),
 * a consult note as US Core's `DocumentReference-episode-summary` (content by `Binary/` URL) in HTML, a report as
 * HL7's `DiagnosticReport-gingival-mass` (a PDF inline in presentedForm) and procedures as HL7's
 * `Procedure-example` and `Procedure-f201`. The words are the sandbox's own; the codes are US Core's note types
 * (LOINC) and SNOMED procedures seen in the shared Synthea data.
 */
import { concept, LOINC, SNOMED, type Coding } from './builders.js';
import type { FhirResource } from './fhir-types.js';
import { textPdf } from './pdf.js';

export interface Visit {
  encounterId: string;
  start: string;
  end: string;
  practitioner: { id: string; display: string };
}

export interface DocumentPatient {
  id: string;
  name: string;
  mrn: string;
  birthDate: string;
  conditions: Coding[];
}

interface PatientStory {
  report: { code: Coding; text: string; category: Coding; findings: string; impression: string };
  procedures: Array<{ code: Coding; reason: string; minutes?: number }>;
  consult: { specialty: string; question: string; advice: string[] };
}

const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category';
const RADIOLOGY: Coding = { system: LOINC, code: 'LP29684-5', display: 'Radiology' };
const PATHOLOGY: Coding = { system: LOINC, code: 'LP7839-6', display: 'Pathology' };

const STORIES: Record<string, PatientStory> = {
  'sbx-amelia-hart': {
    report: {
      code: { system: LOINC, code: '11526-1', display: 'Pathology study' },
      text: 'Colon polyp biopsy',
      category: PATHOLOGY,
      findings: 'Two fragments of colonic mucosa, 0.4 cm in aggregate. Tubular adenoma without high-grade dysplasia.',
      impression: 'Tubular adenoma, completely submitted. Surveillance colonoscopy in 5 years.',
    },
    procedures: [
      {
        code: { system: SNOMED, code: '73761001', display: 'Colonoscopy' },
        reason: 'Screening for colorectal cancer',
        minutes: 35,
      },
      {
        code: { system: SNOMED, code: '395123002', display: 'Urine screening test for diabetes' },
        reason: 'Diabetes mellitus type 2',
      },
    ],
    consult: {
      specialty: 'Endocrinology',
      question: 'Glycaemic control on metformin; HbA1c above goal at the last two visits.',
      advice: [
        'Continue metformin 500 mg twice daily.',
        'Add a GLP-1 receptor agonist if HbA1c stays above 7.5 %.',
        'Annual retinal screening.',
      ],
    },
  },
  'sbx-jonah-reyes': {
    report: {
      code: { system: LOINC, code: '18748-4', display: 'Diagnostic imaging study' },
      text: 'Chest X-ray, 2 views',
      category: RADIOLOGY,
      findings: 'The lungs are clear and well expanded. No focal consolidation, effusion or pneumothorax. Heart size normal.',
      impression: 'No acute cardiopulmonary process.',
    },
    procedures: [
      {
        code: { system: SNOMED, code: '23426006', display: 'Measurement of respiratory function (procedure)' },
        reason: 'Asthma',
      },
      { code: { system: SNOMED, code: '399208008', display: 'Plain chest X-ray (procedure)' }, reason: 'Cough for three weeks' },
    ],
    consult: {
      specialty: 'Pulmonology',
      question: 'Asthma with night-time symptoms twice a week despite a reliever inhaler.',
      advice: [
        'Start a low-dose inhaled corticosteroid.',
        'Written asthma action plan given.',
        'Review inhaler technique at the next visit.',
      ],
    },
  },
  'sbx-mei-chen': {
    report: {
      code: { system: LOINC, code: '18748-4', display: 'Diagnostic imaging study' },
      text: 'Sinus X-ray',
      category: RADIOLOGY,
      findings: 'Mild mucosal thickening of the maxillary sinuses. No air-fluid level.',
      impression: 'Mild sinus mucosal thickening; no evidence of acute sinusitis.',
    },
    procedures: [
      { code: { system: SNOMED, code: '117015009', display: 'Throat culture (procedure)' }, reason: 'Sore throat and fever' },
      { code: { system: SNOMED, code: '430193006', display: 'Medication Reconciliation (procedure)' }, reason: 'Otitis media' },
    ],
    consult: {
      specialty: 'Otolaryngology',
      question: 'Recurrent otitis media: four episodes in the last year.',
      advice: [
        'Watchful waiting for three months.',
        'Hearing test before the next review.',
        'Discuss tympanostomy tubes if episodes continue.',
      ],
    },
  },
};

const base64 = (text: string | Buffer) => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');
const day = (iso: string) => iso.slice(0, 10);

function progressNote(patient: DocumentPatient, visit: Visit, index: number): FhirResource {
  const problems = patient.conditions.map((condition) => condition.display).join(', ');
  const text = [
    `S: Follow-up visit ${index + 1} for ${problems}. ${index % 2 === 0 ? 'Feeling well; no new complaints.' : 'Reports more fatigue in the last two weeks.'}`,
    '',
    'O: Vital signs as recorded at this visit. Alert and oriented, in no distress.',
    '',
    `A: ${problems}: ${index % 3 === 2 ? 'not at goal' : 'stable'}.`,
    '',
    `P: Continue current medications. Labs reviewed with the patient. Return in four months. - ${visit.practitioner.display}`,
  ].join('\n');
  return {
    resourceType: 'DocumentReference',
    id: `${visit.encounterId}-note`,
    status: 'current',
    docStatus: 'final',
    type: concept({ system: LOINC, code: '11506-3', display: 'Progress note' }),
    category: [concept({ system: US_CORE_CATEGORY, code: 'clinical-note', display: 'Clinical Note' })],
    subject: { reference: `Patient/${patient.id}` },
    date: visit.end,
    author: [{ reference: `Practitioner/${visit.practitioner.id}`, display: visit.practitioner.display }],
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(text) } }],
    context: { encounter: [{ reference: `Encounter/${visit.encounterId}` }], period: { start: visit.start, end: visit.end } },
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

/** The consult note: its HTML kept in a Binary, which the DocumentReference names by URL (as Epic serves notes). */
function consultNote(patient: DocumentPatient, visit: Visit, story: PatientStory): FhirResource[] {
  const id = `${visit.encounterId}-consult`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Consult note</title></head>
<body>
<h1>${escapeHtml(story.consult.specialty)} consult note</h1>
<p><b>Patient:</b> ${escapeHtml(patient.name)} &middot; <b>MRN:</b> ${escapeHtml(patient.mrn)} &middot; <b>Born:</b> ${patient.birthDate}</p>
<p><b>Date of service:</b> ${day(visit.start)} &middot; <b>Consultant:</b> ${escapeHtml(visit.practitioner.display)}</p>
<h2>Reason for consultation</h2>
<p>${escapeHtml(story.consult.question)}</p>
<h2>Recommendations</h2>
<ol>${story.consult.advice.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ol>
<table><caption>Active problems</caption><thead><tr><th scope="col">Problem</th><th scope="col">SNOMED CT</th></tr></thead>
<tbody>${patient.conditions.map((condition) => `<tr><td>${escapeHtml(condition.display)}</td><td>${condition.code}</td></tr>`).join('')}</tbody></table>
</body></html>
`;
  return [
    {
      resourceType: 'Binary',
      id,
      contentType: 'text/html',
      // R4 Binary.securityContext: the resource that stands in for its access rules, here the patient.
      securityContext: { reference: `Patient/${patient.id}` },
      data: base64(html),
    },
    {
      resourceType: 'DocumentReference',
      id,
      status: 'current',
      docStatus: 'final',
      type: concept({ system: LOINC, code: '11488-4', display: 'Consult note' }),
      category: [concept({ system: US_CORE_CATEGORY, code: 'clinical-note', display: 'Clinical Note' })],
      subject: { reference: `Patient/${patient.id}` },
      date: visit.end,
      author: [{ reference: `Practitioner/${visit.practitioner.id}`, display: visit.practitioner.display }],
      description: `${story.consult.specialty} consultation`,
      content: [{ attachment: { contentType: 'text/html', url: `Binary/${id}`, title: 'Consult note' } }],
      context: { encounter: [{ reference: `Encounter/${visit.encounterId}` }], period: { start: visit.start, end: visit.end } },
    },
  ];
}

function report(patient: DocumentPatient, visit: Visit, story: PatientStory): FhirResource {
  const { report: about } = story;
  const pdf = textPdf(
    [
      { text: 'ChartDesk Sandbox EHR', bold: true, size: 16 },
      { text: about.text, bold: true, size: 13 },
      { text: `Patient: ${patient.name}    MRN: ${patient.mrn}    Born: ${patient.birthDate}` },
      { text: `Date: ${day(visit.start)}    Ordered by: ${visit.practitioner.display}` },
      { text: 'Findings', bold: true },
      { text: about.findings },
      { text: 'Impression', bold: true },
      { text: about.impression },
      { text: 'Electronically signed. This report was generated by the sandbox from synthetic data.', size: 9 },
    ],
    `${about.text}: ${patient.name}`,
  );
  return {
    resourceType: 'DiagnosticReport',
    id: `${visit.encounterId}-report`,
    status: 'final',
    category: [concept(about.category)],
    code: { ...concept(about.code), text: about.text },
    subject: { reference: `Patient/${patient.id}` },
    encounter: { reference: `Encounter/${visit.encounterId}` },
    effectiveDateTime: visit.start,
    issued: visit.end,
    resultsInterpreter: [{ reference: `Practitioner/${visit.practitioner.id}`, display: visit.practitioner.display }],
    conclusion: about.impression,
    presentedForm: [{ contentType: 'application/pdf', language: 'en', data: base64(pdf), title: about.text }],
  };
}

function procedures(patient: DocumentPatient, visits: readonly Visit[], story: PatientStory): FhirResource[] {
  return story.procedures.map((procedure, index) => {
    const visit = visits[(index * 3 + 1) % visits.length] as Visit;
    const minutes = procedure.minutes;
    const performed = minutes
      ? { performedPeriod: { start: visit.start, end: new Date(Date.parse(visit.start) + minutes * 60_000).toISOString() } }
      : { performedDateTime: visit.start };
    return {
      resourceType: 'Procedure',
      id: `${visit.encounterId}-proc-${index + 1}`,
      status: 'completed',
      code: concept(procedure.code),
      subject: { reference: `Patient/${patient.id}` },
      encounter: { reference: `Encounter/${visit.encounterId}` },
      ...performed,
      performer: [{ actor: { reference: `Practitioner/${visit.practitioner.id}`, display: visit.practitioner.display } }],
      reasonCode: [{ text: procedure.reason }],
    };
  });
}

/** Every note, report and procedure of one built-in patient, over its visits. */
export function documentsFor(patient: DocumentPatient, visits: readonly Visit[]): FhirResource[] {
  const story = STORIES[patient.id];
  const last = visits.at(-1);
  if (!story || !last) return [];
  const middle = visits[Math.floor(visits.length / 2)] ?? last;
  return [
    ...visits.map((visit, index) => progressNote(patient, visit, index)),
    ...consultNote(patient, middle, story),
    report(patient, last, story),
    ...procedures(patient, visits, story),
  ];
}
