import { fhirBaseRoot, sameFhirBase, underFhirBase } from '../../common/fhir-base';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ConnectionWithSession } from '../../common/sessions';
import { type WriteAction, type WriteKind } from '../../common/write-kinds';
import type { DraftSummary, MedicationChoice, WritePreview, WriteRequest, WriteResult } from '../../common/writes';
import type { IpcServices } from '../app-services';
import { codeFor } from '../chart/chart-errors';
import { FhirError } from '../fhir/fhir-errors';
import { createFhirClient, type TokenSource } from '../fhir/fhir-client';
import type { Logger } from '../logging/logger';
import type { SessionContext } from '../smart/session-view';
import type { AuditTrail } from './audit-trail';
import { belongsTo, requireOwner, signedInNow } from './draft-owner';
import type { Draft, DraftStore } from './draft-store';
import { createConditionalSupport } from './conditional-support';
import { createFhirWriter } from './fhir-writer';
import { medicationChoice } from './medication-choices';
import { prepareDraft } from './prepare-write';
import { submitDraft } from './submit-draft';
import { createUnfinishedWrites } from './unfinished-writes';
import { writeAvailabilities } from './write-availability';

export interface WriteServiceDeps {
  /** The connection and its session as the renderer sees them, or null for an unknown id. */
  connectionOf(connectionId: string): ConnectionWithSession | null;
  /** The kinds of writing IT's policy allows (all without a policy). */
  policyAllowed: readonly WriteKind[];
  /** The signed-in session's context and tokens; throws the `auth` ChartDeskError when it cannot be used. */
  sessionFor(connectionId: string): { context: SessionContext; tokens: TokenSource };
  drafts: DraftStore;
  audit: AuditTrail;
  fetch: typeof fetch;
  log: Logger;
  now: () => Date;
}

const MAX_MEDICATION_CHOICES = 20;

/** A failure before anything was sent, for the clinician; an unexpected one is logged here, once, with its cause. */
function toIpcError(error: unknown, log: Logger, action: string): ChartDeskError {
  if (error instanceof ChartDeskError) return error;
  if (error instanceof FhirError) return new ChartDeskError(codeFor(error), error.message);
  log.error('write.internal-error', { action, error });
  return new ChartDeskError(
    'internal',
    'ChartDesk could not prepare this because of an internal error. Nothing was sent to the EHR.',
  );
}

/**
 * The write channels of common/ipc-contract.ts: preview, send (and Retry), drafts, the forms the idle lock kept
 * unfinished (main/writes/unfinished-writes.ts), and the medication search.
 */
