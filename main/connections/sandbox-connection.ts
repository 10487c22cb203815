import type { Connection, RedirectMode } from '../../common/connections';
import { isLoopbackUrl } from '../../common/fhir-base';
import type { ConnectionStore } from './connection-store';
import { SANDBOX_CONNECTION_NAME, sandboxConnectionSettings } from './templates';

/**
 * In development the sandbox EHR starts beside the app on a new port each time: keep one ready connection
 * to it, pointed at today's address, so a newcomer can sign in straight away. Returns null when policy
 * forbids adding connections. `redirectMode` applies to a new connection only: the clinician's later choice stands.
 */
export async function ensureSandboxConnection(
  store: ConnectionStore,
  fhirBaseUrl: string,
  redirectMode: RedirectMode = 'custom-scheme',
): Promise<Connection | null> {
  const existing = store
    .list()
    .find(
      (connection) =>
        connection.managed === 'no' && connection.name === SANDBOX_CONNECTION_NAME && isLoopbackUrl(connection.fhirBaseUrl),
    );
  if (existing) {
    if (existing.fhirBaseUrl === fhirBaseUrl) return existing;
    const { id: _id, managed: _managed, ...settings } = existing;
    return store.update(existing.id, { ...settings, fhirBaseUrl });
  }
  if (!store.canAdd()) return null;
  return store.add({ ...sandboxConnectionSettings(fhirBaseUrl), redirectMode });
}
