/**
 * Epic-style device registration on the epic-like profile, driven by an independent client
 * (oauth4webapi directly): registration with the initial access token, the JWT bearer grant with
 * private_key_jwt, and refusal of wrong-key, replayed, expired and over-long assertions.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_GRANT } from './auth/device-registration.js';
import { startSandbox, type Sandbox } from './index.js';
import { fhirGet, insecure, tokenFor } from './testing/oauth-driver.js';

const SCOPE = 'openid fhirUser launch/patient patient/Patient.rs patient/Observation.rs';

interface Registered {
  client_id: string;
  registration_client_uri: string;
  registration_access_token: string;
}

let sandbox: Sandbox;
let as: oauth.AuthorizationServer;
let initialAccessToken: string;
let patient: string;

beforeAll(async () => {
  sandbox = await startSandbox({ profile: 'epic-like', autoApprove: true });
  const signIn = await tokenFor(sandbox.fhirBaseUrl, SCOPE);
  as = signIn.as;
  initialAccessToken = signIn.tokens.access_token;
  patient = String(signIn.tokens.patient);
});
afterAll(() => sandbox.stop());

async function deviceKey(alg: 'ES384' | 'RS384' = 'ES384') {
  const pair = await oauth.generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), alg, use: 'sig', kid: `${alg}-${Date.now()}` };
  return { privateKey: { key: pair.privateKey, kid: jwk.kid }, jwk };
}

function metadata(jwk: object, softwareId = 'chartdesk') {
  return {
    software_id: softwareId,
    jwks: { keys: [jwk] },
    token_endpoint_auth_method: 'private_key_jwt',
    grant_types: [JWT_BEARER_GRANT],
    response_types: [],
  };
}

/** An empty token sends no Authorization header. */
async function register(jwk: object, token = initialAccessToken, softwareId?: string) {
  return oauth.dynamicClientRegistrationRequest(as, metadata(jwk, softwareId), { ...insecure, initialAccessToken: token });
}

type Claims = Record<string, unknown>;
interface GrantOptions {
  clientKey: oauth.PrivateKey;
  assertionKey?: oauth.PrivateKey;
  client?: (claims: Claims) => void;
  assertion?: (claims: Claims) => void;
}

/** The JWT bearer grant as ChartDesk sends it; the request body is returned for replay tests. */
async function bearerGrant(clientId: string, options: GrantOptions) {
  const sign = (key: oauth.PrivateKey, modify?: (claims: Claims) => void) =>
    oauth.PrivateKeyJwt(key, {
      [oauth.modifyAssertion]: (_header, payload) => {
        (payload as Claims).aud = as.token_endpoint;
        modify?.(payload as Claims);
      },
    });
  const client: oauth.Client = { client_id: clientId };
  const scratch = new URLSearchParams();
  await sign(options.assertionKey ?? options.clientKey, options.assertion)(as, client, scratch, new Headers());
  let body = '';
  const recordingFetch: typeof fetch = (url, init) => {
    body = String(init?.body);
    return fetch(url, init);
  };
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    sign(options.clientKey, options.client),
    JWT_BEARER_GRANT,
    { assertion: scratch.get('client_assertion')! },
    { ...insecure, [oauth.customFetch]: recordingFetch },
  );
  return { response, body };
}

async function errorOf(response: Response): Promise<{ status: number; error: string }> {
  const json = (await response.json()) as { error: string };
  return { status: response.status, error: json.error };
}

async function registerDevice(alg: 'ES384' | 'RS384' = 'ES384') {
  const key = await deviceKey(alg);
  const registered = (await oauth.processDynamicClientRegistrationResponse(await register(key.jwk))) as unknown as Registered;
  return { key, registered };
}

