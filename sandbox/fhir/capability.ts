/** The server's CapabilityStatement (/metadata), with the SMART security block. */
import { oauthUrisExtension, type AuthEndpoints } from '../auth/discovery.js';
import type { ProfileSpec } from '../profiles.js';
import { includesOf, MAX_PAGE_SIZE, REFERENCE_INCLUDES } from './search.js';

// `identifier` too: the search a conditional create (If-None-Exist) names its earlier copy by.
const CLINICAL_PARAMS = ['_id', 'patient', 'subject', 'category', 'code', 'date', 'status', 'encounter', 'identifier'];
const RESOURCES: Record<string, string[]> = {
  Patient: ['_id', 'name', 'family', 'given', 'birthdate', 'identifier'],
  Practitioner: ['_id', 'name', 'family', 'given', 'identifier'],
  Organization: ['_id', 'identifier'],
  Medication: ['_id', 'code'],
  Observation: CLINICAL_PARAMS,
  Condition: [...CLINICAL_PARAMS, 'clinical-status'],
  AllergyIntolerance: ['_id', 'patient', 'code', 'date', 'clinical-status'],
  MedicationRequest: ['_id', 'patient', 'subject', 'code', 'date', 'status', 'encounter', 'identifier'],
  Immunization: ['_id', 'patient', 'vaccine-code', 'date', 'status'],
  Encounter: ['_id', 'patient', 'subject', 'date', 'status'],
  DiagnosticReport: CLINICAL_PARAMS,
  DocumentReference: ['_id', 'patient', 'subject', 'category', 'date', 'status', 'encounter', 'identifier'],
  // Read only: a note's content, by the URL its DocumentReference gives.
  Binary: [],
  Procedure: ['_id', 'patient', 'subject', 'code', 'date', 'status', 'encounter'],
  CarePlan: ['_id', 'patient', 'subject', 'category', 'date', 'status'],
};

/** The types ChartDesk writes, which this server creates (conditionally) and updates with version checks. */
const WRITABLE = new Set(['Observation', 'DocumentReference', 'MedicationRequest']);

function interactions(type: string, searchable: boolean) {
  const read = [{ code: 'read' }, { code: 'vread' }, ...(searchable ? [{ code: 'search-type' }] : [])];
  if (!WRITABLE.has(type)) return { interaction: read };
  return {
    interaction: [...read, { code: 'create' }, { code: 'update' }],
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: false,
    conditionalCreate: true,
  };
}

const paramType = (name: string) =>
  name === 'date' || name === 'birthdate'
    ? 'date'
    : ['name', 'family', 'given'].includes(name)
      ? 'string'
      : ['patient', 'subject', 'encounter'].includes(name)
        ? 'reference'
        : 'token';

/**
 * Search result parameters are not search parameters, so R4 has no proper field for them; servers
 * such as Medplum list them in rest.searchParam with no definition (type special, _count number).
 */
const RESULT_PARAMS = [
  { name: '_sort', type: 'special', documentation: 'date and -date' },
  { name: '_total', type: 'special', documentation: 'none, estimate or accurate (counted exactly)' },
  { name: '_count', type: 'number', documentation: `at most ${MAX_PAGE_SIZE}` },
];

/** The `_include`s a type's searches serve: its own reference parameters, and those it is searched by. */
function searchInclude(type: string, params: string[]) {
  const own = REFERENCE_INCLUDES[type] ?? [];
  const values = includesOf(type)
    .filter((param) => own.includes(param) || params.includes(param))
    .map((param) => `${type}:${param}`);
  return values.length > 0 ? { searchInclude: values } : {};
}

export function capabilityStatement(fhirBaseUrl: string, endpoints: AuthEndpoints, profile: ProfileSpec) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-28',
    kind: 'instance',
    software: { name: `ChartDesk Sandbox EHR (${profile.name})`, version: '0.1.0' },
    implementation: { description: `Sandbox FHIR R4 server; _count up to ${MAX_PAGE_SIZE}`, url: fhirBaseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          extension: [oauthUrisExtension(endpoints)],
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
              text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
            },
          ],
        },
        resource: Object.entries(RESOURCES).map(([type, params]) => ({
          type,
          ...interactions(type, params.length > 0),
          searchParam: params.map((name) => ({
            name,
            type: name === '_id' ? 'token' : paramType(name),
            ...(paramType(name) === 'date' ? { documentation: 'prefixes eq ne gt lt ge le; the :missing modifier' } : {}),
          })),
          ...searchInclude(type, params),
        })),
        searchParam: RESULT_PARAMS,
      },
    ],
  };
}
