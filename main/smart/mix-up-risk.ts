import type { Connection } from '../../common/connections';
import type { AppNotice } from '../../common/view-models';
import { discoverSmartConfiguration } from './discovery';

/**
 * OAuth mix-up (RFC 9700 §4.4): with several EHRs behind one redirect address, a malicious EHR can have a sign-in
 * meant for another one answered to ChartDesk under its own pending sign-in, and receive that EHR's code and PKCE
 * verifier. Two things close it: a redirect name of the connection's own (callbacks accepted only on the path the
 * sign-in used), or an EHR that sends RFC 9207 `iss` (required wherever it advertises it). Where neither holds, the
 * clinician who adds the connection beside others is warned; IT's own connections are IT's call.
 */
export async function mixUpWarning(
  added: Connection,
  others: readonly Connection[],
  fetchImpl: typeof fetch,
): Promise<AppNotice | null> {
  if (added.managed !== 'no' || added.redirectName || others.length === 0) return null;
  try {
    const config = await discoverSmartConfiguration(added.fhirBaseUrl, {
      fetch: fetchImpl,
      epicClientId: added.sendEpicClientIdHeader ? added.clientId : null,
    });
    if (config.authorizationResponseIssParameterSupported) return null;
  } catch {
    // Unknown is not safe: the warning stands.
  }
  return {
    level: 'warning',
    connectionId: added.id,
    message:
      `${added.name} shares ChartDesk's sign-in address with your other connections, and its EHR does not confirm ` +
      'which server answers a sign-in. A malicious EHR among your connections could then obtain a sign-in meant for ' +
      "another. Ask your IT team to register a redirect name of this connection's own with the EHR and set it here.",
  };
}
