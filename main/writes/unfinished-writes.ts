import { randomBytes } from 'node:crypto';
import { fhirBaseRoot, sameFhirBase } from '../../common/fhir-base';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ConnectionWithSession } from '../../common/sessions';
import type { ResumedForm, UnfinishedSummary, UnfinishedWriteRequest } from '../../common/writes';
import type { Logger } from '../logging/logger';
import type { SessionContext } from '../smart/session-view';
import { belongsTo, requireOwner, signedInNow } from './draft-owner';
import type { DraftStore, UnfinishedDraft } from './draft-store';

export interface UnfinishedWritesDeps {
  connectionOf(connectionId: string): ConnectionWithSession | null;
  /** The signed-in session's context; throws when there is none (an unfinished form is kept all the same). */
  sessionContext(connectionId: string): SessionContext;
  drafts: DraftStore;
  log: Logger;
  now: () => Date;
}

export interface UnfinishedWrites {
  keepUnfinished(request: UnfinishedWriteRequest): Promise<null>;
  unfinished(connectionId: string): UnfinishedSummary[];
  resumeUnfinished(connectionId: string, patientId: string, draftId: string): Promise<ResumedForm>;
  /** Discards the connection's unfinished form of that id; false when it has none (the id may be a failed draft's). */
  discard(connectionId: string, draftId: string): Promise<boolean>;
}

const GONE = 'This unfinished entry no longer exists: it was resumed or discarded.';

/**
 * Write forms the idle lock found open and changed (`write:keep-unfinished`, `write:unfinished`,
 * `write:resume-unfinished`): main keeps their fields encrypted in the draft store while ChartDesk is locked, bound
 * to the connection, its FHIR server, the signed-in user and the patient they were started for, and hands them back
 * only to that user, in that patient's chart on that connection. Resuming reopens the form: nothing is sent before
 * the usual review.
 */
export function createUnfinishedWrites(deps: UnfinishedWritesDeps): UnfinishedWrites {
  const connection = (connectionId: string) => {
    const item = deps.connectionOf(connectionId);
    if (!item) throw new ChartDeskError('not-found', 'This connection no longer exists.');
    return item;
  };
  const signedIn = (connectionId: string) => signedInNow(() => deps.sessionContext(connectionId));
  /** The encounter in the session's context for this patient, null when there is none (or no session). */
  const encounterFor = (connectionId: string, patientId: string): string | null => {
    const context = signedIn(connectionId);
    return context?.patientId === patientId ? context.encounterId : null;
  };
  /** Only forms started on the FHIR server the connection points to now: elsewhere the same patient id is someone else. */
  const offered = (item: ConnectionWithSession, unfinished: UnfinishedDraft) =>
    sameFhirBase(item.connection.fhirBaseUrl, unfinished.fhirBaseUrl);
  const owned = (connectionId: string, draftId: string) => {
    const unfinished = deps.drafts.getUnfinished(draftId);
    return unfinished?.connectionId === connectionId ? unfinished : undefined;
  };

  return {
    async keepUnfinished(request) {
      const item = connection(request.connectionId);
      const unfinished: UnfinishedDraft = {
        id: randomBytes(12).toString('base64url'),
        connectionId: request.connectionId,
        fhirBaseUrl: item.connection.fhirBaseUrl,
        // The session's user even when it just expired (its grant says who it was); null when no one is signed in.
        fhirUser: item.session.fhirUser,
        patientId: request.patientId,
        encounterId: encounterFor(request.connectionId, request.patientId),
        form: request.form,
        savedAt: deps.now().toISOString(),
      };
      await deps.drafts.keepUnfinished(unfinished);
      deps.log.info('write.unfinished-kept', { action: request.form.action });
      return null;
    },

    unfinished(connectionId) {
      const item = connection(connectionId);
      const user = signedIn(connectionId);
      return deps.drafts
        .unfinished(connectionId)
        .filter((unfinished) => offered(item, unfinished) && belongsTo(unfinished, user))
        .map((unfinished) => ({
          draftId: unfinished.id,
          action: unfinished.form.action,
          connectionId: unfinished.connectionId,
          patientId: unfinished.patientId,
          savedAt: unfinished.savedAt,
          savedOnDisk: deps.drafts.onDisk(unfinished.id),
        }));
    },

    async resumeUnfinished(connectionId, patientId, draftId) {
      const item = connection(connectionId);
      const unfinished = owned(connectionId, draftId);
      if (!unfinished) throw new ChartDeskError('not-found', GONE);
      requireOwner(unfinished, signedIn(connectionId), 'unfinished entry');
      if (unfinished.patientId !== patientId) {
        throw new ChartDeskError(
          'forbidden',
          'This unfinished entry was started for another patient: open that patient’s chart to resume it.',
        );
      }
      if (!offered(item, unfinished)) {
        throw new ChartDeskError(
          'forbidden',
          `This unfinished entry was started on ${fhirBaseRoot(unfinished.fhirBaseUrl)}, and this connection now points elsewhere.`,
        );
      }
      const encounterNow = encounterFor(connectionId, patientId);
      const notice =
        unfinished.encounterId !== null && unfinished.encounterId !== encounterNow
          ? 'This entry was started during another encounter than the one in context now: the review shows which one it will be attached to.'
          : null;
      // Handed back whole: the reopened form holds it now, and the lock keeps it again should it fire again.
      await deps.drafts.remove(draftId);
      deps.log.info('write.unfinished-resumed', { action: unfinished.form.action });
      return { draftId, patientId, form: unfinished.form, savedAt: unfinished.savedAt, notice };
    },

    async discard(connectionId, draftId) {
      const unfinished = owned(connectionId, draftId);
      if (!unfinished) return false;
      requireOwner(unfinished, signedIn(connectionId), 'unfinished entry');
      await deps.drafts.remove(draftId);
      return true;
    },
  };
}
