/**
 * "Done when" of the Sandbox EHR issue: an independent client (oauth4webapi, not ChartDesk's code)
 * completes standalone and EHR launches, refresh and revocation against every profile, then reads
 * the Patient and pages through an Observation search.
 */
import { createPublicKey, verify } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type ProfileName, type Sandbox } from './index.js';
import {
  authorize,
  codeExchangeResponse,
  discover,
  exchangeCode,
  fhirGet,
  insecure,
  publicClient,
  refresh,
  revoke,
} from './testing/oauth-driver.js';

const STANDALONE = 'openid fhirUser launch/patient offline_access patient/Patient.rs patient/Observation.rs';
const EHR = 'openid fhirUser launch online_access patient/*.rs';
const LOOPBACK = 'http://127.0.0.1:53682/oauth2/callback';

async function pageThrough(url: string, token: string): Promise<{ ids: string[]; pages: number; total: unknown }> {
  const ids: string[] = [];
  let next: string | undefined = url;
  let pages = 0;
  let total: unknown;
  while (next) {
    const { status, body } = await fhirGet(next, token);
    expect(status).toBe(200);
    // The total of the first page, which asked for it; later pages need not repeat it.
    if (pages === 0) total = body.total;
    pages += 1;
    ids.push(...((body.entry as Array<{ resource: { id: string } }>) ?? []).map((e) => e.resource.id));
    next = (body.link as Array<{ relation: string; url: string }>).find((l) => l.relation === 'next')?.url;
  }
  return { ids, pages, total };
}

async function verifyIdToken(as: oauth.AuthorizationServer, idToken: string): Promise<Record<string, unknown>> {
  const [header, payload, signature] = idToken.split('.') as [string, string, string];
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string; alg: string };
  expect(alg).toBe('RS256');
  const jwks = (await (await fetch(as.jwks_uri as string)).json()) as { keys: Array<{ kid: string }> };
  const jwk = jwks.keys.find((k) => k.kid === kid);
  expect(jwk).toBeDefined();
  const key = createPublicKey({ key: jwk as never, format: 'jwk' });
  expect(verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
}

