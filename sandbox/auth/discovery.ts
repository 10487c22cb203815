/** SMART App Launch discovery: the .well-known document and the CapabilityStatement's oauth-uris. */
import type { ProfileSpec } from '../profiles.js';
import { DEVICE_KEY_ALGS } from './device-registration.js';
import { CONTEXT_SCOPES } from './scopes.js';

export interface AuthEndpoints {
  issuer: string;
  authorization: string;
  token: string;
  jwks: string;
  /** null: the profile offers no revocation. */
  revocation: string | null;
  introspection: string;
  userinfo: string;
  registration: string | null;
}

export function authEndpoints(issuer: string, profile: ProfileSpec): AuthEndpoints {
  const at = (route: string) => `${issuer}${route}`;
  return {
    issuer,
    authorization: at(profile.routes.authorization),
    token: at(profile.routes.token),
    jwks: at(profile.routes.jwks),
    revocation: profile.revocation ? at(profile.routes.revocation) : null,
    introspection: at(profile.routes.introspection),
    userinfo: at(profile.routes.userinfo),
    registration: profile.routes.registration ? at(profile.routes.registration) : null,
  };
}

const EXAMPLE_RESOURCE_SCOPES = ['patient/*.rs', 'user/*.rs', 'patient/*.read', 'user/*.read'];

export function smartConfiguration(endpoints: AuthEndpoints, profile: ProfileSpec): Record<string, unknown> {
  return {
    issuer: endpoints.issuer,
    jwks_uri: endpoints.jwks,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    ...(endpoints.revocation ? { revocation_endpoint: endpoints.revocation } : {}),
    introspection_endpoint: endpoints.introspection,
    userinfo_endpoint: endpoints.userinfo,
    ...(profile.fullDiscovery
      ? { code_challenge_methods_supported: ['S256'], grant_types_supported: ['authorization_code', 'refresh_token'] }
      : {}),
    ...(endpoints.registration
      ? {
          registration_endpoint: endpoints.registration,
          token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
          token_endpoint_auth_signing_alg_values_supported: DEVICE_KEY_ALGS,
        }
      : { token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'] }),
    response_types_supported: ['code'],
    scopes_supported: [...CONTEXT_SCOPES, ...EXAMPLE_RESOURCE_SCOPES],
    capabilities: profile.capabilities,
  };
}

/** The SMART 1.0 way: authorize and token URIs in a CapabilityStatement security extension. */
export function oauthUrisExtension(endpoints: AuthEndpoints) {
  const uri = (url: string, valueUri: string) => ({ url, valueUri });
  return {
    url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    extension: [
      uri('authorize', endpoints.authorization),
      uri('token', endpoints.token),
      ...(endpoints.revocation ? [uri('revoke', endpoints.revocation)] : []),
      uri('introspect', endpoints.introspection),
    ],
  };
}
