import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { SESSION_MESSAGES } from './session-messages';
import { STILL_WAITING, STILL_WAITING_AFTER_MS } from './sign-in-flow';
import { harness, tokenRequests } from './testing/session-harness';

/** Epic's documented answer to a standalone code exchange (fixtures/real/SOURCES.md, `epic-oauth/`). */
const EPIC_STANDALONE = JSON.parse(
  readFileSync(new URL('../../fixtures/real/epic-oauth/token-response-standalone.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

afterEach(() => {
  vi.useRealTimers();
});

describe('a token response without id_token (item 1)', () => {
  it("signs in with Epic's documented standalone answer: the patient in context, the user unknown", async () => {
    const h = await harness({ ehr: { issueRefreshTokens: false } });
    h.ehr.codeAnswer = EPIC_STANDALONE;
    await h.signIn();
    expect(h.session()).toMatchObject({
      status: 'signed-in',
      message: null,
      fhirUser: null,
      userDisplayName: null,
      patient: { id: 'T1wI5bk8n1YVgvWk9D05BmRV0Pi3ECImNSK8DKyKltsMB' },
    });
    // Epic's granted scopes carry no `patient/` prefix: only Patient was granted, so every section is missing.
    expect(h.session().scopes!.grantedSections).toEqual([]);
    expect(await h.manager.getAccessToken(h.connectionId)).toBe(EPIC_STANDALONE.access_token);
    expect(h.logLines.some((line) => line.includes('"sign-in.completed"') && line.includes('"oidcIdentity":false'))).toBe(true);
  });

  const answer = (extra: Record<string, unknown>) => ({ access_token: 'at-1', token_type: 'Bearer', expires_in: 600, ...extra });

  it('takes the user from a `user` member of the answer when it is a reference', async () => {
    const h = await harness();
    h.ehr.codeAnswer = answer({ user: 'Practitioner/dr-1' });
    await h.signIn();
    expect(h.session().fhirUser).toBe('https://ehr.example.org/fhir/Practitioner/dr-1');
  });

  it('never takes an e-mail or a login name for the user', async () => {
    const h = await harness();
    h.ehr.codeAnswer = answer({ user: 'ana.ruiz@example.org' });
    await h.signIn();
    expect(h.session()).toMatchObject({ status: 'signed-in', fhirUser: null });
  });
});

describe('the id_token of a refresh answer (item 2)', () => {
  async function signedIn() {
    const h = await harness();
    await h.signIn();
    return h;
  }

  it('without `aud` (the SMART reference server): the tokens are kept, and the sign-in’s user', async () => {
    const h = await signedIn();
    const before = h.session();
    h.ehr.refreshIdTokenClaims = { aud: undefined, fhirUser: 'Practitioner/someone-else' };
    h.clock.now += 3600_000;
    const renewed = await h.manager.getAccessToken(h.connectionId);
    expect(renewed).toBe(h.ehr.issuedSecrets.at(-2));
    expect(h.session()).toMatchObject({ status: 'signed-in', message: null, fhirUser: before.fhirUser });
  });

  it('that cannot be read: the tokens are kept and the reason logged', async () => {
    const h = await signedIn();
    h.ehr.refreshIdTokenClaims = {};
    const original = h.ehr.fetch;
    h.ehr.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const response = await original(input, init);
      if (!String(input).endsWith('/auth/token')) return response;
      const body = (await response.json()) as Record<string, unknown>;
      return Response.json({ ...body, id_token: 'not-a-jwt' });
    }) as typeof fetch;
    h.clock.now += 3600_000;
    await expect(h.manager.getAccessToken(h.connectionId)).resolves.toEqual(expect.any(String));
    expect(h.session().status).toBe('signed-in');
    expect(h.logLines.some((line) => line.includes('refresh.id-token-ignored') && line.includes('cannot be read'))).toBe(true);
  });

  it('naming another user: the session ends at once, everywhere, and its keychain entry goes', async () => {
    const h = await signedIn();
    h.ehr.refreshIdTokenClaims = { sub: 'someone-else' };
    h.clock.now += 3600_000;
    const message = SESSION_MESSAGES.otherUser('Test EHR');
    await expect(h.manager.getAccessToken(h.connectionId)).rejects.toMatchObject({ code: 'auth', message });
    expect(h.session()).toMatchObject({ status: 'expired', message });
    expect(h.notices.at(-1)).toMatchObject({ level: 'warning', message, connectionId: h.connectionId });
    expect(() => h.manager.usableSession(h.connectionId)).toThrow(message);
    expect(await h.secrets.list()).toEqual([]);
  });
});

describe('a session that cannot go on ends at once (item 3)', () => {
  it('without a refresh token, it expires when its access does, with a notice, without anyone asking', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await harness({ ehr: { issueRefreshTokens: false, expiresIn: 600 } });
    await h.signIn();
    expect(h.session().status).toBe('signed-in');
    h.clock.now += 600_000;
    await vi.advanceTimersByTimeAsync(600_000);
    const message = SESSION_MESSAGES.expired('Test EHR');
    expect(h.session()).toMatchObject({ status: 'expired', message });
    expect(h.notices.filter((notice) => notice.message === message)).toHaveLength(1);
    expect(h.changes.at(-1)!.find((item) => item.connection.id === h.connectionId)!.session.status).toBe('expired');
  });

  it('a 401 then invalid_grant: expired with "Sign in again", one notice, and the chart told the same', async () => {
    const h = await harness();
    await h.signIn();
    const refused = await h.manager.getAccessToken(h.connectionId);
    h.ehr.failNext.token = { status: 400, error: 'invalid_grant' };
    expect(await h.manager.refreshAfterUnauthorized(h.connectionId, refused)).toBeNull();
    const message = SESSION_MESSAGES.ended('Test EHR');
    expect(h.session()).toMatchObject({ status: 'expired', message });
    expect(h.notices.filter((notice) => notice.message === message)).toHaveLength(1);
    expect(() => h.manager.usableSession(h.connectionId)).toThrow(message);
  });

  it('a renewed token refused in its turn ends the session', async () => {
    const h = await harness();
    await h.signIn();
    const first = await h.manager.getAccessToken(h.connectionId);
    const renewed = (await h.manager.refreshAfterUnauthorized(h.connectionId, first))!;
    expect(renewed).not.toBe(first);
    expect(await h.manager.refreshAfterUnauthorized(h.connectionId, renewed)).toBeNull();
    expect(h.session()).toMatchObject({ status: 'expired', message: SESSION_MESSAGES.refusedAfterRenewal('Test EHR') });
    expect(tokenRequests(h.ehr, 'refresh_token')).toHaveLength(1);
  });

  it('a renewal the EHR refuses while the access still works: signed in, saying so, and ended at the expiry', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await harness({ ehr: { expiresIn: 600 } });
    await h.signIn();
    h.clock.now += 570_000; // inside the minute before expiry: renewed ahead
    h.ehr.failNext.token = { status: 500, error: 'server_error' };
    await expect(h.manager.getAccessToken(h.connectionId)).rejects.toMatchObject({ code: 'auth' });
    expect(h.session()).toMatchObject({ status: 'signed-in', message: expect.stringMatching(/keeps working/) });
    h.ehr.failNext.token = { status: 500, error: 'server_error' };
    h.clock.now += 30_000;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.session()).toMatchObject({ status: 'expired', message: expect.stringMatching(/refused to renew/) });
  });
});

