import { describe, expect, it } from 'vitest';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { createFakeEhr } from './testing/fake-ehr';
import { harness, tokenRequests } from './testing/session-harness';
import { parseRecord, serializeRecord } from './session-record';

/**
 * Issue 14, item 1: a grant is only ever used with the endpoints it was issued for. A connection whose FHIR address
 * is edited to another server must not hand that server its refresh token, by revocation or by refresh.
 */
// Each fake EHR makes its RSA keys: slow by nature on a busy machine, hence the time allowed.
describe('a grant and the endpoints it was issued for', { timeout: 30_000 }, () => {
  it('signs out first, revoking at the old EHR, when a signed-in connection moves to another FHIR address', async () => {
    const other = createFakeEhr({ origin: 'https://other.example.net' });
    const h = await harness({ ehrs: [other] });
    await h.signIn();
    const refreshToken = [...h.ehr.liveRefreshTokens][0]!;
    const { id: _id, managed: _managed, ...own } = h.store.get(h.connectionId)!;

    await h.manager.updateConnection(h.connectionId, { ...own, fhirBaseUrl: other.fhirBaseUrl });

    expect(h.ehr.revoked).toEqual([refreshToken]);
    expect(other.revoked).toEqual([]);
    expect(other.requests.filter((request) => request.method === 'POST')).toEqual([]);
    expect(h.session().status).toBe('signed-out');
    expect(h.notices.at(-1)).toMatchObject({
      level: 'info',
      connectionId: h.connectionId,
      message: expect.stringMatching(/signed out of Test EHR because its FHIR address changed/),
    });
    expect(await h.secrets.list()).toEqual([]);
  });

  it('drops a sign-in still waiting for its browser when the FHIR address changes', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    const { id: _id, managed: _managed, ...own } = h.store.get(h.connectionId)!;
    await h.manager.updateConnection(h.connectionId, { ...own, fhirBaseUrl: 'https://moved.example.org/fhir' });
    expect(h.session()).toMatchObject({ status: 'signed-out', message: null });
    await h.manager.handleDeepLink(parseDeepLink(h.ehr.authorize(h.opened[0]!)));
    expect(tokenRequests(h.ehr, 'authorization_code')).toEqual([]);
  });

  it('signs out when the scopes change, and says so', async () => {
    const h = await harness();
    await h.signIn();
    const { id: _id, managed: _managed, ...own } = h.store.get(h.connectionId)!;
    await h.manager.updateConnection(h.connectionId, { ...own, scopes: 'openid fhirUser patient/Patient.rs' });
    expect(h.session().status).toBe('signed-out');
    expect(h.ehr.revoked).toHaveLength(1);
    expect(h.notices.at(-1)!.message).toMatch(/its scopes changed/);
  });

  it('refreshes at the token endpoint the grant came from, even when the connection now names another EHR', async () => {
    const other = createFakeEhr({ origin: 'https://other.example.net' });
    const h = await harness({ ehrs: [other] });
    await h.signIn();
    const { id: _id, managed: _managed, ...own } = h.store.get(h.connectionId)!;
    // The store changed under a live session (a refresh racing an edit): the grant must not follow it.
    await h.store.update(h.connectionId, { ...own, fhirBaseUrl: other.fhirBaseUrl });

    const fresh = await h.manager.refreshAfterUnauthorized(h.connectionId, await h.manager.getAccessToken(h.connectionId));

    expect(fresh).not.toBeNull();
    expect(tokenRequests(h.ehr, 'refresh_token')).toHaveLength(1);
    expect(other.requests).toEqual([]);
    await h.manager.signOut(h.connectionId);
    expect(h.ehr.revoked).toHaveLength(1);
    expect(other.requests).toEqual([]);
  });

  it('keeps the endpoints in the keychain record, and completes a record written before they were kept', async () => {
    const h = await harness();
    await h.signIn();
    const [account] = await h.secrets.list();
    const written = parseRecord((await h.secrets.get(account!))!)!;
    expect(written.endpoints).toEqual({
      tokenEndpoint: 'https://ehr.example.org/auth/token',
      revocationEndpoint: 'https://ehr.example.org/auth/revoke',
      registrationEndpoint: null,
    });

    const { endpoints: _endpoints, ...older } = written;
    await h.secrets.set(account!, serializeRecord(older));
    const restarted = h.restart();
    await restarted.restore();

    expect(restarted.list()[0]!.session.status).toBe('signed-in');
    expect(parseRecord((await h.secrets.get(account!))!)!.endpoints).toEqual(written.endpoints);
  });
});
