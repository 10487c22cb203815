/**
 * The SMART reference server (smart-on-fhir/smart-launcher-v2) takes its launch options from the URL path,
 * `/v/<release>/sim/<options>/fhir` and `/v/<release>/sim/<options>/auth/…`, the options written as base64url JSON
 * (its src/isomorphic/codec.ts): an array whose first item is the launch type's index in LAUNCH_TYPES. At the base
 * without options (`/v/r4/fhir`) only an EHR launch works, its `launch` parameter carrying the options; a standalone
 * authorization request is refused there with "Invalid launch options" (redirected back as invalid_request).
 */
export const LAUNCH_TYPES = ['provider-ehr', 'patient-portal', 'provider-standalone', 'patient-standalone', 'backend-service'];

/** What the authorization server accepts: every launch, or EHR launches only (with the refusal's description). */
export type LauncherMode = { kind: 'any' } | { kind: 'ehr-only'; refusal: string };

/** The options of a provider standalone launch as the reference server's launcher page encodes them (pkce "auto"). */
export const STANDALONE_SIM = Buffer.from(
  JSON.stringify([2, '', '', 'AUTO', 0, 0, 0, '', '', '', '', '', '', '', 0, 1, '']),
  'utf8',
).toString('base64url');

/** What the reference server makes of the options in the path; null: the base without options. */
export function launcherMode(sim: string | null): LauncherMode {
  if (sim === null) return { kind: 'ehr-only', refusal: 'Invalid launch options: SyntaxError: Unexpected end of JSON input' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(sim, 'base64url').toString('utf8'));
  } catch (error) {
    return { kind: 'ehr-only', refusal: `Invalid launch options: ${String(error)}` };
  }
  const type = Array.isArray(decoded) ? LAUNCH_TYPES[decoded[0] as number] : undefined;
  return type === undefined
    ? { kind: 'ehr-only', refusal: 'Invalid launch options: Error: Invalid launch type' }
    : { kind: 'any' };
}

/** The FHIR base and issuer paths of the reference server for these options (null: the base without options). */
export function launcherPaths(sim: string | null): { fhirPath: string; authMount: string; launches: LauncherMode } {
  const prefix = sim === null ? '/v/r4' : `/v/r4/sim/${sim}`;
  return { fhirPath: `${prefix}/fhir`, authMount: `${prefix}/auth`, launches: launcherMode(sim) };
}
