import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { generateDeviceKey, importDeviceKey, publicJwkOf } from './device-key';
import {
  deleteDeviceRegistration,
  type DeviceRegistration,
  DeviceRegistrationError,
  registerDevice,
  rotateDeviceKey,
} from './device-registration';
import { deviceRefused, JWT_BEARER_GRANT, jwtBearerGrant } from './jwt-bearer';
import { parseRecord, type SessionRecord, serializeRecord } from './session-record';
import { smartConfiguration } from './testing/smart-configuration';

const ORIGIN = 'https://ehr.example.org';
const config = smartConfiguration({
  fhirBaseUrl: `${ORIGIN}/api/FHIR/R4`,
  issuer: `${ORIGIN}/oauth2`,
  authorizationEndpoint: `${ORIGIN}/oauth2/authorize`,
  tokenEndpoint: `${ORIGIN}/oauth2/token`,
  registrationEndpoint: `${ORIGIN}/oauth2/register`,
});

interface Seen {
  method: string;
  url: string;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

/** A registration endpoint that answers from a script, one reply per request. */
function scriptedEhr(...replies: Array<{ status: number; body?: unknown }>) {
  const seen: Seen[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    seen.push({
      method: init?.method ?? 'GET',
      url: input.toString(),
      authorization: headers.get('authorization'),
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null,
    });
    const reply = replies.shift() ?? { status: 500 };
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return { seen, context: { config, softwareId: 'chartdesk-app', fetch: fetchImpl } };
}

const registered = (extra: Record<string, unknown> = {}) => ({
  status: 201,
  body: {
    client_id: 'device-1',
    registration_client_uri: `${ORIGIN}/oauth2/register/device-1`,
    registration_access_token: 'rat-1',
    ...extra,
  },
});

describe('device keys', () => {
  it.each(['ES384', 'RS384'] as const)('%s: the public JWK has no private member, and the key signs JWTs', async (alg) => {
    const key = await generateDeviceKey(alg);
    const publicJwk = publicJwkOf(key);
    expect(publicJwk).toMatchObject({ kid: key.kid, alg, use: 'sig' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'key_ops', 'ext']) expect(publicJwk).not.toHaveProperty(member);
    const body = new URLSearchParams();
    const as = { issuer: `${ORIGIN}/oauth2`, token_endpoint: config.tokenEndpoint };
    await oauth.PrivateKeyJwt(await importDeviceKey(key))(as, { client_id: 'device-1' }, body, new Headers());
    const [header, payload, signature] = body.get('client_assertion')!.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg, kid: key.kid });
    const verifier = await crypto.subtle.importKey(
      'jwk',
      publicJwk as never,
      alg === 'ES384' ? { name: 'ECDSA', namedCurve: 'P-384' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
      false,
      ['verify'],
    );
    const verified = await crypto.subtle.verify(
      alg === 'ES384' ? { name: 'ECDSA', hash: 'SHA-384' } : { name: 'RSASSA-PKCS1-v1_5' },
      verifier,
      Buffer.from(signature, 'base64url'),
      Buffer.from(`${header}.${payload}`),
    );
    expect(verified).toBe(true);
  });
});

describe('registerDevice (RFC 7591)', () => {
  it('sends software_id, the public key only and the initial access token', async () => {
    const ehr = scriptedEhr(registered());
    const device = await registerDevice(ehr.context, 'initial-token');
    expect(ehr.seen[0]).toMatchObject({
      method: 'POST',
      url: config.registrationEndpoint,
      authorization: 'Bearer initial-token',
    });
    expect(ehr.seen[0]!.body).toMatchObject({
      software_id: 'chartdesk-app',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES384',
      grant_types: [JWT_BEARER_GRANT],
    });
    expect(JSON.stringify(ehr.seen[0]!.body)).not.toContain(String(device.key.privateJwk.d));
    expect(device).toMatchObject({
      clientId: 'device-1',
      key: { alg: 'ES384' },
      registrationClientUri: `${ORIGIN}/oauth2/register/device-1`,
      registrationAccessToken: 'rat-1',
    });
  });

  it('falls back to RS384 when the EHR refuses the ES384 key', async () => {
    const ehr = scriptedEhr({ status: 400, body: { error: 'invalid_client_metadata' } }, registered());
    const device = await registerDevice(ehr.context, 'initial-token');
    expect(ehr.seen.map((request) => request.body?.token_endpoint_auth_signing_alg)).toEqual(['ES384', 'RS384']);
    expect(device.key.alg).toBe('RS384');
  });

  it('passes on other refusals (e.g. an expired initial access token)', async () => {
    const ehr = scriptedEhr({ status: 400, body: { error: 'invalid_request' } });
    await expect(registerDevice(ehr.context, 'initial-token')).rejects.toBeInstanceOf(oauth.ResponseBodyError);
    expect(ehr.seen).toHaveLength(1);
  });

  it('sends the registration access token nowhere but the registration endpoint origin', async () => {
    const ehr = scriptedEhr(registered({ registration_client_uri: 'https://elsewhere.example.net/manage/device-1' }));
    expect(await registerDevice(ehr.context, 'initial-token')).toMatchObject({
      registrationClientUri: null,
      registrationAccessToken: null,
    });
  });

  it('refuses an EHR that advertises no registration endpoint', async () => {
    const ehr = scriptedEhr();
    const context = { ...ehr.context, config: { ...config, registrationEndpoint: null } };
    await expect(registerDevice(context, 'initial-token')).rejects.toBeInstanceOf(DeviceRegistrationError);
  });
});

describe('managing the registration (RFC 7592)', () => {
  const device = async (manageable = true): Promise<DeviceRegistration> => ({
    clientId: 'device-1',
    key: await generateDeviceKey('ES384'),
    registrationClientUri: manageable ? `${ORIGIN}/oauth2/register/device-1` : null,
    registrationAccessToken: manageable ? 'rat-1' : null,
  });

  it('rotation PUTs the full metadata with a new key and keeps a rotated registration access token', async () => {
    const before = await device();
    const ehr = scriptedEhr({ status: 200, body: { client_id: 'device-1', registration_access_token: 'rat-2' } });
    const after = await rotateDeviceKey(ehr.context, before);
    expect(ehr.seen[0]).toMatchObject({ method: 'PUT', url: before.registrationClientUri, authorization: 'Bearer rat-1' });
    expect(ehr.seen[0]!.body).toMatchObject({ client_id: 'device-1', software_id: 'chartdesk-app' });
    expect((ehr.seen[0]!.body!.jwks as { keys: Array<{ kid: string }> }).keys[0]!.kid).toBe(after.key.kid);
    expect(after.key.kid).not.toBe(before.key.kid);
    // The answer named no registration_client_uri: the one known goes on; the token is the rotated one.
    expect(after).toMatchObject({ registrationClientUri: before.registrationClientUri, registrationAccessToken: 'rat-2' });
  });

  it('rotation is refused without management, and when the EHR answers for another client', async () => {
    await expect(rotateDeviceKey(scriptedEhr().context, await device(false))).rejects.toThrow(/forget this device/);
    const ehr = scriptedEhr({ status: 200, body: { client_id: 'someone-else' } });
    await expect(rotateDeviceKey(ehr.context, await device())).rejects.toBeInstanceOf(DeviceRegistrationError);
  });

  it('deletion: deleted once the EHR no longer knows the device, else refused or not offered', async () => {
    expect(await deleteDeviceRegistration(scriptedEhr({ status: 204 }).context.fetch, await device())).toBe('deleted');
    expect(await deleteDeviceRegistration(scriptedEhr({ status: 401 }).context.fetch, await device())).toBe('deleted');
    expect(await deleteDeviceRegistration(scriptedEhr({ status: 500 }).context.fetch, await device())).toBe('refused');
    const ehr = scriptedEhr();
    expect(await deleteDeviceRegistration(ehr.context.fetch, await device(false))).toBe('not-offered');
    expect(ehr.seen).toEqual([]);
  });
});

describe('the JWT bearer grant', () => {
  const decode = (jwt: string) => {
    const [header, payload] = jwt.split('.') as [string, string];
    const part = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString()) as Record<string, unknown>;
    return { header: part(header), payload: part(payload) };
  };

  it('sends two one-time JWTs signed by the device key: alg, kid, typ JWT; iss = sub = client_id, aud = token URL, exp <= 5 min, unique jti (INF#319-INF#334)', async () => {
    const key = await generateDeviceKey('ES384');
    const device: DeviceRegistration = { clientId: 'device-1', key, registrationClientUri: null, registrationAccessToken: null };
    let sent = new URLSearchParams();
    const fetchImpl = (async (_input: string | URL | Request, init?: RequestInit) => {
      sent = new URLSearchParams(String(init?.body));
      return Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 300 });
    }) as typeof fetch;
    const context = { config, clientId: device.clientId, fetch: fetchImpl, clockSkewSeconds: 0 };
    const tokens = await jwtBearerGrant(context, { issuer: config.issuer!, jwksUri: null }, device);
    expect(tokens.access_token).toBe('at');
    expect(sent.get('grant_type')).toBe(JWT_BEARER_GRANT);
    expect(sent.get('client_id')).toBe('device-1');
    expect(sent.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jwts = [sent.get('assertion')!, sent.get('client_assertion')!].map(decode);
    const now = Math.floor(Date.now() / 1000);
    for (const { header, payload } of jwts) {
      expect(header).toEqual({ alg: 'ES384', kid: key.kid, typ: 'JWT' });
      expect(payload).toMatchObject({ iss: 'device-1', sub: 'device-1', aud: config.tokenEndpoint });
      expect(payload.exp as number).toBeGreaterThan(now);
      expect(payload.exp as number).toBeLessThanOrEqual(now + 300);
      expect(payload.jti).toEqual(expect.any(String));
    }
    expect(jwts[0]!.payload.jti).not.toBe(jwts[1]!.payload.jti);
  });
});

