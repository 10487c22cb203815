/**
 * Each simulated error, named as the SMART reference launcher names them, yields the error a real
 * server sends: error pages where the client cannot be trusted, OAuth error redirects and token
 * endpoint errors (RFC 6749 §4.1.2.1, §5.2), and RFC 6750 bearer challenges at the FHIR API.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import {
  authorize,
  codeExchangeResponse,
  discover,
  exchangeCode,
  fhirGet,
  publicClient,
  refresh,
} from './testing/oauth-driver.js';

const SCOPE = 'openid fhirUser launch/patient offline_access patient/*.rs';

let sandbox: Sandbox;
let as: oauth.AuthorizationServer;
const start = () => authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: SCOPE });

/** The raw token endpoint answer for a fresh code. */
const freshCodeExchange = async (): Promise<Response> => codeExchangeResponse(as, await start());

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true });
  as = await discover(sandbox.fhirBaseUrl);
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.setSimulatedError(null));

describe('authorization endpoint', () => {
  it('auth_invalid_client_id: an error page, no redirect to an unverified client', async () => {
    sandbox.setSimulatedError('auth_invalid_client_id');
    const result = await start();
    expect(result.location).toBeUndefined();
    expect(result.stoppedAt?.status).toBe(400);
    expect(result.stoppedAt?.body).toContain('invalid_client');
  });

  it('auth_invalid_redirect_uri: an error page, never a redirect to the unregistered URI', async () => {
    sandbox.setSimulatedError('auth_invalid_redirect_uri');
    const result = await start();
    expect(result.location).toBeUndefined();
    expect(result.stoppedAt?.status).toBe(400);
    expect(result.stoppedAt?.body).toContain('redirect_uri');
  });

  it('auth_invalid_scope: error=invalid_scope redirected to the client with state and iss', async () => {
    sandbox.setSimulatedError('auth_invalid_scope');
    const result = await start();
    expect(result.location?.searchParams.get('error')).toBe('invalid_scope');
    expect(result.location?.searchParams.get('state')).toBe(result.state);
    expect(() => oauth.validateAuthResponse(as, publicClient, result.location as URL, result.state)).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it('a launch value can carry its own simulated error, as the reference launcher encodes it', async () => {
    const launch = await sandbox.mintLaunch({
      patient: sandbox.patients()[0]?.id as string,
      simulateError: 'auth_invalid_scope',
    });
    const result = await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: 'launch openid', launch });
    expect(result.location?.searchParams.get('error')).toBe('invalid_scope');
  });

  it('refuses a wrong aud and a missing aud with invalid_request (SMART: aud is the FHIR base)', async () => {
    const wrong = await authorize(as, {
      fhirBaseUrl: sandbox.fhirBaseUrl,
      scope: SCOPE,
      params: { aud: 'https://elsewhere.example/fhir' },
    });
    expect(wrong.location?.searchParams.get('error')).toBe('invalid_request');
    const url = new URL(as.authorization_endpoint as string);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'chartdesk',
      redirect_uri: 'org.chartdesk.desktop:/oauth2/callback',
      scope: SCOPE,
      state: 'x',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const missing = await fetch(url, { redirect: 'manual' });
    expect(new URL(missing.headers.get('location') as string).searchParams.get('error_description')).toContain('aud is required');
  });

  it('refuses PKCE plain and a missing code_challenge (INF: PKCE S256 only)', async () => {
    const plain = await authorize(as, {
      fhirBaseUrl: sandbox.fhirBaseUrl,
      scope: SCOPE,
      params: { code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) },
    });
    expect(plain.location?.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('authorize-post', () => {
  it('accepts the authorization request as a form POST, resource scopes included', async () => {
    const url = new URL(as.authorization_endpoint as string);
    // The verifier and challenge pair of RFC 7636 appendix B.
    const form = new URLSearchParams({
      response_type: 'code',
      client_id: 'chartdesk',
      redirect_uri: 'org.chartdesk.desktop:/oauth2/callback',
      scope: 'launch/patient patient/Observation.rs',
      state: 'post-state',
      aud: sandbox.fhirBaseUrl,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    let response = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
    for (let hop = 0; hop < 5 && !response.headers.get('location')?.startsWith('org.chartdesk'); hop += 1) {
      response = await fetch(new URL(response.headers.get('location') as string, url), { redirect: 'manual' });
    }
    const callback = new URL(response.headers.get('location') as string);
    expect(callback.searchParams.get('state')).toBe('post-state');
    const code = callback.searchParams.get('code') as string;
    const token = await fetch(as.token_endpoint as string, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: 'chartdesk',
        redirect_uri: 'org.chartdesk.desktop:/oauth2/callback',
        code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      }),
    });
    expect(((await token.json()) as { scope: string }).scope).toBe('launch/patient patient/Observation.rs');
  });
});

describe('token endpoint', () => {
  it('auth_invalid_client_secret: 401 invalid_client', async () => {
    sandbox.setSimulatedError('auth_invalid_client_secret');
    const response = await freshCodeExchange();
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('token_invalid_token: 400 invalid_grant on the code exchange', async () => {
    sandbox.setSimulatedError('token_invalid_token');
    const response = await freshCodeExchange();
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('token_invalid_scope: 400 invalid_scope', async () => {
    sandbox.setSimulatedError('token_invalid_scope');
    const response = await freshCodeExchange();
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('token_expired_refresh_token: the code exchange works, the refresh gets 400 invalid_grant', async () => {
    sandbox.setSimulatedError('token_expired_refresh_token');
    const tokens = await exchangeCode(as, await start());
    const failure = await refresh(as, tokens.refresh_token as string).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(oauth.ResponseBodyError);
    expect((failure as oauth.ResponseBodyError).error).toBe('invalid_grant');
    expect((failure as oauth.ResponseBodyError).status).toBe(400);
  });
});

describe('FHIR API', () => {
  it('request_invalid_token: 401 with a Bearer invalid_token challenge and an OperationOutcome', async () => {
    const tokens = await exchangeCode(as, await start());
    sandbox.setSimulatedError('request_invalid_token');
    const read = await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${tokens.patient}`, tokens.access_token);
    expect(read.status).toBe(401);
    expect(read.headers.get('www-authenticate')).toMatch(/^Bearer realm=".+", error="invalid_token"/);
    expect(read.body.resourceType).toBe('OperationOutcome');
  });

  it('request_expired_token: 401 invalid_token saying the token expired', async () => {
    const tokens = await exchangeCode(as, await start());
    sandbox.setSimulatedError('request_expired_token');
    const read = await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${tokens.patient}`, tokens.access_token);
    expect(read.status).toBe(401);
    expect(read.headers.get('www-authenticate')).toContain('error_description="The access token expired"');
  });

  it('a launch value can bind request_expired_token to the tokens it leads to', async () => {
    const launch = await sandbox.mintLaunch({
      patient: sandbox.patients()[0]?.id as string,
      simulateError: 'request_expired_token',
    });
    const tokens = await exchangeCode(
      as,
      await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: 'launch patient/*.rs', launch }),
    );
    const read = await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${tokens.patient}`, tokens.access_token);
    expect(read.status).toBe(401);
    const other = await exchangeCode(as, await start());
    expect((await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${other.patient}`, other.access_token)).status).toBe(200);
  });

  it('a really expired token gets the same answer (accessTokenLifetimeSeconds: 1)', async () => {
    const shortLived = await startSandbox({ autoApprove: true, accessTokenLifetimeSeconds: 1 });
    try {
      const shortAs = await discover(shortLived.fhirBaseUrl);
      const tokens = await exchangeCode(shortAs, await authorize(shortAs, { fhirBaseUrl: shortLived.fhirBaseUrl, scope: SCOPE }));
      expect(tokens.expires_in).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const read = await fhirGet(`${shortLived.fhirBaseUrl}/Patient/${tokens.patient}`, tokens.access_token);
      expect(read.status).toBe(401);
      expect(read.headers.get('www-authenticate')).toContain('expired');
    } finally {
      await shortLived.stop();
    }
  });
});
