/**
 * The session manager against the sandbox EHR on loopback, for every profile and every simulated error, with
 * refresh tokens in the real OS keychain (run under scripts/with-keyring.sh).
 */
import { randomBytes } from 'node:crypto';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type ProfileName, type Sandbox } from '../../sandbox/index';
import type { ConnectionSettings } from '../../common/connections';
import { CHART_SECTION_IDS } from '../../common/sessions';
import { sandboxConnectionSettings } from '../connections/templates';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { createKeytarSecretStore } from '../vault/keytar-secret-store';
import { checkEndpoint } from './endpoint-report';
import { createSessionWorld, type SessionWorld } from './testing/session-world';
import { createSystemBrowser } from './testing/system-browser';

const PROFILES: ProfileName[] = ['smart-v2', 'smart-v1', 'epic-like', 'cerner-like'];
const TOKEN_LIFETIME_S = 120;
const service = `ChartDesk-int-${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

interface World extends SessionWorld {
  /** Token-endpoint traffic seen by the app's fetch: refresh tokens issued, revocations sent. */
  issuedRefreshTokens: string[];
  revocations: string[];
  /** Tokens, codes and verifiers that crossed the wire. */
  secretsSeen: string[];
}

/** No token, code or verifier in any event, notice, confirmation or log line. */
function expectNoSecretsEmitted(w: World) {
  const everything = w.emitted();
  expect(w.secretsSeen.length).toBeGreaterThan(0);
  for (const secret of w.secretsSeen) expect(everything).not.toContain(secret);
}

async function world(): Promise<World> {
  const traffic = { issuedRefreshTokens: [] as string[], revocations: [] as string[], secretsSeen: [] as string[] };
  const spyFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input.toString();
    if (url.includes('revoke')) traffic.revocations.push(url);
    if (init?.body instanceof URLSearchParams) {
      for (const name of ['code', 'code_verifier']) {
        const value = init.body.get(name);
        if (value) traffic.secretsSeen.push(value);
      }
    }
    const response = await fetch(input, init);
    if (init?.method === 'POST' && response.ok && response.headers.get('content-type')?.includes('json')) {
      const body = (await response.clone().json()) as Record<string, unknown>;
      if (typeof body.refresh_token === 'string') traffic.issuedRefreshTokens.push(body.refresh_token);
      for (const name of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof body[name] === 'string') traffic.secretsSeen.push(body[name]);
      }
    }
    return response;
  }) as typeof fetch;
  return { ...(await createSessionWorld({ secrets: createKeytarSecretStore({ service }), fetch: spyFetch })), ...traffic };
}

/** Plays the system browser for the last authorization URL and hands the redirect to the deep-link router. */
async function completeInBrowser(w: World, browser = createSystemBrowser()) {
  const stop = await browser.open(w.opened.at(-1)!);
  if (stop.kind === 'app-link') await w.manager.handleDeepLink(parseDeepLink(stop.url));
  return stop;
}

async function fhirRead(url: string, token: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
  await response.body?.cancel();
  return response.status;
}

/** An encounter of the patient, found by signing in once (standalone) and searching. */
async function firstEncounterOf(sandbox: Sandbox, patient: string): Promise<string> {
  const w = await world();
  const connection = await w.store.add(sandboxConnectionSettings(sandbox.fhirBaseUrl));
  await w.manager.signIn(connection.id);
  await completeInBrowser(w);
  const response = await fetch(`${sandbox.fhirBaseUrl}/Encounter?patient=${patient}&_count=1`, {
    headers: { authorization: `Bearer ${await w.manager.getAccessToken(connection.id)}`, accept: 'application/fhir+json' },
  });
  const bundle = (await response.json()) as { entry?: { resource: { id: string } }[] };
  await w.manager.signOut(connection.id);
  return bundle.entry![0]!.resource.id;
}

async function tryRefreshToken(sandbox: Sandbox, refreshToken: string): Promise<number> {
  const config = (await (await fetch(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).json().catch(() => null)) as {
    token_endpoint?: string;
  } | null;
  const tokenEndpoint = config?.token_endpoint ?? `${sandbox.issuer}/auth/token`;
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'chartdesk' }),
  });
  await response.body?.cancel();
  return response.status;
}

describe.each(PROFILES)('against the sandbox EHR, profile %s', (profile) => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ profile, autoApprove: true, accessTokenLifetimeSeconds: TOKEN_LIFETIME_S });
  });
  afterAll(() => sandbox.stop());

  it("the endpoint report (npm run doctor) says ChartDesk can sign in, noting the profile's quirks", async () => {
    const report = await checkEndpoint(sandbox.fhirBaseUrl, { fetch });
    expect(report).toMatchObject({ reachable: true, canSignIn: true, errors: [] });
    expect(report.source).toBe(profile === 'smart-v1' ? 'capability-statement' : 'smart-configuration');
    if (profile === 'smart-v2') expect(report).toMatchObject({ pkceS256: true, smartVersion: 'v2' });
    if (profile === 'epic-like') expect(report.warnings.join('\n')).toMatch(/code_challenge_methods_supported is not published/);
  });

  it('standalone launch: signed in with patient context, and the access token reads FHIR', async () => {
    const w = await world();
    const connection = await w.store.add(sandboxConnectionSettings(sandbox.fhirBaseUrl, `Sandbox ${profile}`));
    await w.manager.signIn(connection.id);
    expect((await completeInBrowser(w)).kind).toBe('app-link');
    const view = w.session(connection.id);
    expect(view).toMatchObject({ status: 'signed-in', message: null, persisted: true });
    expect(view.patient?.id).toBeTruthy();
    expect(view.fhirUser).toMatch(/Practitioner\//);
    // Epic's unprefixed scopes and Oracle Health's fully-qualified ones read as the same full grant.
    expect(view.scopes).toMatchObject({ missingSections: [], offlineAccess: true });
    expect(view.scopes!.grantedSections).toEqual([...CHART_SECTION_IDS]);
    const token = await w.manager.getAccessToken(connection.id);
    expect(await fhirRead(`${sandbox.fhirBaseUrl}/Patient/${view.patient!.id}`, token)).toBe(200);
    await vi.waitFor(() => expect(w.session(connection.id).userDisplayName).toBeTruthy());
    expectNoSecretsEmitted(w);
  });

  it('EHR launch through the deep-link router: launch echoed, patient and encounter in context (INF#35, INF#161)', async () => {
    const patient = sandbox.patients()[0]!.id;
    const encounter = await firstEncounterOf(sandbox, patient);
    const w = await world();
    const connection = await w.store.add(sandboxConnectionSettings(sandbox.fhirBaseUrl));
    const launch = await sandbox.mintLaunch({ patient, encounter });
    await w.manager.handleDeepLink(parseDeepLink(sandbox.ehrLaunchLink(launch)));
    expect(new URL(w.opened[0]!).searchParams.get('launch')).toBe(launch);
    await completeInBrowser(w);
    expect(w.session(connection.id)).toMatchObject({ status: 'signed-in', patient: { id: patient }, encounterId: encounter });
    expect(w.logLines.join('\n')).not.toContain(launch);
    expectNoSecretsEmitted(w);
  });

  it('refreshes before expiry and restores from the real keychain after a restart', async () => {
    const w = await world();
    const connection = await w.store.add(sandboxConnectionSettings(sandbox.fhirBaseUrl));
    await w.manager.signIn(connection.id);
    await completeInBrowser(w);
    const first = await w.manager.getAccessToken(connection.id);
    w.clock.now += (TOKEN_LIFETIME_S - 30) * 1000;
    if (profile === 'epic-like') {
      // Epic gives public clients no refresh token: the session simply runs out.
      expect(w.issuedRefreshTokens).toEqual([]);
      expect(await w.secrets.list()).not.toContain(expect.stringMatching(new RegExp(`^${connection.id}/`)));
      w.clock.now += 60_000;
      await expect(w.manager.getAccessToken(connection.id)).rejects.toMatchObject({ code: 'auth' });
      expect(w.session(connection.id).status).toBe('expired');
      return;
    }
    const second = await w.manager.getAccessToken(connection.id);
    expect(second).not.toBe(first);
    expect(await fhirRead(`${sandbox.fhirBaseUrl}/Patient/${w.session(connection.id).patient!.id}`, second)).toBe(200);
    const rotated = profile !== 'cerner-like';
    expect(w.issuedRefreshTokens).toHaveLength(rotated ? 2 : 1);

    const restarted = w.restart();
    await restarted.restore();
    const restored = restarted.list().find((item) => item.connection.id === connection.id)!.session;
    expect(restored).toMatchObject({ status: 'signed-in', persisted: true });
    expect(
      await fhirRead(`${sandbox.fhirBaseUrl}/Patient/${restored.patient!.id}`, await restarted.getAccessToken(connection.id)),
    ).toBe(200);
    expect(JSON.stringify(restarted.list())).not.toContain(w.issuedRefreshTokens.at(-1)!);
    expectNoSecretsEmitted(w);
  });

  it('signs out with revocation: the refresh token is dead and the keychain entry gone (RFC 7009)', async () => {
    const w = await world();
    const connection = await w.store.add(sandboxConnectionSettings(sandbox.fhirBaseUrl));
    await w.manager.signIn(connection.id);
    await completeInBrowser(w);
    await w.manager.signOut(connection.id);
    expect(w.revocations).toHaveLength(1);
    expect(w.session(connection.id).status).toBe('signed-out');
    const accounts = await w.secrets.list();
    expect(accounts.filter((account) => account.startsWith(`${connection.id}/`))).toEqual([]);
    for (const refreshToken of w.issuedRefreshTokens) expect(await tryRefreshToken(sandbox, refreshToken)).toBe(400);
  });
});

describe('simulated errors and other flows (smart-v2 sandbox)', () => {
  let sandbox: Sandbox;
  let other: Sandbox;
  beforeAll(async () => {
    [sandbox, other] = await Promise.all([
      startSandbox({ profile: 'smart-v2', autoApprove: true, accessTokenLifetimeSeconds: TOKEN_LIFETIME_S }),
      startSandbox({ profile: 'cerner-like', autoApprove: true, accessTokenLifetimeSeconds: TOKEN_LIFETIME_S }),
    ]);
  });
  afterAll(() => Promise.all([sandbox.stop(), other.stop()]));

  async function signedInWorld(extra: Partial<ConnectionSettings> = {}) {
    const w = await world();
    const connection = await w.store.add({ ...sandboxConnectionSettings(sandbox.fhirBaseUrl), ...extra });
    return { w, connection };
  }

  it.each([['auth_invalid_client_id'], ['auth_invalid_redirect_uri']] as const)(
    '%s: the EHR shows its own error page, no callback comes, and the sign-in can be cancelled',
    async (error) => {
      sandbox.setSimulatedError(error);
      try {
        const { w, connection } = await signedInWorld();
        await w.manager.signIn(connection.id);
        const stop = await completeInBrowser(w);
        expect(stop.kind).toBe('page');
        expect(w.session(connection.id).status).toBe('signing-in');
        await w.manager.cancel(connection.id);
        expect(w.session(connection.id).status).toBe('signed-out');
      } finally {
        sandbox.setSimulatedError(null);
      }
    },
  );

  it.each([
    ['auth_invalid_scope', /refused the access ChartDesk asked for/],
    ['auth_invalid_client_secret', /^Sign-in failed: (invalid_client|the EHR did not accept the client ID)/],
    ['token_invalid_token', /^Sign-in failed: invalid_grant/],
    ['token_invalid_scope', /^Sign-in failed: invalid_scope/],
  ] as const)('%s: the sign-in fails with a clear message and nothing in the keychain', async (error, message) => {
    sandbox.setSimulatedError(error);
    try {
      const { w, connection } = await signedInWorld();
      await w.manager.signIn(connection.id);
      await completeInBrowser(w);
      expect(w.session(connection.id)).toMatchObject({ status: 'error', message: expect.stringMatching(message) });
      expect((await w.secrets.list()).filter((account) => account.startsWith(`${connection.id}/`))).toEqual([]);
    } finally {
      sandbox.setSimulatedError(null);
    }
  });

  it('token_expired_refresh_token: the session ends with "sign in again" and the keychain entry is deleted', async () => {
    const { w, connection } = await signedInWorld();
    await w.manager.signIn(connection.id);
    await completeInBrowser(w);
    expect((await w.secrets.list()).filter((account) => account.startsWith(`${connection.id}/`))).toHaveLength(1);
    sandbox.setSimulatedError('token_expired_refresh_token');
    try {
      w.clock.now += TOKEN_LIFETIME_S * 1000;
      await expect(w.manager.getAccessToken(connection.id)).rejects.toMatchObject({ code: 'auth' });
      expect(w.session(connection.id)).toMatchObject({ status: 'expired', message: expect.stringMatching(/Sign in again/) });
      expect((await w.secrets.list()).filter((account) => account.startsWith(`${connection.id}/`))).toEqual([]);
    } finally {
      sandbox.setSimulatedError(null);
    }
  });

  it.each([['request_invalid_token'], ['request_expired_token']] as const)(
    '%s: after a 401 the FHIR client gets one refreshed token',
    async (error) => {
      const { w, connection } = await signedInWorld();
      await w.manager.signIn(connection.id);
      await completeInBrowser(w);
      const before = await w.manager.getAccessToken(connection.id);
      sandbox.setSimulatedError(error);
      try {
        expect(await fhirRead(`${sandbox.fhirBaseUrl}/Patient/${w.session(connection.id).patient!.id}`, before)).toBe(401);
        const after = await w.manager.refreshAfterUnauthorized(connection.id, before);
        expect(after).toEqual(expect.any(String));
        expect(after).not.toBe(before);
      } finally {
        sandbox.setSimulatedError(null);
      }
    },
  );

  it('consent denied at the EHR becomes a clear message', async () => {
    const manual = await startSandbox({ profile: 'smart-v2' });
    try {
      const w = await world();
      const connection = await w.store.add(sandboxConnectionSettings(manual.fhirBaseUrl));
      await w.manager.signIn(connection.id);
      const browser = createSystemBrowser();
      let page = await browser.open(w.opened[0]!);
      const user = manual.users[0]!;
      page = await browser.submit(page, 'sign-in-form', [
        ['username', user.username],
        ['password', user.password],
      ]);
      page = await browser.submit(page, 'patient-form', [['patient', manual.patients()[0]!.id]]);
      const end = await browser.submit(page, 'consent-form', [['decision', 'deny']]);
      expect(end.kind).toBe('app-link');
      await w.manager.handleDeepLink(parseDeepLink(end.url));
      expect(w.session(connection.id)).toMatchObject({
        status: 'error',
        message: expect.stringMatching(/Access was not granted/),
      });
    } finally {
      await manual.stop();
    }
  });

  it('signs in through a loopback redirect on 127.0.0.1', async () => {
    const { w, connection } = await signedInWorld({ redirectMode: 'loopback' });
    await w.manager.signIn(connection.id);
    const stop = await completeInBrowser(w);
    expect(stop).toMatchObject({ kind: 'page', status: 200, html: expect.stringContaining('You can close this tab') });
    await vi.waitFor(() => expect(w.session(connection.id).status).toBe('signed-in'));
  });

  it('two EHRs at once: signing out of one leaves the other working', async () => {
    const w = await world();
    const first = await w.store.add(sandboxConnectionSettings(sandbox.fhirBaseUrl, 'SMART v2'));
    const second = await w.store.add(sandboxConnectionSettings(other.fhirBaseUrl, 'Cerner-like'));
    await Promise.all([w.manager.signIn(first.id), w.manager.signIn(second.id)]);
    const [urlA, urlB] = w.opened;
    // One browser profile per sandbox: both run on 127.0.0.1, where cookies do not separate ports.
    const [stopA, stopB] = await Promise.all([createSystemBrowser().open(urlA!), createSystemBrowser().open(urlB!)]);
    // The answers arrive in the other order: routed by state, not by arrival.
    await w.manager.handleDeepLink(parseDeepLink((stopB as { url: string }).url));
    await w.manager.handleDeepLink(parseDeepLink((stopA as { url: string }).url));
    expect(w.manager.list().map((item) => item.session.status)).toEqual(['signed-in', 'signed-in']);
    await w.manager.signOut(first.id);
    expect(w.manager.list().map((item) => item.session.status)).toEqual(['signed-out', 'signed-in']);
    const token = await w.manager.getAccessToken(second.id);
    expect(await fhirRead(`${other.fhirBaseUrl}/Patient/${w.session(second.id).patient!.id}`, token)).toBe(200);
    await w.manager.signOutAll();
    expect(w.manager.list().map((item) => item.session.status)).toEqual(['signed-out', 'signed-out']);
  });
});
