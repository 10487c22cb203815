import type { Connection, ConnectionSettings } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ConnectionWithSession } from '../../common/sessions';
import type { AppNotice, LaunchConfirmation } from '../../common/view-models';
import { sameFhirBase } from '../../common/fhir-base';
import { sameWriteKinds } from '../../common/write-kinds';
import type { ConnectionStore } from '../connections/connection-store';
import type { DeepLink } from '../deep-link/parse-deep-link';
import { errorReason, type Logger } from '../logging/logger';
import type { SecretStore } from '../vault/secret-store';
import { createDeviceEnrolment } from './device-enrolment';
import { createDiscoveryCache, type DiscoveryCache } from './discovery';
import { createEhrLaunches } from './ehr-launch';
import { createLiveSessions } from './live-sessions';
import { createSessionKeychain, KEYCHAIN_UNAVAILABLE } from './session-keychain';
import { createSessionNames } from './session-names';
import { SESSION_MESSAGES } from './session-messages';
import { keptAtEhrNote, type SessionContext, sessionContext, sessionView } from './session-view';
import { createSignInFlow, type SignInFlowDeps } from './sign-in-flow';
import { createTokenKeeper } from './token-keeper';

export interface SessionManagerDeps {
  store: ConnectionStore;
  secrets: SecretStore;
  fetch: typeof fetch;
  now: () => number;
  /** Opens the authorization URL in the system browser (RFC 8252); in Electron, shell.openExternal. */
  openExternal: (url: string) => Promise<void>;
  log: Logger;
  onChange: (list: ConnectionWithSession[]) => void;
  onNotice: (notice: AppNotice) => void;
  onLaunchConfirm: (confirmation: LaunchConfirmation) => void;
  /** Whether a chart of the connection is on screen, which an EHR launch would replace. */
  chartOpen?: (connectionId: string) => boolean;
  redirect: SignInFlowDeps['redirect'];
  discovery?: DiscoveryCache;
  /** How long before expiry an access token is refreshed, for clock skew and request time. */
  refreshAheadMs?: number;
}

export interface SessionManager {
  /** Starts a standalone launch; resolves once the browser has been asked to open. */
  signIn(connectionId: string): Promise<null>;
  cancel(connectionId: string): Promise<null>;
  /** OAuth callbacks and EHR launches, as the deep-link parser produced them. */
  handleDeepLink(link: DeepLink): Promise<void>;
  answerLaunch(confirmationId: string, accept: boolean): Promise<null>;
  /** Ends the session; a registered device's key and registration are deleted as well. */
  signOut(connectionId: string): Promise<null>;
  signOutAll(): Promise<null>;
  /** Restores sessions from the keychain by refreshing, silently. */
  restore(): Promise<void>;
  list(): ConnectionWithSession[];
  getAccessToken(connectionId: string): Promise<string>;
  /** After a 401 refusing `refused`: one renewal (shared with any other caller), or null when the session cannot go on. */
  refreshAfterUnauthorized(connectionId: string, refused: string): Promise<string | null>;
  sessionContext(connectionId: string): SessionContext | null;
  /**
   * The context of a session that can be used now, for the chart; otherwise throws the `auth` error whose message
   * the connection row shows too.
   */
  usableSession(connectionId: string): SessionContext;
  /** The chart read this patient's name: the row shows it for the session's patient in context (read once). */
  notePatientName(connectionId: string, patientId: string, name: string | null): void;
  /** Signs out (with revocation) and then removes the connection; locked managed ones are refused. */
  removeConnection(connectionId: string): Promise<null>;
  /** Saves new settings; a change of FHIR base or client id ends the session first. */
  updateConnection(connectionId: string, settings: ConnectionSettings): Promise<Connection>;
  /**
   * "Forget this device": deletes the device registration at the EHR (RFC 7592, where offered) and its key from the
   * keychain. The current access token lives on until it expires; then the clinician signs in again.
   */
  forgetDevice(connectionId: string): Promise<null>;
  /** Replaces the device key (RFC 7592 update); refused when no device is registered or the EHR offers no update. */
  rotateDeviceKey(connectionId: string): Promise<null>;
  /** Closes loopback listeners and forgets pending sign-ins. */
  dispose(): void;
}

