import { describe, expect, it, vi } from 'vitest';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { validateCallback } from './callback';
import { createFakeEhr } from './testing/fake-ehr';
import { harness, settings, tokenRequests } from './testing/session-harness';
import { smartConfiguration } from './testing/smart-configuration';

/**
 * Issue 14, item 3: OAuth mix-up. A malicious EHR B among the connections sends the clinician on to an honest EHR A
 * with B's state; A answers to ChartDesk, and without a defence ChartDesk posts A's code and PKCE verifier to B.
 */
// Each fake EHR makes its RSA keys: slow by nature on a busy machine, hence the time allowed.
describe('OAuth mix-up', { timeout: 30_000 }, () => {
  it("refuses an answer that comes to another connection's redirect path, so the code never reaches the other EHR", async () => {
    const malicious = createFakeEhr({ origin: 'https://malicious.example.net' });
    const h = await harness({ ehrs: [malicious], connection: { name: 'Honest EHR', redirectName: 'honest' } });
    const b = await h.store.add(settings(malicious.fhirBaseUrl, { name: 'Malicious EHR' }));

    await h.manager.signIn(b.id);
    // B forwards the browser to A, keeping B's state; A sends its answer to the address registered for A.
    const atB = new URL(h.opened.at(-1)!);
    const toA = new URL(`${h.ehr.issuer}/authorize`);
    for (const [name, value] of atB.searchParams) toA.searchParams.set(name, value);
    toA.searchParams.set('redirect_uri', 'org.chartdesk.desktop:/oauth2/callback/honest');
    toA.searchParams.set('aud', h.ehr.fhirBaseUrl);
    await h.manager.handleDeepLink(parseDeepLink(h.ehr.authorize(toA.href)));

    expect(tokenRequests(malicious, 'authorization_code')).toEqual([]);
    expect(h.manager.list().find((item) => item.connection.id === b.id)!.session).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/another connection's address/),
    });
    expect(h.logLines.join('\n')).toContain('answer came to another redirect path');
  });

  it('signs in on the redirect path of its own, by the custom scheme and by loopback', async () => {
    const h = await harness({ connection: { redirectName: 'ehr-a' } });
    await h.signIn();
    expect(new URL(h.opened[0]!).searchParams.get('redirect_uri')).toBe('org.chartdesk.desktop:/oauth2/callback/ehr-a');
    expect(h.session().status).toBe('signed-in');

    const loopback = await harness({ connection: { redirectName: 'ehr-a', redirectMode: 'loopback' } });
    await loopback.manager.signIn(loopback.connectionId);
    const redirectUri = new URL(loopback.opened[0]!).searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback\/ehr-a$/);
    expect((await fetch(redirectUri.replace('/ehr-a', ''))).status).toBe(404);
    await fetch(loopback.ehr.authorize(loopback.opened[0]!));
    await vi.waitFor(() => expect(loopback.session().status).toBe('signed-in'));
  });

  it('refuses an answer without iss from an EHR that advertises RFC 9207', () => {
    const config = smartConfiguration({
      fhirBaseUrl: 'https://ehr.example.org/fhir',
      tokenEndpoint: 'https://ehr.example.org/auth/token',
      issuer: 'https://ehr.example.org/auth',
      authorizationResponseIssParameterSupported: true,
    });
    const answer = parseDeepLink('org.chartdesk.desktop:/oauth2/callback?code=c&state=s');
    if (answer.kind !== 'oauth-callback') throw new Error('not a callback');
    expect(() => validateCallback(config, 'chartdesk', answer, 's')).toThrow(/not valid/);
    const withIss = parseDeepLink(
      `org.chartdesk.desktop:/oauth2/callback?code=c&state=s&iss=${encodeURIComponent(config.issuer!)}`,
    );
    if (withIss.kind !== 'oauth-callback') throw new Error('not a callback');
    expect(validateCallback(config, 'chartdesk', withIss, 's').get('code')).toBe('c');
  });
});
