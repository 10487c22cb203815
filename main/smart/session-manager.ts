import { randomBytes } from 'node:crypto';
import type { Connection, ConnectionSettings } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type {
  ChartSectionId,
  ConnectionWithSession,
  GrantedScopeSummary,
  SessionStatus,
  SessionView,
} from '../../common/sessions';
import type { AppNotice, LaunchConfirmation } from '../../common/view-models';
import type { ConnectionStore } from '../connections/connection-store';
import { type DeepLink, parseDeepLink } from '../deep-link/parse-deep-link';
import type { Logger } from '../logging/logger';
import type { SecretStore } from '../vault/secret-store';
import { buildAuthorizationServer, initialIssuer } from './authorization-server';
import { type AuthorizationRequest, buildAuthorizationRequest } from './authorize-request';
import { CallbackRejectedError, validateCallback } from './callback';
import {
  createDiscoveryCache,
  type DiscoveryCache,
  DiscoveryError,
  insecureEndpoints,
  readEhrName,
  type SmartConfiguration,
} from './discovery';
import {
  deleteDeviceRegistration,
  type DeviceRegistration,
  DeviceRegistrationError,
  offersDeviceRegistration,
  type RegistrationContext,
  registerDevice,
  rotateDeviceKey,
} from './device-registration';
import { readResourceName } from './fhir-names';
import { deviceRefused, jwtBearerGrant } from './jwt-bearer';
import { type LaunchContext, mergeLaunchContext, readLaunchContext } from './launch-context';
import { type LoopbackListener, startLoopbackListener } from './loopback-listener';
import { createPendingSignIns, PENDING_SIGN_IN_TTL_MS } from './pending-sign-ins';
import { chooseSyntax, requestScopes, summarizeGrant } from './scopes';
import { accountFor, accountsOf, parseRecord, type SessionRecord, serializeRecord } from './session-record';
import {
  classifyTokenError,
  accessTokenExpiry,
  describeTokenError,
  exchangeCode,
  type IssuerBinding,
  refreshTokens,
  revokeToken,
  type TokenCallContext,
} from './token-endpoint';
import { sameFhirBase } from '../../common/fhir-base';

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
  redirect: { customSchemeUri: string };
  discovery?: DiscoveryCache;
  /** How long before expiry an access token is refreshed, for clock skew and request time. */
  refreshAheadMs?: number;
}

/** What the FHIR client and the chart need about a session; no token. */
export interface SessionContext {
  connectionId: string;
  fhirBaseUrl: string;
  patientId: string | null;
  encounterId: string | null;
  fhirUser: string | null;
  grantedSections: ChartSectionId[];
  smartStyleUrl: string | null;
  needPatientBanner: boolean;
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
  /** After a 401: one refresh (shared with any other caller), or null when the session cannot go on. */
  refreshAfterUnauthorized(connectionId: string): Promise<string | null>;
  sessionContext(connectionId: string): SessionContext | null;
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

type Channel = 'custom-scheme' | 'loopback';

interface PendingSignIn {
  request: AuthorizationRequest;
  config: SmartConfiguration;
  connection: Connection;
  channel: Channel;
  listener: LoopbackListener | null;
  /** Only a standalone sign-in's access token may serve as the initial access token of a device registration. */
  standalone: boolean;
}

interface LaunchRequest {
  iss: string;
  launch: string;
  ehrName: string | null;
  templateId: string;
  expiresAt: number;
}

/** Everything known about one connection's session. Tokens stay in this object, in main memory. */
interface Live {
  status: SessionStatus;
  message: string | null;
  persisted: boolean;
  /** Bumped by sign-out and by a new sign-in, so that a late refresh cannot bring an old session back. */
  generation: number;
  grant: {
    clientId: string;
    fhirBaseUrl: string;
    binding: IssuerBinding;
    account: string;
    accessToken: string | null;
    expiresAt: number | null;
    refreshToken: string | null;
    /** A registered device renews by the JWT bearer grant instead of a refresh token. */
    device: DeviceRegistration | null;
    requestedScope: string;
    grantedScope: string | null;
    context: LaunchContext;
    summary: GrantedScopeSummary;
    patientName: string | null;
  } | null;
  refreshing: Promise<string> | null;
}

const KEYCHAIN_UNAVAILABLE =
  'The OS keychain is not available, so this session lives in memory only: you will need to sign in again after ChartDesk restarts.';
const WAITING = 'Waiting for your browser…';
const SWEEP_INTERVAL_MS = 15_000;

export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const discovery = deps.discovery ?? createDiscoveryCache({ fetch: deps.fetch, now: deps.now });
  const refreshAheadMs = deps.refreshAheadMs ?? 60_000;
  const pending = createPendingSignIns<PendingSignIn>(deps.now);
  const launches = new Map<string, LaunchRequest>();
  const sessions = new Map<string, Live>();

