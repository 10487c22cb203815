/**
 * The environment variables ChartDesk reads for development and tests: another policy file, another user-data folder,
 * a sandbox EHR offered as a connection. In a packaged app anyone who can set a variable could use them to shed IT's
 * policy (persistTokens, allowedLaunchIssuers, locked connections, the idle lock), so there they do not exist.
 */
export const DEVELOPMENT_VARIABLES = ['CHARTDESK_POLICY_FILE', 'CHARTDESK_USER_DATA', 'CHARTDESK_DEV_SANDBOX_URL'] as const;

export function shellEnvironment(isPackaged: boolean, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!isPackaged) return env;
  const kept = { ...env };
  for (const name of DEVELOPMENT_VARIABLES) delete kept[name];
  return kept;
}
