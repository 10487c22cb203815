/**
 * How each sandbox profile shapes its URLs and answers: the SMART 2.2 default, a SMART 1.0 server,
 * and the Epic and Oracle Health (Cerner) quirks listed in spec/smart-client-checklist.md (section 7).
 */
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

const PROFILES: Record<ProfileName, ProfileSpec> = {
  'smart-v2': {
    name: 'smart-v2',
    fhirPath: '/fhir',
    authMount: '/fhir',
    routes: SMART_ROUTES,
    wellKnown: true,
    fullDiscovery: true,
    tokenType: 'Bearer',
    refreshForPublicClients: true,
    canRotate: true,
    accessTokenLifetime: 3600,
    epicClientIdHeader: false,
    capabilities: V2_CAPABILITIES,
    renderScope: spaceJoined,
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
  },
  'epic-like': {
    name: 'epic-like',
    fhirPath: '/api/FHIR/R4',
    authMount: '/oauth2',
    routes: {
      authorization: '/authorize',
      token: '/token',
      jwks: '/jwks',
      revocation: '/revoke',
      introspection: '/introspect',
      userinfo: '/userinfo',
      end_session: '/logout',
      registration: '/register',
    },
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
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function profileSpec(name: ProfileName): ProfileSpec {
  return PROFILES[name];
}
