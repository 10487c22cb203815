import { CUSTOM_SCHEME_REDIRECT_URI } from '../common/app-identity';
import type { ConnectionWithSession } from '../common/sessions';
import type { AppInfo, AppNotice } from '../common/view-models';
import type { MainServices } from './app-services';
import { createChartService } from './chart/chart-service';
import { openConnectionStore } from './connections/connection-store';
import { createConnectionsService } from './connections/connections-service';
import { ensureSandboxConnection } from './connections/sandbox-connection';
import { createDeepLinkRouter } from './deep-link/route-deep-link';
import { createDispatcher, type Dispatch } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createNoticeBoard } from './ipc/notice-board';
import type { Logger } from './logging/logger';
import { type LoadedPolicy, policyNotices } from './policy/load-policy';
import { managedConnections } from './policy/managed-connections';
import { createSessionManager, type SessionManager } from './smart/session-manager';
import { createSessionStyles } from './smart/smart-style';
import type { TokenSource } from './fhir/fhir-client';
import { createAuditTrail } from './writes/audit-trail';
import { createDraftCipher } from './writes/draft-cipher';
import { createDraftStore } from './writes/draft-store';
import { markWrittenRows } from './writes/written-marks';
import { createWriteService } from './writes/write-service';
import { createMemorySecretStore, type SecretStore } from './vault/secret-store';

export interface MainAppDeps {
  appInfo: AppInfo;
  log: Logger;
  userDataDir: string;
  policy: LoadedPolicy;
  /** The OS keychain (keytar, chunked); replaced by memory when the policy forbids persisting tokens. */
  secrets: SecretStore;
  fetch: typeof fetch;
  /** Opens a URL main built in the system browser (RFC 8252). */
  openExternal: (url: string) => Promise<void>;
  /** In development, the sandbox EHR started beside the app, offered as a ready connection. */
  devSandboxFhirBaseUrl?: string | null;
  /**
   * Whether something hands custom-scheme links (sign-in callbacks) to this app: the OS in Electron; in the
   * browser view nothing does, unless a test plays the OS. Defaults to "in Electron only".
   */
  customSchemeLinks?: boolean;
  now?: () => number;
}

export interface MainApp {
  services: MainServices;
  events: EventHub;
  dispatch: Dispatch;
  sessions: SessionManager;
  /** Raises a notice for the clinician (kept for a renderer that starts listening later). */
  notify(notice: AppNotice): void;
  /** Restores sessions from the keychain; call once the UI can receive events. */
  start(): Promise<void>;
  dispose(): void;
}

/** Wires the services once, for the Electron shell and the browser view alike. Wiring only: each piece is a service. */
export async function composeMainApp(deps: MainAppDeps): Promise<MainApp> {
  const now = deps.now ?? Date.now;
  const events = createEventHub();
  const notices = createNoticeBoard(events);
  const policy = deps.policy.policy;
  policyNotices(deps.policy.status).forEach(notices.notify);

  const opened = await openConnectionStore({
    userDataDir: deps.userDataDir,
    managed: managedConnections(policy),
    allowAddConnections: deps.policy.status.allowAddConnections,
    allowedWriteKinds: deps.policy.status.allowedWriteKinds,
    log: deps.log,
    now,
  });
  const store = opened.store;
  opened.notices.forEach(notices.notify);
  // Loopback: the browser view cannot receive the custom scheme, and a development Electron is not registered with the OS.
  if (deps.devSandboxFhirBaseUrl) await ensureSandboxConnection(store, deps.devSandboxFhirBaseUrl, 'loopback');

  // Drafts of failed writes (encrypted with a key in the OS keychain, whatever the token policy) and the audit trail.
  const drafts = createDraftStore({ userDataDir: deps.userDataDir, cipher: createDraftCipher(deps.secrets), log: deps.log });
  const audit = createAuditTrail({ userDataDir: deps.userDataDir, log: deps.log });
  await Promise.all([drafts.load(), audit.load()]);
  await drafts.pruneExcept(new Set(store.list().map((connection) => connection.id)));
  const tokensFor = (connectionId: string): TokenSource => ({
    getAccessToken: () => sessions.getAccessToken(connectionId),
    refreshAfterUnauthorized: (refused) => sessions.refreshAfterUnauthorized(connectionId, refused),
  });

  const chart = createChartService({
    sessionFor(connectionId) {
      // Throws, with the message the connection row shows, when the session cannot be used.
      const context = sessions.usableSession(connectionId);
      return {
        fhirBaseUrl: context.fhirBaseUrl,
        grantedSections: context.grantedSections,
        documentContent: context.documentContent,
        tokens: tokensFor(connectionId),
        notePatientName: (patientId, name) => sessions.notePatientName(connectionId, patientId, name),
      };
    },
    fetch: deps.fetch,
    emit: (page) => events.emit('chart:page', markWrittenRows(page, sessions.sessionContext(page.connectionId), audit)),
    log: deps.log,
    now: () => new Date(now()),
    ...(policy ? { options: { maxRequestsInFlight: policy.maxRequestsInFlight } } : {}),
  });
  const publish = (list: ConnectionWithSession[]) => {
    // A chart never outlives its session, nor its connection: its cache and recent patients go with them.
    const signedIn = list.filter((item) => item.session.status === 'signed-in').map((item) => item.connection.id);
    chart.keepOnly(new Set(signedIn));
    events.emit('connections:changed', list);
  };
  const sessions = createSessionManager({
    store,
    secrets: policy && !policy.persistTokens ? createMemorySecretStore() : deps.secrets,
    fetch: deps.fetch,
    now,
    openExternal: deps.openExternal,
    log: deps.log,
    onChange: publish,
    onNotice: notices.notify,
    onLaunchConfirm: (confirmation) => events.emit('launch:confirm', confirmation),
    chartOpen: (connectionId) => chart.isOpen(connectionId),
    redirect: {
      customSchemeUri: CUSTOM_SCHEME_REDIRECT_URI,
      customSchemeReachable: deps.customSchemeLinks ?? deps.appInfo.shell === 'electron',
    },
  });

  // Each channel of common/ipc-contract.ts reaches the service and method its entry names.
  const services: MainServices = {
    app: { info: () => deps.appInfo, policyStatus: () => deps.policy.status },
    notices,
    connections: createConnectionsService({
      store,
      publish: () => publish(sessions.list()),
      sandboxFhirBaseUrl: deps.devSandboxFhirBaseUrl ?? null,
      fetch: deps.fetch,
      onNotice: notices.notify,
    }),
    sessions,
    styles: createSessionStyles({
      styleUrlOf: (connectionId) => sessions.sessionContext(connectionId)?.smartStyleUrl ?? null,
      fetch: deps.fetch,
    }),
    chart,
    writes: createWriteService({
      connectionOf: (connectionId) => sessions.list().find((item) => item.connection.id === connectionId) ?? null,
      policyAllowed: deps.policy.status.allowedWriteKinds,
      sessionFor: (connectionId) => ({
        context: sessions.usableSession(connectionId),
        tokens: tokensFor(connectionId),
      }),
      drafts,
      audit,
      fetch: deps.fetch,
      log: deps.log,
      now: () => new Date(now()),
    }),
    handleDeepLink: createDeepLinkRouter({
      allowedLaunchIssuers: policy?.allowedLaunchIssuers,
      sessions,
      notify: notices.notify,
      log: deps.log,
    }),
  };

  return {
    services,
    events,
    sessions,
    dispatch: createDispatcher(services, deps.log),
    notify: notices.notify,
    start: () => sessions.restore(),
    dispose: () => sessions.dispose(),
  };
}