describe.each<ProfileName>(['smart-v2', 'smart-v1', 'epic-like', 'cerner-like'])('profile %s', (profile) => {
  let sandbox: Sandbox;
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    sandbox = await startSandbox({ profile, autoApprove: true });
    as = await discover(sandbox.fhirBaseUrl);
  });
  afterAll(() => sandbox.stop());

  it('discovers as the profile says (INF#29: .well-known under the FHIR base; SMART 1.0: oauth-uris only)', async () => {
    const wellKnown = await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`);
    expect(wellKnown.status).toBe(profile === 'smart-v1' ? 404 : 200);
    expect(as.token_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    if (profile === 'cerner-like' || profile === 'epic-like') expect(sandbox.issuer).not.toBe(sandbox.fhirBaseUrl);
    if (profile === 'cerner-like') expect(sandbox.fhirBaseUrl).toMatch(/\/r4\/[^/]+$/);
  });

  it('completes a standalone launch with auto-approve, then reads the Patient and pages through Observations', async () => {
    const result = await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: STANDALONE });
    // RFC 9207: the redirect names its issuer; state comes back unchanged.
    expect(result.location?.searchParams.get('iss')).toBe(sandbox.issuer);
    expect(result.location?.searchParams.get('state')).toBe(result.state);
    const tokens = await exchangeCode(as, result);
    const firstPatient = sandbox.patients()[0]?.id;
    expect(tokens.patient).toBe(firstPatient);
    expect(tokens.need_patient_banner).toBe(true);
    expect(tokens.smart_style_url).toMatch(/^http:/);
    expect(tokens.token_type).toBe('bearer'); // oauth4webapi lower-cases; the raw value is checked per profile below
    expect(tokens.expires_in).toBe(profile === 'cerner-like' ? 570 : 3600);
    const claims = await verifyIdToken(as, tokens.id_token as string);
    expect(claims.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Practitioner/${sandbox.users[0]?.practitionerId}`);
    expect(claims.iss).toBe(sandbox.issuer);

    const patient = await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${firstPatient}`, tokens.access_token);
    expect(patient.status).toBe(200);
    expect(patient.body.id).toBe(firstPatient);
    expect(patient.headers.get('etag')).toBe('W/"1"');
    expect(patient.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d+)?$/);

    const { ids, pages, total } = await pageThrough(
      `${sandbox.fhirBaseUrl}/Observation?patient=${firstPatient}&_count=25&_total=accurate`,
      tokens.access_token,
    );
    expect(pages).toBeGreaterThan(1);
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('writes the token response as the vendor does (token_type, scope form, refresh token)', async () => {
    const result = await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: STANDALONE });
    const response = await codeExchangeResponse(as, result);
    const raw = (await response.clone().json()) as Record<string, unknown>;
    expect(raw.token_type).toBe(profile === 'epic-like' ? 'bearer' : 'Bearer');
    if (profile === 'epic-like') {
      expect(raw.scope).toMatch(/ $/);
      expect(String(raw.scope)).toContain('Observation.rs');
      expect(String(raw.scope)).not.toContain('patient/Observation');
      expect(raw.refresh_token).toBeUndefined(); // Epic: no refresh token for public native clients
    } else {
      expect(raw.refresh_token).toEqual(expect.any(String));
    }
    if (profile === 'cerner-like')
      expect(String(raw.scope)).toContain('http://smarthealthit.org/FHIR/scopes/patient/Observation.rs');
  });

  it('completes an EHR launch with a minted launch value bound to patient and encounter (INF#35, INF#41)', async () => {
    const patient = sandbox.patients()[1]?.id as string;
    const search = await pageThrough(
      `${sandbox.fhirBaseUrl}/Encounter?patient=${patient}`,
      (await exchangeCode(as, await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: 'user/Encounter.rs' })))
        .access_token,
    );
    const encounter = search.ids[0] as string;
    const launch = await sandbox.mintLaunch({ patient, encounter, user: 'resident' });
    expect(sandbox.ehrLaunchLink(launch)).toBe(
      `org.chartdesk.desktop:/launch?iss=${encodeURIComponent(sandbox.fhirBaseUrl)}&launch=${encodeURIComponent(launch)}`,
    );
    const tokens = await exchangeCode(
      as,
      await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: EHR, launch, redirectUri: LOOPBACK }),
    );
    expect(tokens.patient).toBe(patient);
    expect(tokens.encounter).toBe(encounter);
    expect(tokens.need_patient_banner).toBe(false);
    // online_access: a refresh token, except for Epic's public clients.
    expect(tokens.refresh_token === undefined).toBe(profile === 'epic-like');
    expect(tokens.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Practitioner/${sandbox.users[1]?.practitionerId}`);
    expect((await fhirGet(`${sandbox.fhirBaseUrl}/Encounter/${encounter}`, tokens.access_token)).status).toBe(200);
    // A launch value is single-use.
    const again = await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: EHR, launch });
    expect(again.location?.searchParams.get('error')).toBe('invalid_request');
  });

  // Epic gives public clients no refresh token (asserted with the standalone launch); the rows below do not apply to it.
  const refreshIt = profile === 'epic-like' ? () => undefined : it;
  const rotationIt = profile === 'epic-like' || profile === 'cerner-like' ? () => undefined : it;

  refreshIt('refreshes (rotation as the profile says) and revokes (RFC 7009)', async () => {
    const first = await exchangeCode(as, await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: STANDALONE }));
    const refreshed = await refresh(as, first.refresh_token as string);
    expect(refreshed.patient).toBe(sandbox.patients()[0]?.id);
    expect(refreshed.scope).toBe(first.scope);
    expect(refreshed.access_token).not.toBe(first.access_token);
    const read = () => fhirGet(`${sandbox.fhirBaseUrl}/Patient/${refreshed.patient}`, refreshed.access_token);
    expect((await read()).status).toBe(200);
    if (profile === 'cerner-like') {
      expect(refreshed.refresh_token).toBeUndefined(); // Cerner: keep using the original
      await expect(refresh(as, first.refresh_token as string)).resolves.toMatchObject({ access_token: expect.any(String) });
    } else {
      expect(refreshed.refresh_token).toEqual(expect.any(String));
      expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    }
    const current = (refreshed.refresh_token ?? first.refresh_token) as string;
    await revoke(as, refreshed.access_token);
    const afterRevoke = await read();
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await revoke(as, current);
    await expect(refresh(as, current)).rejects.toThrow();
  });

  rotationIt('treats reuse of a rotated refresh token as theft: the grant dies', async () => {
    const first = await exchangeCode(as, await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: STANDALONE }));
    const refreshed = await refresh(as, first.refresh_token as string);
    await expect(refresh(as, first.refresh_token as string)).rejects.toThrow();
    expect((await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${refreshed.patient}`, refreshed.access_token)).status).toBe(401);
  });
});

describe('refresh without rotation (refreshRotation: false)', () => {
  it('keeps the same refresh token usable', async () => {
    const sandbox = await startSandbox({ autoApprove: true, refreshRotation: false });
    try {
      const as = await discover(sandbox.fhirBaseUrl);
      const { refresh_token } = await exchangeCode(
        as,
        await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: STANDALONE }),
      );
      const once = await refresh(as, refresh_token as string);
      const twice = await refresh(as, refresh_token as string);
      expect(once.refresh_token).toBe(refresh_token);
      expect(twice.access_token).not.toBe(once.access_token);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('auto-approve with a chosen user and patient; introspection; revokeAllTokens', () => {
  it('binds the chosen user and patient, introspects, and revokes every token at once', async () => {
    const sandbox = await startSandbox({ autoApprove: { user: 'nurse', patient: 'sbx-mei-chen' } });
    try {
      const as = await discover(sandbox.fhirBaseUrl);
      const tokens = await exchangeCode(as, await authorize(as, { fhirBaseUrl: sandbox.fhirBaseUrl, scope: STANDALONE }));
      expect(tokens.patient).toBe('sbx-mei-chen');
      expect(tokens.fhirUser).toBe(`${sandbox.fhirBaseUrl}/Practitioner/${sandbox.users[2]?.practitionerId}`);
      const introspection = await oauth.processIntrospectionResponse(
        as,
        publicClient,
        await oauth.introspectionRequest(as, publicClient, oauth.None(), tokens.access_token, insecure),
      );
      expect(introspection.active).toBe(true);
      expect(introspection.scope).toContain('patient/Observation.rs');
      await sandbox.revokeAllTokens();
      expect((await fhirGet(`${sandbox.fhirBaseUrl}/Patient/sbx-mei-chen`, tokens.access_token)).status).toBe(401);
      await expect(refresh(as, tokens.refresh_token as string)).rejects.toThrow();
    } finally {
      await sandbox.stop();
    }
  });
});

describe('epic-like with a confidential client', () => {
  it('gives refresh tokens to confidential clients only, and honours Epic-Client-ID on /metadata', async () => {
    const redirect = 'http://127.0.0.1:53682/oauth2/callback';
    const sandbox = await startSandbox({
      profile: 'epic-like',
      autoApprove: true,
      clients: [
        {
          client_id: 'backend-app',
          client_secret: 'sandbox-secret',
          token_endpoint_auth_method: 'client_secret_basic',
          redirect_uris: [redirect],
        },
      ],
    });
    try {
      const as = await discover(sandbox.fhirBaseUrl);
      const confidential = { client: { client_id: 'backend-app' }, auth: oauth.ClientSecretBasic('sandbox-secret') };
      const result = await authorize(as, {
        fhirBaseUrl: sandbox.fhirBaseUrl,
        scope: STANDALONE,
        clientId: 'backend-app',
        redirectUri: redirect,
      });
      const tokens = await exchangeCode(as, result, confidential);
      const refreshed = await refresh(as, tokens.refresh_token as string, confidential);
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      expect((await fhirGet(`${sandbox.fhirBaseUrl}/Patient/${refreshed.patient}`, refreshed.access_token)).status).toBe(200);

      const known = await fetch(`${sandbox.fhirBaseUrl}/metadata`, { headers: { 'Epic-Client-ID': 'chartdesk' } });
      expect(known.status).toBe(200);
      expect(known.headers.get('vary')).toBe('Epic-Client-ID');
      expect((await fetch(`${sandbox.fhirBaseUrl}/metadata`, { headers: { 'Epic-Client-ID': 'unknown' } })).status).toBe(400);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('the EHR launch page and its JSON API (used by `npm run sandbox -- launch`)', () => {
  it('mints launch links by form and by JSON, and explains bad input', async () => {
    const sandbox = await startSandbox();
    try {
      const page = await (await fetch(`${sandbox.origin}/ehr/launch`)).text();
      expect(page).toContain('id="launch-patient"');
      const form = await fetch(`${sandbox.origin}/ehr/launch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'patient=sbx-mei-chen&user=nurse&encounter=',
      });
      expect(await form.text()).toContain('org.chartdesk.desktop:/launch?iss=');
      const json = await fetch(`${sandbox.origin}/ehr/launch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ patient: 'sbx-mei-chen', encounter: 'sbx-mei-chen-enc-2' }),
      });
      const body = (await json.json()) as { launch: string; link: string; iss: string };
      expect(body.iss).toBe(sandbox.fhirBaseUrl);
      expect(body.link).toBe(sandbox.ehrLaunchLink(body.launch));
      const bad = await fetch(`${sandbox.origin}/ehr/launch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ patient: 'nobody' }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toContain('nobody');
    } finally {
      await sandbox.stop();
    }
  });
});
