/**
 * Offline access for native apps the way Epic grants it (spec/smart-client-checklist.md §4.7): after a standalone
 * sign-in, the app registers a device-specific client (RFC 7591) with the sign-in's access token as
 * the initial access token, `software_id` = the app's client_id and the public half of a device key;
 * later it gets access tokens with the JWT bearer grant (RFC 7523), authenticating with private_key_jwt.
 *
 * oidc-provider does registration, RFC 7592 management, private_key_jwt (signature, iss, aud, exp,
 * jti replay) and token storage; this module adds what Epic adds on top: the initial access token is
 * a user's standalone access token, and the registered client acts for that user and patient.
 */
import { errors, type KoaContext, type OidcClient, type Provider } from 'oidc-provider';
import * as JWT from 'oidc-provider/lib/helpers/jwt.js';
import type { ContextStore, SmartContext } from './context-store.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const DEVICE_KEY_ALGS = ['ES384', 'RS384'];
/** Epic's limit on how far ahead an assertion may expire. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 5;

/** The user and context a device client acts for, taken from the initial access token. */
interface DeviceBinding {
  softwareId: string;
  accountId: string;
  grantId: string;
  scope: string;
}

/** What the initial access token proved, kept for the rest of one registration request. */
interface InitialGrant {
  clientId: string;
  accountId: string;
  scope: string;
  context: SmartContext;
}

const epochNow = () => Math.floor(Date.now() / 1000);

/** Provider configuration merged into createAuthServer's when the profile offers device registration. */
export function deviceRegistrationConfig() {
  const initialGrants = new WeakMap<KoaContext, InitialGrant>();
  const bindings = new Map<string, DeviceBinding>();
  return {
    initialGrants,
    bindings,
    configuration: {
      features: {
        // The initial access token is checked by the gate in installDeviceRegistration, not by the library.
        registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: true },
        registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
      },
      // oidc-provider's defaults (HS256, RS256, PS256, ES256, Ed25519, EdDSA) plus the two Epic accepts.
      enabledJWA: { clientAuthSigningAlgValues: ['HS256', 'RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA', ...DEVICE_KEY_ALGS] },
      extraClientMetadata: {
        properties: ['software_id'],
        validator(ctx: KoaContext | undefined, key: string, value: unknown, metadata: Record<string, unknown>) {
          if (key !== 'software_id' || !ctx?.oidc) return;
          const route = ctx.oidc.route;
          if (route === 'registration') {
            const initial = initialGrants.get(ctx);
            if (value !== initial?.clientId) {
              throw new errors.InvalidClientMetadata('software_id must be the client_id the initial access token was issued to');
            }
          } else if (route === 'client_update') {
            if (value !== bindings.get(String(metadata.client_id))?.softwareId)
              throw new errors.InvalidClientMetadata('software_id cannot change');
          } else {
            return;
          }
          checkDeviceClient(metadata);
        },
      },
      /** private_key_jwt client assertions: sub = client_id and a short life, as Epic requires. */
      async assertJwtClientAuthClaimsAndHeader(
        _ctx: KoaContext,
        claims: Record<string, unknown>,
        _header: unknown,
        client: OidcClient,
      ) {
        if (claims.sub !== client.clientId) throw new errors.InvalidClientAuth('sub (JWT subject) must be the client_id');
        if (typeof claims.exp !== 'number' || claims.exp > epochNow() + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
          throw new errors.InvalidClientAuth(`the client assertion must expire within ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`);
      },
    },
  };
}

/** A device client authenticates with its registered key and uses only the JWT bearer grant. */
function checkDeviceClient(metadata: Record<string, unknown>): void {
  if (metadata.token_endpoint_auth_method !== 'private_key_jwt')
    throw new errors.InvalidClientMetadata('token_endpoint_auth_method must be private_key_jwt');
  const keys = (metadata.jwks as { keys?: Array<{ kty?: string; crv?: string; d?: unknown }> } | undefined)?.keys ?? [];
  if (keys.length === 0) throw new errors.InvalidClientMetadata('jwks must hold the device public key');
  if (keys.some((k) => !(k.kty === 'RSA' || (k.kty === 'EC' && k.crv === 'P-384'))))
    throw new errors.InvalidClientMetadata('device keys must be RSA (RS384) or EC P-384 (ES384)');
  const grants = metadata.grant_types as string[] | undefined;
  if (!grants || grants.length !== 1 || grants[0] !== JWT_BEARER_GRANT)
    throw new errors.InvalidClientMetadata(`grant_types must be ["${JWT_BEARER_GRANT}"]`);
}

export interface DeviceRegistrationOptions {
  registrationRoute: string;
  tokenEndpoint: string;
  contexts: ContextStore;
  state: ReturnType<typeof deviceRegistrationConfig>;
}

