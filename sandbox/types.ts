/** Public types of the sandbox EHR: what startSandbox accepts and what it hands back. */

export type ProfileName = 'smart-v2' | 'smart-v1' | 'epic-like' | 'cerner-like' | 'launcher-like' | 'athena-like';

/** Error simulations, named as the SMART reference launcher names them. */
export const SIMULATED_ERRORS = [
  'auth_invalid_client_id',
  'auth_invalid_redirect_uri',
  'auth_invalid_scope',
  'auth_invalid_client_secret',
  'token_invalid_token',
  'token_expired_refresh_token',
  'token_invalid_scope',
  'request_invalid_token',
  'request_expired_token',
] as const;
export type SimulatedError = (typeof SIMULATED_ERRORS)[number];

/**
 * Faults injected into FHIR requests (never into the authorization server), for retry and
 * resilience tests and benchmarks. Rates are fractions in [0, 1] drawn from a seeded generator,
 * so a run with the same seed and request order sees the same faults.
 */
export interface FaultOptions {
  /** Fixed delay added to every FHIR request. */
  delayMs?: number;
  /** Extra uniformly random delay in [min, max] ms. */
  randomDelayMs?: [number, number];
  /** Answer every Nth FHIR request with 429 Too Many Requests. */
  status429Every?: number;
  /** Answer every Nth FHIR request with 503 Service Unavailable. */
  status503Every?: number;
  /** Retry-After seconds sent with 429 and 503 (default 1). */
  retryAfterSeconds?: number;
  /** Fraction of FHIR requests answered with 500. */
  errorRate500?: number;
  /** Fraction of FHIR responses cut off mid-body (socket destroyed after the headers and part of the body). */
  dropConnectionRate?: number;
  /** Fraction of FHIR responses whose JSON body is truncated (status 200, invalid JSON). */
  malformedJsonRate?: number;
  /** Seed of the fault generator (default 1). */
  seed?: number;
}

export interface ClientRegistration {
  client_id: string;
  redirect_uris: string[];
  /** 'none' for public clients (default); 'client_secret_basic' or 'client_secret_post' with client_secret. */
  token_endpoint_auth_method?: 'none' | 'client_secret_basic' | 'client_secret_post';
  client_secret?: string;
  application_type?: 'native' | 'web';
}

export interface AutoApproveOptions {
  /** User id (see Sandbox.users); default the first user. */
  user?: string;
  /** Patient id for standalone launches with launch/patient; default the first patient. */
  patient?: string;
}

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  profile?: ProfileName;
  /** Folder of Synthea FHIR R4 transaction bundles; default: the built-in deterministic data set. */
  dataDir?: string;
  /** Skip the sign-in, patient-picker and consent pages: the authorize endpoint answers with redirects only. */
  autoApprove?: boolean | AutoApproveOptions;
  /** Adds one generated patient with this many Observations spread over years. */
  bigObservations?: number;
  /** Issue a new refresh token on every refresh (default true; cerner-like never rotates). */
  refreshRotation?: boolean;
  simulateError?: SimulatedError;
  faults?: FaultOptions;
  /** At most this many FHIR requests in flight from one client (its bearer token); beyond, 429 with Retry-After. */
  maxParallel?: number;
  /** Client registrations in addition to the built-in public client `chartdesk`. */
  clients?: ClientRegistration[];
  /** 'memory' (default): SQLite in memory; 'sqlite': SQLite in a file (sqlitePath, default a temp file). */
  storage?: 'memory' | 'sqlite';
  sqlitePath?: string;
  /** No request log on stdout (default true for the programmatic API). */
  quiet?: boolean;
  /** Access token lifetime; default 3600 (cerner-like: 570). */
  accessTokenLifetimeSeconds?: number;
  /**
   * The EHR grants no openid: no id_token and no fhirUser in token answers, openid, fhirUser and profile left out of
   * the granted scope (Epic's documented standalone answer).
   */
  omitIdToken?: boolean;
  /** Refresh answers carry an id_token without `aud`, as the SMART reference server's (launcher-like: on). */
  refreshIdTokenWithoutAud?: boolean;
  /** A denied consent answered in the browser with a 401 JSON page, no redirect (launcher-like: 'json-401'). */
  consentDenial?: 'redirect' | 'json-401';
  /** false: no RFC 7009 revocation endpoint (launcher-like: false). */
  revocation?: boolean;
  /**
   * launcher-like only: the launch options in the path (`/v/r4/sim/<sim>/fhir`); null serves the base without
   * options (`/v/r4/fhir`), where only an EHR launch works. Default: a provider standalone launch.
   */
  sim?: string | null;
}

export interface SandboxUser {
  id: string;
  username: string;
  password: string;
  practitionerId: string;
  displayName: string;
}

export interface PatientSummary {
  id: string;
  name: string;
  birthDate: string;
}

export interface LaunchContext {
  patient: string;
  encounter?: string;
  /** User id; default the first user. */
  user?: string;
  /** Simulated error bound to authorizations that use this launch value (as the reference launcher encodes it). */
  simulateError?: SimulatedError;
}

export interface SandboxStats {
  /** FHIR requests received (metadata and discovery included). */
  requests: number;
  /** FHIR requests answered by an injected fault or refused by the in-flight limit. */
  faults: number;
  /** FHIR requests refused with 429 by the in-flight limit (`maxParallel`). */
  throttled: number;
  tokensIssued: number;
}

export interface Sandbox {
  /** The FHIR base a connection uses, its query string included where the profile needs one (athena-like). */
  fhirBaseUrl: string;
  issuer: string;
  origin: string;
  profile: ProfileName;
  users: SandboxUser[];
  patients(): PatientSummary[];
  /** Mints a one-time launch value bound to user, patient and encounter. */
  mintLaunch(ctx: LaunchContext): Promise<string>;
  /** org.chartdesk.desktop:/launch?iss=<FHIR base>&launch=<value> */
  ehrLaunchLink(launch: string): string;
  setFaults(faults: FaultOptions | null): void;
  /** Changes the in-flight limit per client; null removes it. */
  setMaxParallel(max: number | null): void;
  setSimulatedError(error: SimulatedError | null): void;
  /** Revokes every access and refresh token issued so far. */
  revokeAllTokens(): Promise<void>;
  stats(): SandboxStats;
  stop(): Promise<void>;
}
