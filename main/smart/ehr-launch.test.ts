import { describe, expect, it } from 'vitest';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { harness } from './testing/session-harness';

/** Issue 14, item 7: a launch link for a configured EHR does not silently replace what the clinician is doing. */
const launchLink = (iss: string, launch: string) =>
  parseDeepLink(`org.chartdesk.desktop:/launch?iss=${encodeURIComponent(iss)}&launch=${launch}`);

// Each fake EHR makes its RSA keys: slow by nature on a busy machine, hence the time allowed.
describe('an EHR launch for a configured EHR', { timeout: 30_000 }, () => {
  it('asks before cancelling a sign-in in progress, and on acceptance signs in with the launch', async () => {
    const h = await harness();
    await h.manager.signIn(h.connectionId);
    await h.manager.handleDeepLink(launchLink(h.ehr.fhirBaseUrl, 'l-7'));

    expect(h.opened).toHaveLength(1);
    expect(h.session().status).toBe('signing-in');
    expect(h.confirmations).toEqual([
      {
        id: expect.any(String),
        issuer: h.ehr.fhirBaseUrl,
        host: 'ehr.example.org',
        reason: 'sign-in-in-progress',
        connectionName: 'Test EHR',
      },
    ]);
    const earlier = h.opened[0]!;

    await h.manager.answerLaunch(h.confirmations[0]!.id, true);
    expect(new URL(h.opened[1]!).searchParams.get('launch')).toBe('l-7');
    // Accepting replaced the earlier sign-in: its answer is refused, the launch's sign-in goes on.
    await h.manager.handleDeepLink(parseDeepLink(h.ehr.authorize(earlier)));
    expect(h.session().status).toBe('signing-in');
  });

  it('asks before replacing the chart on screen, and does nothing when the clinician declines', async () => {
    const h = await harness({ chartOpen: () => true });
    await h.signIn();
    await h.manager.handleDeepLink(launchLink(h.ehr.fhirBaseUrl, 'l-8'));

    expect(h.opened).toHaveLength(1);
    expect(h.confirmations.at(-1)).toMatchObject({ reason: 'chart-open', connectionName: 'Test EHR' });
    await h.manager.answerLaunch(h.confirmations.at(-1)!.id, false);
    expect(h.opened).toHaveLength(1);
    expect(h.session().status).toBe('signed-in');
  });

  it('starts at once when nothing is going on', async () => {
    const h = await harness({ chartOpen: () => false });
    await h.manager.handleDeepLink(launchLink(h.ehr.fhirBaseUrl, 'l-9'));
    expect(h.confirmations).toEqual([]);
    expect(new URL(h.opened[0]!).searchParams.get('launch')).toBe('l-9');
  });
});
