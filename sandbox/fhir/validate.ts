/**
 * What the sandbox checks of a resource it is asked to create or update, answered like a FHIR server that validates
 * against US Core: 422 Unprocessable Entity with an OperationOutcome whose issues name each fault and where it is
 * (FHIR R4 RESTful API, create and update: "422 Unprocessable Entity - the proposed resource violated applicable FHIR
 * profiles or server business rules"). The rules are the US Core vital-sign profiles (US Core blood pressure, heart
 * rate, respiratory rate, body temperature, pulse oximetry, body weight, body height, BMI), US Core DocumentReference,
 * and the required elements of MedicationRequest; the examples they accept are in fixtures/real/us-core/.
 */
import type { FhirResource } from '../data/fhir-types.js';
import type { OutcomeIssue } from './outcome.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** Each US Core vital-sign profile: its LOINC code and the UCUM units it allows (the profiles' required bindings). */
const VITAL_UNITS: Record<string, readonly string[]> = {
  '8867-4': ['/min'], // heart rate
  '9279-1': ['/min'], // respiratory rate
  '8310-5': ['Cel', '[degF]'], // body temperature
  '2708-6': ['%'], // oxygen saturation
  '59408-5': ['%'], // oxygen saturation by pulse oximetry
  '29463-7': ['kg', 'g', '[lb_av]'], // body weight
  '8302-2': ['cm', '[in_i]'], // body height
  '39156-5': ['kg/m2'], // BMI
};
const BLOOD_PRESSURE = '85354-9';
const BP_COMPONENTS = ['8480-6', '8462-4'];
const OBSERVATION_STATUSES = [
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
];
const DOCUMENT_STATUSES = ['current', 'superseded', 'entered-in-error'];
const MEDICATION_REQUEST_STATUSES = [
  'active',
  'on-hold',
  'cancelled',
  'completed',
  'entered-in-error',
  'stopped',
  'draft',
  'unknown',
];
const MEDICATION_REQUEST_INTENTS = [
  'proposal',
  'plan',
  'order',
  'original-order',
  'reflex-order',
  'filler-order',
  'instance-order',
  'option',
];

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const codings = (concept: unknown) => list(obj(concept)?.coding).map(obj);
const hasCoding = (concept: unknown, system: string, codes: readonly string[]) =>
  codings(concept).some((coding) => coding?.system === system && codes.includes(String(coding?.code)));

/** Collects the faults of one resource, each with the FHIRPath of the element at fault. */
class Faults {
  readonly issues: OutcomeIssue[] = [];
  constructor(private readonly type: string) {}
  add(path: string, message: string, code: OutcomeIssue['code'] = 'invalid'): void {
    this.issues.push({ code, diagnostics: message, expression: `${this.type}${path ? `.${path}` : ''}` });
  }
  required(resource: Json, path: string): boolean {
    if (resource[path] !== undefined) return true;
    this.add(path, `${this.type}.${path} is required`, 'required');
    return false;
  }
}

/** The faults of a resource about to be written; empty when it may be stored. */
export function validateForWrite(resource: FhirResource): OutcomeIssue[] {
  const faults = new Faults(resource.resourceType);
  subjectIsPatient(resource, faults);
  switch (resource.resourceType) {
    case 'Observation':
      observation(resource, faults);
      break;
    case 'DocumentReference':
      documentReference(resource, faults);
      break;
    case 'MedicationRequest':
      medicationRequest(resource, faults);
      break;
  }
  return faults.issues;
}

function subjectIsPatient(resource: Json, faults: Faults): void {
  const reference = obj(resource.subject)?.reference;
  if (typeof reference !== 'string' || !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(reference)) {
    faults.add('subject', 'subject must reference a Patient (Patient/<id>)', 'required');
  }
}

function oneOf(value: unknown, allowed: readonly string[], path: string, faults: Faults): void {
  if (typeof value !== 'string') faults.add(path, `${path} is required`, 'required');
  else if (!allowed.includes(value)) faults.add(path, `${path} "${value}" is not one of ${allowed.join(', ')}`, 'code-invalid');
}

