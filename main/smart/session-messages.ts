/**
 * What the clinician reads about a session that cannot go on, written once: the connection row shows it, a notice
 * repeats it, and a chart that cannot open answers with it, so the three never disagree.
 */
export const SESSION_MESSAGES = {
  /** The access token ran out and nothing can renew it (no refresh token: Epic gives public clients none). */
  expired: (ehr: string) => `Your session at ${ehr} has expired. Sign in again.`,
  /** The refresh token was refused (invalid_grant): the EHR ended the grant. */
  ended: (ehr: string) => `Your session at ${ehr} has ended. Sign in again.`,
  /** A FHIR request was refused (401) and the session has nothing to renew it with. */
  endedByEhr: (ehr: string) => `${ehr} ended your session. Sign in again.`,
  /** Even a renewed access token was refused. */
  refusedAfterRenewal: (ehr: string) => `${ehr} refused your session even after renewing it. Sign in again.`,
  /** The EHR could not be reached when the session had to be renewed; the refresh token is kept for the next start. */
  unreachable: (ehr: string) => `${ehr} could not be reached to renew your session. Sign in again when it can be reached.`,
  /** The same, while the current access token still works. */
  unreachableStillValid: (ehr: string) =>
    `${ehr} could not be reached to renew your session; it keeps working until its access expires.`,
  /** A renewal answered for another user than the one who signed in. */
  otherUser: (ehr: string) =>
    `${ehr} renewed the session for another user than the one who signed in, so ChartDesk ended it. Sign in again.`,
  deviceRefused: (ehr: string) => `${ehr} no longer accepts this device's registration. Sign in again.`,
  /** A renewal refused for a reason IT must fix (the advice says which), or that another attempt may pass. */
  refused: (ehr: string, advice: string) => `${ehr} refused to renew your session. ${advice}`,
  /** The same, while the current access token still works. */
  refusedStillValid: (ehr: string, advice: string) =>
    `${ehr} refused to renew your session; it keeps working until its access expires. ${advice}`,
  notSignedIn: 'Sign in to this EHR to see its charts.',
  /** Before and after a sign-out where the EHR offers no revocation: the session lives on there. */
  keptAtEhr: (ehr: string, lasts: string) =>
    `${ehr} offers no way to cancel a session remotely: signing out here does not end it at ${ehr}, where it lasts ${lasts}.`,
  /** A sign-out whose revocation failed. */
  revocationFailed: (ehr: string) =>
    `${ehr} could not be reached to cancel the session there: signing out here did not end it at ${ehr}, where it lasts until it expires.`,
} as const;
