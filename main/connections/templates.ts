import { CONNECTION_DEFAULTS, type ConnectionSettings, type ConnectionTemplate } from '../../common/connections';

/** ChartDesk's registered client id where a sandbox accepts any (the ChartDesk sandbox, the SMART launcher). */
export const CHARTDESK_CLIENT_ID = 'chartdesk';

export const SANDBOX_CONNECTION_NAME = 'ChartDesk sandbox EHR';

/** The ChartDesk sandbox EHR as a ready connection (its address is known only once it has started). */
export function sandboxConnectionSettings(fhirBaseUrl: string, name = SANDBOX_CONNECTION_NAME): ConnectionSettings {
  return { ...CONNECTION_DEFAULTS, name, fhirBaseUrl, clientId: CHARTDESK_CLIENT_ID };
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
        fhirBaseUrl: 'https://launch.smarthealthit.org/v/r4/fhir',
        clientId: CHARTDESK_CLIENT_ID,
      },
      needsClientId: false,
      note: 'The public SMART on FHIR test server; it accepts any client id and shows a patient and provider picker.',
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
