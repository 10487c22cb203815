import type { Connection } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ConnectionStore } from '../connections/connection-store';
import { deleteDeviceRegistration, type DeviceRegistration } from './device-registration';
import type { SmartConfiguration } from './discovery';
import { endpointsOf, type Grant, grantConfiguration, grantFromRecord, renewable } from './grant';
import { deviceRefused, jwtBearerGrant } from './jwt-bearer';
import { changedPatient, mergeLaunchContext } from './launch-context';
import type { LiveSession, SessionPartDeps } from './live-sessions';
import { summarizeGrant } from './scopes';
import type { SessionKeychain } from './session-keychain';
import { SESSION_MESSAGES } from './session-messages';
import {
  accessTokenExpiry,
  refreshIdentity,
  refreshTokens,
  type RefreshedTokens,
  revokeToken,
  type TokenCallContext,
} from './token-endpoint';
import { classifyTokenError, describeTokenError, tokenErrorAdvice } from './token-errors';

export interface TokenKeeperDeps extends SessionPartDeps {
  keychain: SessionKeychain;
  store: ConnectionStore;
  /** How long before expiry an access token is refreshed, for clock skew and request time. */
  refreshAheadMs: number;
  /** A session has its first access token (after a sign-in, or restored from the keychain): the names can be read. */
  onSessionReady: (connectionId: string, restored: boolean) => void;
}

/** What a sign-out could do at the EHR: the session may live on there, and the clinician is told so. */
export type RemoteSignOut = 'revoked' | 'unregistered' | 'no-revocation' | 'failed' | 'nothing';

/**
 * Owns every token of every session: hands out access tokens, renews them (refresh token or, for a registered
 * device, the JWT bearer grant) one renewal at a time, keeps the renewable part in the keychain, restores it at
 * start-up and revokes it at sign-out. A session that cannot go on ends here, at once, with one message for the
 * connection row, a notice and the chart (session-messages.ts).
 */
export interface TokenKeeper {
  /** Installs the grant of a completed sign-in in place of any earlier one, and saves it. */
  begin(connectionId: string, grant: Grant): Promise<void>;
  getAccessToken(connectionId: string): Promise<string>;
  /**
   * After the EHR refused `refused` (HTTP 401): a renewed token (one renewal, shared with any other caller), or null
   * when the session cannot go on. A renewed token refused in its turn ends the session.
   */
  refreshAfterUnauthorized(connectionId: string, refused: string): Promise<string | null>;
  /** Ends a session whose access ran out with nothing to renew it, if that time has come (the timer may be late). */
  expireIfDue(connectionId: string): void;
  /** Runs `change` in the renewal slot, so that no renewal overlaps it, then renews with what it changed. */
  renewAfter(connectionId: string, change: () => Promise<void>): Promise<void>;
  /** Restores the connection's session from the keychain by renewing it, silently. */
  restore(connection: Connection, accounts: string[]): Promise<void>;
  /** Renews a session kept through a network failure, without the browser; false when that did not work. */
  resume(connectionId: string): Promise<boolean>;
  /** Ends the grant: its registration deleted or its token revoked at the EHR, its keychain entries gone. */
  signOut(connectionId: string): Promise<RemoteSignOut>;
  /** Deletes a device registration at the EHR where it offers that; a failure is logged, not thrown. */
  unregister(connectionId: string, device: DeviceRegistration): Promise<RemoteSignOut>;
  /** Watches the access token's expiry again, after something took the session's means of renewal away. */
  watch(connectionId: string): void;
  /** Stops the expiry timers. */
  dispose(): void;
}

/** What oauth4webapi needs for one call to the token endpoint. */
export function tokenCallContext(
  deps: { fetch: typeof fetch; now: () => number },
  config: SmartConfiguration,
  clientId: string,
): TokenCallContext {
  return { config, clientId, fetch: deps.fetch, clockSkewSeconds: Math.round((deps.now() - Date.now()) / 1000) };
}

const signedOut = () => new ChartDeskError('cancelled', 'The session was signed out.');

/** Timers are set in real time; a longer wait is set again when it ends (setTimeout's limit is about 24.8 days). */
const MAX_TIMER_MS = 24 * 60 * 60_000;