  const liveOf = (connectionId: string): Live => {
    let live = sessions.get(connectionId);
    if (!live) {
      live = { status: 'signed-out', message: null, persisted: true, generation: 0, grant: null, refreshing: null };
      sessions.set(connectionId, live);
    }
    return live;
  };

  const requireConnection = (connectionId: string): Connection => {
    const connection = deps.store.get(connectionId);
    if (!connection) throw new ChartDeskError('not-found', 'This connection does not exist (any more).');
    return connection;
  };

  const setStatus = (connectionId: string, status: SessionStatus, message: string | null) => {
    const live = liveOf(connectionId);
    live.status = status;
    live.message = message;
    emit();
  };

  const emit = () => deps.onChange(list());

  const tokenContext = (config: SmartConfiguration, clientId: string): TokenCallContext => ({
    config,
    clientId,
    fetch: deps.fetch,
    clockSkewSeconds: Math.round((deps.now() - Date.now()) / 1000),
  });

  const configFor = (connection: { fhirBaseUrl: string; clientId: string; sendEpicClientIdHeader?: boolean }) =>
    discovery.get(connection.fhirBaseUrl, connection.sendEpicClientIdHeader ? connection.clientId : null);

  /** Expired pending sign-ins go back to signed-out and their listeners close. */
  const sweep = () => {
    const expiredSignIns = pending.sweep();
    for (const expired of expiredSignIns) {
      expired.value.listener?.close();
      const live = liveOf(expired.connectionId);
      if (live.status === 'signing-in') {
        live.status = live.grant ? 'signed-in' : 'signed-out';
        live.message = 'The sign-in was not completed within 10 minutes.';
      }
    }
    for (const [id, launch] of launches) if (launch.expiresAt <= deps.now()) launches.delete(id);
    return expiredSignIns.length > 0;
  };
  // Expiry must show even when nothing else happens: a light timer while sign-ins are pending.
  let sweeper: ReturnType<typeof setInterval> | null = null;
  const watchPending = () => {
    sweeper ??= setInterval(() => {
      if (sweep()) emit();
      if (!pending.any()) {
        clearInterval(sweeper!);
        sweeper = null;
      }
    }, SWEEP_INTERVAL_MS);
    sweeper.unref();
  };

  // ---- sign-in ---------------------------------------------------------------------------------------

  async function startAuthorization(connection: Connection, launch?: string): Promise<void> {
    sweep();
    pending.cancel(connection.id)?.listener?.close();
    setStatus(connection.id, 'signing-in', WAITING);
    let listener: LoopbackListener | null = null;
    try {
      const config = await configFor(connection);
      const insecure = insecureEndpoints(config);
      if (insecure.length > 0) throw new ChartDeskError('auth', `The EHR's OAuth endpoints must use https (${insecure[0]}).`);
      if (!config.authorizationEndpoint) throw new ChartDeskError('auth', 'The EHR advertises no authorization endpoint.');
      const syntax = chooseSyntax(connection.scopeSyntax, config.capabilities);
      const scope = requestScopes(connection.scopes, syntax, launch === undefined ? 'standalone' : 'ehr');
      let redirectUri = deps.redirect.customSchemeUri;
      // Known once the request is built; the listener serves only the callback that carries it.
      let expectedState: string | null = null;
      if (connection.redirectMode === 'loopback') {
        listener = await startLoopbackListener((url) => void handleCallback(parseDeepLink(url), 'loopback'), {
          expectsState: (state) => state !== null && state === expectedState,
        });
        redirectUri = listener.redirectUri;
      }
      const request = await buildAuthorizationRequest({
        as: buildAuthorizationServer(config, initialIssuer(config)),
        clientId: connection.clientId,
        redirectUri,
        scope,
        aud: config.fhirBaseUrl,
        launch,
      });
      expectedState = request.state;
      pending.add(request.state, connection.id, {
        request,
        config,
        connection,
        channel: connection.redirectMode,
        listener,
        standalone: launch === undefined,
      });
      watchPending();
      deps.log.info('sign-in.started', {
        connectionId: connection.id,
        launch: launch === undefined ? 'standalone' : 'ehr',
        source: config.source,
      });
      await deps.openExternal(request.url);
    } catch (error) {
      listener?.close();
      pending.cancel(connection.id);
      const message = error instanceof ChartDeskError ? error.message : `Could not start the sign-in: ${safeReason(error)}`;
      deps.log.warn('sign-in.start-failed', { connectionId: connection.id, reason: message });
      settle(connection.id, message);
      if (error instanceof ChartDeskError) throw error;
      throw new ChartDeskError(error instanceof DiscoveryError ? 'network' : 'auth', message);
    }
  }

