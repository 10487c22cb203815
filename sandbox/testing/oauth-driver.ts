/**
 * An independent SMART client for the sandbox's own tests: oauth4webapi called directly (not
 * ChartDesk's sign-in code), redirects followed by hand without cookies, as a scripted client does.
 */
import * as oauth from 'oauth4webapi';
import { CUSTOM_SCHEME_REDIRECT_URI } from '../../common/app-identity.js';

export const insecure = { [oauth.allowInsecureRequests]: true } as const;
export const publicClient: oauth.Client = { client_id: 'chartdesk', token_endpoint_auth_method: 'none' };

/** SMART discovery: the .well-known document, else the CapabilityStatement's oauth-uris (SMART 1.0). */
export async function discover(fhirBaseUrl: string): Promise<oauth.AuthorizationServer> {
  const wellKnown = await fetch(`${fhirBaseUrl}/.well-known/smart-configuration`, { headers: { Accept: 'application/json' } });
  if (wellKnown.ok) return (await wellKnown.json()) as oauth.AuthorizationServer;
  const metadata = (await (await fetch(`${fhirBaseUrl}/metadata`, { headers: { Accept: 'application/fhir+json' } })).json()) as {
    rest: Array<{ security: { extension: Array<{ url: string; extension: Array<{ url: string; valueUri: string }> }> } }>;
  };
  const uris = metadata.rest[0]?.security.extension.find((e) => e.url.endsWith('/oauth-uris'))?.extension ?? [];
  const uri = (name: string) => uris.find((u) => u.url === name)?.valueUri;
  return {
    issuer: fhirBaseUrl,
    authorization_endpoint: uri('authorize'),
    token_endpoint: uri('token'),
    revocation_endpoint: uri('revoke'),
    introspection_endpoint: uri('introspect'),
    jwks_uri: uri('authorize')?.replace(/authorize$/, 'jwks'),
  };
}

export interface AuthorizeRequest {
  fhirBaseUrl: string;
  scope: string;
  launch?: string;
  redirectUri?: string;
  clientId?: string;
  /** Extra or overriding query parameters (e.g. a wrong aud). */
  params?: Record<string, string>;
}

export interface AuthorizeResult {
  /** The last Location: the client's redirect URI with code or error, or where the chain stopped. */
  location: URL | undefined;
  /** The final response when the chain did not end at the redirect URI (e.g. an error page). */
  stoppedAt?: { status: number; body: string };
  state: string;
  verifier: string;
  redirectUri: string;
}

export async function authorize(as: oauth.AuthorizationServer, request: AuthorizeRequest): Promise<AuthorizeResult> {
  const redirectUri = request.redirectUri ?? CUSTOM_SCHEME_REDIRECT_URI;
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId ?? 'chartdesk',
    redirect_uri: redirectUri,
    scope: request.scope,
    state,
    aud: request.fhirBaseUrl,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...(request.launch ? { launch: request.launch } : {}),
    ...request.params,
  }).toString();
  let next: URL = url;
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await fetch(next, { redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      return {
        location: undefined,
        stoppedAt: { status: response.status, body: await response.text() },
        state,
        verifier,
        redirectUri,
      };
    }
    next = new URL(location, next);
    if (next.href.split('?')[0] === redirectUri) {
      return { location: next, state, verifier, redirectUri };
    }
  }
  throw new Error('too many redirects');
}

/** A client and how it authenticates at the token endpoint (public: none). */
export interface TestClient {
  client: oauth.Client;
  auth: oauth.ClientAuth;
}
const PUBLIC: TestClient = { client: publicClient, auth: oauth.None() };

/** The token endpoint's raw answer for the code of an authorization, for tests of its exact members. */
export function codeExchangeResponse(
  as: oauth.AuthorizationServer,
  result: Pick<AuthorizeResult, 'location' | 'state' | 'verifier' | 'redirectUri'>,
): Promise<Response> {
  const params = oauth.validateAuthResponse(as, publicClient, result.location as URL, result.state);
  return oauth.authorizationCodeGrantRequest(
    as,
    publicClient,
    oauth.None(),
    params,
    result.redirectUri,
    result.verifier,
    insecure,
  );
}

export async function exchangeCode(
  as: oauth.AuthorizationServer,
  result: Pick<AuthorizeResult, 'location' | 'state' | 'verifier' | 'redirectUri' | 'stoppedAt'>,
  { client, auth } = PUBLIC,
) {
  if (!result.location)
    throw new Error(`authorization stopped with ${result.stoppedAt?.status}: ${result.stoppedAt?.body.slice(0, 200)}`);
  const params = oauth.validateAuthResponse(as, client, result.location, result.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    auth,
    params,
    result.redirectUri,
    result.verifier,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

export async function refresh(as: oauth.AuthorizationServer, refreshToken: string, { client, auth } = PUBLIC) {
  const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, insecure);
  return oauth.processRefreshTokenResponse(as, client, response);
}

export async function revoke(as: oauth.AuthorizationServer, token: string, client = publicClient): Promise<void> {
  const response = await oauth.revocationRequest(as, client, oauth.None(), token, insecure);
  await oauth.processRevocationResponse(response);
}

export async function fhirGet(
  url: string,
  accessToken: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/fhir+json' } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

/** A write (POST, PUT) with a FHIR JSON body and any extra headers (If-None-Exist, If-Match, Prefer). */
export async function fhirSend(
  method: 'POST' | 'PUT',
  url: string,
  accessToken: string,
  resource: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${accessToken}`,
      Accept: 'application/fhir+json',
      'Content-Type': 'application/fhir+json',
      ...headers,
    },
    body: typeof resource === 'string' ? resource : JSON.stringify(resource),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

/** A whole standalone launch against an auto-approving sandbox, for tests that need a token. */
export async function tokenFor(fhirBaseUrl: string, scope: string, request: Partial<AuthorizeRequest> = {}) {
  const as = await discover(fhirBaseUrl);
  const result = await authorize(as, { fhirBaseUrl, scope, ...request });
  return { as, tokens: await exchangeCode(as, result) };
}
