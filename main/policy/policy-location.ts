import { APP_ID } from '../../common/app-identity';

/** Where IT's managed configuration lives on each OS. */
export type PolicyLocation =
  { kind: 'json-file'; path: string } | { kind: 'registry'; key: string } | { kind: 'plist'; path: string };

export const POLICY_FILE_ENV = 'CHARTDESK_POLICY_FILE';
export const WINDOWS_POLICY_KEY = 'HKLM\\Software\\Policies\\ChartDesk';
/** Where a configuration profile with payload domain = the app id lands (machine-wide). */
export const MACOS_MANAGED_PREFERENCES = `/Library/Managed Preferences/${APP_ID}.plist`;
export const LINUX_POLICY_FILE = '/etc/chartdesk/policy.json';

export function policyLocation(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): PolicyLocation {
  const override = env[POLICY_FILE_ENV];
  if (override) return { kind: 'json-file', path: override };
  switch (platform) {
    case 'win32':
      return { kind: 'registry', key: WINDOWS_POLICY_KEY };
    case 'darwin':
      return { kind: 'plist', path: MACOS_MANAGED_PREFERENCES };
    default:
      return { kind: 'json-file', path: LINUX_POLICY_FILE };
  }
}

export function describeLocation(location: PolicyLocation): string {
  return location.kind === 'registry' ? location.key : location.path;
}
