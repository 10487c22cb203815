import { CUSTOM_SCHEME_REDIRECT_URI, DEEP_LINK_SCHEME } from '../../common/app-identity';
import type { LaunchVerdict } from '../../common/endpoint-report';
import { buildAuthorizationServer, initialIssuer } from './authorization-server';
import { buildAuthorizationRequest } from './authorize-request';
import type { SmartConfiguration } from './discovery';

/** The client id of the test request when none is given; open test servers (the SMART launcher) accept any. */
const PROBE_CLIENT_ID = 'chartdesk';
const PROBE_TIMEOUT_MS = 5_000;

/**
 * One standalone authorization request, as ChartDesk would open it in the browser, without following it: nobody
 * signs in. An EHR that serves only EHR launches at this base says so at once by sending the browser back with an
 * error (the SMART reference server's `/v/r4/fhir`: invalid_request "Invalid launch options"); one that goes on to
 * its sign-in page did not refuse. An error page instead of a redirect leaves it open (a client id it does not know
 * is answered that way too).
 */
export async function probeStandaloneSignIn(
  config: SmartConfiguration,
  options: { fetch: typeof fetch; clientId?: string | null },
): Promise<LaunchVerdict> {
  let request;
  try {
    request = await buildAuthorizationRequest({
      as: buildAuthorizationServer(config, initialIssuer(config)),
      clientId: options.clientId ?? PROBE_CLIENT_ID,
      redirectUri: CUSTOM_SCHEME_REDIRECT_URI,
      scope: 'openid fhirUser launch/patient',
      aud: config.fhirBaseUrl,
    });
  } catch (error) {
    return { verdict: 'no', reason: error instanceof Error ? error.message : String(error) };
  }
  let response: Response;
  try {
    response = await options.fetch(request.url, { redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
  } catch {
    return { verdict: 'unknown', reason: 'the test sign-in request got no answer' };
  }
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    if (!location.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) {
      return { verdict: 'yes', reason: 'a test sign-in request went on to the EHR’s sign-in' };
    }
    const answer = new URL(location).searchParams;
    const error = answer.get('error');
    if (error === null) return { verdict: 'yes', reason: 'a test sign-in request was answered' };
    const description = answer.get('error_description');
    return {
      verdict: 'no',
      reason: `the EHR refused a standalone sign-in: ${error}${description ? ` (${description.slice(0, 200)})` : ''}`,
    };
  }
  if (response.ok) return { verdict: 'unknown', reason: 'a test sign-in request was answered with a page, not sent on' };
  return {
    verdict: 'unknown',
    reason: `a test sign-in request was answered HTTP ${response.status}${options.clientId ? '' : ' (give --client-id: the EHR may not know the test client id)'}`,
  };
}
