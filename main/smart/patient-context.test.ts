import { describe, expect, it, vi } from 'vitest';
import { harness } from './testing/session-harness';

/** Issue 14, item 6: a renewal that names another patient ends the session's context; it never switches silently. */
// Each fake EHR makes its RSA keys: slow by nature on a busy machine, hence the time allowed.
describe('the patient of a session', { timeout: 30_000 }, () => {
  it('ends the session, closing the chart, when a refresh names another patient', async () => {
    const h = await harness();
    await h.signIn();
    await vi.waitFor(() => expect(h.session().patient).toEqual({ id: 'pat-1', name: 'Lee Chen' }));
    h.ehr.options.patient = 'pat-2';

    expect(await h.manager.refreshAfterUnauthorized(h.connectionId)).toBeNull();

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
    expect(await h.manager.refreshAfterUnauthorized(h.connectionId)).not.toBeNull();
    h.ehr.options.patient = null;
    expect(await h.manager.refreshAfterUnauthorized(h.connectionId)).not.toBeNull();
    expect(h.session()).toMatchObject({ status: 'signed-in', patient: { id: 'pat-1' } });
  });
});
