import * as oauth from 'oauth4webapi';
import type { AuthorizationRequest } from './authorize-request';
import { acceptsIssuer, buildAuthorizationServer, httpOptions, initialIssuer, jwksUriForIssuer } from './authorization-server';
import { DiscoveryError, type SmartConfiguration } from './discovery';

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
 * Exchanges the code with the PKCE verifier (INF#62, INF#67–71) and validates the id_token: signature through
 * the JWKS, iss, aud, exp, iat and nonce (INF#201, INF#218). The id_token's issuer is read before validation
 * to pick the expected one, and is accepted only under the issuer policy of authorization-server.ts.
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
  const binding = await bindingForResponse(context, response);
  const as = buildAuthorizationServer(config, binding.issuer, binding.jwksUri);
  const result = await checked(
    oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: request.nonce ?? oauth.expectNoNonce,
      requireIdToken: false,
    }),
  );
  if (result.id_token !== undefined) {
    await oauth.validateApplicationLevelSignature(as, response, httpOptions(context.fetch, as.jwks_uri));
  }
  return { response: result, idTokenClaims: oauth.getValidatedIdTokenClaims(result) ?? null, binding };
}

async function bindingForResponse(context: TokenCallContext, response: Response): Promise<IssuerBinding> {
  const issuer = await peekIdTokenIssuer(response);
  if (issuer === null) return { issuer: initialIssuer(context.config), jwksUri: context.config.jwksUri };
  if (!acceptsIssuer(context.config, issuer)) {
    throw new IssuerMismatchError(`The id_token comes from an unexpected issuer (${issuer.slice(0, 200)}).`);
  }
  return { issuer, jwksUri: await jwksUriForIssuer(context.config, issuer, context.fetch) };
}

/** Reads `iss` from an id_token without trusting it: only to choose what to validate it against. */
async function peekIdTokenIssuer(response: Response): Promise<string | null> {
  if (!response.ok) return null;
  try {
    const body = (await response.clone().json()) as { id_token?: unknown };
    if (typeof body.id_token !== 'string') return null;
    const payload = JSON.parse(Buffer.from(body.id_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : null;
  } catch {
    return null;
  }
}

export class IssuerMismatchError extends Error {
  override name = 'IssuerMismatchError';
}

/** A refresh (INF#105, INF#106); client_id is sent because public clients cannot authenticate. */
export async function refreshTokens(
  context: TokenCallContext,
  binding: IssuerBinding,
  refreshToken: string,
): Promise<oauth.TokenEndpointResponse> {
  const as = buildAuthorizationServer(context.config, binding.issuer, binding.jwksUri);
  const client = clientOf(context);
  const response = await oauth.refreshTokenGrantRequest(
    as,
    client,
    oauth.None(),
    refreshToken,
    httpOptions(context.fetch, as.token_endpoint),
  );
  return checked(oauth.processRefreshTokenResponse(as, client, response));
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

export type TokenErrorKind = 'invalid-grant' | 'network' | 'rejected';

/** Sorts token endpoint failures: invalid_grant ends a session, a network failure keeps the refresh token. */
export function classifyTokenError(error: unknown): TokenErrorKind {
  if (error instanceof oauth.ResponseBodyError) return error.error === 'invalid_grant' ? 'invalid-grant' : 'rejected';
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return error.cause.some((challenge) => challenge.parameters.error === 'invalid_grant') ? 'invalid-grant' : 'rejected';
  }
  if (error instanceof TypeError || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return 'network';
  }
  return 'rejected';
}

/** A message safe to show and log: the OAuth error code and description, never a token or code. */
export function describeTokenError(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) {
    return `${error.error}${error.error_description ? `: ${error.error_description.slice(0, 200)}` : ''}`;
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // e.g. a 401 invalid_client answered with a WWW-Authenticate challenge instead of a JSON body.
    const challenge = error.cause[0]?.parameters;
    if (challenge?.error)
      return `${challenge.error}${challenge.error_description ? `: ${challenge.error_description.slice(0, 200)}` : ''}`;
    return error.status === 401 ? `the EHR did not accept the client ID (HTTP 401)` : `HTTP ${error.status}`;
  }
  if (error instanceof IssuerMismatchError || error instanceof DiscoveryError) return error.message;
  if (error instanceof InvalidTokenResponseError) return `the EHR's answer was not valid (${error.message})`;
  if (classifyTokenError(error) === 'network') return 'the EHR could not be reached';
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    return `the EHR's answer was not valid (${error.message.slice(0, 200)})`;
  }
  return 'unexpected error';
}
