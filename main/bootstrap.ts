import path from 'node:path';
import type { AppInfo } from '../common/view-models';
import { composeMainApp, type MainApp } from './compose';
import { createFileSink } from './logging/file-sink';
import { createLogger, type Logger, type LogSink } from './logging/logger';
import { type LoadedPolicy, loadPolicy, type PolicyReaders } from './policy/load-policy';
import { osPolicyReaders } from './policy/os-readers';
import { createKeytarSecretStore } from './vault/keytar-secret-store';
import type { SecretStore } from './vault/secret-store';

export interface BootOptions {
  appInfo: AppInfo;
  userDataDir: string;
  fetch: typeof fetch;
  openExternal: (url: string) => Promise<void>;
  devSandboxFhirBaseUrl?: string | null;
  /** See MainAppDeps.customSchemeLinks. */
  customSchemeLinks?: boolean;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  /** Also write log lines here (a terminal in development, a test's buffer). */
  extraLogSink?: LogSink;
  /** Tests replace the OS keychain and the policy location. */
  secrets?: SecretStore;
  policyReaders?: PolicyReaders;
}

export interface BootedApp extends MainApp {
  log: Logger;
  /** IT's policy as loaded, for what the shell itself applies (DevTools). */
  policy: LoadedPolicy;
}

/**
 * Everything the main process needs from its machine, gathered once for both shells: the log
 * file in the user-data folder, IT's policy, the OS keychain.
 */
export async function bootMainApp(options: BootOptions): Promise<BootedApp> {
  // The log may fail before the app exists to say so: the message waits, then becomes a notice.
  let reportLogFailure = (message: string): void => {
    earlyLogFailures.push(message);
  };
  const earlyLogFailures: string[] = [];
  const fileSink = createFileSink(path.join(options.userDataDir, 'logs'), undefined, (message) => reportLogFailure(message));
  const extra = options.extraLogSink;
  const log = createLogger(extra ? (line) => (fileSink(line), extra(line)) : fileSink);
  let app: MainApp;
  let policy: LoadedPolicy;
  try {
    policy = await loadPolicy({
      ...(options.policyReaders ?? osPolicyReaders),
      platform: options.platform ?? process.platform,
      env: options.env ?? process.env,
      logger: log,
    });
    app = await composeMainApp({
      appInfo: options.appInfo,
      log,
      userDataDir: options.userDataDir,
      policy,
      // The keychain store splits long secrets itself (Windows' limit); it is not wrapped again.
      secrets: options.secrets ?? createKeytarSecretStore(),
      fetch: options.fetch,
      openExternal: options.openExternal,
      devSandboxFhirBaseUrl: options.devSandboxFhirBaseUrl ?? null,
      customSchemeLinks: options.customSchemeLinks,
    });
  } catch (error) {
    // Logged here, where the log is open; the shell tells the clinician in plain words.
    log.error('boot.failed', { error });
    throw error;
  }
  reportLogFailure = (message) => app.notify({ level: 'warning', message, connectionId: null });
  earlyLogFailures.splice(0).forEach(reportLogFailure);
  return { ...app, log, policy };
}
