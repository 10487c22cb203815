import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from './authorize-request';
import { mergeLaunchContext, readLaunchContext } from './launch-context';
import { missingScopes, summarizeGrant } from './scopes';
import { mutatedJsonText } from './testing/json-mutations';
import {
  exchangeCode,
  InvalidTokenResponseError,
  IssuerMismatchError,
  refreshTokens,
  type TokenCallContext,
} from './token-endpoint';
import { classifyTokenError, describeTokenError } from './token-errors';
import { smartConfiguration } from './testing/smart-configuration';

/**
 * Token responses fuzzed: mutated copies of a real-shaped SMART token response (launch context, fhirContext,
 * granted scopes), error bodies, and id_tokens whose claims are mutated and then properly signed, so the
 * OIDC checks themselves are exercised (INF#201, INF#218). Seeded and bounded. Each exchange or refresh either
 * succeeds with values the session can use (then launch context and granted scopes are read from it, as the
 * session manager does) or fails with a typed error whose description carries no secret.
 */
const SEED = 20_261_007;
const RUNS = 400;
const BASE = 'https://ehr.example.org/fhir/R4';
const ISSUER = 'https://ehr.example.org/oauth2';
const TOKEN_URL = `${ISSUER}/token`;
const JWKS_URL = `${ISSUER}/jwks`;
const CLIENT_ID = 'chartdesk-fuzz';
const CODE = 'CODE-4f1c9a77e2b6';
const VERIFIER = 'verifier-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG';
const ACCESS_TOKEN = 'AT-9d8c7b6a5f4e3d2c1b0a';
const REFRESH_TOKEN = 'RT-1a2b3c4d5e6f7a8b9c0d';
const OLD_REFRESH_TOKEN = 'RT-old-55aa55aa55aa';
const NONCE = 'nonce-5e1f0c3b9a7d';
const SECRETS = [CODE, VERIFIER, ACCESS_TOKEN, REFRESH_TOKEN, OLD_REFRESH_TOKEN, NONCE];
const REQUESTED_SCOPE =
  'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/Encounter.rs';

const config = smartConfiguration({
  fhirBaseUrl: BASE,
  issuer: ISSUER,
  jwksUri: JWKS_URL,
  authorizationEndpoint: `${ISSUER}/authorize`,
  tokenEndpoint: TOKEN_URL,
  capabilities: ['launch-standalone', 'client-public', 'sso-openid-connect'],
  codeChallengeMethods: ['S256'],
});

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = JSON.stringify({ keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });

function signedIdToken(payloadText: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(payloadText).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), keys.privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const tokenResponse = {
  access_token: ACCESS_TOKEN,
  token_type: 'Bearer',
  expires_in: 3600,
  scope: 'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Observation.rs?category=laboratory',
  refresh_token: REFRESH_TOKEN,
  patient: 'pat-123',
  encounter: 'enc-9',
  need_patient_banner: true,
  smart_style_url: 'https://ehr.example.org/smart-style.json',
  fhirContext: [
    { reference: 'Patient/pat-123' },
    { reference: 'Encounter/enc-9', role: 'launch' },
    { reference: 'List/l1', role: 'other' },
  ],
};

const now = () => Math.floor(Date.now() / 1000);
const idTokenClaims = {
  iss: ISSUER,
  sub: 'user-77',
  aud: CLIENT_ID,
  exp: now() + 3600,
  iat: now(),
  nonce: NONCE,
  fhirUser: 'Practitioner/prac-1',
  name: 'Dr. Fuzz',
};

type Answer = { status: number; text: string; contentType: string } | 'network';

const json = (text: string, status = 200): Answer => ({ status, text, contentType: 'application/json' });
const tokenAnswer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 5, arbitrary: mutatedJsonText(tokenResponse).map((text) => json(text)) },
  {
    weight: 3,
    arbitrary: mutatedJsonText(idTokenClaims).map((claims) =>
      json(JSON.stringify({ ...tokenResponse, id_token: signedIdToken(claims) })),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(400, 401, 500, 503),
        mutatedJsonText({ error: 'invalid_grant', error_description: 'The refresh token has expired' }, 2),
      )
      .map(([status, text]) => json(text, status)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Answer>('network', { status: 502, text: '<html>Bad gateway</html>', contentType: 'text/html' }),
  },
);

function fetchAnswering(answer: Answer): typeof fetch {
  return (async (input: string | URL | Request) => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url === JWKS_URL) return new Response(jwks, { headers: { 'content-type': 'application/json' } });
    if (url !== TOKEN_URL) return new Response('not found', { status: 404 });
    if (answer === 'network') throw new TypeError('fetch failed');
    return new Response(answer.text, { status: answer.status, headers: { 'content-type': answer.contentType } });
  }) as typeof fetch;
}

const request: AuthorizationRequest = {
  url: `${ISSUER}/authorize`,
  state: 'state-fuzz',
  codeVerifier: VERIFIER,
  nonce: NONCE,
  redirectUri: 'org.chartdesk.desktop:/oauth2/callback',
  scope: REQUESTED_SCOPE,
};

/** A nonce is sent only with `openid`, and then an id_token is required; the variants without one ask no openid. */
function requestFor(answer: Answer): AuthorizationRequest {
  return answer !== 'network' && answer.text.includes('"id_token"') ? request : { ...request, nonce: null };
}

function callbackParameters(): URLSearchParams {
  const as = { issuer: ISSUER, token_endpoint: TOKEN_URL };
  return oauth.validateAuthResponse(
    as,
    { client_id: CLIENT_ID },
    new URLSearchParams({ code: CODE, state: request.state }),
    request.state,
  );
}