export function createWriteService(deps: WriteServiceDeps): IpcServices['writes'] {
  const sending = new Set<string>();
  const conditional = createConditionalSupport();
  const unfinished = createUnfinishedWrites({
    connectionOf: deps.connectionOf,
    sessionContext: (connectionId) => deps.sessionFor(connectionId).context,
    drafts: deps.drafts,
    log: deps.log,
    now: deps.now,
  });

  const connection = (connectionId: string) => {
    const item = deps.connectionOf(connectionId);
    if (!item) throw new ChartDeskError('not-found', 'This connection no longer exists.');
    return item;
  };
  /** The reason an action is not offered now, or null when it is. */
  const refusal = (item: ConnectionWithSession, action: WriteAction): string | null => {
    const availability = writeAvailabilities(item, deps.policyAllowed)[action];
    return availability.offered ? null : availability.reason;
  };
  const clientFor = (session: { context: SessionContext; tokens: TokenSource }) =>
    createFhirClient({ baseUrl: session.context.fhirBaseUrl, tokens: session.tokens, fetch: deps.fetch, log: deps.log });

  const summary = (draft: Draft): DraftSummary => ({
    draftId: draft.id,
    action: draft.action,
    connectionId: draft.connectionId,
    patientId: draft.patientId,
    patientName: draft.patientName,
    createdAt: draft.createdAt,
    lastAttemptAt: draft.lastAttemptAt,
    lastError: draft.lastError,
    lines: draft.lines,
    savedOnDisk: deps.drafts.onDisk(draft.id),
  });

  const preview = (draft: Draft, ehrName: string): WritePreview => ({
    draftId: draft.id,
    action: draft.action,
    connectionId: draft.connectionId,
    ehrName,
    patientId: draft.patientId,
    patientName: draft.patientName,
    encounterId: draft.encounterId,
    lines: draft.lines,
    warnings: draft.warnings,
    requests: draft.sends.map((send) => ({
      method: send.method,
      url: underFhirBase(draft.fhirBaseUrl, send.path),
      condition: send.condition,
      body: JSON.stringify(send.resource, null, 2),
    })),
  });

  const signedIn = (connectionId: string) => signedInNow(() => deps.sessionFor(connectionId).context);

  const draftOf = (connectionId: string, draftId: string): Draft => {
    const draft = deps.drafts.get(draftId);
    if (!draft || draft.connectionId !== connectionId) {
      throw new ChartDeskError('not-found', 'This draft no longer exists: it was written or discarded.');
    }
    return draft;
  };

  /** A draft that cannot be sent now is kept as it is, with the reason. */
  async function keepWithReason(draft: Draft, message: string, details: string[] = []): Promise<WriteResult> {
    draft.lastError = message;
    draft.lastDetails = details;
    await deps.drafts.keep(draft);
    const resources = draft.written.filter((item) => item !== null);
    return { status: 'failed', draftId: draft.id, message, details, resources, draft: summary(draft) };
  }

  async function send(draft: Draft): Promise<WriteResult> {
    const item = connection(draft.connectionId);
    const refused = refusal(item, draft.action);
    if (refused) return keepWithReason(draft, refused);
    let session: { context: SessionContext; tokens: TokenSource };
    try {
      session = deps.sessionFor(draft.connectionId);
    } catch (error) {
      return keepWithReason(draft, `${toIpcError(error, deps.log, 'session').message} Your draft is kept.`);
    }
    if (!sameFhirBase(session.context.fhirBaseUrl, draft.fhirBaseUrl)) {
      return keepWithReason(
        draft,
        `This draft was prepared for ${fhirBaseRoot(draft.fhirBaseUrl)}, and this connection now points elsewhere: ChartDesk does not send it there.`,
      );
    }
    const client = clientFor(session);
    const attempt = await submitDraft(draft, {
      writer: createFhirWriter(client),
      client,
      audit: deps.audit,
      log: deps.log,
      now: deps.now,
    });
    if (attempt.status !== 'failed') {
      await deps.drafts.remove(draft.id);
      return attempt;
    }
    return keepWithReason(draft, attempt.message, attempt.details);
  }

  return {
    availability: (connectionId) => writeAvailabilities(connection(connectionId), deps.policyAllowed),

    async preview(request: WriteRequest): Promise<WritePreview> {
      const item = connection(request.connectionId);
      const refused = refusal(item, request.action);
      if (refused) throw new ChartDeskError('forbidden', refused);
      const session = deps.sessionFor(request.connectionId);
      try {
        const client = clientFor(session);
        const prepared = await prepareDraft(request, {
          client,
          fhirBaseUrl: session.context.fhirBaseUrl,
          fhirUser: session.context.fhirUser,
          sessionPatientId: session.context.patientId,
          sessionEncounterId: session.context.encounterId,
          now: deps.now(),
        });
        const creates = prepared.sends.filter((send) => send.method === 'POST').map((send) => send.resource.resourceType);
        const unconfirmed = creates.length > 0 ? await conditional.warning(client, creates) : null;
        const draft: Draft = {
          ...prepared,
          connectionId: request.connectionId,
          warnings: unconfirmed ? [...prepared.warnings, unconfirmed] : prepared.warnings,
        };
        deps.drafts.hold(draft);
        return preview(draft, item.connection.name);
      } catch (error) {
        throw toIpcError(error, deps.log, request.action);
      }
    },

    async submit(connectionId, draftId): Promise<WriteResult> {
      const draft = draftOf(connectionId, draftId);
      // Another user's draft is refused untouched. Without a session it goes on to send(), which keeps it with the
      // reason and sends nothing: a preview confirmed just as the session ended is not lost.
      const user = signedIn(connectionId);
      if (user) requireOwner(draft, user, 'draft');
      // A second click while the first is on its way would race it; the condition makes it harmless, this makes it quiet.
      if (sending.has(draftId)) throw new ChartDeskError('conflict', 'This draft is being sent already.');
      sending.add(draftId);
      try {
        return await send(draft);
      } catch (error) {
        deps.log.error('write.submit-failed', { action: draft.action, error });
        return keepWithReason(draft, 'ChartDesk failed while sending this draft. Nothing is lost: Retry.');
      } finally {
        sending.delete(draftId);
      }
    },

    drafts: (connectionId) => {
      connection(connectionId);
      const user = signedIn(connectionId);
      return deps.drafts
        .kept(connectionId)
        .filter((draft) => belongsTo(draft, user))
        .map(summary);
    },

    keepUnfinished: unfinished.keepUnfinished,
    unfinished: unfinished.unfinished,
    resumeUnfinished: unfinished.resumeUnfinished,

    async discard(connectionId, draftId) {
      if (await unfinished.discard(connectionId, draftId)) return null;
      requireOwner(draftOf(connectionId, draftId), signedIn(connectionId), 'draft');
      if (sending.has(draftId))
        throw new ChartDeskError('conflict', 'This draft is being sent; it can be discarded if that fails.');
      await deps.drafts.remove(draftId);
      return null;
    },

    async searchMedications(connectionId, text): Promise<MedicationChoice[]> {
      const item = connection(connectionId);
      const refused = refusal(item, 'propose-medication');
      if (refused) throw new ChartDeskError('forbidden', refused);
      const client = clientFor(deps.sessionFor(connectionId));
      try {
        // The first page is enough to choose from: the clinician types more to narrow it.
        for await (const page of client.search('Medication', { 'code:text': text, _count: String(MAX_MEDICATION_CHOICES) })) {
          return page.matches
            .map(medicationChoice)
            .filter((choice): choice is MedicationChoice => choice !== null)
            .slice(0, MAX_MEDICATION_CHOICES);
        }
        return [];
      } catch (error) {
        throw toIpcError(error, deps.log, 'medication-search');
      }
    },
  };
}
