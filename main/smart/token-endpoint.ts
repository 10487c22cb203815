import * as oauth from 'oauth4webapi';
import type { AuthorizationRequest } from './authorize-request';
import { acceptsIssuer, buildAuthorizationServer, httpOptions, initialIssuer, jwksUriForIssuer } from './authorization-server';
import type { SmartConfiguration } from './discovery';

/** Where a token came from and how to check the next one: kept with the session, and in the keychain record. */
export interface IssuerBinding {
  issuer: string;
  jwksUri: string | null;
}

export interface TokenGrant {
  response: oauth.TokenEndpointResponse;
  idTokenClaims: oauth.IDToken | null;
  binding: IssuerBinding;
}

export interface TokenCallContext {
  config: SmartConfiguration;
  clientId: string;
  fetch: typeof fetch;
  /** Seconds between the injected clock and the system clock, so oauth4webapi's time checks use the former. */
  clockSkewSeconds: number;
}

/** Used when a token response leaves out expires_in: short, and a 401 triggers a refresh anyway. */
export const DEFAULT_EXPIRES_IN_SECONDS = 300;
/** A longer lifetime than this is not believed: the token is renewed by then anyway (a day). */
export const MAX_EXPIRES_IN_SECONDS = 24 * 60 * 60;

/** When an access token is to be treated as expired, from its token response's `expires_in`. */
export function accessTokenExpiry(now: number, expiresIn: number | undefined): number {
  const seconds = expiresIn === undefined || !Number.isFinite(expiresIn) ? DEFAULT_EXPIRES_IN_SECONDS : expiresIn;
  return now + Math.min(Math.max(seconds, 0), MAX_EXPIRES_IN_SECONDS) * 1000;
}

export function clientOf(context: TokenCallContext): oauth.Client {
  return { client_id: context.clientId, [oauth.clockSkew]: context.clockSkewSeconds };
}

/**
 * Exchanges the code with the PKCE verifier (INF#62, INF#67–71) and validates the id_token when there is one:
 * signature through the JWKS, iss, aud, exp, iat and nonce (INF#201, INF#218). The id_token's issuer is read before
 * validation to pick the expected one, and is accepted only under the issuer policy of authorization-server.ts.
 * An answer without an id_token is accepted: EHRs leave it out when openid was not granted (Epic documents its
 * standalone response so), and the session then simply does not know its user.
 */
export async function exchangeCode(
  context: TokenCallContext,
  callbackParameters: URLSearchParams,
  request: AuthorizationRequest,
): Promise<TokenGrant> {
  const { config } = context;
  const client = clientOf(context);
  const firstGuess = buildAuthorizationServer(config, initialIssuer(config));
  const response = await oauth.authorizationCodeGrantRequest(
    firstGuess,
    client,
    oauth.None(),
    callbackParameters,
    request.redirectUri,
    request.codeVerifier,
    httpOptions(context.fetch, config.tokenEndpoint),
  );
  const idToken = await peekIdToken(response);
  const binding = await bindingForIssuer(context, idToken === null ? null : stringClaim(idToken, 'iss'));
  const as = buildAuthorizationServer(config, binding.issuer, binding.jwksUri);
  const result = await checked(
    oauth.processAuthorizationCodeResponse(
      as,
      client,
      response,
      // With a nonce, oauth4webapi demands an id_token: ask for that only when one came.
      idToken === null
        ? { requireIdToken: false }
        : { expectedNonce: request.nonce ?? oauth.expectNoNonce, requireIdToken: true },
    ),
  );
  if (result.id_token !== undefined) {
    await oauth.validateApplicationLevelSignature(as, response, httpOptions(context.fetch, as.jwks_uri));
  }
  return { response: result, idTokenClaims: oauth.getValidatedIdTokenClaims(result) ?? null, binding };
}

async function bindingForIssuer(context: TokenCallContext, issuer: string | null): Promise<IssuerBinding> {
  if (issuer === null) return { issuer: initialIssuer(context.config), jwksUri: context.config.jwksUri };
  if (!acceptsIssuer(context.config, issuer)) {
    throw new IssuerMismatchError(`The id_token comes from an unexpected issuer (${issuer.slice(0, 200)}).`);
  }
  return { issuer, jwksUri: await jwksUriForIssuer(context.config, issuer, context.fetch) };
}

/** The claims of a successful answer's id_token, read without trusting them (to choose what to check them against); null when there is none. */
async function peekIdToken(response: Response): Promise<Record<string, unknown> | null> {
  if (!response.ok) return null;
  try {
    const body = (await response.clone().json()) as { id_token?: unknown };
    return body.id_token === undefined ? null : (unverifiedClaims(body.id_token) ?? {});
  } catch {
    return null;
  }
}

