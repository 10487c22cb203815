import * as oauth from 'oauth4webapi';
import type { DeepLink } from '../deep-link/parse-deep-link';
import { acceptsIssuer, buildAuthorizationServer, initialIssuer } from './authorization-server';
import type { SmartConfiguration } from './discovery';

type CallbackLink = Extract<DeepLink, { kind: 'oauth-callback' }>;

export class CallbackRejectedError extends Error {
  override name = 'CallbackRejectedError';
}

/** Known OAuth and OIDC authorization errors (RFC 6749 §4.1.2.1, OIDC Core 3.1.2.6), in the clinician's words. */
const ERROR_MESSAGES: Record<string, string> = {
  access_denied: 'Access was not granted at the EHR. Sign in again and allow ChartDesk access to continue.',
  invalid_scope: 'The EHR refused the access ChartDesk asked for. Check the connection’s scopes.',
  invalid_request: 'The EHR rejected the sign-in request as malformed. Check the connection settings.',
  unauthorized_client: 'The EHR does not allow this client ID to sign in this way. Check the client ID with your EHR team.',
  unsupported_response_type: 'The EHR does not support the authorization code flow for this client.',
  server_error: 'The EHR had an internal error during sign-in. Try again later.',
  temporarily_unavailable: 'The EHR is temporarily unavailable. Try again in a few minutes.',
  login_required: 'The EHR needs you to log in first.',
  interaction_required: 'The EHR needs you to finish signing in in the browser.',
  consent_required: 'The EHR needs your consent before ChartDesk can connect.',
  account_selection_required: 'The EHR needs you to choose an account.',
  invalid_launch_token: 'The EHR launch link has expired or was used already. Launch ChartDesk from the EHR again.',
};

export function describeAuthorizationError(error: string, description: string | null): string {
  const known = ERROR_MESSAGES[error];
  const detail = description ? ` (${description.slice(0, 200)})` : '';
  return known !== undefined ? `${known}${detail}` : `The EHR refused the sign-in: ${error}${detail}.`;
}

/**
 * Validates a callback with oauth4webapi: state (again; it already picked the pending sign-in), the RFC 9207
 * `iss` against the issuer policy, and the error or code. Returns the parameters for the code exchange.
 */
export function validateCallback(
  config: SmartConfiguration,
  clientId: string,
  link: CallbackLink,
  expectedState: string,
): URLSearchParams {
  if (link.iss !== null && !acceptsIssuer(config, link.iss)) {
    throw new CallbackRejectedError('The sign-in answer names an authorization server other than the one asked (RFC 9207).');
  }
  const as = buildAuthorizationServer(config, link.iss ?? initialIssuer(config));
  const params = new URLSearchParams({ state: link.state });
  if (link.iss !== null) params.set('iss', link.iss);
  if (link.outcome.type === 'code') {
    params.set('code', link.outcome.code);
  } else {
    params.set('error', link.outcome.error);
    if (link.outcome.description !== null) params.set('error_description', link.outcome.description);
  }
  try {
    return oauth.validateAuthResponse(as, { client_id: clientId }, params, expectedState);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      throw new CallbackRejectedError(describeAuthorizationError(error.error, error.error_description ?? null));
    }
    throw new CallbackRejectedError('The sign-in answer was not valid (state or issuer check failed).');
  }
}
