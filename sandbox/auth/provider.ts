/**
 * The authorization server: oidc-provider configured as a SMART App Launch server. SMART's own
 * parts (aud, launch, launch context in the token response, vendor quirks, simulated errors) are
 * small hooks around the library; the OAuth and OpenID Connect machinery is the library's.
 */
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import Provider, { errors, type KoaContext } from 'oidc-provider';
import providerInternals from 'oidc-provider/lib/helpers/weak_cache.js';
import { CUSTOM_SCHEME_REDIRECT_URI } from '../../common/app-identity.js';
import type { ProfileSpec } from '../profiles.js';
import type { ClientRegistration, SandboxUser, SimulatedError } from '../types.js';
import type { ContextStore } from './context-store.js';
import { deviceRegistrationConfig, installDeviceRegistration } from './device-registration.js';
import { errorPage } from './pages.js';
import { CONTEXT_SCOPES, parseResourceScope, parseScopes } from './scopes.js';
import { SMART_STYLE_PATH } from './smart-style.js';
import { applySimulatedTokenError, authorizeSimulation } from './simulated-errors.js';

export const PUBLIC_CLIENT_ID = 'chartdesk';
/** RFC 8252 §7.3: a native client's loopback redirect matches on any port. */
export const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1/oauth2/callback';

export interface AuthServerOptions {
  origin: string;
  issuer: string;
  /** The FHIR base without any query string: what fhirUser URLs are built on. */
  fhirBaseUrl: string;
  /** The values `aud` may take: the FHIR base, and the base with its query string where the profile has one. */
  audiences: string[];
  /** The EHR grants no openid, fhirUser or profile scope: no id_token in any answer. */
  omitIdToken: boolean;
  profile: ProfileSpec;
  users: SandboxUser[];
  contexts: ContextStore;
  clients: ClientRegistration[];
  accessTokenLifetime: number;
  rotateRefreshTokens: boolean;
  /** The instance-wide simulated error, read on every request so it can change while running. */
  simulatedError: () => SimulatedError | null;
  onTokenIssued: () => void;
}

function clientMetadata(registration: ClientRegistration) {
  const method = registration.token_endpoint_auth_method ?? 'none';
  return {
    client_id: registration.client_id,
    ...(method !== 'none' && registration.client_secret ? { client_secret: registration.client_secret } : {}),
    application_type: registration.application_type ?? 'native',
    token_endpoint_auth_method: method,
    redirect_uris: registration.redirect_uris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'sandbox-rs256', alg: 'RS256', use: 'sig' };
}

export function fhirUserUrl(fhirBaseUrl: string, user: SandboxUser): string {
  return `${fhirBaseUrl}/Practitioner/${user.practitionerId}`;
}