/** A JWT's payload, decoded but not verified; null when it is not a JWT with a JSON object payload. */
export function unverifiedClaims(jwt: unknown): Record<string, unknown> | null {
  if (typeof jwt !== 'string') return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function stringClaim(claims: Record<string, unknown>, name: string): string | null {
  const value = claims[name];
  return typeof value === 'string' ? value : null;
}

export class IssuerMismatchError extends Error {
  override name = 'IssuerMismatchError';
}

/** A refresh's answer; its id_token is kept apart, unvalidated: see `refreshIdentity`. */
export interface RefreshedTokens {
  response: oauth.TokenEndpointResponse;
  idToken: unknown;
}

/**
 * A refresh (INF#105, INF#106); client_id is sent because public clients cannot authenticate. The id_token of a
 * refresh answer is taken out before oauth4webapi checks the rest: ChartDesk uses nothing from it but the identity
 * it must share with the sign-in (checked by `refreshIdentity`), and a faulty one (the SMART reference server's has
 * no `aud`) must not cost the tokens.
 */
export async function refreshTokens(
  context: TokenCallContext,
  binding: IssuerBinding,
  refreshToken: string,
): Promise<RefreshedTokens> {
  const as = buildAuthorizationServer(context.config, binding.issuer, binding.jwksUri);
  const client = clientOf(context);
  const answer = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.None(),
    refreshToken,
    httpOptions(context.fetch, as.token_endpoint),
  );
  const { response, idToken } = await detachIdToken(answer);
  return { response: await checked(oauth.processRefreshTokenResponse(as, client, response)), idToken };
}

/** A successful JSON answer without its id_token, and the id_token; anything else passes untouched. */
async function detachIdToken(response: Response): Promise<{ response: Response; idToken: unknown }> {
  if (!response.ok) return { response, idToken: undefined };
  let body: unknown;
  try {
    body = await response.clone().json();
  } catch {
    return { response, idToken: undefined };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('id_token' in body)) {
    return { response, idToken: undefined };
  }
  await response.body?.cancel();
  const { id_token: idToken, ...rest } = body as Record<string, unknown>;
  const { status, statusText, headers } = response;
  return { response: new Response(JSON.stringify(rest), { status, statusText, headers }), idToken };
}

/** Who the sign-in's id_token named: what a refresh id_token must repeat (OpenID Connect Core 12.2). */
export interface SignInIdentity {
  issuer: string;
  subject: string | null;
}

/**
 * What a refresh answer's id_token says about the user: nothing usable ('ignored', with the reason to log: the
 * tokens are kept, and the identity of the sign-in), or another user ('other-user': the session must end). Only
 * `iss` and `sub` are read, the claims OpenID Connect requires to equal the sign-in's; the token came straight from
 * the token endpoint over TLS, and nothing else in it is used.
 */
export function refreshIdentity(
  idToken: unknown,
  signIn: SignInIdentity,
): { kind: 'none' | 'same-user' } | { kind: 'ignored' | 'other-user'; reason: string } {
  if (idToken === undefined) return { kind: 'none' };
  if (signIn.subject === null) return { kind: 'ignored', reason: 'the sign-in had no id_token to compare it with' };
  const claims = unverifiedClaims(idToken);
  if (claims === null) return { kind: 'ignored', reason: 'the id_token cannot be read' };
  const iss = stringClaim(claims, 'iss');
  const sub = stringClaim(claims, 'sub');
  if (iss === null || sub === null) return { kind: 'ignored', reason: 'the id_token has no iss or sub' };
  if (iss.replace(/\/+$/, '') !== signIn.issuer.replace(/\/+$/, '') || sub !== signIn.subject) {
    return { kind: 'other-user', reason: 'the id_token names another issuer or user than the sign-in' };
  }
  return { kind: 'same-user' };
}

/** A token response whose members cannot even be read as the types they should have. */
export class InvalidTokenResponseError extends Error {
  override name = 'InvalidTokenResponseError';
}

/**
 * Runs oauth4webapi's check of a response. On some hostile bodies (an `expires_in` that cannot be turned into a
 * string) it lets a bare TypeError escape, which must not pass for a network failure.
 */
export async function checked<T>(processing: Promise<T>): Promise<T> {
  try {
    return await processing;
  } catch (error) {
    if (error instanceof TypeError) {
      throw new InvalidTokenResponseError('a member of the token response has a value of an impossible type', { cause: error });
    }
    throw error;
  }
}

/** RFC 7009 revocation, when the EHR advertises it. */
export async function revokeToken(
  context: TokenCallContext,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<void> {
  if (!context.config.revocationEndpoint) return;
  const as = buildAuthorizationServer(context.config, initialIssuer(context.config));
  const response = await oauth.revocationRequest(as, clientOf(context), oauth.None(), token, {
    ...httpOptions(context.fetch, as.revocation_endpoint),
    additionalParameters: { token_type_hint: hint },
  });
  await oauth.processRevocationResponse(response);
}
