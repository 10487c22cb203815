/**
 * The behaviours the sandbox imitates for issue 15, checked with the independent test client (oauth4webapi called
 * directly): the athena-like and launcher-like profiles, and the switches any profile takes (no id_token, a refresh
 * id_token without aud, no revocation). The 401-JSON consent denial is played through a browser in
 * main/real-ehrs.int.test.ts.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, describe, expect, it } from 'vitest';
import { ATHENA_PRACTICE } from './profiles';
import { startSandbox, type Sandbox, type SandboxOptions } from './index';
import {
  authorize,
  codeExchangeResponse,
  discover,
  exchangeCode,
  fhirGet,
  insecure,
  publicClient,
  tokenFor,
} from './testing/oauth-driver';

const SCOPE = 'openid fhirUser launch/patient patient/*.rs offline_access';
const started: Sandbox[] = [];
afterAll(() => Promise.all(started.map((sandbox) => sandbox.stop())));

async function sandbox(options: SandboxOptions): Promise<Sandbox> {
  const one = await startSandbox({ autoApprove: true, ...options });
  started.push(one);
  return one;
}

const claimsOf = (jwt: unknown) => JSON.parse(Buffer.from(String(jwt).split('.')[1]!, 'base64url').toString('utf8'));

describe('athena-like', () => {
  it('prints its FHIR base with the practice, and has its SMART endpoints under /oauth2/v1/', async () => {
    const ehr = await sandbox({ profile: 'athena-like' });
    expect(ehr.fhirBaseUrl).toBe(`${ehr.origin}/fhir/r4?ah-practice=${ATHENA_PRACTICE}`);
    const as = await discover(`${ehr.origin}/fhir/r4`);
    expect(as.authorization_endpoint).toBe(`${ehr.origin}/oauth2/v1/authorize`);
    expect(as.token_endpoint).toBe(`${ehr.origin}/oauth2/v1/token`);
    expect(as.jwks_uri).toBe(`${ehr.origin}/oauth2/v1/keys`);
  });

  it('answers a FHIR request without the practice 400, with it 200; aud may carry the practice or not', async () => {
    const ehr = await sandbox({ profile: 'athena-like' });
    const root = `${ehr.origin}/fhir/r4`;
    for (const aud of [ehr.fhirBaseUrl, root]) {
      const { tokens } = await tokenFor(root, SCOPE, { params: { aud } });
      const patient = ehr.patients()[0]!.id;
      const without = await fhirGet(`${root}/Patient/${patient}`, tokens.access_token);
      expect(without.status).toBe(400);
      expect(without.body).toEqual({
        details: 'Could not determine what practice the request was for. Add the `ah-practice` search parameter to your request.',
      });
      const practice = new URLSearchParams({ 'ah-practice': ATHENA_PRACTICE }).toString();
      expect((await fhirGet(`${root}/Patient/${patient}?${practice}`, tokens.access_token)).status).toBe(200);
      expect(
        (await fhirGet(`${root}/Patient/${patient}?ah-practice=Organization/a-1.Practice-1`, tokens.access_token)).status,
      ).toBe(400);
    }
  });
});

describe('launcher-like (the SMART reference server)', () => {
  it('puts its launch options in the path, offers no revocation, and renews with an id_token without aud', async () => {
    const ehr = await sandbox({ profile: 'launcher-like' });
    expect(new URL(ehr.fhirBaseUrl).pathname).toMatch(/^\/v\/r4\/sim\/[A-Za-z0-9_-]+\/fhir$/);
    const { as, tokens } = await tokenFor(ehr.fhirBaseUrl, SCOPE);
    expect(as.revocation_endpoint).toBeUndefined();
    expect(claimsOf(tokens.id_token)).toHaveProperty('aud', 'chartdesk');
    const response = await oauth.refreshTokenGrantRequest(as, publicClient, oauth.None(), tokens.refresh_token!, insecure);
    const refreshed = (await response.json()) as Record<string, unknown>;
    expect(refreshed.access_token).toEqual(expect.any(String));
    const claims = claimsOf(refreshed.id_token);
    expect(claims).not.toHaveProperty('aud');
    expect(claims.sub).toBe(claimsOf(tokens.id_token).sub);
  });

  it('at the base without launch options, refuses a standalone request ("Invalid launch options") and takes an EHR launch', async () => {
    const ehr = await sandbox({ profile: 'launcher-like', sim: null });
    expect(new URL(ehr.fhirBaseUrl).pathname).toBe('/v/r4/fhir');
    const as = await discover(ehr.fhirBaseUrl);
    const standalone = await authorize(as, { fhirBaseUrl: ehr.fhirBaseUrl, scope: SCOPE });
    expect(standalone.location?.searchParams.get('error')).toBe('invalid_request');
    expect(standalone.location?.searchParams.get('error_description')).toMatch(/^Invalid launch options/);
    const launch = await ehr.mintLaunch({ patient: ehr.patients()[0]!.id });
    const launched = await authorize(as, { fhirBaseUrl: ehr.fhirBaseUrl, scope: 'openid fhirUser launch patient/*.rs', launch });
    expect((await exchangeCode(as, launched)).patient).toBe(ehr.patients()[0]!.id);
  });
});

describe('switches', () => {
  it('omitIdToken: no id_token, no fhirUser, openid not granted (Epic’s documented standalone answer)', async () => {
    const ehr = await sandbox({ omitIdToken: true });
    const as = await discover(ehr.fhirBaseUrl);
    const result = await authorize(as, { fhirBaseUrl: ehr.fhirBaseUrl, scope: SCOPE });
    const raw = (await (await codeExchangeResponse(as, result)).json()) as Record<string, unknown>;
    expect(raw).not.toHaveProperty('id_token');
    expect(raw).not.toHaveProperty('fhirUser');
    expect(String(raw.scope).split(' ')).not.toContain('openid');
    expect(raw.patient).toBe(ehr.patients()[0]!.id);
  });

  it('revocation false: no revocation endpoint in either discovery document', async () => {
    const ehr = await sandbox({ revocation: false });
    const wellKnown = (await (await fetch(`${ehr.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(wellKnown).not.toHaveProperty('revocation_endpoint');
    const metadata = JSON.stringify(await (await fetch(`${ehr.fhirBaseUrl}/metadata`)).json());
    expect(metadata).not.toContain('"revoke"');
  });

  it('refreshIdTokenWithoutAud on smart-v2, and a sim refused on another profile', async () => {
    const ehr = await sandbox({ refreshIdTokenWithoutAud: true });
    const { as, tokens } = await tokenFor(ehr.fhirBaseUrl, SCOPE);
    const response = await oauth.refreshTokenGrantRequest(as, publicClient, oauth.None(), tokens.refresh_token!, insecure);
    expect(claimsOf(((await response.json()) as Record<string, unknown>).id_token)).not.toHaveProperty('aud');
    await expect(startSandbox({ profile: 'smart-v2', sim: null })).rejects.toThrow(/launcher-like/);
  });
});
