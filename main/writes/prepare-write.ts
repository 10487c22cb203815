import { randomBytes } from 'node:crypto';
import { ChartDeskError } from '../../common/ipc-envelope';
import { DISCONTINUABLE_STATUSES, DOSE_UNITS } from '../../common/medication-order';
import { NOTE_TYPES } from '../../common/note-types';
import {
  convertVital,
  formatVitalReading,
  UNIT_LABELS,
  VITAL_DEFINITIONS,
  vitalLabel,
  type VitalReading,
} from '../../common/vital-entry';
import type { PreviewLine, WriteRequest } from '../../common/writes';
import { patientName } from '../chart/mappers/map-patient';
import { keepPatientsOwn, referencesPatient } from '../chart/patient-scope';
import { mapMedicationRequest } from '../chart/mappers/map-medication';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import { obj, str } from '../fhir/fhir-read';
import { type Authoring, authorReference, type Created, identifierCondition } from './authoring';
import { buildProposal, discontinued, versionOf } from './build-medication';
import { buildNoteDocument } from './build-note';
import { buildVitalObservations } from './build-vitals';
import type { Draft } from './draft-store';
import type { WriteSend } from './fhir-writer';
import { allergyWarnings, medicationChoice } from './medication-choices';

/** What preparing a draft needs of the session: where, who, and the patient and encounter in its context. */
export interface PrepareContext {
  client: FhirClient;
  fhirBaseUrl: string;
  fhirUser: string | null;
  sessionPatientId: string | null;
  sessionEncounterId: string | null;
  now: Date;
}

interface Prepared {
  lines: PreviewLine[];
  warnings: string[];
  sends: WriteSend[];
}

/**
 * Turns the clinician's request into a draft: the exact requests to send, the same content in words, and what to
 * read before confirming. What the request does not say comes from the session (encounter, author) or is read from
 * the EHR again (the patient's name, the medication's code, the order and its version), never from the renderer.
 */
export async function prepareDraft(request: WriteRequest, context: PrepareContext): Promise<Omit<Draft, 'connectionId'>> {
  const patient = await context.client.read('Patient', request.patientId);
  // Never a record written under another patient's name: the EHR must answer for the patient asked about.
  if (str(patient.id) !== request.patientId) {
    throw new ChartDeskError('conflict', 'The EHR answered with another patient than the one asked for. Nothing was prepared.');
  }
  const inContext = context.sessionPatientId === request.patientId;
  const authoring: Authoring = {
    patientId: request.patientId,
    encounterId: inContext ? context.sessionEncounterId : null,
    author: authorReference(context.fhirUser, context.fhirBaseUrl),
    now: context.now.toISOString(),
  };
  const prepared = await prepareAction(request, authoring, context.client);
  const warnings = [...prepared.warnings];
  if (!authoring.author) warnings.push('The EHR did not say who is signed in: the record will not name you as its author.');
  if (request.action !== 'discontinue-medication' && !authoring.encounterId) {
    warnings.push('No encounter is in context for this patient: the record will not be attached to a visit.');
  }
  return {
    id: randomBytes(12).toString('base64url'),
    fhirBaseUrl: context.fhirBaseUrl,
    fhirUser: context.fhirUser,
    action: request.action,
    patientId: request.patientId,
    patientName: patientName(patient, context.now),
    encounterId: authoring.encounterId,
    lines: prepared.lines,
    warnings,
    sends: prepared.sends,
    written: prepared.sends.map(() => null),
    createdAt: authoring.now,
    lastAttemptAt: null,
    lastError: null,
    lastDetails: [],
  };
}

function create(resource: Created): WriteSend {
  return {
    method: 'POST',
    path: resource.resourceType,
    condition: { header: 'If-None-Exist', value: identifierCondition(resource.identifier[0]!) },
    resource,
  };
}

async function prepareAction(request: WriteRequest, authoring: Authoring, client: FhirClient): Promise<Prepared> {
  switch (request.action) {
    case 'record-vitals':
      return {
        lines: [
          ...request.readings.map((reading) => ({ label: vitalLabel(reading.kind), value: readingInWords(reading) })),
          { label: 'Taken at', value: request.effective },
        ],
        warnings: [],
        sends: buildVitalObservations(request.readings, request.effective, authoring).map(create),
      };
    case 'write-note': {
      const type = NOTE_TYPES.find((candidate) => candidate.code === request.type)!;
      return {
        lines: [
          { label: 'Type', value: type.display },
          { label: 'Title', value: request.title ?? type.display },
          { label: 'Text', value: request.text },
        ],
        warnings: [],
        sends: [create(buildNoteDocument(request, authoring))],
      };
    }
    case 'propose-medication':
      return prepareProposal(request, authoring, client);
    case 'discontinue-medication':
      return prepareDiscontinue(request, client);
  }
}

