import * as oauth from 'oauth4webapi';
import { DiscoveryError } from './discovery';
import { InvalidTokenResponseError, IssuerMismatchError } from './token-endpoint';

/**
 * How a call to the token endpoint failed, for what happens next: invalid_grant ends a session; a refusal of the
 * client itself ('configuration') is for IT to fix, so trying again cannot help; a network failure keeps the refresh
 * token for later; anything else is a refusal that another attempt may pass.
 */
export type TokenErrorKind = 'invalid-grant' | 'configuration' | 'network' | 'rejected';

/** OAuth error codes that say the client is not set up at the EHR the way ChartDesk needs. */
const CLIENT_REFUSALS = ['invalid_client', 'unauthorized_client', 'unsupported_grant_type'];

/** The OAuth error of a refusal, from its JSON body or its WWW-Authenticate challenge. */
function oauthError(error: unknown): { code: string | null; description: string | null; status: number } | null {
  if (error instanceof oauth.ResponseBodyError) {
    return { code: error.error, description: error.error_description ?? null, status: error.status };
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenge = error.cause.find((candidate) => candidate.parameters.error) ?? error.cause[0];
    return {
      code: challenge?.parameters.error ?? null,
      description: challenge?.parameters.error_description ?? null,
      status: error.status,
    };
  }
  return null;
}

/**
 * A 401 that asks for client credentials ChartDesk, a public app, does not have: the SMART reference server answers
 * "Basic authentication is required for confidential clients" (invalid_request) when the app is registered there as
 * confidential; others challenge with `WWW-Authenticate: Basic`.
 */
function wantsClientSecret(error: unknown): boolean {
  const refusal = oauthError(error);
  if (refusal === null || refusal.status !== 401) return false;
  if (/basic auth|client secret|client authentication|confidential/i.test(refusal.description ?? '')) return true;
  return error instanceof oauth.WWWAuthenticateChallengeError && error.cause.some((c) => c.scheme.toLowerCase() === 'basic');
}

export function classifyTokenError(error: unknown): TokenErrorKind {
  if (error instanceof DiscoveryError) return 'network';
  const refusal = oauthError(error);
  if (refusal !== null) {
    if (refusal.code === 'invalid_grant') return 'invalid-grant';
    if (CLIENT_REFUSALS.includes(refusal.code ?? '') || wantsClientSecret(error)) return 'configuration';
    // A bare 401 challenge without an error code: the client was not accepted.
    if (refusal.code === null && refusal.status === 401) return 'configuration';
    return 'rejected';
  }
  if (error instanceof TypeError || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return 'network';
  }
  return 'rejected';
}

/** A message safe to show and log: the OAuth error code and description, never a token or code. */
export function describeTokenError(error: unknown): string {
  const refusal = oauthError(error);
  if (refusal !== null) {
    if (refusal.code === null)
      return refusal.status === 401 ? 'the EHR did not accept the client ID (HTTP 401)' : `HTTP ${refusal.status}`;
    return `${refusal.code}${refusal.description ? `: ${refusal.description.slice(0, 200)}` : ''}`;
  }
  if (error instanceof IssuerMismatchError || error instanceof DiscoveryError) return error.message;
  if (error instanceof InvalidTokenResponseError) return `the EHR's answer was not valid (${error.message})`;
  if (classifyTokenError(error) === 'network') return 'the EHR could not be reached';
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    return `the EHR's answer was not valid (${error.message.slice(0, 200)})`;
  }
  return 'unexpected error';
}

/**
 * What the clinician can do about a failed call to the token endpoint, as one sentence. A client the EHR does not
 * accept is IT's to fix: signing in again cannot help, so the sentence says what IT must check.
 */
export function tokenErrorAdvice(error: unknown): string {
  if (wantsClientSecret(error)) {
    return 'The EHR expects a client secret, which ChartDesk, a public app, does not have: ask your IT department to register ChartDesk at this EHR as a public client (no secret).';
  }
  switch (oauthError(error)?.code) {
    case 'invalid_client':
      return "The EHR does not recognize the connection's client ID: ask your IT department to check the client ID, and that ChartDesk is registered at this EHR as a public app with its redirect URI.";
    case 'unauthorized_client':
    case 'unsupported_grant_type':
      return "The EHR does not let this client ID sign in this way: ask your IT department to check ChartDesk's registration at this EHR (its launch types and refresh tokens).";
  }
  switch (classifyTokenError(error)) {
    case 'configuration':
      return "The EHR did not accept the connection's client ID: ask your IT department to check it.";
    case 'network':
      return 'Check the network connection, then sign in again.';
    default:
      return 'Try signing in again.';
  }
}
