import { DISCONTINUED_STATUS, DOSE_UNITS } from '../../common/medication-order';
import type { ProposeMedicationRequest } from '../../common/writes';
import type { FhirResource } from '../fhir/fhir-client';
import { type Json, obj } from '../fhir/fhir-read';
import { type Authoring, type Created, mintIdentifier, subjectOf } from './authoring';

/**
 * A proposed order (MedicationRequest, intent `proposal`: a suggestion that authorizes nothing until a prescriber
 * acts on it in the EHR), coded with the code of the Medication the EHR's search returned, with the dose and the sig
 * in the dosage shape of HL7's example medrx0301 (fixtures/real/hl7-r4-examples/): `text`, `doseAndRate.doseQuantity`.
 */
export function buildProposal(
  medication: FhirResource,
  request: Pick<ProposeMedicationRequest, 'dose' | 'sig'>,
  authoring: Authoring,
): Created {
  const unit = DOSE_UNITS.find((candidate) => candidate.code === request.dose.unit)!;
  return {
    resourceType: 'MedicationRequest',
    identifier: [mintIdentifier()],
    status: 'active',
    intent: 'proposal',
    medicationCodeableConcept: medication.code as Json,
    ...subjectOf(authoring),
    ...(authoring.encounterId ? { encounter: { reference: `Encounter/${authoring.encounterId}` } } : {}),
    authoredOn: authoring.now,
    ...(authoring.author ? { requester: { reference: authoring.author } } : {}),
    dosageInstruction: [
      {
        text: request.sig,
        doseAndRate: [{ doseQuantity: { value: request.dose.value, unit: unit.display, system: unit.system, code: unit.code } }],
      },
    ],
  };
}

/**
 * The order as read, stopped: everything the EHR holds is sent back unchanged but its status (and the reason when
 * given), so the update removes nothing. `meta` is the server's to set.
 */
export function discontinued(current: FhirResource, reason: string | null): FhirResource {
  const { meta: _meta, ...rest } = current;
  const statusReason = reason ? { statusReason: { text: reason } } : {};
  return { ...rest, status: DISCONTINUED_STATUS, ...statusReason };
}

/** The version an update must name (meta.versionId), null when the EHR gave none. */
export function versionOf(resource: FhirResource): string | null {
  const version = obj(resource.meta)?.versionId;
  return typeof version === 'string' && version.length > 0 ? version : null;
}