export function createTokenKeeper(deps: TokenKeeperDeps): TokenKeeper {
  const { sessions, keychain } = deps;
  const expiryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const ehrName = (connectionId: string) => deps.store.get(connectionId)?.name ?? 'The EHR';
  const stillValid = (grant: Grant) => grant.accessToken !== null && grant.expiresAt !== null && grant.expiresAt > deps.now();

  function stopWatching(connectionId: string): void {
    clearTimeout(expiryTimers.get(connectionId));
    expiryTimers.delete(connectionId);
  }

  /** The session cannot go on: the row shows it expired with this message, and a notice says the same, once. */
  function expire(connectionId: string, message: string): ChartDeskError {
    stopWatching(connectionId);
    const hadGrant = sessions.peek(connectionId)?.grant != null;
    sessions.end(connectionId, 'expired', message);
    if (hadGrant) deps.onNotice({ level: 'warning', message, connectionId });
    return new ChartDeskError('auth', message);
  }

  /**
   * The EHR could not be reached and the session has no working access: it shows as expired, but keeps its refresh
   * token (here and in the keychain), so that "Sign in again" renews it without the browser once the EHR answers.
   */
  function unreachable(connectionId: string, live: LiveSession, ehr: string): ChartDeskError {
    stopWatching(connectionId);
    const message = SESSION_MESSAGES.unreachable(ehr);
    const told = live.status === 'expired' && live.message === message;
    sessions.setStatus(connectionId, 'expired', message);
    if (!told) deps.onNotice({ level: 'warning', message, connectionId });
    return new ChartDeskError('network', message);
  }

  /**
   * At the access token's expiry, when something must happen then: a session with nothing to renew it by ends, and
   * one whose last renewal failed tries once more (and ends if that fails too). Other renewals happen on use.
   */
  function watchExpiry(connectionId: string, grant: Grant): void {
    stopWatching(connectionId);
    if (grant.expiresAt === null) return;
    const wait = Math.min(Math.max(grant.expiresAt - deps.now(), 0), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      expiryTimers.delete(connectionId);
      if (sessions.peek(connectionId)?.grant !== grant) return;
      if (stillValid(grant)) watchExpiry(connectionId, grant);
      else if (renewable(grant)) void refreshOnce(connectionId).catch(() => undefined);
      else expire(connectionId, SESSION_MESSAGES.expired(ehrName(connectionId)));
    }, wait);
    timer.unref();
    expiryTimers.set(connectionId, timer);
  }

  function refreshOnce(connectionId: string): Promise<string> {
    const live = sessions.of(connectionId);
    live.refreshing ??= refresh(connectionId, live).finally(() => {
      live.refreshing = null;
    });
    return live.refreshing;
  }

  async function refresh(connectionId: string, live: LiveSession): Promise<string> {
    const grant = live.grant;
    const connection = deps.store.get(connectionId);
    if (!grant || !renewable(grant) || !connection) {
      throw expire(connectionId, SESSION_MESSAGES.expired(ehrName(connectionId)));
    }
    const generation = live.generation;
    let renewed: RefreshedTokens;
    try {
      // The grant's own endpoints: never the connection's settings, which may have been edited since.
      const config = grantConfiguration(grant);
      renewed = grant.device
        ? {
            response: await jwtBearerGrant(tokenCallContext(deps, config, grant.device.clientId), grant.binding, grant.device),
            idToken: undefined,
          }
        : await refreshTokens(tokenCallContext(deps, config, grant.clientId), grant.binding, grant.refreshToken!);
    } catch (error) {
      throw await renewalFailed(connection, live, grant, generation, error);
    }
    if (live.generation !== generation || live.grant !== grant) throw signedOut();
    const { response } = renewed;
    const identity = refreshIdentity(renewed.idToken, { issuer: grant.binding.issuer, subject: grant.subject });
    if (identity.kind === 'ignored') deps.log.info('refresh.id-token-ignored', { connectionId, reason: identity.reason });
    if (identity.kind === 'other-user') {
      deps.log.warn('refresh.other-user', { connectionId, reason: identity.reason });
      await keychain.forget(grant.account);
      throw expire(connectionId, SESSION_MESSAGES.otherUser(connection.name));
    }
    if (changedPatient(grant.context, response, grant.fhirBaseUrl) !== null) {
      grant.refreshToken = response.refresh_token ?? grant.refreshToken;
      throw await patientChanged(connection, grant);
    }
    // Rotation (INF#117): the new refresh token is saved before the new access token is used.
    if (response.refresh_token !== undefined && response.refresh_token !== grant.refreshToken) {
      grant.refreshToken = response.refresh_token;
      await keychain.save(connectionId, live);
      if (live.generation !== generation) {
        // Signed out while the keychain was written: take the entry back out.
        await keychain.forget(grant.account);
        throw signedOut();
      }
    }
    const restored = grant.accessToken === null;
    grant.accessToken = response.access_token;
    grant.expiresAt = accessTokenExpiry(deps.now(), response.expires_in);
    grant.context = mergeLaunchContext(grant.context, response, grant.fhirBaseUrl);
    if (response.scope !== undefined) {
      grant.grantedScope = response.scope;
      grant.summary = summarizeGrant(grant.requestedScope, response.scope);
    }
    deps.log.info('refresh.completed', {
      connectionId,
      grant: grant.device ? 'jwt-bearer' : 'refresh-token',
      rotated: response.refresh_token !== undefined,
    });
    stopWatching(connectionId);
    live.status = 'signed-in';
    // An unsaved session says so by its row's badge; the keychain's notice is raised once for the app.
    live.message = null;
    if (restored) deps.onSessionReady(connectionId, true);
    sessions.emit();
    return response.access_token;
  }

  /**
   * Sorts out a failed renewal and returns the error for the caller. A session whose access still works goes on
   * (and tries again at its expiry); one without working access ends now. A network failure leaves the refresh token
   * in the keychain, so that the next start can restore the session.
   */
  async function renewalFailed(
    connection: Connection,
    live: LiveSession,
    grant: Grant,
    generation: number,
    error: unknown,
  ): Promise<ChartDeskError> {
    const connectionId = connection.id;
    const kind = classifyTokenError(error);
    deps.log.warn('refresh.failed', { connectionId, kind, device: grant.device !== null, reason: describeTokenError(error) });
    if (live.generation !== generation) return signedOut();
    if (kind === 'invalid-grant' || (grant.device && deviceRefused(error))) {
      // The refresh token or the device registration is dead: nothing in the keychain can renew the session.
      await keychain.forget(grant.account);
      return expire(
        connectionId,
        grant.device ? SESSION_MESSAGES.deviceRefused(connection.name) : SESSION_MESSAGES.ended(connection.name),
      );
    }
    if (!stillValid(grant) && kind === 'network') return unreachable(connectionId, live, connection.name);
    if (!stillValid(grant)) return expire(connectionId, SESSION_MESSAGES.refused(connection.name, tokenErrorAdvice(error)));
    const message =
      kind === 'network'
        ? SESSION_MESSAGES.unreachableStillValid(connection.name)
        : SESSION_MESSAGES.refusedStillValid(connection.name, tokenErrorAdvice(error));
    live.message = message;
    watchExpiry(connectionId, grant);
    sessions.emit();
    return new ChartDeskError(kind === 'network' ? 'network' : 'auth', message);
  }

  /**
   * A renewal that names another patient ends the session: the chart on screen and the patient's name belong to the
   * first one, and a silent switch would show one patient's data under another's name. Revoked, forgotten, told.
   */
  async function patientChanged(connection: Connection, grant: Grant): Promise<ChartDeskError> {
    deps.log.warn('refresh.patient-changed', { connectionId: connection.id });
    const ended = expire(
      connection.id,
      `${connection.name} switched this session to another patient, so ChartDesk ended it and closed the chart. Sign in again to continue.`,
    );
    if (grant.device) await unregister(connection.id, grant.device);
    else await revoke(connection.id, grant);
    await keychain.forget(grant.account);
    return ended;
  }

  async function unregister(connectionId: string, device: DeviceRegistration): Promise<RemoteSignOut> {
    try {
      const outcome = await deleteDeviceRegistration(deps.fetch, device);
      deps.log.info('device.unregistered', { connectionId, outcome });
      return outcome === 'deleted' ? 'unregistered' : outcome === 'not-offered' ? 'no-revocation' : 'failed';
    } catch (error) {
      deps.log.warn('device.unregister-failed', { connectionId, reason: describeTokenError(error) });
      return 'failed';
    }
  }

  /**
   * RFC 7009: the refresh token when there is one (it ends the access tokens with it), else the access token; at the
   * revocation endpoint of the EHR that issued it, whatever the connection says now.
   */
  async function revoke(connectionId: string, grant: Grant): Promise<RemoteSignOut> {
    const token = grant.refreshToken ?? grant.accessToken;
    if (token === null) return 'nothing';
    if (!grant.endpoints.revocationEndpoint) return 'no-revocation';
    try {
      await revokeToken(
        tokenCallContext(deps, grantConfiguration(grant), grant.clientId),
        token,
        grant.refreshToken !== null ? 'refresh_token' : 'access_token',
      );
      return 'revoked';
    } catch (error) {
      deps.log.warn('sign-out.revocation-failed', { connectionId, reason: describeTokenError(error) });
      return 'failed';
    }
  }

  return {
    async begin(connectionId, grant) {
      const live = sessions.of(connectionId);
      const previous = live.grant;
      live.generation += 1;
      live.grant = grant;
      stopWatching(connectionId);
      if (previous && (previous.account !== grant.account || previous.device)) await keychain.forget(previous.account);
      // A registration acts for the user and patient of the sign-in that made it: a new sign-in does not inherit it.
      if (previous?.device) void unregister(connectionId, previous.device);
      if (renewable(grant)) await keychain.save(connectionId, live);
      else watchExpiry(connectionId, grant);
      deps.log.info('sign-in.completed', {
        connectionId,
        refreshable: renewable(grant),
        persisted: live.persisted,
        oidcIdentity: grant.subject !== null,
        missingSections: grant.summary.missingSections,
      });
      sessions.setStatus(connectionId, 'signed-in', null);
      deps.onSessionReady(connectionId, false);
    },

    async getAccessToken(connectionId) {
      const live = sessions.peek(connectionId);
      const grant = live?.grant;
      if (!grant) {
        throw new ChartDeskError(
          'auth',
          live?.status === 'expired' && live.message ? live.message : SESSION_MESSAGES.notSignedIn,
        );
      }
      if (grant.accessToken !== null && grant.expiresAt !== null && grant.expiresAt - deps.refreshAheadMs > deps.now())
        return grant.accessToken;
      if (renewable(grant)) return refreshOnce(connectionId);
      if (stillValid(grant)) return grant.accessToken!;
      throw expire(connectionId, SESSION_MESSAGES.expired(ehrName(connectionId)));
    },

    async refreshAfterUnauthorized(connectionId, refused) {
      const grant = sessions.peek(connectionId)?.grant;
      if (!grant) return null;
      if (refused === grant.renewedAfterRefusal) {
        expire(connectionId, SESSION_MESSAGES.refusedAfterRenewal(ehrName(connectionId)));
        return null;
      }
      // Renewed meanwhile by another caller: the current token has not been refused.
      if (grant.accessToken !== null && refused !== grant.accessToken) return grant.accessToken;
      if (!renewable(grant)) {
        expire(connectionId, SESSION_MESSAGES.endedByEhr(ehrName(connectionId)));
        return null;
      }
      // Refused is refused, whatever expires_in said: a failed renewal now ends the session.
      grant.expiresAt = Math.min(grant.expiresAt ?? deps.now(), deps.now());
      try {
        const renewed = await refreshOnce(connectionId);
        grant.renewedAfterRefusal = renewed;
        return renewed;
      } catch {
        return null;
      }
    },

    expireIfDue(connectionId) {
      const grant = sessions.peek(connectionId)?.grant;
      if (grant && !renewable(grant) && grant.expiresAt !== null && !stillValid(grant)) {
        expire(connectionId, SESSION_MESSAGES.expired(ehrName(connectionId)));
      }
    },

    async renewAfter(connectionId, change) {
      const live = sessions.of(connectionId);
      live.refreshing = change()
        .then(() => refresh(connectionId, live))
        .finally(() => {
          live.refreshing = null;
        });
      await live.refreshing;
    },

    async restore(connection, accounts) {
      const found = await keychain.recordFor(connection, accounts);
      if (!found) return;
      const live = sessions.of(connection.id);
      live.generation += 1;
      try {
        // An older record names no endpoints: found for its own FHIR base and client (recordFor checked both match).
        const discovered = found.record.endpoints ? null : endpointsOf(await deps.configFor(connection));
        live.grant = grantFromRecord(found.record, found.account, discovered);
        if (discovered) await keychain.save(connection.id, live);
      } catch (error) {
        deps.log.warn('restore.discovery-failed', { connectionId: connection.id, reason: describeTokenError(error) });
        live.status = 'error';
        live.message = `${connection.name} could not be reached to restore the session.`;
        return;
      }
      try {
        await refreshOnce(connection.id);
      } catch {
        // The status, message and notice already say what happened; a network failure keeps the refresh token.
      }
    },

    async resume(connectionId) {
      const live = sessions.peek(connectionId);
      if (!live?.grant || !renewable(live.grant) || live.status !== 'expired') return false;
      try {
        await refreshOnce(connectionId);
        return true;
      } catch {
        return false;
      }
    },

    async signOut(connectionId) {
      const live = sessions.of(connectionId);
      const grant = live.grant;
      live.generation += 1;
      live.grant = null;
      live.refreshing = null;
      stopWatching(connectionId);
      // Deleting the registration ends its tokens too; the device's tokens cannot be revoked as the app's client.
      let remote: RemoteSignOut = 'nothing';
      if (grant?.device) remote = await unregister(connectionId, grant.device);
      else if (grant) remote = await revoke(connectionId, grant);
      await keychain.forgetConnection(connectionId);
      sessions.delete(connectionId);
      deps.log.info('sign-out.completed', { connectionId, remote });
      return remote;
    },

    unregister,

    watch(connectionId) {
      const grant = sessions.peek(connectionId)?.grant;
      if (grant && !renewable(grant)) watchExpiry(connectionId, grant);
    },

    dispose() {
      for (const connectionId of [...expiryTimers.keys()]) stopWatching(connectionId);
    },
  };
}
