import type { Connection } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ConnectionStore } from '../connections/connection-store';
import { deleteDeviceRegistration, type DeviceRegistration } from './device-registration';
import { DiscoveryError, type SmartConfiguration } from './discovery';
import { type Grant, grantFromRecord, renewable } from './grant';
import { deviceRefused, jwtBearerGrant } from './jwt-bearer';
import { mergeLaunchContext } from './launch-context';
import type { LiveSession, SessionPartDeps } from './live-sessions';
import { summarizeGrant } from './scopes';
import type { SessionKeychain } from './session-keychain';
import {
  accessTokenExpiry,
  classifyTokenError,
  describeTokenError,
  refreshTokens,
  revokeToken,
  type TokenCallContext,
} from './token-endpoint';

export interface TokenKeeperDeps extends SessionPartDeps {
  keychain: SessionKeychain;
  store: ConnectionStore;
  /** How long before expiry an access token is refreshed, for clock skew and request time. */
  refreshAheadMs: number;
  /** A session has its first access token (after a sign-in or a restore): the names can be read. */
  onSessionReady: (connectionId: string) => void;
}

/**
 * Owns every token of every session: hands out access tokens, renews them (refresh token or, for a registered
 * device, the JWT bearer grant) one renewal at a time, keeps the renewable part in the keychain, restores it at
 * start-up and revokes it at sign-out.
 */
