import { CONNECTION_DEFAULTS, type ConnectionSettings } from '../../../common/connections';
import { scopeListProblem } from '../../../common/smart-scopes';

/**
 * Client-side checks of the connection form. They mirror main's run-time schema
 * (main/ipc/schemas.ts `connectionSettings`) so the clinician sees the problem beside the field;
 * main still validates everything it receives.
 */
export type ConnectionField = 'name' | 'fhirBaseUrl' | 'clientId' | 'scopes';
export type ConnectionErrors = Partial<Record<ConnectionField, string>>;

export const EMPTY_SETTINGS: ConnectionSettings = { name: '', fhirBaseUrl: '', clientId: '', ...CONNECTION_DEFAULTS };

const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;

function checkUrl(value: string): string | undefined {
  if (value.trim() === '') return 'Enter the FHIR base URL.';
  if (value.length > 2048) return 'The URL is too long.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL, starting with https:// (or http:// for a local test server).';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must start with https:// or http://.';
  if (url.username || url.password) return 'The URL must not contain a user name or password.';
  if (url.hash) return 'The URL must not contain a # fragment.';
  return undefined;
}

export function validateConnectionSettings(settings: ConnectionSettings): ConnectionErrors {
  const errors: ConnectionErrors = {};
  const name = settings.name.trim();
  if (name === '') errors.name = 'Enter a name for this connection.';
  else if (name.length > 100) errors.name = 'Keep the name under 100 characters.';

  const url = checkUrl(settings.fhirBaseUrl.trim());
  if (url) errors.fhirBaseUrl = url;

  const clientId = settings.clientId.trim();
  if (clientId === '') errors.clientId = 'Enter the client ID the EHR registered for ChartDesk.';
  else if (clientId.length > 256) errors.clientId = 'The client ID is too long.';
  else if (!PRINTABLE_NO_SPACE.test(clientId)) errors.clientId = 'The client ID must be plain ASCII without spaces.';

  const scopes = scopeListProblem(settings.scopes, settings.scopeSyntax);
  if (scopes) errors.scopes = `The scope list ${scopes}.`;
  return errors;
}

/** The settings as they are sent to main: text fields trimmed, scopes single-spaced. */
export function normalizeSettings(settings: ConnectionSettings): ConnectionSettings {
  return {
    ...settings,
    name: settings.name.trim(),
    fhirBaseUrl: settings.fhirBaseUrl.trim(),
    clientId: settings.clientId.trim(),
    scopes: settings.scopes
      .split(' ')
      .filter((token) => token !== '')
      .join(' '),
  };
}
