import { createHash, generateKeyPairSync, type KeyPairKeyObjectResult, randomBytes, sign } from 'node:crypto';

/**
 * A SMART EHR as a `fetch` function, for unit tests: discovery, a token endpoint that checks PKCE, a JWKS
 * and RS256 id_tokens, rotation, revocation, and a few FHIR reads. `authorize()` stands in for the browser
 * and the clinician's consent. Each behaviour can be bent to play a quirk or a failure.
 */
export interface FakeEhrOptions {
  origin?: string;
  fhirPath?: string;
  wellKnown?: boolean;
  /** The `issuer` published in smart-configuration; defaults to the real one. null leaves it out. */
  publishedIssuer?: string | null;
  rotateRefreshTokens?: boolean;
  issueRefreshTokens?: boolean;
  expiresIn?: number;
  /** Rewrites the granted scope before it is returned. */
  grantScope?: (requested: string) => string;
  patient?: string | null;
  /** Sends RFC 9207 `iss` on the callback. */
  callbackIss?: boolean;
  /** Advertises an RFC 7009 revocation endpoint (default true). */
  revocation?: boolean;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scope: string;
  nonce: string | null;
  launch: string | null;
}

export interface FakeEhr {
  fetch: typeof fetch;
  fhirBaseUrl: string;
  issuer: string;
  options: Required<Omit<FakeEhrOptions, 'grantScope'>> & { grantScope: (requested: string) => string };
  /** Plays the browser: checks the authorization URL and returns the redirect with code (or error) and state. */
  authorize(url: string, answer?: { error?: string }): string;
  requests: { method: string; url: string; body: URLSearchParams | null }[];
  revoked: string[];
  liveRefreshTokens: Set<string>;
  /** Every secret issued, to scan what the app emits. */
  issuedSecrets: string[];
  failNext: { token?: 'network' | { status: number; error: string; description?: string } };
  idTokenOverrides: Record<string, unknown>;
  signWithForeignKey: boolean;
  /** When set, the code exchange (PKCE checked first) answers with exactly this body: a vendor's recorded answer. */
  codeAnswer: Record<string, unknown> | null;
  /**
   * When set, refresh answers carry an id_token too: the sign-in's claims with these over them (an undefined value
   * leaves the claim out, as the SMART reference server leaves out `aud`).
   */
  refreshIdTokenClaims: Record<string, unknown> | null;
}

let signingKeys: { keys: KeyPairKeyObjectResult; foreign: KeyPairKeyObjectResult } | null = null;

/**
 * The RSA keys every fake EHR of a test file signs with (and the foreign one it can sign with instead), made once:
 * an RSA-2048 key takes from 50 ms to over a second to find on a busy machine, and each test starts fake EHRs.
 */
function rsaKeys(): { keys: KeyPairKeyObjectResult; foreign: KeyPairKeyObjectResult } {
  signingKeys ??= {
    keys: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    foreign: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };
  return signingKeys;
}