/** "98.6 °F (37 °C)": a value entered in °F, lb or in is also given in the other unit, for a second look. */
function readingInWords(reading: VitalReading): string {
  const entered = formatVitalReading(reading);
  if (reading.kind === 'blood-pressure') return entered;
  const other = VITAL_DEFINITIONS[reading.kind].units.find((unit) => unit !== reading.unit);
  if (!other) return entered;
  const converted = Number(convertVital(reading.value, reading.unit, other).toFixed(1));
  return `${entered} (${converted} ${UNIT_LABELS[other]})`;
}

async function prepareProposal(
  request: Extract<WriteRequest, { action: 'propose-medication' }>,
  authoring: Authoring,
  client: FhirClient,
): Promise<Prepared> {
  const medication = await client.read('Medication', request.medicationId);
  const choice = medicationChoice(medication);
  if (!choice) {
    throw new ChartDeskError('invalid-input', 'This medication has no code in the EHR, so it cannot be ordered from ChartDesk.');
  }
  const warnings: string[] = [];
  let checked: string;
  try {
    const allergies: unknown[] = [];
    for await (const page of client.search('AllergyIntolerance', { patient: authoring.patientId })) {
      // A server that ignores `patient` answers with everyone's: only this patient's allergies count.
      allergies.push(...keepPatientsOwn(page.matches, authoring.patientId, client.baseUrl).kept);
    }
    warnings.push(...allergyWarnings(medication, allergies));
    checked = `Ingredient names and codes compared with ${allergies.length} recorded allerg${allergies.length === 1 ? 'y' : 'ies'}; drug classes (such as penicillins) are not checked.`;
  } catch {
    checked = 'Not done: the allergies could not be read from the EHR.';
    warnings.push('ChartDesk could not read the allergies, so it could not check this medication against them.');
  }
  const unit = DOSE_UNITS.find((candidate) => candidate.code === request.dose.unit)!;
  return {
    lines: [
      { label: 'Medication', value: choice.code.text },
      { label: 'Dose', value: `${request.dose.value} ${unit.display}` },
      { label: 'Instructions', value: request.sig },
      { label: 'Kind of order', value: 'Proposal: a prescriber must act on it in the EHR' },
      { label: 'Allergy check', value: checked },
    ],
    warnings,
    sends: [create(buildProposal(medication, request, authoring))],
  };
}

async function prepareDiscontinue(
  request: Extract<WriteRequest, { action: 'discontinue-medication' }>,
  client: FhirClient,
): Promise<Prepared> {
  const current = await client.read('MedicationRequest', request.medicationRequestId);
  const subject = str(obj(current.subject)?.reference);
  if (!subject || !referencesPatient(subject, request.patientId, client.baseUrl)) {
    throw new ChartDeskError(
      'invalid-input',
      'This order does not belong to the patient whose chart is open. Nothing was changed.',
    );
  }
  const status = str(current.status) ?? 'unknown';
  if (!(DISCONTINUABLE_STATUSES as readonly string[]).includes(status)) {
    throw new ChartDeskError('conflict', `This order is ${status} in the EHR, so there is nothing to discontinue.`);
  }
  const version = versionOf(current);
  if (!version) {
    throw new ChartDeskError(
      'conflict',
      'The EHR gives no version for this order, so ChartDesk cannot make sure nobody changed it meanwhile. Discontinue it in the EHR.',
    );
  }
  const row = mapMedicationRequest(current);
  return {
    lines: [
      { label: 'Medication', value: row?.medication.text ?? 'Unknown' },
      ...(row?.dosage ? [{ label: 'Dosage', value: row.dosage }] : []),
      { label: 'Status', value: `${status} → stopped` },
      { label: 'Reason', value: request.reason ?? 'Not given' },
      { label: 'Based on version', value: version },
    ],
    warnings: [],
    sends: [
      {
        method: 'PUT',
        path: `MedicationRequest/${request.medicationRequestId}`,
        condition: { header: 'If-Match', value: `W/"${version}"` },
        resource: discontinued(current as FhirResource, request.reason),
      },
    ],
  };
}
