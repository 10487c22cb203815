import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CUSTOM_SCHEME_REDIRECT_URI } from '../../common/app-identity';
import { openConnectionStore } from '../connections/connection-store';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { createMemorySecretStore, type SecretStore } from '../vault/secret-store';
import { createFakeEhr } from './testing/fake-ehr';
import { type Harness, harness, settings, tokenRequests } from './testing/session-harness';
import { createLogger } from '../logging/logger';

function expectNoSecrets(h: Harness) {
  const text = h.emitted();
  for (const secret of h.ehr.issuedSecrets) expect(text).not.toContain(secret);
  for (const url of h.opened) {
    const params = new URL(url).searchParams;
    for (const name of ['state', 'code_challenge', 'nonce']) {
      const value = params.get(name);
      if (value) expect(text).not.toContain(value);
    }
  }
}

describe('standalone launch', () => {
  it('opens an authorization URL with PKCE S256, a 256-bit state, a nonce, aud and the default scopes (INF#13, INF#32–47)', async () => {
    const h = await harness();
    await expect(h.manager.signIn(h.connectionId)).resolves.toBeNull();
    const url = new URL(h.opened[0]!);
    const params = url.searchParams;
    expect(url.origin + url.pathname).toBe('https://ehr.example.org/auth/authorize');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe('chartdesk');
    expect(params.get('redirect_uri')).toBe('org.chartdesk.desktop:/oauth2/callback');
    expect(params.get('aud')).toBe('https://ehr.example.org/fhir');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(params.get('state')!, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(params.get('nonce')).toBeTruthy();
    expect(params.has('launch')).toBe(false);
    expect(params.get('scope')).toContain('patient/Observation.rs');
    expect(params.get('scope')).toContain('launch/patient');
    expect(h.session()).toMatchObject({ status: 'signing-in', message: 'Waiting for your browser…' });
  });

  it('signs in: code exchange with the verifier, id_token checked, context and the user’s name read, refresh token in the keychain', async () => {
    const h = await harness();
    await h.signIn();
    const exchange = tokenRequests(h.ehr, 'authorization_code')[0]!;
    expect(exchange.body!.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(exchange.body!.get('redirect_uri')).toBe(CUSTOM_SCHEME_REDIRECT_URI);
    expect(exchange.body!.get('client_id')).toBe('chartdesk');
    await vi.waitFor(() => expect(h.session().userDisplayName).toBe('Dr. Ana Ruiz'));
    expect(h.session()).toMatchObject({
      status: 'signed-in',
      message: null,
      fhirUser: 'https://ehr.example.org/fhir/Practitioner/dr-1',
      // The patient's name comes from the chart's read of the Patient (read once), or at a restore.
      patient: { id: 'pat-1', name: null },
      persisted: true,
    });
    expect(h.ehr.requests.some((request) => request.url.endsWith('/Patient/pat-1'))).toBe(false);
    h.manager.notePatientName(h.connectionId, 'pat-1', 'Lee Chen');
    h.manager.notePatientName(h.connectionId, 'someone-else', 'Not In Context');
    expect(h.session().patient).toEqual({ id: 'pat-1', name: 'Lee Chen' });
    expect(h.session().scopes!.missingSections).toEqual([]);
    const accounts = await h.secrets.list();
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.startsWith(`${h.connectionId}/`)).toBe(true);
    expect(await h.secrets.get(accounts[0]!)).toContain('"refreshToken"');
    expect(h.manager.sessionContext(h.connectionId)).toMatchObject({ fhirBaseUrl: h.ehr.fhirBaseUrl, patientId: 'pat-1' });
    expect(await h.manager.getAccessToken(h.connectionId)).toBe(h.ehr.issuedSecrets[1]);
    expectNoSecrets(h);
  });

  it('reports the chart sections the EHR did not grant', async () => {
    const h = await harness({
      ehr: { grantScope: () => 'patient/Observation.read patient/Condition.read openid fhirUser offline_access' },
    });
    await h.signIn();
    expect(h.session().scopes).toMatchObject({ grantedSections: ['vitals', 'labs', 'problems'], offlineAccess: true });
    expect(h.session().scopes!.missingSections).toEqual([
      'medications',
      'allergies',
      'immunizations',
      'encounters',
      'notes',
      'reports',
      'procedures',
    ]);
  });

  it('turns access_denied into a clear message (consent denied)', async () => {
    const h = await harness();
    await h.signIn({ error: 'access_denied' });
    expect(h.session().status).toBe('error');
    expect(h.session().message).toMatch(/Access was not granted/);
    expect(tokenRequests(h.ehr, 'authorization_code')).toHaveLength(0);
  });

  it('rejects an unknown state and a replayed callback, and logs neither state nor code (INF#4, INF#60)', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    const callback = h.ehr.authorize(h.opened[0]!);
    await h.manager.handleDeepLink(parseDeepLink(`${CUSTOM_SCHEME_REDIRECT_URI}?code=forged&state=not-ours`));
    expect(h.notices.at(-1)!.message).toMatch(/not waiting for/);
    expect(h.session().status).toBe('signing-in');
    await h.manager.handleDeepLink(parseDeepLink(callback));
    expect(h.session().status).toBe('signed-in');
    await h.manager.handleDeepLink(parseDeepLink(callback));
    expect(tokenRequests(h.ehr, 'authorization_code')).toHaveLength(1);
    expect(h.notices).toHaveLength(2);
    expect(h.logLines.join('\n')).not.toContain(new URL(callback.replace(':/', '://x/')).searchParams.get('code')!);
    expectNoSecrets(h);
  });

  it('rejects a callback whose RFC 9207 iss names another server', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    const callback = new URL(h.ehr.authorize(h.opened[0]!).replace(':/', '://x/'));
    const forged = `${CUSTOM_SCHEME_REDIRECT_URI}?code=${callback.searchParams.get('code')}&state=${callback.searchParams.get('state')}&iss=${encodeURIComponent('https://evil.example.com/auth')}`;
    await h.manager.handleDeepLink(parseDeepLink(forged));
    expect(h.session()).toMatchObject({ status: 'error' });
    expect(h.session().message).toMatch(/RFC 9207/);
    expect(tokenRequests(h.ehr, 'authorization_code')).toHaveLength(0);
  });

  it('accepts a callback iss equal to the issuer', async () => {
    const h = await harness({ ehr: { callbackIss: true } });
    await h.signIn();
    expect(h.session().status).toBe('signed-in');
  });

  it.each([
    ['a wrong nonce', { nonce: 'someone-elses' }, false],
    ['a wrong audience', { aud: 'another-client' }, false],
    ['an expired id_token', { exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 4000 }, false],
    ['a foreign issuer', { iss: 'https://evil.example.com/auth' }, false],
    ['a signature from another key', {}, true],
  ])('refuses an id_token with %s (INF#201, INF#218)', async (_label, overrides, foreignKey) => {
    const h = await harness();
    Object.assign(h.ehr.idTokenOverrides, overrides);
    h.ehr.signWithForeignKey = foreignKey;
    await h.signIn();
    expect(h.session().status).toBe('error');
    expect(h.session().message).toMatch(/^Sign-in failed/);
    expect(await h.secrets.list()).toEqual([]);
  });

  it('finds the id_token issuer through OIDC discovery when smart-configuration publishes a wrong one (Oracle Health)', async () => {
    const h = await harness({ ehr: { publishedIssuer: 'https://ehr.example.org/auth/.well-known/openid-configuration' } });
    await h.signIn();
    expect(h.session().status).toBe('signed-in');
    expect(h.ehr.requests.some((request) => request.url.endsWith('/auth/.well-known/openid-configuration'))).toBe(true);
  });

  it('reads the endpoints from the CapabilityStatement when there is no smart-configuration (SMART 1.0)', async () => {
    const h = await harness({ ehr: { wellKnown: false, publishedIssuer: null } });
    await h.signIn();
    expect(h.session().status).toBe('signed-in');
    expect(new URL(h.opened[0]!).searchParams.get('scope')).toContain('patient/Observation.read');
  });

  it('takes the patient from the id_token fhirUser when the token response has none', async () => {
    const h = await harness({ ehr: { patient: null } });
    h.ehr.idTokenOverrides.fhirUser = 'https://ehr.example.org/fhir/Patient/pat-1';
    await h.signIn();
    expect(h.session().patient).toMatchObject({ id: 'pat-1' });
  });

  it('cancels a pending sign-in: the late callback is then refused', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    await h.manager.cancel(h.connectionId);
    expect(h.session().status).toBe('signed-out');
    await h.manager.handleDeepLink(parseDeepLink(h.ehr.authorize(h.opened[0]!)));
    expect(h.session().status).toBe('signed-out');
    expect(tokenRequests(h.ehr, 'authorization_code')).toHaveLength(0);
  });

  it('expires a pending sign-in after 10 minutes', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    const callback = h.ehr.authorize(h.opened[0]!);
    h.clock.now += 10 * 60_000 + 1;
    await h.manager.handleDeepLink(parseDeepLink(callback));
    expect(h.session().status).toBe('signed-out');
    expect(h.session().message).toMatch(/10 minutes/);
  });

  it('signs in through the loopback redirect: one request, "you can close this tab", then closed', async () => {
    const h = await harness({ connection: { redirectMode: 'loopback' } });
    await h.manager.signIn(h.connectionId);
    const redirectUri = new URL(h.opened[0]!).searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    const page = await fetch(h.ehr.authorize(h.opened[0]!));
    expect(await page.text()).toContain('You can close this tab');
    await vi.waitFor(() => expect(h.session().status).toBe('signed-in'));
    expect(tokenRequests(h.ehr, 'authorization_code')[0]!.body!.get('redirect_uri')).toBe(redirectUri);
    await expect(fetch(redirectUri)).rejects.toThrow();
  });

  it('in the browser view, signs a custom-scheme connection in through the loopback redirect, and says why', async () => {
    const h = await harness({ connection: { redirectMode: 'custom-scheme' }, customSchemeReachable: false });
    await h.manager.signIn(h.connectionId);
    expect(h.session().message).toMatch(/127\.0\.0\.1 \(a browser tab cannot receive ChartDesk’s link\)/);
    const redirectUri = new URL(h.opened[0]!).searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    await fetch(h.ehr.authorize(h.opened[0]!));
    await vi.waitFor(() => expect(h.session().status).toBe('signed-in'));
  });

  it('refuses a custom-scheme callback for a loopback sign-in', async () => {
    const h = await harness({ connection: { redirectMode: 'loopback' } });
    await h.manager.signIn(h.connectionId);
    const viaScheme = h.ehr.authorize(h.opened[0]!).replace(/^http:\/\/127\.0\.0\.1:\d+\//, 'org.chartdesk.desktop:/');
    await h.manager.handleDeepLink(parseDeepLink(viaScheme));
    expect(h.session()).toMatchObject({ status: 'error' });
    expect(tokenRequests(h.ehr, 'authorization_code')).toHaveLength(0);
  });

  it('reports an EHR whose discovery cannot be read, and an unknown connection', async () => {
    const h = await harness();
    const down = await h.store.add(settings('https://down.example.com/fhir'));
    await expect(h.manager.signIn(down.id)).rejects.toMatchObject({ code: 'network' });
    expect(h.manager.list().find((item) => item.connection.id === down.id)!.session).toMatchObject({ status: 'error' });
    await expect(h.manager.signIn('nope')).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('refresh', () => {
  it('refreshes ahead of expiry, once for concurrent callers, and saves the rotated token before using the new access token (INF#105, INF#117)', async () => {
    const order: string[] = [];
    const inner = createMemorySecretStore();
    const secrets: SecretStore = {
      ...inner,
      set: async (account, secret) => (order.push('keychain'), inner.set(account, secret)),
    };
    const h = await harness({ secrets });
    await h.signIn();
    const first = await h.manager.getAccessToken(h.connectionId);
    h.clock.now += 3600_000 - 30_000; // inside the refresh-ahead window
    const [a, b] = await Promise.all([h.manager.getAccessToken(h.connectionId), h.manager.getAccessToken(h.connectionId)]);
    order.push('token used');
    expect(a).toBe(b);
    expect(a).not.toBe(first);
    expect(tokenRequests(h.ehr, 'refresh_token')).toHaveLength(1);
    expect(tokenRequests(h.ehr, 'refresh_token')[0]!.body!.get('client_id')).toBe('chartdesk');
    expect(order).toEqual(['keychain', 'keychain', 'token used']);
    const stored = await inner.get((await inner.list())[0]!);
    expect(h.ehr.liveRefreshTokens.size).toBe(1);
    expect(stored).toContain([...h.ehr.liveRefreshTokens][0]!);
    expectNoSecrets(h);
  });

  it('keeps the refresh token when the EHR does not rotate (Oracle Health)', async () => {
    const h = await harness({ ehr: { rotateRefreshTokens: false } });
    await h.signIn();
    const before = await h.secrets.get((await h.secrets.list())[0]!);
    h.clock.now += 3600_000;
    await h.manager.getAccessToken(h.connectionId);
    await h.manager.getAccessToken(h.connectionId);
    expect(await h.secrets.get((await h.secrets.list())[0]!)).toBe(before);
    expect(h.session().status).toBe('signed-in');
  });

  it('refreshes once after a 401', async () => {
    const h = await harness();
    await h.signIn();
    const first = await h.manager.getAccessToken(h.connectionId);
    const fresh = await h.manager.refreshAfterUnauthorized(h.connectionId, first);
    expect(fresh).not.toBe(first);
    expect(await h.manager.getAccessToken(h.connectionId)).toBe(fresh);
  });

  it('ends the session on invalid_grant (expired or revoked refresh token) and deletes the keychain entry', async () => {
    const h = await harness();
    await h.signIn();
    h.ehr.failNext.token = { status: 400, error: 'invalid_grant' };
    h.clock.now += 3600_000;
    await expect(h.manager.getAccessToken(h.connectionId)).rejects.toMatchObject({ code: 'auth' });
    expect(h.session()).toMatchObject({ status: 'expired' });
    expect(h.session().message).toMatch(/Sign in again/);
    expect(await h.secrets.list()).toEqual([]);
    expect(await h.manager.refreshAfterUnauthorized(h.connectionId, 'refused-token')).toBeNull();
  });

  it('keeps the refresh token through a network failure and succeeds later', async () => {
    const h = await harness();
    await h.signIn();
    h.ehr.failNext.token = 'network';
    h.clock.now += 3600_000;
    await expect(h.manager.getAccessToken(h.connectionId)).rejects.toMatchObject({ code: 'network' });
    expect(h.session()).toMatchObject({ status: 'expired', message: expect.stringMatching(/could not be reached/) });
    expect(await h.secrets.list()).toHaveLength(1);
    await expect(h.manager.getAccessToken(h.connectionId)).resolves.toEqual(expect.any(String));
    expect(h.session()).toMatchObject({ status: 'signed-in', message: null });
  });

  it('shows a session without a refresh token as expired once its access token has run out (Epic public client)', async () => {
    const h = await harness({ ehr: { issueRefreshTokens: false } });
    await h.signIn();
    expect(await h.secrets.list()).toEqual([]);
    h.clock.now += 3600_000;
    expect(h.session().status).toBe('expired');
    await expect(h.manager.getAccessToken(h.connectionId)).rejects.toMatchObject({ code: 'auth' });
  });
});

describe('the keychain', () => {
  it('keeps the session in memory only when the keychain is locked, and says so', async () => {
    const locked: SecretStore = {
      get: () => Promise.reject(new Error('locked')),
      set: () => Promise.reject(new Error('locked')),
      delete: () => Promise.reject(new Error('locked')),
      list: () => Promise.reject(new Error('locked')),
    };
    const h = await harness({ secrets: locked });
    await h.signIn();
    expect(h.session()).toMatchObject({ status: 'signed-in', persisted: false });
    // The row shows it by its badge (persisted: false); the app says it in one notice, not a paragraph per row.
    expect(h.session().message).toBeNull();
    expect(h.notices.filter((notice) => /keychain is not available/.test(notice.message))).toEqual([
      { level: 'warning', message: expect.stringMatching(/memory only/), connectionId: null },
    ]);
    await expect(h.manager.getAccessToken(h.connectionId)).resolves.toEqual(expect.any(String));
    await h.manager.signOut(h.connectionId);
    expect(h.session().status).toBe('signed-out');
  });

  it('restores a session at start-up by refreshing, silently', async () => {
    const h = await harness();
    await h.signIn();
    const restarted = h.restart(
      (
        await openConnectionStore({
          userDataDir: await mkdtemp(join(tmpdir(), 'cd-')),
          managed: [],
          allowAddConnections: true,
          log: createLogger(() => {}),
        })
      ).store,
    );
    // A store without this connection forgets nothing and restores nothing.
    await restarted.restore();
    expect(restarted.list()).toEqual([]);

    const notices = h.notices.length;
    await h.manager.restore();
    expect(h.session()).toMatchObject({ status: 'signed-in', patient: { id: 'pat-1' } });
    // No chart may open soon after a restore: the patient's name is read with the user's.
    await vi.waitFor(() => expect(h.session().patient).toEqual({ id: 'pat-1', name: 'Lee Chen' }));
    expect(tokenRequests(h.ehr, 'refresh_token')).toHaveLength(1);
    expect(h.notices).toHaveLength(notices);
  });
});

describe('restore, removal and edits', () => {
  it('shows a restored session as expired while the EHR cannot be reached, and "Sign in again" renews it without the browser', async () => {
    const h = await harness();
    await h.signIn();
    const opened = h.opened.length;
    const restarted = h.restart();
    h.ehr.failNext.token = 'network';
    await restarted.restore();
    const message = 'Test EHR could not be reached to renew your session. Sign in again when it can be reached.';
    expect(restarted.list()[0]!.session).toMatchObject({ status: 'expired', message });
    expect(h.notices.at(-1)).toMatchObject({ level: 'warning', message, connectionId: h.connectionId });
    expect(() => restarted.usableSession(h.connectionId)).toThrow(message);
    expect(await h.secrets.list()).toHaveLength(1);
    await restarted.signIn(h.connectionId);
    expect(h.opened).toHaveLength(opened);
    expect(restarted.list()[0]!.session).toMatchObject({ status: 'signed-in', message: null });
  });

  it('removes a connection after signing out of it, with revocation', async () => {
    const h = await harness();
    await h.signIn();
    await h.manager.removeConnection(h.connectionId);
    expect(h.ehr.revoked).toHaveLength(1);
    expect(await h.secrets.list()).toEqual([]);
    expect(h.manager.list()).toEqual([]);
  });

  it('ends the session when the FHIR base or client id changes, not when only the name does', async () => {
    const h = await harness();
    await h.signIn();
    const current = h.store.get(h.connectionId)!;
    const { id: _id, managed: _managed, ...own } = current;
    await h.manager.updateConnection(h.connectionId, { ...own, name: 'Renamed' });
    expect(h.session()).toMatchObject({ status: 'signed-in', connectionName: 'Renamed' });
    await h.manager.updateConnection(h.connectionId, { ...own, clientId: 'another-client' });
    expect(h.session().status).toBe('signed-out');
    expect(await h.secrets.list()).toEqual([]);
  });

  it('ends the session, revoked, before saving a change of what the connection may write (its scopes change)', async () => {
    const h = await harness();
    await h.signIn();
    const { id: _id, managed: _managed, ...own } = h.store.get(h.connectionId)!;
    await h.manager.updateConnection(h.connectionId, { ...own, writeKinds: [] });
    expect(h.session().status).toBe('signed-in');
    await h.manager.updateConnection(h.connectionId, { ...own, writeKinds: ['notes'] });
    expect(h.session().status).toBe('signed-out');
    expect(h.ehr.revoked).toHaveLength(1);
    expect(h.store.get(h.connectionId)?.writeKinds).toEqual(['notes']);
    expect(h.notices.at(-1)?.message).toMatch(/signed out of .* because its permission to write changed/);
  });

  it('tells the renderer when a pending sign-in expires, without any other event', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const h = await harness();
      await h.manager.signIn(h.connectionId);
      h.clock.now += 10 * 60_000 + 1;
      const before = h.changes.length;
      vi.advanceTimersByTime(15_000);
      expect(h.changes.length).toBe(before + 1);
      expect(h.changes.at(-1)![0]!.session).toMatchObject({ status: 'signed-out', message: expect.stringMatching(/10 minutes/) });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('sign-out and many EHRs', () => {
  it('keeps two EHR sessions independent; signing out of one leaves the other signed in', async () => {
    const other = createFakeEhr({ origin: 'https://other.example.net' });
    const h = await harness({ ehrs: [other] });
    const second = await h.store.add(settings(other.fhirBaseUrl, { name: 'Other EHR' }));
    await h.signIn();
    await h.manager.signIn(second.id);
    await h.manager.handleDeepLink(parseDeepLink(other.authorize(h.opened.at(-1)!)));
    const status = () => h.manager.list().map((item) => item.session.status);
    expect(status()).toEqual(['signed-in', 'signed-in']);
    const otherToken = await h.manager.getAccessToken(second.id);
    expect(otherToken).not.toBe(await h.manager.getAccessToken(h.connectionId));
    await h.manager.signOut(h.connectionId);
    expect(status()).toEqual(['signed-out', 'signed-in']);
    expect(await h.manager.getAccessToken(second.id)).toBe(otherToken);
    expect(other.revoked).toEqual([]);
    expect(await h.secrets.list()).toEqual([expect.stringMatching(new RegExp(`^${second.id}/`))]);
    await h.manager.signOutAll();
    expect(status()).toEqual(['signed-out', 'signed-out']);
    expect(other.revoked).toHaveLength(1);
    expect(await h.secrets.list()).toEqual([]);
  });

  it('signs out with revocation, deletes the keychain entry, and forgets the session (RFC 7009)', async () => {
    const h = await harness();
    await h.signIn();
    const refreshToken = [...h.ehr.liveRefreshTokens][0]!;
    await h.manager.signOut(h.connectionId);
    expect(h.ehr.revoked).toEqual([refreshToken]);
    expect(await h.secrets.list()).toEqual([]);
    expect(h.session()).toMatchObject({ status: 'signed-out', userDisplayName: null, scopes: null });
    await expect(h.manager.getAccessToken(h.connectionId)).rejects.toMatchObject({ code: 'auth' });
    expect(h.manager.sessionContext(h.connectionId)).toBeNull();
  });
});

describe('EHR launch', () => {
  it('accepts a launch from a configured EHR and echoes launch with the launch scope (INF#35, INF#161)', async () => {
    const h = await harness();
    await h.manager.handleDeepLink(
      parseDeepLink(`org.chartdesk.desktop:/launch?iss=${encodeURIComponent(h.ehr.fhirBaseUrl + '/')}&launch=xyz-123`),
    );
    const params = new URL(h.opened[0]!).searchParams;
    expect(params.get('launch')).toBe('xyz-123');
    expect(params.get('scope')!.split(' ')).toContain('launch');
    expect(params.get('scope')!.split(' ')).not.toContain('launch/patient');
    await h.manager.handleDeepLink(parseDeepLink(h.ehr.authorize(h.opened[0]!)));
    expect(h.session()).toMatchObject({ status: 'signed-in', encounterId: 'enc-1', needPatientBanner: false });
    expect(h.session().smartStyleUrl).toBe('https://ehr.example.org/style.json');
    expect(h.logLines.join('\n')).not.toContain('xyz-123');
  });

  it('refuses a launch from an unknown EHR when no connection allows it', async () => {
    const h = await harness();
    await h.manager.handleDeepLink(
      parseDeepLink(`org.chartdesk.desktop:/launch?iss=${encodeURIComponent('https://unknown.example.com/fhir')}&launch=l`),
    );
    expect(h.opened).toEqual([]);
    expect(h.confirmations).toEqual([]);
    expect(h.notices.at(-1)!.message).toMatch(/refused: this EHR is not configured/);
  });

  it('asks the clinician about an unknown EHR when allowed, and on acceptance adds it and signs in there', async () => {
    const other = createFakeEhr({ origin: 'https://other.example.net' });
    const h = await harness({ ehrs: [other], connection: { allowUnknownEhrLaunch: true } });
    await h.manager.handleDeepLink(
      parseDeepLink(`org.chartdesk.desktop:/launch?iss=${encodeURIComponent(other.fhirBaseUrl)}&launch=l-9`),
    );
    expect(h.opened).toEqual([]);
    expect(h.confirmations).toEqual([
      {
        id: expect.any(String),
        issuer: other.fhirBaseUrl,
        host: 'other.example.net',
        reason: 'unknown-ehr',
        connectionName: null,
      },
    ]);
    // Nothing goes to an unknown issuer before the clinician agrees (issue 14, item 5).
    expect(other.requests).toEqual([]);
    await h.manager.answerLaunch(h.confirmations[0]!.id, true);
    expect(new URL(h.opened[0]!).origin).toBe('https://other.example.net');
    expect(new URL(h.opened[0]!).searchParams.get('launch')).toBe('l-9');
    await h.manager.handleDeepLink(parseDeepLink(other.authorize(h.opened[0]!)));
    const added = h.manager.list().find((item) => item.connection.fhirBaseUrl === other.fhirBaseUrl)!;
    expect(added.connection).toMatchObject({ name: 'other.example.net', allowUnknownEhrLaunch: false });
    expect(added.session.status).toBe('signed-in');
    await expect(h.manager.answerLaunch(h.confirmations[0]!.id, true)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('does nothing when the clinician declines', async () => {
    const h = await harness({ connection: { allowUnknownEhrLaunch: true } });
    await h.manager.handleDeepLink(
      parseDeepLink(`org.chartdesk.desktop:/launch?iss=${encodeURIComponent('https://ehr2.example.org/fhir')}&launch=l`),
    );
    await h.manager.answerLaunch(h.confirmations[0]!.id, false);
    expect(h.opened).toEqual([]);
    expect(h.manager.list()).toHaveLength(1);
  });
});