export function createAuthServer(options: AuthServerOptions): Provider {
  const { profile, contexts } = options;
  const userById = new Map(options.users.map((u) => [u.id, u]));
  const rotate = profile.canRotate && options.rotateRefreshTokens;
  const registrationRoute = profile.routes.registration;
  const devices = registrationRoute ? deviceRegistrationConfig() : null;
  const key = signingKey();

  const provider = new Provider(options.issuer, {
    clients: [
      clientMetadata({ client_id: PUBLIC_CLIENT_ID, redirect_uris: [CUSTOM_SCHEME_REDIRECT_URI, LOOPBACK_REDIRECT_URI] }),
      ...options.clients.map(clientMetadata),
    ],
    jwks: { keys: [key] },
    routes: profile.routes,
    scopes: CONTEXT_SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name', 'preferred_username', 'fhirUser'] },
    conformIdTokenClaims: false,
    async findAccount(_ctx: unknown, id: string) {
      const user = userById.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          fhirUser: fhirUserUrl(options.fhirBaseUrl, user),
          name: user.displayName,
          preferred_username: user.username,
        }),
      };
    },
    extraParams: {
      aud(_ctx: unknown, value: unknown) {
        if (value === undefined) throw new errors.InvalidRequest('aud is required: the FHIR base URL of this server');
        if (!options.audiences.includes(String(value).replace(/\/+$/, ''))) {
          throw new errors.InvalidRequest(`aud must be this server's FHIR base URL ${options.audiences.at(-1)}`);
        }
      },
      launch(_ctx: unknown, value: unknown) {
        // The SMART reference server's base without launch options serves EHR launches only.
        if (value === undefined && profile.launches.kind === 'ehr-only')
          throw new errors.InvalidRequest(profile.launches.refusal);
        if (value !== undefined && !contexts.peekLaunch(String(value))) {
          throw new errors.InvalidRequest('launch is unknown, used or expired');
        }
      },
    },
    ...devices?.configuration,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: profile.revocation },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      ...devices?.configuration.features,
    },
    pkce: { required: () => true },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${options.origin}/ehr/interaction/${interaction.uid}`,
    },
    async issueRefreshToken(
      _ctx: unknown,
      client: { clientAuthMethod: string; grantTypeAllowed(t: string): boolean },
      code: { scopes: Set<string> },
    ) {
      if (client.clientAuthMethod === 'none' && !profile.refreshForPublicClients) return false;
      return client.grantTypeAllowed('refresh_token') && (code.scopes.has('offline_access') || code.scopes.has('online_access'));
    },
    rotateRefreshToken: () => rotate,
    ttl: {
      AccessToken: options.accessTokenLifetime,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 86_400,
      Grant: 14 * 86_400,
      Session: 14 * 86_400,
      Interaction: 3600,
    },
    async renderError(ctx: KoaContext, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = errorPage(out.error ?? 'server_error', out.error_description ?? '');
    },
  });

  // oidc-provider drops every scope it does not know and has no pattern for SMART's open-ended
  // resource scopes, so each well-formed one is added to its (internal) scope set when requested.
  const knownScopes = providerInternals(provider).configuration.scopes;
  provider.use(async (ctx, next) => {
    // The sandbox strips the issuer path before handing requests over; this is how the library learns it back.
    ctx.mountPath = profile.authMount;
    if (ctx.method === 'GET' && ctx.path === profile.routes.authorization) {
      learnResourceScopes(ctx, knownScopes);
      authorizeSimulation(ctx, options.simulatedError(), contexts);
      if (options.omitIdToken) withoutOpenId(ctx);
      keepOfflineAccess(ctx);
    }
    await next();
    if (ctx.oidc?.route === 'token' && ctx.status === 200) {
      await applySimulatedTokenError(ctx, provider, contexts, options.simulatedError());
      if (ctx.status === 200) {
        await addSmartContext(ctx, provider, options);
        if (!profile.refreshIdTokenAud && ctx.oidc?.params?.grant_type === 'refresh_token') withoutAudience(ctx, key);
        options.onTokenIssued();
      }
    }
  });
  if (devices && registrationRoute) {
    installDeviceRegistration(provider, {
      registrationRoute,
      tokenEndpoint: `${options.issuer}${profile.routes.token}`,
      contexts,
      state: devices,
    });
  }
  return provider;
}

function learnResourceScopes(ctx: KoaContext, knownScopes: Set<string>): void {
  const requested = typeof ctx.query.scope === 'string' ? parseScopes(ctx.query.scope) : [];
  for (const scope of requested) if (parseResourceScope(scope)) knownScopes.add(scope);
}

/** An EHR that does not grant OpenID Connect: openid, fhirUser and profile are taken out of the request. */
function withoutOpenId(ctx: KoaContext): void {
  const scope = typeof ctx.query.scope === 'string' ? parseScopes(ctx.query.scope) : [];
  const kept = scope.filter((s) => !['openid', 'fhirUser', 'profile'].includes(s));
  const { nonce: _nonce, ...query } = ctx.query;
  ctx.query = { ...query, scope: kept.join(' ') };
}

/**
 * The SMART reference server's refresh id_token: its refresh token does not keep the client id, so the id_token
 * it signs on refresh has no `aud`. The sandbox's own id_token is signed again without it.
 */
function withoutAudience(ctx: KoaContext, key: ReturnType<typeof signingKey>): void {
  const body = ctx.body as Record<string, unknown>;
  if (typeof body.id_token !== 'string') return;
  const [header, payload] = body.id_token.split('.');
  const { aud: _aud, ...claims } = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), createPrivateKey({ key, format: 'jwk' })).toString('base64url');
  ctx.body = { ...body, id_token: `${input}.${signature}` };
}

/**
 * oidc-provider drops offline_access unless prompt=consent is asked for (an OpenID Connect rule);
 * SMART clients ask for offline_access without it, and every authorization here is consented anyway.
 */
function keepOfflineAccess(ctx: KoaContext): void {
  const scope = typeof ctx.query.scope === 'string' ? parseScopes(ctx.query.scope) : [];
  if (!scope.includes('offline_access')) return;
  const prompts = new Set(typeof ctx.query.prompt === 'string' ? ctx.query.prompt.split(' ') : []);
  prompts.add('consent');
  ctx.query = { ...ctx.query, prompt: [...prompts].join(' ') };
}

/** SMART launch context and vendor quirks, added to a successful token response. */
async function addSmartContext(ctx: KoaContext, provider: Provider, options: AuthServerOptions): Promise<void> {
  const body = ctx.body as Record<string, unknown>;
  if (typeof body.access_token !== 'string') return;
  const token = await provider.AccessToken.find(body.access_token);
  const context = options.contexts.grant(token?.grantId);
  const granted = parseScopes(typeof body.scope === 'string' ? body.scope : token?.scope);
  const user = context && options.users.find((u) => u.id === context.userId);
  // Cerner never sends a refresh token in a refresh response: the client keeps the original.
  const dropRefreshToken = !options.profile.canRotate && ctx.oidc?.params?.grant_type === 'refresh_token';
  const { refresh_token: _unused, ...withoutRefreshToken } = body;
  ctx.body = {
    ...(dropRefreshToken ? withoutRefreshToken : body),
    token_type: options.profile.tokenType,
    scope: options.profile.renderScope(granted),
    ...(context?.patient ? { patient: context.patient } : {}),
    ...(context?.encounter ? { encounter: context.encounter } : {}),
    ...(user && (granted.includes('fhirUser') || granted.includes('openid'))
      ? { fhirUser: fhirUserUrl(options.fhirBaseUrl, user) }
      : {}),
    need_patient_banner: !context?.ehrLaunch,
    smart_style_url: `${options.origin}${SMART_STYLE_PATH}`,
  };
}
