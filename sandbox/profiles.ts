/**
 * How each sandbox profile shapes its URLs and answers: the SMART 2.2 default, a SMART 1.0 server,
 * the Epic and Oracle Health (Cerner) quirks listed in spec/smart-client-checklist.md (section 7), the SMART
 * reference server (smart-on-fhir/smart-launcher-v2) and athenahealth's endpoint layout.
 */
import { launcherPaths, type LauncherMode, STANDALONE_SIM } from './auth/launcher-options.js';
import type { ProfileName } from './types.js';

/** oidc-provider routes, relative to the authorization server's mount path (= issuer path). */
export interface AuthRoutes {
  authorization: string;
  token: string;
  jwks: string;
  revocation: string;
  introspection: string;
  userinfo: string;
  end_session: string;
  /** RFC 7591 registration of device clients (Epic's offline access for native apps); absent: not offered. */
  registration?: string;
}

export interface ProfileSpec {
  name: ProfileName;
  /** Path of the FHIR base under the origin. */
  fhirPath: string;
  /** Path of the issuer under the origin; oidc-provider is mounted there. */
  authMount: string;
  routes: AuthRoutes;
  /** Serves <FHIR base>/.well-known/smart-configuration (SMART 1.0 servers had only the CapabilityStatement). */
  wellKnown: boolean;
  /** Lists code_challenge_methods_supported and grant_types_supported (Epic's document omits them). */
  fullDiscovery: boolean;
  tokenType: 'Bearer' | 'bearer';
  /** Public clients get refresh tokens (Epic gives them none). */
  refreshForPublicClients: boolean;
  /** Refresh tokens rotate unless the options say otherwise (Cerner never rotates). */
  canRotate: boolean;
  accessTokenLifetime: number;
  /** Honours the Epic-Client-ID header on /metadata. */
  epicClientIdHeader: boolean;
  capabilities: string[];
  /** Renders the granted scopes as this vendor writes them in token responses. */
  renderScope(scopes: string[]): string;
  /** Offers RFC 7009 revocation (the SMART reference server offers none). */
  revocation: boolean;
  /** A refresh answer's id_token carries `aud` (the SMART reference server's does not). */
  refreshIdTokenAud: boolean;
  /** How a denied consent is answered: by redirect (RFC 6749), or with a 401 JSON page in the browser (reference server). */
  consentDenial: 'redirect' | 'json-401';
  /**
   * A query parameter every FHIR resource request must carry (athenahealth's practice context); it is part of the
   * FHIR base the sandbox prints.
   */
  requiredParam: { name: string; value: string } | null;
  /** Which launches the authorization server accepts: standalone ones are refused at an EHR-launch-only base. */
  launches: LauncherMode;
}

export const CERNER_TENANT = 'sbx-0d4e7c1a-tenant';

const SMART_ROUTES: AuthRoutes = {
  authorization: '/auth/authorize',
  token: '/auth/token',
  jwks: '/auth/jwks',
  revocation: '/auth/revoke',
  introspection: '/auth/introspect',
  userinfo: '/auth/userinfo',
  end_session: '/auth/logout',
};

/** The authorization server's routes directly under its mount path (Epic's /oauth2/…, the reference server's …/auth/…). */
const ROUTES_AT_MOUNT: AuthRoutes = {
  authorization: '/authorize',
  token: '/token',
  jwks: '/jwks',
  revocation: '/revoke',
  introspection: '/introspect',
  userinfo: '/userinfo',
  end_session: '/logout',
};

const V2_CAPABILITIES = [
  'launch-ehr',
  'authorize-post',
  'launch-standalone',
  'client-public',
  'client-confidential-symmetric',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
  'sso-openid-connect',
];

const spaceJoined = (scopes: string[]) => scopes.join(' ');

/** The SMART defaults of the behaviours only some vendors change. */
const STANDARD = {
  revocation: true,
  refreshIdTokenAud: true,
  consentDenial: 'redirect',
  requiredParam: null,
  launches: { kind: 'any' },
} as const satisfies Partial<ProfileSpec>;

/** A SMART 2.2 server with nothing changed: what smart-v2 is, and what the vendor profiles start from. */
const SMART_V2 = {
  wellKnown: true,
  fullDiscovery: true,
  tokenType: 'Bearer',
  refreshForPublicClients: true,
  canRotate: true,
  accessTokenLifetime: 3600,
  epicClientIdHeader: false,
  capabilities: V2_CAPABILITIES,
  renderScope: spaceJoined,
  ...STANDARD,
} as const satisfies Partial<ProfileSpec>;

