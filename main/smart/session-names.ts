import { createFhirClient, type TokenSource } from '../fhir/fhir-client';
import { DEFAULT_RETRY_POLICY } from '../fhir/retry-policy';
import type { Logger } from '../logging/logger';
import { readResourceName } from './fhir-names';
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
  /**
   * Reads the user's name, and the patient's when asked: after a restore, where no chart may be opened soon. After
   * a sign-in the chart of the patient in context opens at once, and its banner's read gives the name
   * (`notePatientName`): the Patient is read once.
   */
  read(connectionId: string, options: { patient: boolean }): Promise<void>;
  /** The name the chart read for the session's patient in context. */
  notePatientName(connectionId: string, patientId: string, name: string | null): void;
}

/**
 * Fills in the user's and the patient's display names from the EHR once a session has an access token; never
 * blocks the sign-in, and drops the answer when the session changed meanwhile.
 */
export function createSessionNames(deps: SessionNamesDeps): SessionNames {
  return {
    async read(connectionId, options) {
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
      const [userName, patientName] = await Promise.all([
        grant.context.userDisplayName === null && fhirUser ? readResourceName(client, fhirUser) : null,
        options.patient && patientId ? readResourceName(client, `Patient/${patientId}`) : null,
      ]);
      if (live.generation !== generation || live.grant !== grant) return;
      if (userName !== null) grant.context = { ...grant.context, userDisplayName: userName };
      if (patientName !== null) grant.patientName = patientName;
      if (userName !== null || patientName !== null) deps.sessions.emit();
    },

    notePatientName(connectionId, patientId, name) {
      const grant = deps.sessions.peek(connectionId)?.grant;
      if (!grant || grant.context.patientId !== patientId || name === null || grant.patientName === name) return;
      grant.patientName = name;
      deps.sessions.emit();
    },
  };
}
