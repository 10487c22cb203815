import type { Connection } from '../../common/connections';
import type { ChartSectionId, SessionStatus, SessionView } from '../../common/sessions';
import { endsRemotely, type Grant, renewable } from './grant';
import type { LiveSession } from './live-sessions';
import { SESSION_MESSAGES } from './session-messages';

/** What the FHIR client and the chart need about a session; no token. */
export interface SessionContext {
  connectionId: string;
  fhirBaseUrl: string;
  patientId: string | null;
  encounterId: string | null;
  fhirUser: string | null;
  grantedSections: ChartSectionId[];
  /** Binary was granted for reading (GrantedScopeSummary.documentContent). */
  documentContent: boolean;
  smartStyleUrl: string | null;
  needPatientBanner: boolean;
}

/** The session as the renderer sees it: status, who and which patient, what was granted; never a token. */
export function sessionView(connection: Connection, live: LiveSession | undefined, now: number): SessionView {
  const grant = live?.grant ?? null;
  let status: SessionStatus = live?.status ?? 'signed-out';
  let message = live?.message ?? null;
  // The keeper ends such a session at its expiry; should its timer be late, the row says so already.
  if (status === 'signed-in' && grant && !renewable(grant) && grant.expiresAt !== null && grant.expiresAt <= now) {
    status = 'expired';
    message = SESSION_MESSAGES.expired(connection.name);
  }
  return {
    connectionId: connection.id,
    connectionName: connection.name,
    status,
    message,
    userDisplayName: grant?.context.userDisplayName ?? null,
    fhirUser: grant?.context.fhirUser ?? null,
    patient: grant?.context.patientId ? { id: grant.context.patientId, name: grant.patientName } : null,
    encounterId: grant?.context.encounterId ?? null,
    needPatientBanner: grant?.context.needPatientBanner ?? true,
    smartStyleUrl: grant?.context.smartStyleUrl ?? null,
    scopes: grant?.summary ?? null,
    expiresAt: grant?.expiresAt ? new Date(grant.expiresAt).toISOString() : null,
    persisted: live?.persisted ?? true,
    deviceRegistered: grant?.device != null,
    signOutNote: grant && status === 'signed-in' ? keptAtEhrNote(connection.name, grant) : null,
  };
}

/** What a sign-out leaves behind at an EHR that cannot end the session remotely; null where it can. */
export function keptAtEhrNote(ehr: string, grant: Grant): string | null {
  if (endsRemotely(grant)) return null;
  const lasts =
    renewable(grant) || grant.expiresAt === null
      ? 'until the EHR lets it expire'
      : `until its access expires at ${new Date(grant.expiresAt).toTimeString().slice(0, 5)}`;
  return SESSION_MESSAGES.keptAtEhr(ehr, lasts);
}

export function sessionContext(connectionId: string, grant: Grant): SessionContext {
  return {
    connectionId,
    fhirBaseUrl: grant.fhirBaseUrl,
    patientId: grant.context.patientId,
    encounterId: grant.context.encounterId,
    fhirUser: grant.context.fhirUser,
    grantedSections: grant.summary.grantedSections,
    documentContent: grant.summary.documentContent,
    smartStyleUrl: grant.context.smartStyleUrl,
    needPatientBanner: grant.context.needPatientBanner,
  };
}