function observation(resource: Json, faults: Faults): void {
  oneOf(resource.status, OBSERVATION_STATUSES, 'status', faults);
  if (!list(resource.category).some((category) => hasCoding(category, OBSERVATION_CATEGORY, ['vital-signs']))) {
    faults.add('category', `a vital sign needs the category ${OBSERVATION_CATEGORY}|vital-signs`, 'required');
  }
  if (typeof resource.effectiveDateTime !== 'string' && !obj(resource.effectivePeriod)) {
    faults.add('effective[x]', 'effectiveDateTime (or effectivePeriod) is required for a vital sign', 'required');
  }
  const absent = obj(resource.dataAbsentReason) !== null;
  if (hasCoding(resource.code, LOINC, [BLOOD_PRESSURE])) {
    for (const loinc of BP_COMPONENTS) {
      const index = list(resource.component).findIndex((component) => hasCoding(obj(component)?.code, LOINC, [loinc]));
      if (index < 0) faults.add('component', `blood pressure needs a component coded ${LOINC}|${loinc}`, 'required');
      else quantityIn(obj(list(resource.component)[index]), ['mm[Hg]'], `component[${index}].valueQuantity`, faults);
    }
    return;
  }
  const loinc = Object.keys(VITAL_UNITS).find((code) => hasCoding(resource.code, LOINC, [code]));
  if (!loinc) {
    faults.add('code', `code must carry a LOINC vital-sign code (${[BLOOD_PRESSURE, ...Object.keys(VITAL_UNITS)].join(', ')})`);
    return;
  }
  if (!absent) quantityIn(resource, VITAL_UNITS[loinc] ?? [], 'valueQuantity', faults);
}

/** A valueQuantity with a number, UCUM as its system and one of the profile's units as its code. */
function quantityIn(element: Json | null, units: readonly string[], path: string, faults: Faults): void {
  const quantity = obj(element?.valueQuantity);
  if (!quantity) {
    faults.add(path, `${path} is required (or a dataAbsentReason)`, 'required');
    return;
  }
  if (typeof quantity.value !== 'number' || !Number.isFinite(quantity.value))
    faults.add(`${path}.value`, 'value must be a number');
  if (quantity.system !== UCUM) faults.add(`${path}.system`, `system must be ${UCUM}`);
  if (typeof quantity.code !== 'string' || !units.includes(quantity.code)) {
    faults.add(
      `${path}.code`,
      `code "${String(quantity.code)}" is not one of the UCUM units ${units.join(', ')}`,
      'code-invalid',
    );
  }
}

function documentReference(resource: Json, faults: Faults): void {
  oneOf(resource.status, DOCUMENT_STATUSES, 'status', faults);
  if (codings(resource.type).length === 0) faults.add('type', 'type must be coded (LOINC document type)', 'required');
  if (list(resource.category).length === 0) faults.add('category', 'at least one category is required', 'required');
  const contents = list(resource.content);
  if (contents.length === 0) faults.add('content', 'at least one content.attachment is required', 'required');
  contents.forEach((content, index) => {
    const attachment = obj(obj(content)?.attachment);
    const path = `content[${index}].attachment`;
    if (!attachment) {
      faults.add(path, `${path} is required`, 'required');
      return;
    }
    if (typeof attachment.contentType !== 'string') faults.add(`${path}.contentType`, 'contentType is required', 'required');
    const data = attachment.data;
    if (data === undefined && typeof attachment.url !== 'string')
      faults.add(path, 'an attachment needs data or a url', 'required');
    if (data !== undefined && (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0)) {
      faults.add(`${path}.data`, 'data must be base64');
    }
  });
}

function medicationRequest(resource: Json, faults: Faults): void {
  oneOf(resource.status, MEDICATION_REQUEST_STATUSES, 'status', faults);
  oneOf(resource.intent, MEDICATION_REQUEST_INTENTS, 'intent', faults);
  if (!obj(resource.medicationCodeableConcept) && !obj(resource.medicationReference)) {
    faults.add('medication[x]', 'medicationCodeableConcept or medicationReference is required', 'required');
  }
}
