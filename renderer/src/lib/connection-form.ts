import { connectionSettings } from '../../../common/connection-rules';
import { CONNECTION_DEFAULTS, type ConnectionSettings, type ConnectionTemplate } from '../../../common/connections';

/**
 * The connection form checks the settings with main's own rule (common/connection-rules.ts), so the clinician sees
 * beside the field exactly what main would refuse; main still validates everything it receives.
 */
export type ConnectionField = 'name' | 'fhirBaseUrl' | 'clientId' | 'scopes' | 'redirectName';
export type ConnectionErrors = Partial<Record<ConnectionField, string>>;

export const EMPTY_SETTINGS: ConnectionSettings = { name: '', fhirBaseUrl: '', clientId: '', ...CONNECTION_DEFAULTS };

/**
 * The form a template starts: its settings, with the client ID left for the clinician when the EHR needs their own,
 * and its note. Without a template ("A blank form") every field is blank again and no note stays: nothing of a
 * template chosen before (its scope syntax, its Epic-Client-ID box) carries over.
 */
export function startFrom(template: ConnectionTemplate | undefined): { settings: ConnectionSettings; note: string | null } {
  if (!template) return { settings: { ...EMPTY_SETTINGS }, note: null };
  return {
    settings: { ...template.settings, clientId: template.needsClientId ? '' : template.settings.clientId },
    note: template.needsClientId ? `${template.note} Enter the client ID your organization registered.` : template.note,
  };
}

/** How each field is named in front of the rule's message ("The name is required."). */
const FIELD_NAMES: Record<ConnectionField, string> = {
  name: 'The name',
  fhirBaseUrl: 'The FHIR base URL',
  clientId: 'The client ID',
  scopes: 'The scope list',
  redirectName: 'The redirect name',
};

function isField(key: unknown): key is ConnectionField {
  return typeof key === 'string' && Object.hasOwn(FIELD_NAMES, key);
}

/** The first problem of each field, as a sentence; empty when main would accept the settings. */
export function validateConnectionSettings(settings: ConnectionSettings): ConnectionErrors {
  const errors: ConnectionErrors = {};
  for (const issue of connectionSettings.safeParse(normalizeSettings(settings)).error?.issues ?? []) {
    const field = issue.path[0];
    if (isField(field)) errors[field] ??= `${FIELD_NAMES[field]} ${issue.message}.`;
  }
  return errors;
}

/** The settings as they are sent to main: text fields trimmed, scopes single-spaced. */
export function normalizeSettings(settings: ConnectionSettings): ConnectionSettings {
  return {
    ...settings,
    name: settings.name.trim(),
    fhirBaseUrl: settings.fhirBaseUrl.trim(),
    clientId: settings.clientId.trim(),
    redirectName: settings.redirectName?.trim() ?? '',
    scopes: settings.scopes
      .split(' ')
      .filter((token) => token !== '')
      .join(' '),
  };
}