describe('device registration (epic-like)', () => {
  it('advertises the registration endpoint, private_key_jwt and the device key algorithms', async () => {
    const config = (await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(config.registration_endpoint).toBe(`${sandbox.issuer}/register`);
    expect(config.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(config.token_endpoint_auth_signing_alg_values_supported).toEqual(['ES384', 'RS384']);
  });

  it('requires the initial access token of a standalone sign-in', async () => {
    const { jwk } = await deviceKey();
    expect(await errorOf(await register(jwk, ''))).toEqual({ status: 401, error: 'invalid_token' });
    expect(await errorOf(await register(jwk, 'not-a-token'))).toEqual({ status: 401, error: 'invalid_token' });
  });

  it('requires software_id to be the client the initial access token was issued to', async () => {
    const { jwk } = await deviceKey();
    expect(await errorOf(await register(jwk, initialAccessToken, 'someone-else'))).toEqual({
      status: 400,
      error: 'invalid_client_metadata',
    });
  });

  it.each(['ES384', 'RS384'] as const)(
    'registers a %s device key and grants tokens for the same user and patient',
    async (alg) => {
      const { key, registered } = await registerDevice(alg);
      expect(registered.client_id).not.toBe('chartdesk');
      expect(registered.registration_client_uri).toContain('/register/');
      const { response } = await bearerGrant(registered.client_id, { clientKey: key.privateKey });
      const tokens = await oauth.processGenericTokenEndpointResponse(as, { client_id: registered.client_id }, response);
      expect(tokens.refresh_token).toBeUndefined();
      expect(tokens.patient).toBe(patient);
      expect(tokens.expires_in).toBeGreaterThan(0);
      expect((await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${patient}`, tokens.access_token)).status).toBe(200);
    },
  );

  it('refuses a client assertion signed with another key (invalid_client)', async () => {
    const { registered } = await registerDevice();
    const other = await deviceKey();
    const { response } = await bearerGrant(registered.client_id, { clientKey: other.privateKey });
    expect(await errorOf(response)).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('refuses a grant assertion signed with another key (invalid_grant)', async () => {
    const { key, registered } = await registerDevice();
    const other = await deviceKey();
    const { response } = await bearerGrant(registered.client_id, { clientKey: key.privateKey, assertionKey: other.privateKey });
    expect(await errorOf(response)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('refuses a replayed request (the jti was used)', async () => {
    const { key, registered } = await registerDevice();
    const first = await bearerGrant(registered.client_id, { clientKey: key.privateKey });
    expect(first.response.status).toBe(200);
    const replay = await fetch(as.token_endpoint!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: first.body,
    });
    expect(await errorOf(replay)).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('refuses a replayed grant assertion under a fresh client assertion', async () => {
    const { key, registered } = await registerDevice();
    const jti = `fixed-${Date.now()}`;
    const first = await bearerGrant(registered.client_id, { clientKey: key.privateKey, assertion: (c) => (c.jti = jti) });
    expect(first.response.status).toBe(200);
    const second = await bearerGrant(registered.client_id, { clientKey: key.privateKey, assertion: (c) => (c.jti = jti) });
    expect(await errorOf(second.response)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('refuses expired assertions and ones that expire more than 5 minutes ahead', async () => {
    const { key, registered } = await registerDevice();
    const now = Math.floor(Date.now() / 1000);
    const past = (c: Claims) => Object.assign(c, { iat: now - 600, nbf: now - 600, exp: now - 300 });
    const farAhead = (c: Claims) => (c.exp = now + 600);
    const grant = (options: Omit<GrantOptions, 'clientKey'>) =>
      bearerGrant(registered.client_id, { clientKey: key.privateKey, ...options }).then(({ response }) => errorOf(response));
    expect(await grant({ client: past })).toEqual({ status: 401, error: 'invalid_client' });
    expect(await grant({ client: farAhead })).toEqual({ status: 401, error: 'invalid_client' });
    expect(await grant({ assertion: past })).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await grant({ assertion: farAhead })).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await grant({ assertion: (c) => (c.aud = as.issuer) })).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('rotates the key with an RFC 7592 update: the new key works, the old one is refused', async () => {
    const { key, registered } = await registerDevice();
    const next = await deviceKey();
    const update = await oauth.protectedResourceRequest(
      registered.registration_access_token,
      'PUT',
      new URL(registered.registration_client_uri),
      new Headers({ 'content-type': 'application/json' }),
      JSON.stringify({ client_id: registered.client_id, ...metadata(next.jwk) }),
      insecure,
    );
    expect(update.status).toBe(200);
    const updated = (await update.json()) as Registered;
    expect(updated.registration_access_token).not.toBe(registered.registration_access_token);
    expect((await bearerGrant(registered.client_id, { clientKey: next.privateKey })).response.status).toBe(200);
    const old = await bearerGrant(registered.client_id, { clientKey: key.privateKey });
    expect(await errorOf(old.response)).toEqual({ status: 401, error: 'invalid_client' });
  });

  it('forgets a deleted registration: no more tokens, and the ones issued stop working', async () => {
    const { key, registered } = await registerDevice();
    const { response } = await bearerGrant(registered.client_id, { clientKey: key.privateKey });
    const issued = await oauth.processGenericTokenEndpointResponse(as, { client_id: registered.client_id }, response);
    const removal = await oauth.protectedResourceRequest(
      registered.registration_access_token,
      'DELETE',
      new URL(registered.registration_client_uri),
      new Headers(),
      null,
      insecure,
    );
    expect(removal.status).toBe(204);
    const after = await bearerGrant(registered.client_id, { clientKey: key.privateKey });
    expect(await errorOf(after.response)).toEqual({ status: 401, error: 'invalid_client' });
    expect((await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${patient}`, issued.access_token)).status).toBe(401);
  });
});