export function createFakeEhr(input: FakeEhrOptions = {}): FakeEhr {
  const origin = input.origin ?? 'https://ehr.example.org';
  const fhirPath = input.fhirPath ?? '/fhir';
  const fhirBaseUrl = `${origin}${fhirPath}`;
  const issuer = `${origin}/auth`;
  const options = {
    origin,
    fhirPath,
    wellKnown: input.wellKnown ?? true,
    publishedIssuer: input.publishedIssuer === undefined ? issuer : input.publishedIssuer,
    rotateRefreshTokens: input.rotateRefreshTokens ?? true,
    issueRefreshTokens: input.issueRefreshTokens ?? true,
    expiresIn: input.expiresIn ?? 3600,
    grantScope: input.grantScope ?? ((requested: string) => requested),
    patient: input.patient === undefined ? 'pat-1' : input.patient,
    callbackIss: input.callbackIss ?? false,
    revocation: input.revocation ?? true,
  };
  const { keys, foreign } = rsaKeys();
  const jwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, CodeGrant>();
  const token = () => randomBytes(24).toString('base64url');

  const ehr: FakeEhr = {
    fhirBaseUrl,
    issuer,
    options,
    requests: [],
    revoked: [],
    liveRefreshTokens: new Set(),
    issuedSecrets: [],
    failNext: {},
    idTokenOverrides: {},
    signWithForeignKey: false,
    codeAnswer: null,
    refreshIdTokenClaims: null,

    authorize(url, answer = {}) {
      const params = new URL(url).searchParams;
      const redirect = new URL(params.get('redirect_uri') ?? 'missing:');
      const state = params.get('state') ?? '';
      if (answer.error) {
        redirect.search = new URLSearchParams({ error: answer.error, error_description: 'The user said no', state }).toString();
        return redirect.href;
      }
      if (params.get('response_type') !== 'code' || params.get('code_challenge_method') !== 'S256')
        throw new Error('bad authorize request');
      if (params.get('aud') !== fhirBaseUrl) throw new Error(`aud ${params.get('aud')} is not ${fhirBaseUrl}`);
      const code = token();
      ehr.issuedSecrets.push(code);
      codes.set(code, {
        clientId: params.get('client_id') ?? '',
        redirectUri: params.get('redirect_uri') ?? '',
        challenge: params.get('code_challenge') ?? '',
        scope: params.get('scope') ?? '',
        nonce: params.get('nonce'),
        launch: params.get('launch'),
      });
      const query = new URLSearchParams({ code, state });
      if (options.callbackIss) query.set('iss', issuer);
      redirect.search = query.toString();
      return redirect.href;
    },

    fetch: (async (resource: string | URL | Request, init?: RequestInit) => {
      const url = new URL(resource instanceof Request ? resource.url : resource.toString());
      const method = (init?.method ?? 'GET').toUpperCase();
      const body =
        typeof init?.body === 'string' || init?.body instanceof URLSearchParams ? new URLSearchParams(init.body) : null;
      ehr.requests.push({ method, url: url.href, body });
      const path = url.pathname;
      if (url.origin !== origin) throw new TypeError('fetch failed');

      if (path === `${fhirPath}/.well-known/smart-configuration`) {
        if (!options.wellKnown) return json({ error: 'not found' }, 404);
        return json({
          ...(options.publishedIssuer !== null ? { issuer: options.publishedIssuer } : {}),
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          ...(options.revocation ? { revocation_endpoint: `${issuer}/revoke` } : {}),
          capabilities: [
            'launch-ehr',
            'launch-standalone',
            'client-public',
            'permission-v2',
            'sso-openid-connect',
            'permission-offline',
          ],
          code_challenge_methods_supported: ['S256'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          some_future_field: { ignored: true },
        });
      }
      if (path === `${fhirPath}/metadata`) {
        return json({
          resourceType: 'CapabilityStatement',
          software: { name: 'Fake EHR' },
          rest: [
            {
              mode: 'server',
              security: {
                extension: [
                  {
                    url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                    extension: [
                      { url: 'authorize', valueUri: `${issuer}/authorize` },
                      { url: 'token', valueUri: `${issuer}/token` },
                      { url: 'revoke', valueUri: `${issuer}/revoke` },
                    ],
                  },
                ],
              },
            },
          ],
        });
      }
      if (path === '/auth/.well-known/openid-configuration') {
        return json({
          issuer,
          jwks_uri: `${issuer}/jwks`,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
        });
      }
      if (path === '/auth/jwks') return json({ keys: [jwk] });
      if (path === '/auth/revoke' && method === 'POST') {
        const revoked = body?.get('token') ?? '';
        ehr.revoked.push(revoked);
        refreshTokens.delete(revoked);
        ehr.liveRefreshTokens.delete(revoked);
        return new Response(null, { status: 200 });
      }
      if (path === '/auth/token' && method === 'POST') return tokenEndpoint(body ?? new URLSearchParams());
      if (path.startsWith(`${fhirPath}/`) && init?.headers) {
        const auth = new Headers(init.headers).get('authorization') ?? '';
        if (!auth.startsWith('Bearer ')) return json({ resourceType: 'OperationOutcome' }, 401);
        if (path.endsWith('/Practitioner/dr-1'))
          return json({ resourceType: 'Practitioner', name: [{ given: ['Ana'], family: 'Ruiz', prefix: ['Dr.'] }] });
        if (path.endsWith('/Patient/pat-1'))
          return json({ resourceType: 'Patient', name: [{ use: 'official', given: ['Lee'], family: 'Chen' }] });
      }
      return json({ error: 'not found' }, 404);
    }) as typeof fetch,
  };

  function tokenEndpoint(body: URLSearchParams): Response {
    const failure = ehr.failNext.token;
    ehr.failNext.token = undefined;
    if (failure === 'network') throw new TypeError('fetch failed');
    if (failure) {
      return json(
        { error: failure.error, ...(failure.description ? { error_description: failure.description } : {}) },
        failure.status,
      );
    }
    const grantType = body.get('grant_type');
    if (grantType === 'authorization_code') {
      const grant = codes.get(body.get('code') ?? '');
      codes.delete(body.get('code') ?? '');
      if (!grant) return json({ error: 'invalid_grant' }, 400);
      const challenge = createHash('sha256')
        .update(body.get('code_verifier') ?? '')
        .digest('base64url');
      if (
        challenge !== grant.challenge ||
        body.get('redirect_uri') !== grant.redirectUri ||
        body.get('client_id') !== grant.clientId
      ) {
        return json({ error: 'invalid_grant', error_description: 'PKCE or redirect_uri mismatch' }, 400);
      }
      if (ehr.codeAnswer !== null) return json(ehr.codeAnswer);
      return issueTokens(grant, true);
    }
    if (grantType === 'refresh_token') {
      const presented = body.get('refresh_token') ?? '';
      const grant = refreshTokens.get(presented);
      if (!grant || body.get('client_id') !== grant.clientId) return json({ error: 'invalid_grant' }, 400);
      if (options.rotateRefreshTokens) {
        refreshTokens.delete(presented);
        ehr.liveRefreshTokens.delete(presented);
      }
      return issueTokens(grant, false, presented);
    }
    return json({ error: 'unsupported_grant_type' }, 400);
  }

  function issueTokens(grant: CodeGrant, withIdToken: boolean, presented?: string): Response {
    const accessToken = token();
    ehr.issuedSecrets.push(accessToken);
    const scope = options.grantScope(grant.scope);
    const result: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: options.expiresIn,
      scope,
    };
    if (options.patient !== null) result.patient = options.patient;
    if (grant.launch !== null) {
      result.encounter = 'enc-1';
      result.need_patient_banner = false;
      result.smart_style_url = `${origin}/style.json`;
    }
    const wantsRefresh = /\b(offline_access|online_access)\b/.test(grant.scope) && options.issueRefreshTokens;
    if (wantsRefresh && (presented === undefined || options.rotateRefreshTokens)) {
      const refreshToken = token();
      ehr.issuedSecrets.push(refreshToken);
      refreshTokens.set(refreshToken, grant);
      ehr.liveRefreshTokens.add(refreshToken);
      result.refresh_token = refreshToken;
    }
    const refreshClaims = withIdToken ? {} : ehr.refreshIdTokenClaims;
    if (refreshClaims !== null && grant.scope.split(' ').includes('openid')) {
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        sub: 'dr-1',
        aud: grant.clientId,
        iat: now,
        exp: now + 300,
        fhirUser: 'Practitioner/dr-1',
        ...(grant.nonce !== null && withIdToken ? { nonce: grant.nonce } : {}),
        ...ehr.idTokenOverrides,
        ...refreshClaims,
      };
      result.id_token = signJwt(claims, ehr.signWithForeignKey ? foreign.privateKey : keys.privateKey);
    }
    return json(result);
  }

  return ehr;
}

function signJwt(claims: Record<string, unknown>, key: Parameters<typeof sign>[2]): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${encode(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