export interface TokenKeeper {
  /** Installs the grant of a completed sign-in in place of any earlier one, and saves it. */
  begin(connectionId: string, grant: Grant): Promise<void>;
  getAccessToken(connectionId: string): Promise<string>;
  /** After a 401: one refresh (shared with any other caller), or null when the session cannot go on. */
  refreshAfterUnauthorized(connectionId: string): Promise<string | null>;
  /** Runs `change` in the renewal slot, so that no renewal overlaps it, then renews with what it changed. */
  renewAfter(connectionId: string, change: () => Promise<void>): Promise<void>;
  /** Restores the connection's session from the keychain by renewing it, silently. */
  restore(connection: Connection, accounts: string[]): Promise<void>;
  /** Ends the grant: its registration deleted or its token revoked at the EHR, its keychain entries gone. */
  signOut(connectionId: string): Promise<void>;
  /** Deletes a device registration at the EHR where it offers that; a failure is logged and its reason returned, not thrown. */
  unregister(connectionId: string, device: DeviceRegistration): Promise<string | null>;
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

export function createTokenKeeper(deps: TokenKeeperDeps): TokenKeeper {
  const { sessions, keychain } = deps;

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
      sessions.end(connectionId, 'expired', 'Your session has ended. Sign in again.');
      throw new ChartDeskError('auth', 'Your session has ended. Sign in again.');
    }
    const generation = live.generation;
    let response;
    try {
      const config = await deps.configFor(connection);
      response = grant.device
        ? await jwtBearerGrant(tokenCallContext(deps, config, grant.device.clientId), grant.binding, grant.device)
        : await refreshTokens(tokenCallContext(deps, config, grant.clientId), grant.binding, grant.refreshToken!);
    } catch (error) {
      throw await renewalFailed(connection, live, grant, generation, error);
    }
    if (live.generation !== generation || live.grant !== grant) throw signedOut();
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
    live.status = 'signed-in';
    // An unsaved session says so by its row's badge; the keychain's notice is raised once for the app.
    live.message = null;
    if (restored) deps.onSessionReady(connectionId);
    sessions.emit();
    return response.access_token;
  }

  /** Sorts out a failed renewal and returns the error for the caller: the session ends only when nothing can renew it. */
  async function renewalFailed(
    connection: Connection,
    live: LiveSession,
    grant: Grant,
    generation: number,
    error: unknown,
  ): Promise<ChartDeskError> {
    const connectionId = connection.id;
    const kind = error instanceof DiscoveryError ? 'network' : classifyTokenError(error);
    deps.log.warn('refresh.failed', { connectionId, kind, device: grant.device !== null, reason: describeTokenError(error) });
    if (live.generation !== generation) return signedOut();
    if (kind === 'invalid-grant' || (grant.device && deviceRefused(error))) {
      // The refresh token or the device registration is dead: nothing in the keychain can renew the session.
      await keychain.forget(grant.account);
      const ended = grant.device
        ? `${connection.name} no longer accepts this device's registration. Sign in again.`
        : `Your session at ${connection.name} has ended. Sign in again.`;
      sessions.end(connectionId, 'expired', ended);
      return new ChartDeskError('auth', ended);
    }
    // The refresh token is kept: a network failure or a refusal other than invalid_grant may pass.
    const message =
      kind === 'network'
        ? `${connection.name} could not be reached to renew the session.`
        : `Renewing the session failed: ${describeTokenError(error)}.`;
    // A session restored from the keychain has no access token yet: it is not usable until a refresh works.
    if (grant.accessToken === null) live.status = 'error';
    live.message = message;
    sessions.emit();
    return new ChartDeskError(kind === 'network' ? 'network' : 'auth', message);
  }

  /** Deletes the device registration at the EHR; the reason it failed, or null. */
  async function unregister(connectionId: string, device: DeviceRegistration): Promise<string | null> {
    try {
      const deleted = await deleteDeviceRegistration(deps.fetch, device);
      deps.log.info('device.unregistered', { connectionId, deletedAtEhr: deleted });
      return null;
    } catch (error) {
      const reason = describeTokenError(error);
      deps.log.warn('device.unregister-failed', { connectionId, reason });
      return reason;
    }
  }

  /**
   * RFC 7009: the refresh token when there is one (it ends the access tokens with it), else the access token.
   * The reason it failed, or null.
   */
  async function revoke(connectionId: string, grant: Grant): Promise<string | null> {
    const token = grant.refreshToken ?? grant.accessToken;
    const connection = deps.store.get(connectionId);
    if (token === null || !connection) return null;
    try {
      const config = await deps.configFor(connection);
      await revokeToken(
        tokenCallContext(deps, config, grant.clientId),
        token,
        grant.refreshToken !== null ? 'refresh_token' : 'access_token',
      );
      return null;
    } catch (error) {
      const reason = describeTokenError(error);
      deps.log.warn('sign-out.revocation-failed', { connectionId, reason });
      return reason;
    }
  }

  return {
    async begin(connectionId, grant) {
      const live = sessions.of(connectionId);
      const previous = live.grant;
      live.generation += 1;
      live.grant = grant;
      if (previous && (previous.account !== grant.account || previous.device)) await keychain.forget(previous.account);
      // A registration acts for the user and patient of the sign-in that made it: a new sign-in does not inherit it.
      if (previous?.device) void unregister(connectionId, previous.device);
      if (renewable(grant)) await keychain.save(connectionId, live);
      deps.log.info('sign-in.completed', {
        connectionId,
        refreshable: renewable(grant),
        persisted: live.persisted,
        missingSections: grant.summary.missingSections,
      });
      sessions.setStatus(connectionId, 'signed-in', null);
      deps.onSessionReady(connectionId);
    },

    async getAccessToken(connectionId) {
      const grant = sessions.peek(connectionId)?.grant;
      if (!grant) throw new ChartDeskError('auth', 'Not signed in to this EHR. Sign in first.');
      if (grant.accessToken !== null && grant.expiresAt !== null && grant.expiresAt - deps.refreshAheadMs > deps.now())
        return grant.accessToken;
      if (renewable(grant)) return refreshOnce(connectionId);
      if (grant.accessToken !== null && grant.expiresAt !== null && grant.expiresAt > deps.now()) return grant.accessToken;
      sessions.emit();
      throw new ChartDeskError('auth', 'Your session has expired. Sign in again.');
    },

    async refreshAfterUnauthorized(connectionId) {
      const grant = sessions.peek(connectionId)?.grant;
      if (!grant || !renewable(grant)) {
        if (grant) sessions.end(connectionId, 'expired', 'The EHR ended your session. Sign in again.');
        return null;
      }
      return refreshOnce(connectionId).catch(() => null);
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
      live.grant = grantFromRecord(found.record, found.account);
      try {
        await refreshOnce(connection.id);
      } catch {
        // Silent: the status and message already say what happened; a network failure keeps the refresh token.
      }
    },

    async signOut(connectionId) {
      const live = sessions.of(connectionId);
      const grant = live.grant;
      live.generation += 1;
      live.grant = null;
      live.refreshing = null;
      // Deleting the registration ends its tokens too; the device's tokens cannot be revoked as the app's client.
      const failed = grant?.device
        ? await unregister(connectionId, grant.device)
        : grant
          ? await revoke(connectionId, grant)
          : null;
      await keychain.forgetConnection(connectionId);
      sessions.delete(connectionId);
      deps.log.info('sign-out.completed', { connectionId, revoked: failed === null });
      // Signed out here either way; the clinician must know when the EHR may still honour the session.
      if (failed !== null) sessions.setStatus(connectionId, 'signed-out', signedOutUnconfirmed(failed));
    },

    unregister,
  };
}

/** The row's message after a sign-out the EHR did not confirm. */
export function signedOutUnconfirmed(reason: string): string {
  return `Signed out of ChartDesk, but the EHR did not confirm that it ended the session (${reason}). It may stay valid at the EHR until it expires.`;
}
