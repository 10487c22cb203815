/**
 * A standalone sign-in against an auto-approving sandbox with ChartDesk's own discovery and code
 * exchange (main/smart). The browser part (authorize and its redirects) is followed by hand and
 * not timed: a clinician's browser does it. Discovery and code exchange are timed against the
 * sum of the server's own times for the requests they made.
 */
import * as oauth from 'oauth4webapi';
import { CUSTOM_SCHEME_REDIRECT_URI } from '../common/app-identity';
import type { ChartSectionId } from '../common/sessions';
import { buildAuthorizationServer, initialIssuer } from '../main/smart/authorization-server';
import { buildAuthorizationRequest } from '../main/smart/authorize-request';
import { discoverSmartConfiguration } from '../main/smart/discovery';
import { defaultChartScopes, summarizeGrant } from '../main/smart/scopes';
import { exchangeCode } from '../main/smart/token-endpoint';
import { recordingFetch, type RequestRecord } from './request-log';

export interface SignInTiming {
  /** Client-side time of discovery plus code exchange. */
  clientMs: number;
  discoveryMs: number;
  /** Code exchange with the id_token's validation (and the key look-ups it needs). */
  exchangeMs: number;
  /** Sum of the server's own times (Server-Timing) over the requests those two steps made. */
  serverMs: number;
  requests: number;
}

export interface SignedIn {
  accessToken: string;
  patientId: string;
  grantedSections: ChartSectionId[];
  timing: SignInTiming;
}

const CLIENT_ID = 'chartdesk';

/** Follows the authorization server's redirects up to the app's redirect URI (what the browser does). */
async function followToCallback(url: string): Promise<URLSearchParams> {
  let next = new URL(url);
  for (let hop = 0; hop < 10; hop += 1) {
    const response = await fetch(next, { redirect: 'manual' });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new Error(`authorization stopped with HTTP ${response.status} at ${next.pathname}`);
    next = new URL(location, next);
    if (next.href.startsWith(CUSTOM_SCHEME_REDIRECT_URI)) return next.searchParams;
  }
  throw new Error('authorization: too many redirects');
}

function serverTime(records: readonly RequestRecord[]): number {
  return records.reduce((sum, record) => {
    if (record.serverMs === null) throw new Error(`no Server-Timing on ${new URL(record.url).pathname}`);
    return sum + record.serverMs;
  }, 0);
}

export async function signIn(fhirBaseUrl: string): Promise<SignedIn> {
  const log = recordingFetch(fetch);
  const discoveryStarted = performance.now();
  const config = await discoverSmartConfiguration(fhirBaseUrl, { fetch: log.fetch });
  const discoveryMs = performance.now() - discoveryStarted;
  const discoveryRecords = [...log.records];

  const scope = defaultChartScopes('v2', 'standalone');
  const request = await buildAuthorizationRequest({
    as: buildAuthorizationServer(config, initialIssuer(config)),
    clientId: CLIENT_ID,
    redirectUri: CUSTOM_SCHEME_REDIRECT_URI,
    scope,
    aud: fhirBaseUrl,
  });
  const callback = await followToCallback(request.url);
  const iss = callback.get('iss');
  const params = oauth.validateAuthResponse(
    buildAuthorizationServer(config, iss ?? initialIssuer(config)),
    { client_id: CLIENT_ID },
    callback,
    request.state,
  );

  log.reset();
  const exchangeStarted = performance.now();
  const grant = await exchangeCode({ config, clientId: CLIENT_ID, fetch: log.fetch, clockSkewSeconds: 0 }, params, request);
  const exchangeMs = performance.now() - exchangeStarted;
  const records = [...discoveryRecords, ...log.records];

  const patientId = grant.response.patient;
  if (typeof patientId !== 'string') throw new Error('the token response carries no patient');
  return {
    accessToken: grant.response.access_token,
    patientId,
    grantedSections: summarizeGrant(scope, grant.response.scope).grantedSections,
    timing: {
      clientMs: discoveryMs + exchangeMs,
      discoveryMs,
      exchangeMs,
      serverMs: serverTime(records),
      requests: records.length,
    },
  };
}
