import { createFhirClient, type FhirResource, type TokenSource } from '../fhir/fhir-client';
import { humanName } from '../fhir/fhir-read';
import { DEFAULT_RETRY_POLICY } from '../fhir/retry-policy';
import type { Logger } from '../logging/logger';
import { readResourceName } from './fhir-names';
import type { Grant } from './grant';
import type { LiveSessions } from './live-sessions';

export interface SessionNamesDeps {
  sessions: LiveSessions;
  /** The session's tokens, as the chart gets them: the names are read like any other FHIR resource. */
  tokens: (connectionId: string) => TokenSource;
  fetch: typeof fetch;
  log: Logger;
}

/** Names are a nicety: a short wait, no retry. */
const NAME_READ_OPTIONS = { timeoutMs: 5_000, retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 } };

export interface SessionNames {
  read(connectionId: string): Promise<void>;
  /**
   * The read of the patient in context that gave the session its patient's name, for the chart to show the same
   * Patient without reading it again; null when there was none for this patient.
   */
  contextPatient(connectionId: string, patientId: string): Promise<FhirResource> | null;
}

/**
 * Fills in the user's and the patient's display names from the EHR once a session has an access token; never
 * blocks the sign-in, and drops the answer when the session changed meanwhile.
 */
export function createSessionNames(deps: SessionNamesDeps): SessionNames {
  // One read of the patient in context per grant, shared with the chart's banner.
  const patientReads = new WeakMap<Grant, Promise<FhirResource>>();
  return {
    async read(connectionId) {
      const live = deps.sessions.of(connectionId);
      const generation = live.generation;
      const grant = live.grant;
      if (!grant?.accessToken) return;
      const client = createFhirClient({
        baseUrl: grant.fhirBaseUrl,
        tokens: deps.tokens(connectionId),
        fetch: deps.fetch,
        log: deps.log,
        options: NAME_READ_OPTIONS,
      });
      const { fhirUser, patientId } = grant.context;
      let patientRead: Promise<FhirResource> | undefined;
      if (patientId) {
        patientRead = patientReads.get(grant) ?? client.read('Patient', patientId);
        patientReads.set(grant, patientRead);
      }
      const [userName, patientName] = await Promise.all([
        grant.context.userDisplayName === null && fhirUser ? readResourceName(client, fhirUser) : null,
        patientRead?.then((patient) => humanName(patient.name)).catch(() => null) ?? null,
      ]);
      if (live.generation !== generation || live.grant !== grant) return;
      if (userName !== null) grant.context = { ...grant.context, userDisplayName: userName };
      if (patientName !== null) grant.patientName = patientName;
      if (userName !== null || patientName !== null) deps.sessions.emit();
    },

    contextPatient(connectionId, patientId) {
      const grant = deps.sessions.peek(connectionId)?.grant;
      return grant && grant.context.patientId === patientId ? (patientReads.get(grant) ?? null) : null;
    },
  };
}