describe('keychain record and refusals', () => {
  const base: SessionRecord = {
    version: 1,
    refreshToken: 'rt',
    clientId: 'chartdesk',
    fhirBaseUrl: config.fhirBaseUrl,
    issuer: config.issuer!,
    jwksUri: null,
    requestedScope: 'openid',
    grantedScope: null,
    context: {
      patientId: null,
      encounterId: null,
      fhirUser: null,
      userDisplayName: null,
      needPatientBanner: true,
      smartStyleUrl: null,
    },
  };

  it('a record renews by a refresh token, a device, or it is not a record', async () => {
    const device: DeviceRegistration = {
      clientId: 'device-1',
      key: await generateDeviceKey('ES384'),
      registrationClientUri: null,
      registrationAccessToken: null,
    };
    expect(parseRecord(serializeRecord(base))).toEqual(base);
    const deviceOnly = { ...base, refreshToken: null, device };
    expect(parseRecord(serializeRecord(deviceOnly))).toEqual(deviceOnly);
    expect(parseRecord(serializeRecord({ ...base, refreshToken: null }))).toBeNull();
    const publicOnly = { ...deviceOnly, device: { ...device, key: { ...device.key, privateJwk: publicJwkOf(device.key) } } };
    expect(parseRecord(JSON.stringify(publicOnly))).toBeNull();
  });

  it('invalid_client and invalid_grant mean the EHR no longer accepts the device; other errors do not', () => {
    const bodyError = (error: string) =>
      new oauth.ResponseBodyError('refused', { cause: { error }, response: new Response(null, { status: 400 }) });
    expect(deviceRefused(bodyError('invalid_client'))).toBe(true);
    expect(deviceRefused(bodyError('invalid_grant'))).toBe(true);
    expect(deviceRefused(bodyError('temporarily_unavailable'))).toBe(false);
    expect(deviceRefused(new TypeError('fetch failed'))).toBe(false);
  });
});
