import type { MedicationRow } from '../../common/chart';
import type { WriteConflict, WriteResult, WrittenResource, WrittenRows } from '../../common/writes';
import { mapDocumentReference } from '../chart/mappers/map-document';
import { mapMedicationRequest } from '../chart/mappers/map-medication';
import { mapObservation } from '../chart/mappers/map-observation';
import type { FhirClient, FhirResource } from '../fhir/fhir-client';
import { FhirError } from '../fhir/fhir-errors';
import type { Logger } from '../logging/logger';
import type { AuditTrail } from './audit-trail';
import { versionOf } from './build-medication';
import type { Draft } from './draft-store';
import { type createFhirWriter, WriteRefusedError } from './fhir-writer';

export interface SubmitDeps {
  writer: ReturnType<typeof createFhirWriter>;
  client: FhirClient;
  audit: AuditTrail;
  log: Logger;
  now: () => Date;
}

/** A failed attempt, before the draft is kept: what the clinician reads, and what was written before it failed. */
export type Attempt =
  | Exclude<WriteResult, { status: 'failed' }>
  | { status: 'failed'; draftId: string; message: string; details: string[]; resources: WrittenResource[] };

/**
 * Sends what a draft has not yet written, in order, and says how it went. Each create is conditional, so a send
 * whose answer was lost is found again rather than made twice; an update names the version the preview showed, and
 * a 412 ends in the conflict screen (the current order beside the clinician's change), never in an overwrite.
 */
export async function submitDraft(draft: Draft, deps: SubmitDeps): Promise<Attempt> {
  draft.lastAttemptAt = deps.now().toISOString();
  for (const [index, send] of draft.sends.entries()) {
    if (draft.written[index]) continue;
    try {
      const answer = await deps.writer.send(send);
      const id = answer.id ?? (send.method === 'PUT' ? send.path.split('/')[1]! : null);
      if (!id) throw new FhirError('malformed', 'The EHR saved the record but did not say under which id.');
      const written = { resourceType: send.resource.resourceType, id, versionId: answer.versionId };
      draft.written[index] = written;
      await deps.audit.record({
        time: deps.now().toISOString(),
        fhirBaseUrl: draft.fhirBaseUrl,
        connectionId: draft.connectionId,
        action: draft.action,
        interaction: send.method === 'PUT' ? 'update' : answer.status === 201 ? 'create' : 'found',
        ...written,
      });
    } catch (error) {
      const stale = error instanceof WriteRefusedError && error.status === 412 && send.method === 'PUT';
      const conflict = stale ? await conflictOf(send.resource, send.condition.value, deps).catch(() => null) : null;
      if (conflict) return { status: 'conflict', draftId: draft.id, conflict };
      const known = error instanceof FhirError;
      if (!known) deps.log.error('write.failed', { action: draft.action, error });
      draft.lastError = known ? error.message : 'ChartDesk failed while sending. Nothing is lost: Retry.';
      draft.lastDetails = error instanceof WriteRefusedError ? error.details : [];
      return {
        status: 'failed',
        draftId: draft.id,
        message: draft.lastError,
        details: draft.lastDetails,
        resources: draft.written.filter((item): item is WrittenResource => item !== null),
      };
    }
  }
  const resources = draft.written as WrittenResource[];
  return { status: 'written', draftId: draft.id, resources, rows: writtenRows(draft, resources) };
}

/** The chart's rows for what was written, as sent (with the ids the EHR gave), marked as written from ChartDesk. */
function writtenRows(draft: Draft, resources: WrittenResource[]): WrittenRows {
  const rows: WrittenRows = { vitals: [], medications: [], notes: [] };
  draft.sends.forEach((send, index) => {
    const resource = { ...send.resource, id: resources[index]!.id };
    const observation = mapObservation(resource);
    if (observation) rows.vitals.push({ ...observation, fromChartDesk: true });
    const medication = mapMedicationRequest(resource);
    if (medication) rows.medications.push({ ...medication, fromChartDesk: true });
    const note = mapDocumentReference(resource);
    if (note) rows.notes.push({ ...note, fromChartDesk: true });
  });
  return rows;
}

const CONFLICT_FIELDS: Array<[keyof MedicationRow, string]> = [
  ['status', 'Status'],
  ['medication', 'Medication'],
  ['dosage', 'Dosage'],
  ['intent', 'Kind of order'],
  ['prescriber', 'Prescriber'],
  ['authoredOn', 'Ordered on'],
];

const fieldText = (row: MedicationRow, field: keyof MedicationRow) => {
  const value = row[field];
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? value.text : String(value);
};

/** The order as it is now beside the clinician's change, read again after the EHR refused a stale version. */
async function conflictOf(yours: FhirResource, ifMatch: string, deps: SubmitDeps): Promise<WriteConflict> {
  const current = await deps.client.read(yours.resourceType, String(yours.id));
  const yourRow = mapMedicationRequest(yours)!;
  const currentRow = mapMedicationRequest(current) ?? { ...yourRow, status: 'entered-in-error' };
  return {
    resourceType: 'MedicationRequest',
    id: String(yours.id),
    yourVersion: /"([^"]*)"/.exec(ifMatch)?.[1] ?? ifMatch,
    currentVersion: versionOf(current),
    yours: yourRow,
    current: currentRow,
    differences: CONFLICT_FIELDS.filter(([field]) => fieldText(yourRow, field) !== fieldText(currentRow, field)).map(
      ([field, label]) => ({ label, yours: fieldText(yourRow, field), current: fieldText(currentRow, field) }),
    ),
  };
}