/** athenahealth's sandbox practice (its documented preview test data lives in practice 195900). */
export const ATHENA_PRACTICE = 'Organization/a-1.Practice-195900';

const PROFILES: Record<ProfileName, ProfileSpec> = {
  'smart-v2': {
    name: 'smart-v2',
    fhirPath: '/fhir',
    authMount: '/fhir',
    routes: SMART_ROUTES,
    ...SMART_V2,
  },
  'smart-v1': {
    name: 'smart-v1',
    fhirPath: '/fhir',
    authMount: '/fhir',
    routes: SMART_ROUTES,
    wellKnown: false,
    fullDiscovery: false,
    tokenType: 'Bearer',
    refreshForPublicClients: true,
    canRotate: true,
    accessTokenLifetime: 3600,
    epicClientIdHeader: false,
    capabilities: V2_CAPABILITIES.filter((c) => !['permission-v2', 'permission-online', 'authorize-post'].includes(c)),
    renderScope: spaceJoined,
    ...STANDARD,
  },
  'epic-like': {
    name: 'epic-like',
    fhirPath: '/api/FHIR/R4',
    authMount: '/oauth2',
    routes: { ...ROUTES_AT_MOUNT, registration: '/register' },
    wellKnown: true,
    fullDiscovery: false,
    tokenType: 'bearer',
    refreshForPublicClients: false,
    canRotate: true,
    accessTokenLifetime: 3600,
    epicClientIdHeader: true,
    capabilities: V2_CAPABILITIES.filter((c) => c !== 'permission-online'),
    // Epic writes "Observation.rs Patient.rs launch openid " (no patient/ prefix, a trailing space).
    renderScope: (scopes) => `${scopes.map((s) => s.replace(/^patient\//, '')).join(' ')} `,
    ...STANDARD,
  },
  'cerner-like': {
    name: 'cerner-like',
    fhirPath: `/r4/${CERNER_TENANT}`,
    authMount: `/tenants/${CERNER_TENANT}/protocols/oauth2/profiles/smart-v1`,
    routes: {
      authorization: '/personas/provider/authorize',
      token: '/token',
      jwks: '/jwks',
      revocation: '/token/revoke',
      introspection: '/token/introspect',
      userinfo: '/userinfo',
      end_session: '/logout',
    },
    wellKnown: true,
    fullDiscovery: true,
    tokenType: 'Bearer',
    refreshForPublicClients: true,
    canRotate: false,
    accessTokenLifetime: 570,
    epicClientIdHeader: false,
    capabilities: V2_CAPABILITIES,
    // Cerner may answer with fully-qualified scopes (note its capital FHIR).
    renderScope: (scopes) =>
      scopes.map((s) => (/^(patient|user|system)\//.test(s) ? `http://smarthealthit.org/FHIR/scopes/${s}` : s)).join(' '),
    ...STANDARD,
  },
  // smart-on-fhir/smart-launcher-v2 (backend/): FHIR base and auth under /v/<release>/sim/<launch options>/, no
  // revocation_endpoint in its smart-configuration, a refresh id_token without `aud` (its refresh token does not
  // keep the client id), a denied consent answered 401 {"error":"invalid_request","error_description":"Unauthorized"}.
  'launcher-like': {
    name: 'launcher-like',
    routes: ROUTES_AT_MOUNT,
    ...SMART_V2,
    ...launcherPaths(STANDALONE_SIM),
    revocation: false,
    refreshIdTokenAud: false,
    consentDenial: 'json-401',
  },
  // athenahealth: SMART endpoints under /oauth2/v1/ and the FHIR R4 base at /fhir/r4 (its published
  // smart-configuration), and the practice named on every FHIR request: `ah-practice=Organization/a-1.Practice-<id>`,
  // as its sandbox documentation writes the Patient search; a request without it is answered 400 "Could not determine
  // what practice the request was for".
  'athena-like': {
    name: 'athena-like',
    fhirPath: '/fhir/r4',
    authMount: '/oauth2',
    routes: {
      authorization: '/v1/authorize',
      token: '/v1/token',
      jwks: '/v1/keys',
      revocation: '/v1/revoke',
      introspection: '/v1/introspect',
      userinfo: '/v1/userinfo',
      end_session: '/v1/logout',
    },
    ...SMART_V2,
    requiredParam: { name: 'ah-practice', value: ATHENA_PRACTICE },
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** A profile's spec; the reference server's paths depend on the launch options encoded in them (`sim`). */
export function profileSpec(name: ProfileName, sim?: string | null): ProfileSpec {
  const spec = PROFILES[name];
  return name === 'launcher-like' && sim !== undefined ? { ...spec, ...launcherPaths(sim) } : spec;
}