  async function handleCallback(link: DeepLink, channel: Channel): Promise<void> {
    if (link.kind !== 'oauth-callback') {
      if (link.kind === 'rejected') deps.log.warn('sign-in.callback-rejected', { reason: link.reason, channel });
      return;
    }
    sweep();
    const entry = pending.take(link.state);
    if (!entry) {
      deps.log.warn('sign-in.callback-rejected', { reason: 'unknown, expired or already used state', channel });
      deps.onNotice({
        level: 'warning',
        message:
          'A sign-in answer arrived that ChartDesk was not waiting for (unknown, expired or already used). It was ignored.',
        connectionId: null,
      });
      return;
    }
    const { connection, config, request, listener } = entry.value;
    listener?.close();
    if (entry.value.channel !== channel) {
      deps.log.warn('sign-in.callback-rejected', {
        connectionId: connection.id,
        reason: `answer came by ${channel}, expected ${entry.value.channel}`,
      });
      settle(connection.id, 'The sign-in answer arrived by an unexpected route and was refused. Sign in again.');
      return;
    }
    try {
      const parameters = validateCallback(config, connection.clientId, link, request.state);
      const context = tokenContext(config, connection.clientId);
      const grant = await exchangeCode(context, parameters, request);
      await establishSession(connection, config, request, grant.response, grant.idTokenClaims, grant.binding);
      if (entry.value.standalone) await enrolDevice(connection, config);
    } catch (error) {
      const message =
        error instanceof CallbackRejectedError
          ? error.message
          : `Sign-in failed: ${describeTokenError(error)}. Try signing in again.`;
      deps.log.warn('sign-in.failed', { connectionId: connection.id, reason: message });
      settle(connection.id, message);
    }
  }

  /** A sign-in that did not complete: any earlier session of this connection goes on, else the error shows. */
  function settle(connectionId: string, message: string) {
    setStatus(connectionId, liveOf(connectionId).grant ? 'signed-in' : 'error', message);
  }

  async function establishSession(
    connection: Connection,
    config: SmartConfiguration,
    request: AuthorizationRequest,
    response: Record<string, unknown> & { access_token: string; refresh_token?: string; expires_in?: number; scope?: string },
    claims: Record<string, unknown> | null,
    binding: IssuerBinding,
  ): Promise<void> {
    const live = liveOf(connection.id);
    const context = readLaunchContext(response, claims, config.fhirBaseUrl);
    const subject = typeof claims?.sub === 'string' ? claims.sub : null;
    const account = accountFor(connection.id, context.fhirUser ?? subject);
    const previousAccount = live.grant?.account ?? null;
    const previousDevice = live.grant?.device ?? null;
    live.generation += 1;
    live.grant = {
      clientId: connection.clientId,
      fhirBaseUrl: config.fhirBaseUrl,
      binding,
      account,
      accessToken: response.access_token,
      expiresAt: accessTokenExpiry(deps.now(), response.expires_in),
      refreshToken: response.refresh_token ?? null,
      device: null,
      requestedScope: request.scope,
      grantedScope: response.scope ?? null,
      context,
      summary: summarizeGrant(request.scope, response.scope),
      patientName: null,
    };
    if (previousAccount !== null && (previousAccount !== account || previousDevice)) await forgetSecret(previousAccount);
    // A registration acts for the user and patient of the sign-in that made it: a new sign-in does not inherit it.
    if (previousDevice) void unregister(connection.id, previousDevice);
    if (renewable(live.grant)) await persist(connection.id, live);
    deps.log.info('sign-in.completed', {
      connectionId: connection.id,
      refreshable: renewable(live.grant),
      persisted: live.persisted,
      missingSections: live.grant.summary.missingSections,
    });
    setStatus(connection.id, 'signed-in', live.persisted ? null : KEYCHAIN_UNAVAILABLE);
    void readNames(connection.id, live.generation);
  }

