import { describe, expect, it } from 'vitest';
import { harness } from './testing/session-harness';

/** Issue 14, item 6: a renewal that names another patient ends the session's context; it never switches silently. */
// Each fake EHR makes its RSA keys: slow by nature on a busy machine, hence the time allowed.
describe('the patient of a session', { timeout: 30_000 }, () => {
  it('ends the session, closing the chart, when a refresh names another patient', async () => {
    const h = await harness();
    await h.signIn();
    expect(h.session().patient).toMatchObject({ id: 'pat-1' });
    h.ehr.options.patient = 'pat-2';

    expect(await h.manager.refreshAfterUnauthorized(h.connectionId, await h.manager.getAccessToken(h.connectionId))).toBeNull();

    expect(h.session()).toMatchObject({ status: 'expired', patient: null, message: expect.stringMatching(/another patient/) });
    expect(h.notices.at(-1)).toMatchObject({ level: 'warning', connectionId: h.connectionId });
    expect(h.manager.sessionContext(h.connectionId)).toBeNull();
    await expect(h.manager.getAccessToken(h.connectionId)).rejects.toMatchObject({ code: 'auth' });
    expect(h.ehr.revoked).toHaveLength(1);
    expect(await h.secrets.list()).toEqual([]);
  });

  it('keeps the session when a refresh names the same patient, or none', async () => {
    const h = await harness();
    await h.signIn();
    const first = await h.manager.getAccessToken(h.connectionId);
    expect(await h.manager.refreshAfterUnauthorized(h.connectionId, first)).not.toBeNull();
    h.ehr.options.patient = null;
    // This time a renewal because the access token runs out.
    h.clock.now += 2 * 3600_000;
    expect(await h.manager.getAccessToken(h.connectionId)).not.toBe(first);
    expect(h.session()).toMatchObject({ status: 'signed-in', patient: { id: 'pat-1' } });
  });
});
