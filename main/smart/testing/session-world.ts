import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CUSTOM_SCHEME_REDIRECT_URI } from '../../../common/app-identity';
import type { ConnectionWithSession, SessionView } from '../../../common/sessions';
import type { AppNotice, LaunchConfirmation } from '../../../common/view-models';
import { type ConnectionStore, openConnectionStore } from '../../connections/connection-store';
import { createLogger } from '../../logging/logger';
import type { SecretStore } from '../../vault/secret-store';
import { createSessionManager, type SessionManager } from '../session-manager';

/**
 * A session manager as compose.ts wires it, over a connection store in a fresh temporary folder, with a clock the
 * test moves and a record of everything it showed the clinician or logged.
 */
export interface SessionWorld {
  manager: SessionManager;
  store: ConnectionStore;
  secrets: SecretStore;
  clock: { now: number };
  /** Authorization URLs handed to the system browser. */
  opened: string[];
  changes: ConnectionWithSession[][];
  notices: AppNotice[];
  confirmations: LaunchConfirmation[];
  logLines: string[];
  /** The session of a connection as the current manager shows it. */
  session(connectionId: string): SessionView;
  /** Everything the app emitted or logged, as text, for scanning for secrets. */
  emitted(): string;
  /** A new session manager over the same keychain (and store, unless another is given), as after a restart. */
  restart(store?: ConnectionStore): SessionManager;
}

export async function createSessionWorld(options: {
  secrets: SecretStore;
  fetch: typeof fetch;
  /** Whether a chart of the connection is on screen; none unless a test says so. */
  chartOpen?: (connectionId: string) => boolean;
  /** False stands for the browser view, which no custom-scheme link reaches. */
  customSchemeReachable?: boolean;
}): Promise<SessionWorld> {
  const { store } = await openConnectionStore({
    userDataDir: await mkdtemp(join(tmpdir(), 'chartdesk-sessions-')),
    managed: [],
    allowAddConnections: true,
    log: createLogger(() => {}),
  });
  const seen = {
    clock: { now: Date.now() },
    opened: [] as string[],
    changes: [] as ConnectionWithSession[][],
    notices: [] as AppNotice[],
    confirmations: [] as LaunchConfirmation[],
    logLines: [] as string[],
  };
  const restart = (other = store) =>
    createSessionManager({
      store: other,
      secrets: options.secrets,
      fetch: options.fetch,
      now: () => seen.clock.now,
      openExternal: async (url) => void seen.opened.push(url),
      log: createLogger((line) => seen.logLines.push(line), 'debug'),
      onChange: (list) => seen.changes.push(list),
      onNotice: (notice) => seen.notices.push(notice),
      onLaunchConfirm: (confirmation) => seen.confirmations.push(confirmation),
      chartOpen: options.chartOpen,
      redirect: { customSchemeUri: CUSTOM_SCHEME_REDIRECT_URI, customSchemeReachable: options.customSchemeReachable ?? true },
    });
  const world: SessionWorld = {
    ...seen,
    manager: restart(),
    store,
    secrets: options.secrets,
    restart,
    session: (connectionId) => world.manager.list().find((item) => item.connection.id === connectionId)!.session,
    emitted: () => {
      const { changes, notices, confirmations, logLines } = seen;
      return JSON.stringify({ changes, notices, confirmations, logLines, list: world.manager.list() });
    },
  };
  return world;
}