  /** Fills in user and patient names from the EHR after sign-in; never blocks it. */
  async function readNames(connectionId: string, generation: number) {
    const live = liveOf(connectionId);
    const grant = live.grant;
    if (!grant?.accessToken) return;
    const { fhirUser, patientId } = grant.context;
    const [userName, patientName] = await Promise.all([
      grant.context.userDisplayName === null && fhirUser
        ? readResourceName(deps.fetch, grant.fhirBaseUrl, fhirUser, grant.accessToken)
        : null,
      patientId
        ? readResourceName(deps.fetch, grant.fhirBaseUrl, `${grant.fhirBaseUrl}/Patient/${patientId}`, grant.accessToken)
        : null,
    ]);
    if (live.generation !== generation || live.grant !== grant) return;
    if (userName !== null) grant.context = { ...grant.context, userDisplayName: userName };
    if (patientName !== null) grant.patientName = patientName;
    if (userName !== null || patientName !== null) emit();
  }

  // ---- the keychain ----------------------------------------------------------------------------------

  async function persist(connectionId: string, live: Live): Promise<void> {
    const grant = live.grant;
    if (!grant || !renewable(grant)) return;
    const record: SessionRecord = {
      version: 1,
      refreshToken: grant.refreshToken,
      ...(grant.device ? { device: grant.device } : {}),
      clientId: grant.clientId,
      fhirBaseUrl: grant.fhirBaseUrl,
      issuer: grant.binding.issuer,
      jwksUri: grant.binding.jwksUri,
      requestedScope: grant.requestedScope,
      grantedScope: grant.grantedScope,
      context: grant.context,
    };
    try {
      await deps.secrets.set(grant.account, serializeRecord(record));
      live.persisted = true;
    } catch (error) {
      if (live.persisted) deps.onNotice({ level: 'warning', message: KEYCHAIN_UNAVAILABLE, connectionId });
      live.persisted = false;
      deps.log.warn('keychain.unavailable', { connectionId, reason: safeReason(error) });
    }
  }

  async function forgetSecret(account: string): Promise<void> {
    try {
      await deps.secrets.delete(account);
    } catch (error) {
      deps.log.warn('keychain.delete-failed', { reason: safeReason(error) });
    }
  }

  // ---- refresh ---------------------------------------------------------------------------------------

  function refreshOnce(connectionId: string): Promise<string> {
    const live = liveOf(connectionId);
    live.refreshing ??= refresh(connectionId, live).finally(() => {
      live.refreshing = null;
    });
    return live.refreshing;
  }

