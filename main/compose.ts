import type { Connection } from '../common/connections';
import type { ConnectionWithSession } from '../common/sessions';
import type { SmartStyle } from '../common/smart-style';
import type { AppInfo, AppNotice } from '../common/view-models';
import type { MainServices } from './app-services';
import { openConnectionStore } from './connections/connection-store';
import { ensureSandboxConnection } from './connections/sandbox-connection';
import { connectionTemplates } from './connections/templates';
import type { DeepLink } from './deep-link/parse-deep-link';
import { createChartService } from './chart/chart-service';
import { createDispatcher, type Dispatch } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import { createHandlerTable } from './ipc/handler-table';
import type { Logger } from './logging/logger';
import type { LoadedPolicy } from './policy/load-policy';
import { managedConnections } from './policy/managed-connections';
import { checkEndpoint } from './smart/endpoint-report';
import { createSessionManager, type SessionManager } from './smart/session-manager';
import { fetchSmartStyle } from './smart/smart-style';
import { sameFhirBase } from './smart/urls';
import { createMemorySecretStore, type SecretStore } from './vault/secret-store';
import { CUSTOM_SCHEME_REDIRECT_URI } from '../common/app-identity';

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

const MAX_KEPT_NOTICES = 20;

/** Wires the services once, for the Electron shell and the browser view alike. */
export async function composeMainApp(deps: MainAppDeps): Promise<MainApp> {
  const now = deps.now ?? Date.now;
  const events = createEventHub();
  const notices: AppNotice[] = [];
  const notify = (notice: AppNotice) => {
    notices.push(notice);
    if (notices.length > MAX_KEPT_NOTICES) notices.shift();
    events.emit('app:notice', notice);
  };
  const policy = deps.policy.policy;
  if (deps.policy.status.error) {
    notify({
      level: 'error',
      message: `IT's managed configuration was ignored: ${deps.policy.status.error}`,
      connectionId: null,
    });
  }

  const opened = await openConnectionStore({
    userDataDir: deps.userDataDir,
    managed: managedConnections(policy),
    allowAddConnections: deps.policy.status.allowAddConnections,
    now,
  });
  const store = opened.store;
  opened.notices.forEach(notify);
  // Loopback: the browser view cannot receive the custom scheme, and a development Electron is not registered with the OS.
  if (deps.devSandboxFhirBaseUrl) await ensureSandboxConnection(store, deps.devSandboxFhirBaseUrl, 'loopback');

  let chartClear: (connectionId: string) => void = () => undefined;
  const publish = (list: ConnectionWithSession[]) => {
    // A chart never outlives its session: its cache and recent patients go with it.
    for (const item of list) if (item.session.status !== 'signed-in') chartClear(item.connection.id);
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
    onNotice: notify,
    onLaunchConfirm: (confirmation) => events.emit('launch:confirm', confirmation),
    redirect: { customSchemeUri: CUSTOM_SCHEME_REDIRECT_URI },
  });

  const chart = createChartService({
    sessionFor(connectionId) {
      const context = sessions.sessionContext(connectionId);
      if (!context) return null;
      return {
        fhirBaseUrl: context.fhirBaseUrl,
        grantedSections: context.grantedSections,
        tokens: {
          getAccessToken: () => sessions.getAccessToken(connectionId),
          refreshAfterUnauthorized: () => sessions.refreshAfterUnauthorized(connectionId),
        },
      };
    },
    fetch: deps.fetch,
    emit: (page) => events.emit('chart:page', page),
    log: deps.log,
    now: () => new Date(now()),
    ...(policy ? { options: { maxRequestsInFlight: policy.maxRequestsInFlight } } : {}),
  });
  chartClear = (connectionId) => chart.clear(connectionId);

  const styles = new Map<string, SmartStyle>();
  const allowedLaunchIssuers = policy?.allowedLaunchIssuers;
  const handleDeepLink = (link: DeepLink) => {
    if (link.kind === 'rejected') {
      deps.log.warn('deep-link.rejected', { reason: link.reason });
      notify({ level: 'warning', message: `ChartDesk ignored a link it could not trust (${link.reason}).`, connectionId: null });
      return;
    }
    if (link.kind === 'ehr-launch' && allowedLaunchIssuers && !allowedLaunchIssuers.some((iss) => sameFhirBase(iss, link.iss))) {
      deps.log.warn('ehr-launch.issuer-not-allowed', { iss: link.iss });
      notify({ level: 'error', message: `Your organisation does not allow EHR launches from ${link.iss}.`, connectionId: null });
      return;
    }
    void sessions.handleDeepLink(link).catch((error: unknown) => deps.log.error('deep-link.failed', { kind: link.kind, error }));
  };

  const services: MainServices = {
    appInfo: () => deps.appInfo,
    policyStatus: () => deps.policy.status,
    notices: () => [...notices],
    connections: {
      list: () => sessions.list(),
      templates: () => connectionTemplates({ sandboxFhirBaseUrl: deps.devSandboxFhirBaseUrl ?? null }),
      add: async (settings) => changed(await store.add(settings)),
      update: (id, settings) => sessions.updateConnection(id, settings),
      async remove(id) {
        await sessions.removeConnection(id);
        // Gone from the list, so `publish` no longer sees it: its chart goes here.
        chart.clear(id);
        return null;
      },
      check: (url, clientId) => checkEndpoint(url, { fetch: deps.fetch, clientId }),
    },
    sessions: {
      signIn: (id) => sessions.signIn(id),
      cancel: (id) => sessions.cancel(id),
      // The session manager reports every sign-out, and `publish` then drops that connection's chart.
      signOut: (id) => sessions.signOut(id),
      signOutAll: () => sessions.signOutAll(),
      answerLaunch: (id, accept) => sessions.answerLaunch(id, accept),
      forgetDevice: (id) => sessions.forgetDevice(id),
      rotateDeviceKey: (id) => sessions.rotateDeviceKey(id),
      async style(id) {
        const url = sessions.sessionContext(id)?.smartStyleUrl;
        if (!url) return null;
        // Asked each time the EHR's session comes to the front: fetched once per URL, retried only after a failure.
        const known = styles.get(url);
        if (known) return known;
        const style = await fetchSmartStyle(url, deps.fetch);
        if (style) styles.set(url, style);
        return style;
      },
    },
    chart,
    handleDeepLink,
  };

  function changed(connection: Connection): Connection {
    publish(sessions.list());
    return connection;
  }

  return {
    services,
    events,
    sessions,
    dispatch: createDispatcher(createHandlerTable(services), deps.log),
    notify,
    start: () => sessions.restore(),
    dispose: () => sessions.dispose(),
  };
}
