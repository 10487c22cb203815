import { CONNECTION_DEFAULTS, type ConnectionSettings, type ConnectionTemplate } from '../../common/connections';

/** ChartDesk's registered client id where a sandbox accepts any (the ChartDesk sandbox, the SMART launcher). */
export const CHARTDESK_CLIENT_ID = 'chartdesk';

export const SANDBOX_CONNECTION_NAME = 'ChartDesk sandbox EHR';

/** The ChartDesk sandbox EHR as a ready connection (its address is known only once it has started). */
export function sandboxConnectionSettings(fhirBaseUrl: string, name = SANDBOX_CONNECTION_NAME): ConnectionSettings {
  return { ...CONNECTION_DEFAULTS, name, fhirBaseUrl, clientId: CHARTDESK_CLIENT_ID };
}

export const REFERENCE_LAUNCHER_ORIGIN = 'https://launch.smarthealthit.org';

/**
 * The SMART reference launcher (smart-on-fhir/smart-launcher-v2) reads its launch options from the URL path,
 * `/v/r4/sim/<options>/fhir`: base64url JSON, an array whose first item is the launch type's index in its list
 * (provider-ehr, patient-portal, provider-standalone, …; its src/isomorphic/codec.ts). Its base without options,
 * `/v/r4/fhir`, serves EHR launches only: a standalone sign-in there ends in "Invalid launch options". These are the
 * options its launcher page writes for a provider standalone launch with no patient or provider chosen, so that
 * its provider login and patient picker show, and PKCE "auto".
 */
export function referenceLauncherFhirBase(origin = REFERENCE_LAUNCHER_ORIGIN): string {
  const providerStandalone = [2, '', '', 'AUTO', 0, 0, 0, '', '', '', '', '', '', '', 0, 1, ''];
  const options = Buffer.from(JSON.stringify(providerStandalone), 'utf8').toString('base64url');
  return `${origin}/v/r4/sim/${options}/fhir`;
}

/** Templates offered in the "add connection" form; an empty client id is for the clinician to fill in. */
export function connectionTemplates(options: { sandboxFhirBaseUrl: string | null }): ConnectionTemplate[] {
  const templates: ConnectionTemplate[] = [];
  if (options.sandboxFhirBaseUrl !== null) {
    templates.push({
      id: 'chartdesk-sandbox',
      label: 'ChartDesk sandbox EHR',
      settings: sandboxConnectionSettings(options.sandboxFhirBaseUrl),
      needsClientId: false,
      note: 'The local test EHR started beside ChartDesk in development, with synthetic patients.',
    });
  }
  templates.push(
    {
      id: 'smart-launcher',
      label: 'SMART reference launcher (R4)',
      settings: {
        ...CONNECTION_DEFAULTS,
        name: 'SMART launcher',
        fhirBaseUrl: referenceLauncherFhirBase(),
        clientId: CHARTDESK_CLIENT_ID,
      },
      needsClientId: false,
      note: 'The public SMART on FHIR test server, set up for signing in from ChartDesk: it accepts any client id and shows a provider login and a patient picker.',
    },
    {
      id: 'epic-sandbox',
      label: 'Epic sandbox (R4)',
      settings: {
        ...CONNECTION_DEFAULTS,
        name: 'Epic sandbox',
        fhirBaseUrl: 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4',
        clientId: '',
        scopeSyntax: 'v1',
        sendEpicClientIdHeader: true,
      },
      needsClientId: true,
      note: 'Needs the non-production client ID of your app registered at fhir.epic.com, with this app’s redirect URI.',
    },
    {
      id: 'oracle-health-sandbox',
      label: 'Oracle Health (Cerner) sandbox (R4)',
      settings: {
        ...CONNECTION_DEFAULTS,
        name: 'Oracle Health sandbox',
        fhirBaseUrl: 'https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
        clientId: '',
        scopeSyntax: 'v1',
      },
      needsClientId: true,
      note: 'Needs the client ID of your app registered in the Oracle Health code console, with this app’s redirect URI.',
    },
  );
  return templates;
}
