import { CONNECTION_DEFAULTS, type ConnectionSettings } from '../../../common/connections';

/**
 * Client-side checks of the connection form. They mirror main's run-time schema
 * (main/ipc/schemas.ts `connectionSettings`) so the clinician sees the problem beside the field;
 * main still validates everything it receives.
 */
export type ConnectionField = 'name' | 'fhirBaseUrl' | 'clientId' | 'scopes';
export type ConnectionErrors = Partial<Record<ConnectionField, string>>;

export const EMPTY_SETTINGS: ConnectionSettings = { name: '', fhirBaseUrl: '', clientId: '', ...CONNECTION_DEFAULTS };

const PRINTABLE_NO_SPACE = /^[\x21-\x7e]+$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
/** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E (no quote, no backslash). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** A SMART resource scope, v1 (`.read`, `.write`, `.*`) or v2 (`.cruds` letters in order), with an optional v2 query. */
const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]*)\.(read|write|\*|(?=[cruds])c?r?u?d?s?)(\?\S*)?$/;
const V1_PERMISSIONS = /\.(read|write|\*)$/;

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

function checkScopes(value: string, syntax: ConnectionSettings['scopeSyntax']): string | undefined {
  if (value.length > 4096) return 'The scope list is too long.';
  if (!PRINTABLE.test(value)) return 'Scopes must be plain ASCII text.';
  const tokens = value.split(' ').filter((token) => token !== '');
  for (const token of tokens) {
    if (!SCOPE_TOKEN.test(token)) return `"${token}" is not a valid scope.`;
    const resource = /^(patient|user|system)\//.test(token);
    if (resource && !RESOURCE_SCOPE.test(token))
      return `"${token}" is not a SMART resource scope (for example patient/Observation.rs).`;
    if (resource && syntax === 'v1' && !V1_PERMISSIONS.test(token)) {
      return `"${token}" uses v2 permissions but the scope syntax is set to v1.`;
    }
    if (resource && syntax === 'v2' && V1_PERMISSIONS.test(token)) {
      return `"${token}" uses v1 permissions but the scope syntax is set to v2.`;
    }
  }
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

  const scopes = checkScopes(settings.scopes, settings.scopeSyntax);
  if (scopes) errors.scopes = scopes;
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
