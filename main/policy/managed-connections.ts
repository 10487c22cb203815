import type { Connection } from '../../common/connections';
import { connectionSettingsOf, type ManagedPolicy } from './policy-schema';

/** Managed connections' ids come from the policy entry's key, so sessions survive a URL change. */
export const MANAGED_ID_PREFIX = 'managed-';

export function managedConnectionId(key: string): string {
  return `${MANAGED_ID_PREFIX}${key}`;
}

/** The connections IT defines, for the ConnectionStore's `managed` list (none without a policy). */
export function managedConnections(policy: ManagedPolicy | null): Connection[] {
  if (!policy) return [];
  return policy.connections.map((entry) => ({
    ...connectionSettingsOf(entry, policy.redirectMode),
    id: managedConnectionId(entry.key),
    managed: entry.locked ? 'locked' : 'editable',
  }));
}
