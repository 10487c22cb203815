import type { Connection } from '../../common/connections';
import type { ChartSectionId, SessionStatus, SessionView } from '../../common/sessions';
import { type Grant, renewable } from './grant';
import type { LiveSession } from './live-sessions';

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
  if (status === 'signed-in' && grant && !renewable(grant) && grant.expiresAt !== null && grant.expiresAt <= now) {
    status = 'expired';
    message = 'Your session has expired. Sign in again.';
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
  };
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