describe('sign-out where the EHR cannot end the session (item 4)', () => {
  it('says so before the sign-out (the row’s confirmation) and, after signing out of all, as a notice', async () => {
    const h = await harness({ ehr: { revocation: false } });
    await h.signIn();
    const note = h.session().signOutNote!;
    expect(note).toMatch(/^Test EHR offers no way to cancel a session remotely: .* until the EHR lets it expire\.$/);
    await h.manager.signOut(h.connectionId);
    expect(h.notices.some((notice) => notice.message === note)).toBe(false);
    expect(h.ehr.requests.some((request) => request.url.includes('/revoke'))).toBe(false);
    await h.signIn();
    await h.manager.signOutAll();
    expect(h.notices.at(-1)).toMatchObject({ level: 'info', message: note, connectionId: h.connectionId });
  });

  it('gives no note where the EHR revokes, and tells of a revocation that failed', async () => {
    const h = await harness();
    await h.signIn();
    expect(h.session().signOutNote).toBeNull();
    const original = h.ehr.fetch;
    h.ehr.fetch = ((input: string | URL | Request, init?: RequestInit) =>
      String(input).endsWith('/revoke') ? Promise.reject(new TypeError('fetch failed')) : original(input, init)) as typeof fetch;
    await h.manager.signOut(h.connectionId);
    expect(h.notices.at(-1)).toMatchObject({ message: SESSION_MESSAGES.revocationFailed('Test EHR') });
  });
});

describe('messages (item 6)', () => {
  it('invalid_client: what IT must check, not "try signing in again"', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    h.ehr.failNext.token = { status: 401, error: 'invalid_client' };
    await h.manager.handleDeepLink(parseDeepLink(h.ehr.authorize(h.opened.at(-1)!)));
    expect(h.session().status).toBe('error');
    expect(h.session().message).toMatch(/^Sign-in failed: invalid_client\. .*ask your IT department to check the client ID/);
    expect(h.session().message).not.toMatch(/Try signing in again/);
  });

  it('a client registered as confidential (the SMART reference server: "Basic authentication is required"): what IT must do', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    h.ehr.failNext.token = {
      status: 401,
      error: 'invalid_request',
      description: 'Basic authentication is required for confidential clients',
    };
    await h.manager.handleDeepLink(parseDeepLink(h.ehr.authorize(h.opened.at(-1)!)));
    expect(h.session().message).toBe(
      'Sign-in failed: invalid_request: Basic authentication is required for confidential clients. The EHR expects a client secret, which ChartDesk, a public app, does not have: ask your IT department to register ChartDesk at this EHR as a public client (no secret).',
    );
  });

  it('the waiting state explains after a minute why no answer may come (a refusal answered in the browser)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    expect(h.session()).toMatchObject({ status: 'signing-in', message: 'Waiting for your browser…' });
    h.clock.now += STILL_WAITING_AFTER_MS;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.session()).toMatchObject({ status: 'signing-in', message: STILL_WAITING });
    await h.manager.cancel(h.connectionId);
    expect(h.session().status).toBe('signed-out');
    h.manager.dispose();
  });
});