/** Which setting a session depends on was edited, in the clinician's words; null when none was. */
function sessionBoundChange(before: Connection, after: ConnectionSettings): string | null {
  if (!sameFhirBase(before.fhirBaseUrl, after.fhirBaseUrl)) return 'FHIR address';
  if (before.clientId !== after.clientId.trim()) return 'client ID';
  if (before.scopes !== after.scopes || before.scopeSyntax !== after.scopeSyntax) return 'scopes';
  // The kinds of writing decide the write scopes asked for: nothing is written under a grant just narrowed.
  if (!sameWriteKinds(before.writeKinds, after.writeKinds)) return 'permission to write';
  return null;
}

/**
 * The sessions of all connections, behind one facade for compose.ts and the IPC handlers. The work is done by
 * the sign-in flow (browser, callback, code exchange), the token keeper (renewal, keychain, revocation), the
 * device enrolment, the EHR launches and the names read after sign-in; this file wires them and handles what
 * spans several: sign-out, removing or editing a connection.
 */
export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const discovery = deps.discovery ?? createDiscoveryCache({ fetch: deps.fetch, now: deps.now });
  // The one place a connection's SMART endpoints are discovered, for a sign-in (and once for a keychain record written
  // before grants kept their endpoints). Every later use of a grant goes to the endpoints it was issued with (grant.ts).
  const configFor = (connection: Connection) =>
    discovery.get(connection.fhirBaseUrl, connection.sendEpicClientIdHeader ? connection.clientId : null);
  const sessions = createLiveSessions(() => deps.onChange(list()));
  const shared = { sessions, configFor, fetch: deps.fetch, now: deps.now, log: deps.log, onNotice: deps.onNotice };
  const keychain = createSessionKeychain({ secrets: deps.secrets, log: deps.log, onNotice: deps.onNotice });
  const names = createSessionNames({
    sessions,
    tokens: (connectionId) => ({
      getAccessToken: () => keeper.getAccessToken(connectionId),
      refreshAfterUnauthorized: (refused) => keeper.refreshAfterUnauthorized(connectionId, refused),
    }),
    fetch: deps.fetch,
    log: deps.log,
  });
  const keeper = createTokenKeeper({
    ...shared,
    keychain,
    store: deps.store,
    refreshAheadMs: deps.refreshAheadMs ?? 60_000,
    onSessionReady: (connectionId, restored) => void names.read(connectionId, { patient: restored }),
  });
  const devices = createDeviceEnrolment({ ...shared, keychain, keeper });
  const flow = createSignInFlow({ ...shared, keeper, devices, openExternal: deps.openExternal, redirect: deps.redirect });
  const launches = createEhrLaunches({
    ...shared,
    store: deps.store,
    signIn: (connection, launch) => flow.start(connection, launch),
    signingIn: (connectionId) => flow.waiting(connectionId),
    chartOpen: deps.chartOpen ?? (() => false),
    onLaunchConfirm: deps.onLaunchConfirm,
  });

  const requireConnection = (connectionId: string): Connection => {
    const connection = deps.store.get(connectionId);
    if (!connection) throw new ChartDeskError('not-found', 'This connection does not exist (any more).');
    return connection;
  };

  function list(): ConnectionWithSession[] {
    return deps.store
      .list()
      .map((connection) => ({ connection, session: sessionView(connection, sessions.peek(connection.id), deps.now()) }));
  }

  /**
   * Signs out here and, where the EHR allows, there. What stays alive at the EHR is told as a notice, unless the
   * clinician has just read it in the sign-out confirmation (`SessionView.signOutNote`).
   */
  async function signOutOne(connectionId: string, noteRead = false): Promise<void> {
    flow.drop(connectionId);
    const grant = sessions.peek(connectionId)?.grant;
    const connection = deps.store.get(connectionId);
    const note = grant && connection ? keptAtEhrNote(connection.name, grant) : null;
    const remote = await keeper.signOut(connectionId);
    if (!connection) return;
    if (remote === 'failed') {
      deps.onNotice({ level: 'warning', message: SESSION_MESSAGES.revocationFailed(connection.name), connectionId });
    } else if (remote === 'no-revocation' && note !== null && !noteRead) {
      deps.onNotice({ level: 'info', message: note, connectionId });
    }
  }

  return {
    async signIn(connectionId) {
      const connection = requireConnection(connectionId);
      // A session kept through a network failure needs no browser once the EHR answers again.
      if (await keeper.resume(connectionId)) return null;
      await flow.start(connection);
      return null;
    },

    async cancel(connectionId) {
      if (flow.drop(connectionId)) {
        deps.log.info('sign-in.cancelled', { connectionId });
        sessions.setStatus(connectionId, sessions.of(connectionId).grant ? 'signed-in' : 'signed-out', null);
      }
      return null;
    },

    async handleDeepLink(link) {
      if (link.kind === 'oauth-callback') return flow.handleCallback(link, 'custom-scheme');
      if (link.kind === 'ehr-launch') return launches.handle(link.iss, link.launch);
      deps.log.warn('deep-link.rejected', { reason: link.reason });
    },

    async answerLaunch(confirmationId, accept) {
      await launches.answer(confirmationId, accept);
      return null;
    },

    async signOut(connectionId) {
      await signOutOne(connectionId, true);
      sessions.emit();
      return null;
    },

    async signOutAll() {
      const ids = new Set([...sessions.ids(), ...deps.store.list().map((connection) => connection.id)]);
      await Promise.all([...ids].map((id) => signOutOne(id)));
      sessions.emit();
      return null;
    },

    async restore() {
      let accounts: string[];
      try {
        accounts = await keychain.accounts();
      } catch (error) {
        deps.log.warn('keychain.unavailable', { reason: errorReason(error) });
        deps.onNotice({ level: 'warning', message: KEYCHAIN_UNAVAILABLE, connectionId: null });
        return;
      }
      await Promise.all(deps.store.list().map((connection) => keeper.restore(connection, accounts)));
      sessions.emit();
    },

    list,
    getAccessToken: (connectionId) => keeper.getAccessToken(connectionId),
    refreshAfterUnauthorized: (connectionId, refused) => keeper.refreshAfterUnauthorized(connectionId, refused),

    sessionContext(connectionId): SessionContext | null {
      const grant = sessions.peek(connectionId)?.grant;
      return grant ? sessionContext(connectionId, grant) : null;
    },

    notePatientName: (connectionId, patientId, name) => names.notePatientName(connectionId, patientId, name),

    usableSession(connectionId) {
      keeper.expireIfDue(connectionId);
      const live = sessions.peek(connectionId);
      const view = sessionView(requireConnection(connectionId), live, deps.now());
      if (view.status === 'signed-in' && live?.grant) return sessionContext(connectionId, live.grant);
      throw new ChartDeskError('auth', view.status === 'expired' && view.message ? view.message : SESSION_MESSAGES.notSignedIn);
    },

    async removeConnection(connectionId) {
      if (requireConnection(connectionId).managed === 'locked') {
        throw new ChartDeskError('forbidden', 'This connection is managed by your organization and cannot be removed.');
      }
      await signOutOne(connectionId);
      await deps.store.remove(connectionId);
      sessions.emit();
      return null;
    },

    async updateConnection(connectionId, settings) {
      const before = requireConnection(connectionId);
      if (before.managed === 'locked') {
        throw new ChartDeskError('forbidden', 'This connection is managed by your organization and cannot be changed.');
      }
      // A session belongs to one EHR, client and grant of scopes: it ends, revoked at the EHR that issued it, before
      // the new settings are saved, so nothing of it is ever used with them.
      const changed = sessionBoundChange(before, settings);
      const signedIn = sessions.peek(connectionId)?.grant != null;
      // A sign-in still waiting for its browser was asked with the old settings: it goes too.
      if (changed && flow.drop(connectionId) && !signedIn) sessions.setStatus(connectionId, 'signed-out', null);
      if (changed && signedIn) {
        await signOutOne(connectionId);
        deps.onNotice({
          level: 'info',
          message: `You were signed out of ${before.name} because its ${changed} changed. Sign in again to use the new settings.`,
          connectionId,
        });
      }
      const updated = await deps.store.update(connectionId, settings);
      if (changed) discovery.forget(before.fhirBaseUrl);
      else if (before.registerDevice && !updated.registerDevice) await devices.forget(connectionId);
      sessions.emit();
      return updated;
    },

    async forgetDevice(connectionId) {
      requireConnection(connectionId);
      await devices.forget(connectionId);
      sessions.emit();
      return null;
    },

    async rotateDeviceKey(connectionId) {
      await devices.rotate(requireConnection(connectionId));
      sessions.emit();
      return null;
    },

    dispose() {
      flow.dispose();
      keeper.dispose();
    },
  };
}