  async function refresh(connectionId: string, live: Live): Promise<string> {
    const grant = live.grant;
    const connection = deps.store.get(connectionId);
    if (!grant || !renewable(grant) || !connection) {
      endSession(connectionId, 'expired', 'Your session has ended. Sign in again.');
      throw new ChartDeskError('auth', 'Your session has ended. Sign in again.');
    }
    const generation = live.generation;
    let response;
    try {
      const config = await configFor(connection);
      response = grant.device
        ? await jwtBearerGrant(tokenContext(config, grant.device.clientId), grant.binding, grant.device)
        : await refreshTokens(tokenContext(config, grant.clientId), grant.binding, grant.refreshToken!);
    } catch (error) {
      const kind = error instanceof DiscoveryError ? 'network' : classifyTokenError(error);
      deps.log.warn('refresh.failed', { connectionId, kind, device: grant.device !== null, reason: describeTokenError(error) });
      if (live.generation !== generation) throw new ChartDeskError('cancelled', 'The session was signed out.');
      if (kind === 'invalid-grant' || (grant.device && deviceRefused(error))) {
        // The refresh token or the device registration is dead: nothing in the keychain can renew the session.
        await forgetSecret(grant.account);
        const ended = grant.device
          ? `${connection.name} no longer accepts this device's registration. Sign in again.`
          : `Your session at ${connection.name} has ended. Sign in again.`;
        endSession(connectionId, 'expired', ended);
        throw new ChartDeskError('auth', ended);
      }
      // The refresh token is kept: a network failure or a refusal other than invalid_grant may pass.
      const message =
        kind === 'network'
          ? `${connection.name} could not be reached to renew the session.`
          : `Renewing the session failed: ${describeTokenError(error)}.`;
      // A session restored from the keychain has no access token yet: it is not usable until a refresh works.
      if (grant.accessToken === null) live.status = 'error';
      live.message = message;
      emit();
      throw new ChartDeskError(kind === 'network' ? 'network' : 'auth', message);
    }
    if (live.generation !== generation || live.grant !== grant)
      throw new ChartDeskError('cancelled', 'The session was signed out.');
    // Rotation (INF#117): the new refresh token is saved before the new access token is used.
    if (response.refresh_token !== undefined && response.refresh_token !== grant.refreshToken) {
      grant.refreshToken = response.refresh_token;
      await persist(connectionId, live);
      if (live.generation !== generation) {
        // Signed out while the keychain was written: take the entry back out.
        await forgetSecret(grant.account);
        throw new ChartDeskError('cancelled', 'The session was signed out.');
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
    live.message = live.persisted ? null : KEYCHAIN_UNAVAILABLE;
    if (restored) void readNames(connectionId, live.generation);
    emit();
    return response.access_token;
  }

  function endSession(connectionId: string, status: SessionStatus, message: string | null) {
    const live = liveOf(connectionId);
    live.generation += 1;
    live.grant = null;
    live.persisted = true;
    setStatus(connectionId, status, message);
  }

  // ---- restore and sign-out ----------------------------------------------------------------------------

  async function restoreOne(connection: Connection, accounts: string[]): Promise<void> {
    const [account, ...others] = accountsOf(accounts, connection.id);
    for (const other of others) await forgetSecret(other);
    if (account === undefined) return;
    const text = await deps.secrets.get(account);
    const record = text === null ? null : parseRecord(text);
    if (record === null || record.clientId !== connection.clientId || !sameFhirBase(record.fhirBaseUrl, connection.fhirBaseUrl)) {
      // Written for other settings (or by another version): unusable, so not kept.
      await forgetSecret(account);
      return;
    }
    const live = liveOf(connection.id);
    live.generation += 1;
    live.grant = {
      clientId: record.clientId,
      fhirBaseUrl: record.fhirBaseUrl,
      binding: { issuer: record.issuer, jwksUri: record.jwksUri },
      account,
      accessToken: null,
      expiresAt: null,
      refreshToken: record.refreshToken,
      device: record.device ?? null,
      requestedScope: record.requestedScope,
      grantedScope: record.grantedScope,
      context: record.context,
      summary: summarizeGrant(record.requestedScope, record.grantedScope ?? undefined),
      patientName: null,
    };
    try {
      await refreshOnce(connection.id);
    } catch {
      // Silent: the status and message already say what happened; a network failure keeps the refresh token.
    }
  }

  async function signOutOne(connectionId: string): Promise<void> {
    pending.cancel(connectionId)?.listener?.close();
    const live = liveOf(connectionId);
    const grant = live.grant;
    live.generation += 1;
    live.grant = null;
    live.refreshing = null;
    if (grant?.device) {
      // Deleting the registration ends its tokens too; the device's tokens cannot be revoked as the app's client.
      await unregister(connectionId, grant.device);
    } else if (grant) {
      const token = grant.refreshToken ?? grant.accessToken;
      const connection = deps.store.get(connectionId);
      if (token !== null && connection) {
        try {
          const config = await configFor(connection);
          await revokeToken(
            tokenContext(config, grant.clientId),
            token,
            grant.refreshToken !== null ? 'refresh_token' : 'access_token',
          );
        } catch (error) {
          deps.log.warn('sign-out.revocation-failed', { connectionId, reason: describeTokenError(error) });
        }
      }
    }
    try {
      for (const account of accountsOf(await deps.secrets.list(), connectionId)) await forgetSecret(account);
    } catch (error) {
      deps.log.warn('keychain.unavailable', { connectionId, reason: safeReason(error) });
    }
    sessions.delete(connectionId);
    deps.log.info('sign-out.completed', { connectionId });
  }

  // ---- device registration ---------------------------------------------------------------------------

  const registrationContext = (connection: Connection, config: SmartConfiguration): RegistrationContext => ({
    config,
    softwareId: connection.clientId,
    fetch: deps.fetch,
  });

  /**
   * After a standalone sign-in: registers this device when the connection asks for it, the EHR offers it and gave no
   * refresh token (Epic gives none to native apps). A failure leaves the session as it is, with a notice.
   */
  async function enrolDevice(connection: Connection, config: SmartConfiguration): Promise<void> {
    const live = liveOf(connection.id);
    const grant = live.grant;
    if (!connection.registerDevice || !grant?.accessToken || grant.device || grant.refreshToken !== null) return;
    if (!offersDeviceRegistration(config)) {
      deps.log.info('device.registration-not-offered', { connectionId: connection.id });
      return;
    }
    const generation = live.generation;
    try {
      const device = await registerDevice(registrationContext(connection, config), grant.accessToken);
      if (live.generation !== generation || live.grant !== grant) {
        // Signed out meanwhile: the new registration must not outlive the session.
        await unregister(connection.id, device);
        return;
      }
      grant.device = device;
      await persist(connection.id, live);
      deps.log.info('device.registered', {
        connectionId: connection.id,
        alg: device.key.alg,
        manageable: device.registrationClientUri !== null,
      });
      emit();
    } catch (error) {
      const reason = error instanceof DeviceRegistrationError ? error.message : describeTokenError(error);
      deps.log.warn('device.registration-failed', { connectionId: connection.id, reason });
      deps.onNotice({
        level: 'warning',
        message: `This device could not be registered with ${connection.name} (${reason}). You will need to sign in again when this session ends.`,
        connectionId: connection.id,
      });
    }
  }

  /** Deletes a registration at the EHR where it offers that; without management the key, once deleted, is useless. */
  async function unregister(connectionId: string, device: DeviceRegistration): Promise<void> {
    try {
      const deleted = await deleteDeviceRegistration(deps.fetch, device);
      deps.log.info('device.unregistered', { connectionId, deletedAtEhr: deleted });
    } catch (error) {
      deps.log.warn('device.unregister-failed', { connectionId, reason: describeTokenError(error) });
    }
  }

  async function forgetDeviceOf(connectionId: string): Promise<void> {
    const live = liveOf(connectionId);
    await live.refreshing?.catch(() => null);
    const grant = live.grant;
    if (!grant?.device) return;
    const device = grant.device;
    grant.device = null;
    // Without the device (and no refresh token) nothing can restore the session: its keychain entry goes.
    if (renewable(grant)) await persist(connectionId, live);
    else await forgetSecret(grant.account);
    await unregister(connectionId, device);
  }

  /**
   * Rotation takes the refresh slot, so that no renewal signs with a key the EHR has just dropped; it ends with a
   * JWT bearer grant signed by the new key, which proves the EHR took it.
   */
  async function rotateKeyOf(connection: Connection): Promise<void> {
    const live = liveOf(connection.id);
    await live.refreshing?.catch(() => null);
    const grant = live.grant;
    if (!grant?.device) throw new ChartDeskError('not-found', 'No device is registered for this connection.');
    const device = grant.device;
    const rotation = (async () => {
      try {
        const config = await configFor(connection);
        grant.device = await rotateDeviceKey(registrationContext(connection, config), device);
      } catch (error) {
        const reason = error instanceof DeviceRegistrationError ? error.message : describeTokenError(error);
        deps.log.warn('device.rotation-failed', { connectionId: connection.id, reason });
        throw new ChartDeskError(
          error instanceof DiscoveryError ? 'network' : 'auth',
          `The device key was not replaced: ${reason}`,
        );
      }
      await persist(connection.id, live);
      deps.log.info('device.key-rotated', { connectionId: connection.id, alg: grant.device.key.alg });
      return refresh(connection.id, live);
    })();
    live.refreshing = rotation.finally(() => {
      live.refreshing = null;
    });
    await live.refreshing;
  }

  // ---- EHR launch --------------------------------------------------------------------------------------

  async function handleLaunch(iss: string, launch: string): Promise<void> {
    sweep();
    const known = deps.store.findByFhirBase(iss);
    if (known) {
      deps.log.info('ehr-launch.accepted', { connectionId: known.id });
      // Nobody awaits a deep link: a failure to start is told to the clinician here.
      await startAuthorization(known, launch).catch((error: ChartDeskError) =>
        deps.onNotice({ level: 'error', message: error.message, connectionId: known.id }),
      );
      return;
    }
    const template = deps.store.list().find((connection) => connection.allowUnknownEhrLaunch);
    if (!template || !deps.store.canAdd()) {
      deps.log.warn('ehr-launch.rejected', { reason: 'issuer not configured', iss });
      deps.onNotice({
        level: 'error',
        message: `An EHR launch from ${iss} was refused: this EHR is not configured in ChartDesk.`,
        connectionId: null,
      });
      return;
    }
    const id = randomBytes(12).toString('base64url');
    const ehrName = await readEhrName(iss, { fetch: deps.fetch });
    launches.set(id, { iss, launch, ehrName, templateId: template.id, expiresAt: deps.now() + PENDING_SIGN_IN_TTL_MS });
    deps.log.info('ehr-launch.confirmation-asked', { iss });
    deps.onLaunchConfirm({ id, issuer: iss, ehrName });
  }

  // ---- the facade --------------------------------------------------------------------------------------

  function view(connection: Connection): SessionView {
    const live = sessions.get(connection.id);
    const grant = live?.grant ?? null;
    let status: SessionStatus = live?.status ?? 'signed-out';
    let message = live?.message ?? null;
    if (status === 'signed-in' && grant && !renewable(grant) && grant.expiresAt !== null && grant.expiresAt <= deps.now()) {
      status = 'expired';
      message = 'Your session has expired. Sign in again.';
    }
    return {
      connectionId: connection.id,
      connectionName: connection.name,
      status,
      message,
      userDisplayName: grant?.context.userDisplayName ?? null,
      fhirUser: grant?.context.fhirUser ?? null,
      patient: grant?.context.patientId ? { id: grant.context.patientId, name: grant.patientName } : null,
      encounterId: grant?.context.encounterId ?? null,
      needPatientBanner: grant?.context.needPatientBanner ?? true,
      smartStyleUrl: grant?.context.smartStyleUrl ?? null,
      scopes: grant?.summary ?? null,
      expiresAt: grant?.expiresAt ? new Date(grant.expiresAt).toISOString() : null,
      persisted: live?.persisted ?? true,
      deviceRegistered: grant?.device != null,
    };
  }

  function list(): ConnectionWithSession[] {
    return deps.store.list().map((connection) => ({ connection, session: view(connection) }));
  }

  return {
    async signIn(connectionId) {
      await startAuthorization(requireConnection(connectionId));
      return null;
    },

    async cancel(connectionId) {
      const cancelled = pending.cancel(connectionId);
      if (cancelled) {
        cancelled.listener?.close();
        const live = liveOf(connectionId);
        deps.log.info('sign-in.cancelled', { connectionId });
        setStatus(connectionId, live.grant ? 'signed-in' : 'signed-out', null);
      }
      return null;
    },

    async handleDeepLink(link) {
      if (link.kind === 'oauth-callback') return handleCallback(link, 'custom-scheme');
      if (link.kind === 'ehr-launch') return handleLaunch(link.iss, link.launch);
      deps.log.warn('deep-link.rejected', { reason: link.reason });
    },

    async answerLaunch(confirmationId, accept) {
      sweep();
      const request = launches.get(confirmationId);
      launches.delete(confirmationId);
      if (!request) throw new ChartDeskError('not-found', 'This EHR launch has expired. Launch ChartDesk from the EHR again.');
      if (!accept) {
        deps.log.info('ehr-launch.declined', { iss: request.iss });
        return null;
      }
      const template = deps.store.get(request.templateId);
      if (!template?.allowUnknownEhrLaunch)
        throw new ChartDeskError('forbidden', 'Launches from unknown EHRs are no longer allowed.');
      const { id: _id, managed: _managed, ...templateSettings } = template;
      const connection = await deps.store.add({
        ...templateSettings,
        name: request.ehrName ?? new URL(request.iss).host,
        fhirBaseUrl: request.iss,
        allowUnknownEhrLaunch: false,
      });
      deps.log.info('ehr-launch.accepted', { connectionId: connection.id, confirmed: true });
      await startAuthorization(connection, request.launch);
      return null;
    },

    async signOut(connectionId) {
      await signOutOne(connectionId);
      emit();
      return null;
    },

    async signOutAll() {
      const ids = new Set([...sessions.keys(), ...deps.store.list().map((connection) => connection.id)]);
      await Promise.all([...ids].map((id) => signOutOne(id)));
      emit();
      return null;
    },

    async restore() {
      let accounts: string[];
      try {
        accounts = await deps.secrets.list();
      } catch (error) {
        deps.log.warn('keychain.unavailable', { reason: safeReason(error) });
        deps.onNotice({
          level: 'warning',
          message:
            'The OS keychain is not available: sessions cannot be restored, and new ones will last only until ChartDesk quits.',
          connectionId: null,
        });
        return;
      }
      await Promise.all(deps.store.list().map((connection) => restoreOne(connection, accounts)));
      emit();
    },

    list,

    async getAccessToken(connectionId) {
      const grant = sessions.get(connectionId)?.grant;
      if (!grant) throw new ChartDeskError('auth', 'Not signed in to this EHR. Sign in first.');
      if (grant.accessToken !== null && grant.expiresAt !== null && grant.expiresAt - refreshAheadMs > deps.now())
        return grant.accessToken;
      if (renewable(grant)) return refreshOnce(connectionId);
      if (grant.accessToken !== null && grant.expiresAt !== null && grant.expiresAt > deps.now()) return grant.accessToken;
      emit();
      throw new ChartDeskError('auth', 'Your session has expired. Sign in again.');
    },

    async refreshAfterUnauthorized(connectionId) {
      const grant = sessions.get(connectionId)?.grant;
      if (!grant || !renewable(grant)) {
        if (grant) endSession(connectionId, 'expired', 'The EHR ended your session. Sign in again.');
        return null;
      }
      return refreshOnce(connectionId).catch(() => null);
    },

    sessionContext(connectionId) {
      const live = sessions.get(connectionId);
      const grant = live?.grant;
      if (!grant) return null;
      return {
        connectionId,
        fhirBaseUrl: grant.fhirBaseUrl,
        patientId: grant.context.patientId,
        encounterId: grant.context.encounterId,
        fhirUser: grant.context.fhirUser,
        grantedSections: grant.summary.grantedSections,
        smartStyleUrl: grant.context.smartStyleUrl,
        needPatientBanner: grant.context.needPatientBanner,
      };
    },

    async removeConnection(connectionId) {
      if (requireConnection(connectionId).managed === 'locked') {
        throw new ChartDeskError('forbidden', 'This connection is managed by your organization and cannot be removed.');
      }
      await signOutOne(connectionId);
      await deps.store.remove(connectionId);
      emit();
      return null;
    },

    async updateConnection(connectionId, settings) {
      const before = requireConnection(connectionId);
      const updated = await deps.store.update(connectionId, settings);
      // A session belongs to one EHR and client: it does not survive a change of either.
      if (!sameFhirBase(before.fhirBaseUrl, updated.fhirBaseUrl) || before.clientId !== updated.clientId) {
        await signOutOne(connectionId);
        discovery.forget(before.fhirBaseUrl);
      } else if (before.registerDevice && !updated.registerDevice) {
        await forgetDeviceOf(connectionId);
      }
      emit();
      return updated;
    },

    async forgetDevice(connectionId) {
      requireConnection(connectionId);
      await forgetDeviceOf(connectionId);
      emit();
      return null;
    },

    async rotateDeviceKey(connectionId) {
      await rotateKeyOf(requireConnection(connectionId));
      emit();
      return null;
    },

    dispose() {
      for (const id of new Set([...deps.store.list().map((connection) => connection.id), ...sessions.keys()])) {
        pending.cancel(id)?.listener?.close();
      }
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
    },
  };
}

/** An error's message for logs and the clinician; the logger redacts anything token-like on top. */
function safeReason(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
}

/** Whether a session can get a new access token without the browser. */
function renewable(grant: { refreshToken: string | null; device: DeviceRegistration | null }): boolean {
  return grant.refreshToken !== null || grant.device !== null;
}
