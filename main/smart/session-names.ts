import { readResourceName } from './fhir-names';
import type { LiveSessions } from './live-sessions';

export interface SessionNamesDeps {
  sessions: LiveSessions;
  fetch: typeof fetch;
}

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
      const { fhirUser, patientId } = grant.context;
      const [userName, patientName] = await Promise.all([
        grant.context.userDisplayName === null && fhirUser
          ? readResourceName(deps.fetch, grant.fhirBaseUrl, fhirUser, grant.accessToken)
          : null,
        patientId
          ? readResourceName(deps.fetch, grant.fhirBaseUrl, `${grant.fhirBaseUrl}/Patient/${patientId}`, grant.accessToken)
          : null,
      ]);
      if (live.generation !== generation || live.grant !== grant) return;
      if (userName !== null) grant.context = { ...grant.context, userDisplayName: userName };
      if (patientName !== null) grant.patientName = patientName;
      if (userName !== null || patientName !== null) deps.sessions.emit();
    },
  };
}
