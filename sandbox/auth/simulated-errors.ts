/**
 * Error simulation at the authorization server, named as the SMART reference launcher names them.
 * Where the library can produce the real error, the request is bent so that it does (an unknown
 * client, an unregistered redirect URI, a malformed scope); token-endpoint errors replace the
 * response with the body oidc-provider itself sends for that error, and kill what was issued.
 */
import type Provider from 'oidc-provider';
import type { KoaContext } from 'oidc-provider';
import type { SimulatedError } from '../types.js';
import type { ContextStore } from './context-store.js';

/** The simulation in force for an authorize request: the launch's own, else the instance's. */
function forLaunch(ctx: KoaContext, instance: SimulatedError | null, contexts: ContextStore): SimulatedError | null {
  const launch = typeof ctx.query.launch === 'string' ? contexts.peekLaunch(ctx.query.launch) : undefined;
  return launch?.simulateError ?? instance;
}

export function authorizeSimulation(ctx: KoaContext, instance: SimulatedError | null, contexts: ContextStore): void {
  const error = forLaunch(ctx, instance, contexts);
  if (error === 'auth_invalid_client_id') ctx.query = { ...ctx.query, client_id: 'sandbox-simulated-unknown-client' };
  if (error === 'auth_invalid_redirect_uri') ctx.query = { ...ctx.query, redirect_uri: 'https://unregistered.invalid/callback' };
  // A double quote is outside RFC 6749's scope syntax: the library answers invalid_scope by redirect.
  if (error === 'auth_invalid_scope') ctx.query = { ...ctx.query, scope: `${String(ctx.query.scope ?? '')} "` };
}

interface TokenError {
  status: number;
  error: string;
  error_description: string;
}

function tokenErrorFor(error: SimulatedError | null, grantType: unknown): TokenError | undefined {
  const code = grantType === 'authorization_code';
  const refresh = grantType === 'refresh_token';
  switch (error) {
    case 'auth_invalid_client_secret':
      return code ? { status: 401, error: 'invalid_client', error_description: 'client authentication failed' } : undefined;
    case 'token_invalid_token':
      return code ? { status: 400, error: 'invalid_grant', error_description: 'grant request is invalid' } : undefined;
    case 'token_expired_refresh_token':
      return refresh ? { status: 400, error: 'invalid_grant', error_description: 'refresh token is expired' } : undefined;
    case 'token_invalid_scope':
      return code || refresh
        ? { status: 400, error: 'invalid_scope', error_description: 'requested scope is not allowed' }
        : undefined;
    default:
      return undefined;
  }
}

export async function applySimulatedTokenError(
  ctx: KoaContext,
  provider: Provider,
  contexts: ContextStore,
  instance: SimulatedError | null,
): Promise<void> {
  const body = ctx.body as { access_token?: unknown };
  const token = typeof body.access_token === 'string' ? await provider.AccessToken.find(body.access_token) : undefined;
  const simulated = contexts.grant(token?.grantId)?.simulateError ?? instance;
  const failure = tokenErrorFor(simulated, ctx.oidc?.params?.grant_type);
  if (!failure) return;
  if (token?.grantId) {
    await provider.AccessToken.revokeByGrantId(token.grantId);
    await provider.RefreshToken.revokeByGrantId(token.grantId);
  }
  ctx.status = failure.status;
  if (failure.status === 401) ctx.set('WWW-Authenticate', 'Basic realm="sandbox"');
  ctx.body = { error: failure.error, error_description: failure.error_description };
}
