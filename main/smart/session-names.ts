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

/**
 * Fills in the user's and the patient's display names from the EHR once a session has an access token; never
 * blocks the sign-in, and drops the answer when the session changed meanwhile.
 */
export function createSessionNames(deps: SessionNamesDeps): { read(connectionId: string): Promise<void> } {
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
      const [userName, patientName] = await Promise.all([
        grant.context.userDisplayName === null && fhirUser ? readResourceName(client, fhirUser) : null,
        patientId ? readResourceName(client, `Patient/${patientId}`) : null,
      ]);
      if (live.generation !== generation || live.grant !== grant) return;
      if (userName !== null) grant.context = { ...grant.context, userDisplayName: userName };
      if (patientName !== null) grant.patientName = patientName;
      if (userName !== null || patientName !== null) deps.sessions.emit();
    },
  };
}