const TYPED_ERRORS = [
  oauth.ResponseBodyError,
  oauth.WWWAuthenticateChallengeError,
  oauth.OperationProcessingError,
  oauth.UnsupportedOperationError,
  IssuerMismatchError,
  InvalidTokenResponseError,
];

/** A failure must be one of the typed errors, sorted, and described without any secret. */
function expectTypedFailure(error: unknown, answer: Answer) {
  if (answer === 'network') {
    expect(classifyTokenError(error)).toBe('network');
  } else {
    expect(TYPED_ERRORS.some((type) => error instanceof type)).toBe(true);
    expect(['invalid-grant', 'rejected']).toContain(classifyTokenError(error));
  }
  const description = describeTokenError(error);
  expect(description).not.toBe('unexpected error');
  expect(description.length).toBeLessThan(500);
  for (const secret of SECRETS) expect(description).not.toContain(secret);
}

type Grant = { access_token: string; expires_in?: number; refresh_token?: string; scope?: string } & Record<string, unknown>;

/** What the session manager relies on in a successful response. */
function expectUsableGrant(response: Grant) {
  expect(typeof response.access_token).toBe('string');
  expect(response.access_token.length).toBeGreaterThan(0);
  if (response.expires_in !== undefined) {
    expect(Number.isFinite(response.expires_in)).toBe(true);
    expect(response.expires_in).toBeGreaterThanOrEqual(0);
  }
  if (response.refresh_token !== undefined) expect(typeof response.refresh_token).toBe('string');
  if (response.scope !== undefined) expect(typeof response.scope).toBe('string');
  const summary = summarizeGrant(REQUESTED_SCOPE, response.scope);
  expect(Array.isArray(summary.grantedSections)).toBe(true);
  expect(Array.isArray(missingScopes(REQUESTED_SCOPE, response.scope))).toBe(true);
}

function expectSafeContext(context: ReturnType<typeof readLaunchContext>) {
  for (const id of [context.patientId, context.encounterId]) if (id !== null) expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
  for (const url of [context.fhirUser, context.smartStyleUrl]) if (url !== null) expect(url).toMatch(/^https?:\/\//);
  if (context.userDisplayName !== null) expect(context.userDisplayName.length).toBeLessThanOrEqual(120);
  expect(typeof context.needPatientBanner).toBe('boolean');
}

describe('token responses under fuzzing (INF#62, INF#201)', () => {
  it('a code exchange yields a usable grant or a typed error without secrets', async () => {
    const outcomes = { granted: 0, withIdToken: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(tokenAnswer, async (answer) => {
        const context: TokenCallContext = { config, clientId: CLIENT_ID, fetch: fetchAnswering(answer), clockSkewSeconds: 0 };
        let grant;
        try {
          grant = await exchangeCode(context, callbackParameters(), requestFor(answer));
        } catch (error) {
          expectTypedFailure(error, answer);
          outcomes.refused += 1;
          return;
        }
        outcomes.granted += 1;
        if (grant.idTokenClaims !== null) {
          outcomes.withIdToken += 1;
          expect(grant.idTokenClaims.iss).toBe(ISSUER);
          expect(grant.idTokenClaims.nonce).toBe(NONCE);
        }
        expectUsableGrant(grant.response as Grant);
        expectSafeContext(readLaunchContext(grant.response, grant.idTokenClaims, BASE));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(outcomes.granted).toBeGreaterThan(RUNS / 5);
    expect(outcomes.withIdToken).toBeGreaterThan(RUNS / 20);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a refresh yields a usable grant merged into the old context, or a typed error without secrets (INF#105, INF#106)', async () => {
    const previous = readLaunchContext(tokenResponse, idTokenClaims, BASE);
    let granted = 0;
    await fc.assert(
      fc.asyncProperty(tokenAnswer, async (answer) => {
        const context: TokenCallContext = { config, clientId: CLIENT_ID, fetch: fetchAnswering(answer), clockSkewSeconds: 0 };
        let response;
        try {
          ({ response } = await refreshTokens(context, { issuer: ISSUER, jwksUri: JWKS_URL }, OLD_REFRESH_TOKEN));
        } catch (error) {
          expectTypedFailure(error, answer);
          return;
        }
        granted += 1;
        expectUsableGrant(response as Grant);
        const merged = mergeLaunchContext(previous, response, BASE);
        expectSafeContext(merged);
        // A refresh cannot change who the user is.
        expect(merged.fhirUser).toBe(previous.fhirUser);
      }),
      { seed: SEED + 1, numRuns: RUNS / 2 },
    );
    expect(granted).toBeGreaterThan(RUNS / 10);
  });

  it('an expires_in that cannot even be read is an invalid answer, not a network failure (found by this fuzzing)', async () => {
    const body = JSON.stringify({ ...tokenResponse, expires_in: [{ toString: '' }] });
    const context: TokenCallContext = { config, clientId: CLIENT_ID, fetch: fetchAnswering(json(body)), clockSkewSeconds: 0 };
    const error: unknown = await exchangeCode(context, callbackParameters(), { ...request, nonce: null }).catch(
      (caught) => caught,
    );
    expect(error).toBeInstanceOf(InvalidTokenResponseError);
    expect(classifyTokenError(error)).toBe('rejected');
    expect(describeTokenError(error)).toMatch(/^the EHR's answer was not valid/);
  });
});
