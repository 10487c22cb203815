import * as oauth from 'oauth4webapi';

/** Everything a sign-in must remember between opening the browser and the callback. Secret: main memory only. */
export interface AuthorizationRequest {
  url: string;
  state: string;
  codeVerifier: string;
  /** Sent when `openid` is asked, and checked in the id_token. */
  nonce: string | null;
  redirectUri: string;
  scope: string;
}

export interface AuthorizationRequestInput {
  as: oauth.AuthorizationServer;
  clientId: string;
  redirectUri: string;
  scope: string;
  /** The FHIR base the token is for (INF#41). */
  aud: string;
  /** The EHR's launch value, echoed verbatim in an EHR launch (INF#35); absent in a standalone one (INF#36). */
  launch?: string;
}

/**
 * Builds the authorization URL: response_type=code, PKCE S256 always (INF#13, INF#44, INF#45), a 256-bit
 * state (INF#2, INF#3, INF#39, INF#40), a nonce with openid, aud, and launch for an EHR launch.
 */
export async function buildAuthorizationRequest(input: AuthorizationRequestInput): Promise<AuthorizationRequest> {
  if (!input.as.authorization_endpoint) throw new Error('The EHR advertises no authorization endpoint.');
  const methods = input.as.code_challenge_methods_supported;
  // Sent even when not advertised (servers without PKCE ignore it); refused only when S256 is known to be missing.
  if (methods !== undefined && !methods.includes('S256')) throw new Error('The EHR does not support PKCE with S256.');

  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = input.scope.split(' ').includes('openid') ? oauth.generateRandomNonce() : null;
  const url = new URL(input.as.authorization_endpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', input.clientId);
  params.set('redirect_uri', input.redirectUri);
  params.set('scope', input.scope);
  params.set('state', state);
  params.set('aud', input.aud);
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  params.set('code_challenge_method', 'S256');
  if (nonce !== null) params.set('nonce', nonce);
  if (input.launch !== undefined) params.set('launch', input.launch);
  return { url: url.href, state, codeVerifier, nonce, redirectUri: input.redirectUri, scope: input.scope };
}