export function installDeviceRegistration(provider: Provider, options: DeviceRegistrationOptions): void {
  const { contexts, state } = options;
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === options.registrationRoute) {
      const initial = await readInitialGrant(provider, contexts, ctx);
      if (typeof initial === 'string') return refuseInitialAccessToken(ctx, initial);
      state.initialGrants.set(ctx, initial);
    }
    await next();
    const route = ctx.oidc?.route;
    if (route === 'registration' && ctx.status === 201) await bindDevice(provider, ctx, state, contexts);
    if (route === 'client_delete' && ctx.status === 204) {
      // RFC 7592 delete: the device's access tokens go with its registration.
      const clientId = ctx.oidc?.client?.clientId ?? '';
      const binding = state.bindings.get(clientId);
      state.bindings.delete(clientId);
      if (binding) await provider.AccessToken.revokeByGrantId(binding.grantId);
    }
  });

  provider.registerGrantType(
    JWT_BEARER_GRANT,
    async (ctx) => {
      const client = ctx.oidc!.client!;
      const binding = state.bindings.get(client.clientId);
      if (!binding) throw new errors.InvalidGrant('this client has no device registration');
      await checkAssertion(provider, client, String(ctx.oidc!.params!.assertion ?? ''), options.tokenEndpoint);
      const token = new provider.AccessToken({
        accountId: binding.accountId,
        client,
        grantId: binding.grantId,
        scope: binding.scope,
        gty: 'jwt_bearer',
      });
      ctx.oidc!.entity('AccessToken', token);
      const value = await token.save();
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: binding.scope };
    },
    ['assertion', 'scope'],
  );
}

/** The initial access token must be a live access token from a standalone sign-in; else why it is not. */
async function readInitialGrant(provider: Provider, contexts: ContextStore, ctx: KoaContext): Promise<InitialGrant | string> {
  const header = ctx.get('authorization');
  const match = /^Bearer (\S+)$/i.exec(header);
  if (!match) return 'the initial access token (Authorization: Bearer) is required';
  const token = await provider.AccessToken.find(match[1]!).catch(() => undefined);
  if (!token || token.isExpired || !token.accountId || !token.clientId) return 'the initial access token is invalid or expired';
  const context = contexts.grant(token.grantId);
  if (!context || context.ehrLaunch) return 'the initial access token must come from a standalone sign-in';
  return { clientId: token.clientId, accountId: token.accountId, scope: token.scope ?? '', context };
}

function refuseInitialAccessToken(ctx: KoaContext, description: string): void {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${description}"`);
  ctx.type = 'json';
  ctx.body = { error: 'invalid_token', error_description: description };
}

/** The new client acts for the user and patient of the sign-in that registered it, with its scopes. */
async function bindDevice(
  provider: Provider,
  ctx: KoaContext,
  state: ReturnType<typeof deviceRegistrationConfig>,
  contexts: ContextStore,
): Promise<void> {
  const initial = state.initialGrants.get(ctx);
  const clientId = (ctx.body as { client_id?: unknown }).client_id;
  if (!initial || typeof clientId !== 'string') return;
  const grant = new provider.Grant({ accountId: initial.accountId, clientId });
  grant.addOIDCScope(initial.scope);
  const grantId = await grant.save();
  contexts.bindGrant(grantId, { ...initial.context, ehrLaunch: false });
  state.bindings.set(clientId, { softwareId: initial.clientId, accountId: initial.accountId, grantId, scope: initial.scope });
}

/** RFC 7523 §3: signed by the registered key, iss = sub = client_id, aud = token endpoint, short-lived, used once. */
async function checkAssertion(provider: Provider, client: OidcClient, assertion: string, tokenEndpoint: string): Promise<void> {
  if (!assertion) throw new errors.InvalidRequest('assertion is required');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await JWT.verify(assertion, client.asymmetricKeyStore, { clockTolerance: CLOCK_TOLERANCE_SECONDS }));
  } catch {
    throw new errors.InvalidGrant('the assertion is not signed by the registered key, or has expired');
  }
  if (payload.iss !== client.clientId || payload.sub !== client.clientId)
    throw new errors.InvalidGrant('the assertion iss and sub must be the client_id');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(tokenEndpoint)) throw new errors.InvalidGrant('the assertion aud must be the token endpoint');
  const exp = payload.exp;
  if (typeof exp !== 'number') throw new errors.InvalidGrant('the assertion must have exp');
  if (exp > epochNow() + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
    throw new errors.InvalidGrant(`the assertion must expire within ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`);
  if (typeof payload.jti !== 'string' || payload.jti === '') throw new errors.InvalidGrant('the assertion must have a jti');
  const unique = await provider.ReplayDetection.unique(
    `${JWT_BEARER_GRANT}:${client.clientId}`,
    payload.jti,
    exp + CLOCK_TOLERANCE_SECONDS,
  );
  if (!unique) throw new errors.InvalidGrant('the assertion has been used before');
}
