/** What the store indexes of each resource: the values the supported search parameters match. */
import { FHIR_DATE } from '../../common/fhir-patterns.js';
import type { FhirResource } from '../data/fhir-types.js';

export interface TokenValue {
  param: string;
  system: string | null;
  code: string;
}

export interface ResourceIndex {
  patient: string | null;
  /** The resource's clinically relevant instant, normalized to UTC ISO for range comparisons. */
  date: string | null;
  status: string | null;
  tokens: TokenValue[];
  strings: Array<{ param: string; value: string }>;
  refs: Array<{ param: string; target: string }>;
}

/** Where each type keeps its date, first match wins. */
const DATE_PATHS: Record<string, string[]> = {
  // The R4 search parameter Observation.date is effective[x] only: an Observation with just `issued` has no date.
  Observation: ['effectiveDateTime', 'effectivePeriod.start', 'effectiveInstant'],
  Condition: ['onsetDateTime', 'onsetPeriod.start', 'recordedDate'],
  Encounter: ['period.start'],
  MedicationRequest: ['authoredOn'],
  Immunization: ['occurrenceDateTime'],
  AllergyIntolerance: ['recordedDate', 'onsetDateTime'],
  DiagnosticReport: ['effectiveDateTime', 'effectivePeriod.start', 'issued'],
  DocumentReference: ['context.period.start', 'date'],
  Procedure: ['performedDateTime', 'performedPeriod.start'],
  CarePlan: ['period.start'],
  Patient: ['birthDate'],
};

/** Binary.securityContext may name the patient whose access rules the Binary follows (R4 Binary). */
const PATIENT_REFS = ['subject', 'patient', 'beneficiary', 'securityContext'];
const CODE_FIELDS = ['code', 'vaccineCode', 'medicationCodeableConcept', 'type'];

function at(resource: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], resource);
}

export function normalizeInstant(value: string): string | null {
  if (FHIR_DATE.test(value)) {
    const [y, m = '01', d = '01'] = value.split('-');
    return `${y}-${m}-${d}T00:00:00.000Z`;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function codingsOf(concept: unknown): Array<{ system?: unknown; code?: unknown }> {
  const codings = (concept as { coding?: unknown } | undefined)?.coding;
  return Array.isArray(codings) ? codings : [];
}

function tokensOf(param: string, concepts: unknown): TokenValue[] {
  const list = Array.isArray(concepts) ? concepts : [concepts];
  return list.flatMap((concept) =>
    codingsOf(concept)
      .filter((c) => typeof c.code === 'string')
      .map((c) => ({ param, system: typeof c.system === 'string' ? c.system : null, code: c.code as string })),
  );
}

function referenceOf(value: unknown): string | null {
  const reference = (value as { reference?: unknown } | undefined)?.reference;
  return typeof reference === 'string' ? reference : null;
}

function humanNames(resource: FhirResource) {
  const names = Array.isArray(resource.name) ? (resource.name as Array<Record<string, unknown>>) : [];
  const family = names.map((n) => n.family).filter((v): v is string => typeof v === 'string');
  const given = names.flatMap((n) => (Array.isArray(n.given) ? n.given : [])).filter((v): v is string => typeof v === 'string');
  const text = names.map((n) => n.text).filter((v): v is string => typeof v === 'string');
  return { family, given, text };
}

export function indexResource(resource: FhirResource): ResourceIndex {
  const type = resource.resourceType;
  let patient: string | null = type === 'Patient' ? resource.id : null;
  for (const field of PATIENT_REFS) {
    const ref = referenceOf(resource[field]);
    if (!patient && ref?.startsWith('Patient/')) patient = ref.slice('Patient/'.length);
  }
  const rawDate = (DATE_PATHS[type] ?? []).map((p) => at(resource, p)).find((v): v is string => typeof v === 'string');

  const tokens: TokenValue[] = [
    ...CODE_FIELDS.flatMap((field) => tokensOf('code', resource[field])),
    ...tokensOf('category', resource.category),
    ...tokensOf('clinical-status', resource.clinicalStatus),
  ];
  const identifiers = Array.isArray(resource.identifier) ? (resource.identifier as Array<Record<string, unknown>>) : [];
  for (const identifier of identifiers) {
    if (typeof identifier.value === 'string') {
      tokens.push({
        param: 'identifier',
        system: typeof identifier.system === 'string' ? identifier.system : null,
        code: identifier.value,
      });
    }
  }

  const strings: ResourceIndex['strings'] = [];
  if (type === 'Patient' || type === 'Practitioner') {
    const { family, given, text } = humanNames(resource);
    for (const value of family) strings.push({ param: 'family', value: value.toLowerCase() });
    for (const value of given) strings.push({ param: 'given', value: value.toLowerCase() });
    for (const value of [...family, ...given, ...text]) strings.push({ param: 'name', value: value.toLowerCase() });
  }

  // Medication?code:text=…: each word of the code's text and displays, matched by its start.
  if (type === 'Medication') {
    const concept = resource.code as { text?: unknown; coding?: Array<{ display?: unknown }> } | undefined;
    const texts = [concept?.text, ...(concept?.coding ?? []).map((coding) => coding.display)];
    const words = texts.flatMap((text) => (typeof text === 'string' ? text.toLowerCase().split(/[^a-z0-9.]+/) : []));
    for (const word of new Set(words)) if (word) strings.push({ param: 'code-text', value: word });
  }

  const refs: ResourceIndex['refs'] = [];
  const addRef = (param: string, value: unknown) => {
    const ref = referenceOf(value);
    if (ref && !ref.startsWith('#')) refs.push({ param, target: ref });
  };
  for (const param of ['encounter', 'subject', 'patient']) addRef(param, resource[param]);
  addRef('medication', resource.medicationReference);
  // The R4 search parameters an _include names the clinicians and organizations by.
  if (type === 'MedicationRequest') addRef('requester', resource.requester);
  if (type === 'Encounter') {
    const participants = Array.isArray(resource.participant) ? (resource.participant as Array<Record<string, unknown>>) : [];
    for (const participant of participants) addRef('participant', participant.individual);
    addRef('service-provider', resource.serviceProvider);
  }

  return {
    patient,
    date: rawDate ? normalizeInstant(rawDate) : null,
    status: typeof resource.status === 'string' ? resource.status : null,
    tokens,
    strings,
    refs,
  };
}
