import * as oauth from 'oauth4webapi';
import type { SmartConfiguration } from './discovery';
import { isLoopbackUrl } from '../../common/fhir-base';

/**
 * oauth4webapi's own discovery knows only OIDC paths, so its AuthorizationServer object is built here from
 * SMART discovery. `issuer` matters: oauth4webapi compares it exactly with an id_token's `iss` and with an
 * RFC 9207 callback `iss`, and EHRs publish it wrongly or not at all (issuer-policy below).
 */
export function buildAuthorizationServer(
  config: SmartConfiguration,
  issuer: string,
  jwksUri?: string | null,
): oauth.AuthorizationServer {
  return {
    issuer,
    authorization_endpoint: config.authorizationEndpoint ?? undefined,
    token_endpoint: config.tokenEndpoint,
    revocation_endpoint: config.revocationEndpoint ?? undefined,
    jwks_uri: (jwksUri ?? config.jwksUri) || undefined,
    code_challenge_methods_supported: config.codeChallengeMethods ?? undefined,
    authorization_response_iss_parameter_supported: config.authorizationResponseIssParameterSupported || undefined,
  };
}

/**
 * The published issuer when it can be one: an https (or loopback) URL that is not a discovery document's
 * address. Oracle Health publishes `…/.well-known/openid-configuration` as its issuer, Epic often none.
 */
export function publishedIssuer(config: SmartConfiguration): string | null {
  const value = config.issuer;
  if (!value || value.includes('/.well-known/')) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && !isLoopbackUrl(value)) return null;
    if (url.search || url.hash) return null;
  } catch {
    return null;
  }
  return value;
}

/** The issuer to put in the AuthorizationServer before any token is seen. */
export function initialIssuer(config: SmartConfiguration): string {
  return publishedIssuer(config) ?? config.fhirBaseUrl;
}

/**
 * Whether an issuer named by the server (id_token `iss` or RFC 9207 callback `iss`) is acceptable: the
 * published issuer exactly when there is a usable one, otherwise an issuer served from the same origin as
 * the authorization or token endpoint this sign-in used (a mix-up would come from another origin).
 */
export function acceptsIssuer(config: SmartConfiguration, candidate: string): boolean {
  const published = publishedIssuer(config);
  // The deep-link parser drops a trailing slash from a callback's iss; nothing else may differ.
  if (published !== null) return candidate.replace(/\/+$/, '') === published.replace(/\/+$/, '');
  let origin: string;
  try {
    const url = new URL(candidate);
    if (url.protocol !== 'https:' && !isLoopbackUrl(candidate)) return false;
    origin = url.origin;
  } catch {
    return false;
  }
  return [config.authorizationEndpoint, config.tokenEndpoint].some(
    (endpoint) => endpoint !== null && new URL(endpoint).origin === origin,
  );
}

export type HttpOptions = { [oauth.customFetch]: typeof fetch; [oauth.allowInsecureRequests]: boolean; signal: AbortSignal };

/** oauth4webapi options for one request: our fetch, a timeout, and plain http only towards loopback (INF#1). */
export function httpOptions(fetchImpl: typeof fetch, target: string | undefined, timeoutMs = 15_000): HttpOptions {
  return {
    [oauth.customFetch]: fetchImpl,
    [oauth.allowInsecureRequests]: target !== undefined && isLoopbackUrl(target),
    signal: AbortSignal.timeout(timeoutMs),
  };
}

/**
 * Finds the JWKS for an id_token issuer the way SMART says (INF#218): `{iss}/.well-known/openid-configuration`,
 * whose `issuer` oauth4webapi checks equals `iss`; the smart-configuration's `jwks_uri` when that is the
 * published issuer or when the look-up fails.
 */
export async function jwksUriForIssuer(config: SmartConfiguration, issuer: string, fetchImpl: typeof fetch): Promise<string> {
  // The smart-configuration's keys belong to its own (usable) issuer: no second look-up needed.
  if (config.jwksUri && issuer === publishedIssuer(config)) return config.jwksUri;
  try {
    const url = new URL(issuer);
    const response = await oauth.discoveryRequest(url, httpOptions(fetchImpl, issuer, 5000));
    const metadata = await oauth.processDiscoveryResponse(url, response);
    if (metadata.jwks_uri) return metadata.jwks_uri;
  } catch {
    // Fall through to the SMART configuration's own jwks_uri.
  }
  if (config.jwksUri) return config.jwksUri;
  throw new Error(`No signing keys found for the id_token issuer ${issuer}.`);
}
