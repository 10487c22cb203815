import { callbackPath } from '../../common/app-identity';
import type { Connection } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import { normalizeWriteKinds } from '../../common/write-kinds';
import { type DeepLink, parseDeepLink } from '../deep-link/parse-deep-link';
import { errorReason } from '../logging/logger';
import { buildAuthorizationServer, initialIssuer } from './authorization-server';
import { type AuthorizationRequest, buildAuthorizationRequest } from './authorize-request';
import { CallbackRejectedError, validateCallback } from './callback';
import type { DeviceEnrolment } from './device-enrolment';
import { DiscoveryError, insecureEndpoints, type SmartConfiguration } from './discovery';
import { endpointsOf, grantFromSignIn } from './grant';
import { readLaunchContext } from './launch-context';
import type { SessionPartDeps } from './live-sessions';
import { type LoopbackListener, startLoopbackListener } from './loopback-listener';
import { createPendingSignIns } from './pending-sign-ins';
import { chooseSyntax, requestScopes } from './scopes';
import { accountFor } from './session-record';
import { exchangeCode, type TokenGrant } from './token-endpoint';
import { describeTokenError, tokenErrorAdvice } from './token-errors';
import { type TokenKeeper, tokenCallContext } from './token-keeper';

export type RedirectChannel = 'custom-scheme' | 'loopback';

export interface SignInFlowDeps extends SessionPartDeps {
  keeper: TokenKeeper;
  devices: DeviceEnrolment;
  /** Opens the authorization URL in the system browser (RFC 8252). */
  openExternal: (url: string) => Promise<void>;
  redirect: {
    customSchemeUri: string;
    /**
     * Whether a redirect to the custom scheme can reach this app: not in the browser view, where the OS hands the
     * link to no one (a browser tab is not registered for it). Then every sign-in uses the loopback redirect.
     */
    customSchemeReachable: boolean;
  };
}

/** The browser part of SMART sign-in: the authorization request, the wait for its callback, and the code exchange. */
export interface SignInFlow {
  /** Opens the authorization URL: standalone, or with the `launch` of an EHR launch. */
  start(connection: Connection, launch?: string): Promise<void>;
  /** A callback that came by the custom scheme or the loopback listener; anything not awaited is refused. */
  handleCallback(link: DeepLink, channel: RedirectChannel): Promise<void>;
  /** Forgets the connection's pending sign-in; true when there was one. */
  drop(connectionId: string): boolean;
  /** Whether the connection has a sign-in waiting for its callback. */
  waiting(connectionId: string): boolean;
  /** Closes loopback listeners and forgets pending sign-ins. */
  dispose(): void;
}

interface PendingSignIn {
  startedAt: number;
  request: AuthorizationRequest;
  config: SmartConfiguration;
  connection: Connection;
  channel: RedirectChannel;
  /** The connection's own redirect name this sign-in used (null: the shared path); its answer must come there. */
  redirectName: string | null;
  listener: LoopbackListener | null;
  /** Only a standalone sign-in's access token may serve as the initial access token of a device registration. */
  standalone: boolean;
}

const WAITING = 'Waiting for your browser…';
const WAITING_ON_LOOPBACK =
  'Waiting for your browser… The browser view receives the sign-in on 127.0.0.1 (a browser tab cannot receive ChartDesk’s link).';
/**
 * Said once a sign-in has waited this long: some EHRs answer a refusal in the browser itself (the SMART reference
 * server shows a 401 JSON page when consent is denied) and never call ChartDesk back.
 */
export const STILL_WAITING_AFTER_MS = 60_000;
export const STILL_WAITING =
  'Still no answer from the EHR. If you declined access, or your browser shows an error from the EHR, no answer will come: cancel, then sign in again.';
const SWEEP_INTERVAL_MS = 10_000;

export function createSignInFlow(deps: SignInFlowDeps): SignInFlow {
  const { sessions } = deps;
  const pending = createPendingSignIns<PendingSignIn>(deps.now);

  /**
   * Expired pending sign-ins go back to their earlier status and their listeners close; one waiting for a minute
   * says what may have happened. True when a status changed.
   */
  const sweep = () => {
    const expiredSignIns = pending.sweep();
    for (const expired of expiredSignIns) {
      expired.value.listener?.close();
      const live = sessions.of(expired.connectionId);
      if (live.status === 'signing-in') {
        live.status = live.grant ? 'signed-in' : 'signed-out';
        live.message = 'The sign-in was not completed within 10 minutes.';
      }
    }
    let changed = expiredSignIns.length > 0;
    for (const { connectionId, value } of pending.all()) {
      const live = sessions.of(connectionId);
      if (live.status === 'signing-in' && live.message === WAITING && deps.now() - value.startedAt >= STILL_WAITING_AFTER_MS) {
        live.message = STILL_WAITING;
        changed = true;
      }
    }
    return changed;
  };
  // Expiry must show even when nothing else happens: a light timer while sign-ins are pending.
  let sweeper: ReturnType<typeof setInterval> | null = null;
  const watchPending = () => {
    sweeper ??= setInterval(() => {
      if (sweep()) sessions.emit();
      if (!pending.any()) {
        clearInterval(sweeper!);
        sweeper = null;
      }
    }, SWEEP_INTERVAL_MS);
    sweeper.unref();
  };

  const drop = (connectionId: string): boolean => {
    const cancelled = pending.cancel(connectionId);
    cancelled?.listener?.close();
    return cancelled !== null;
  };

  async function start(connection: Connection, launch?: string): Promise<void> {
    sweep();
    drop(connection.id);
    // The connection's choice, unless the custom scheme cannot come back to this shell.
    const channel: RedirectChannel =
      connection.redirectMode === 'loopback' || !deps.redirect.customSchemeReachable ? 'loopback' : 'custom-scheme';
    sessions.setStatus(connection.id, 'signing-in', channel === connection.redirectMode ? WAITING : WAITING_ON_LOOPBACK);
    let listener: LoopbackListener | null = null;
    try {
      const config = await deps.configFor(connection);
      const insecure = insecureEndpoints(config);
      if (insecure.length > 0) throw new ChartDeskError('auth', `The EHR's OAuth endpoints must use https (${insecure[0]}).`);
      if (!config.authorizationEndpoint) throw new ChartDeskError('auth', 'The EHR advertises no authorization endpoint.');
      const syntax = chooseSyntax(connection.scopeSyntax, config.capabilities);
      const scope = requestScopes(
        connection.scopes,
        syntax,
        launch === undefined ? 'standalone' : 'ehr',
        normalizeWriteKinds(connection.writeKinds),
      );
      const redirectName = connection.redirectName || null;
      let redirectUri = redirectName ? `${deps.redirect.customSchemeUri}/${redirectName}` : deps.redirect.customSchemeUri;
      // Known once the request is built; the listener serves only the callback that carries it.
      let expectedState: string | null = null;
      if (channel === 'loopback') {
        listener = await startLoopbackListener((url) => void handleCallback(parseDeepLink(url), 'loopback'), {
          expectsState: (state) => state !== null && state === expectedState,
          path: callbackPath(redirectName),
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
        startedAt: deps.now(),
        request,
        config,
        connection,
        channel,
        redirectName,
        listener,
        standalone: launch === undefined,
      });
      watchPending();
      deps.log.info('sign-in.started', {
        connectionId: connection.id,
        launch: launch === undefined ? 'standalone' : 'ehr',
        source: config.source,
        redirect: channel,
      });
      await deps.openExternal(request.url);
    } catch (error) {
      listener?.close();
      pending.cancel(connection.id);
      const message = error instanceof ChartDeskError ? error.message : `Could not start the sign-in: ${errorReason(error)}`;
      deps.log.warn('sign-in.start-failed', { connectionId: connection.id, reason: message });
      sessions.settle(connection.id, message);
      if (error instanceof ChartDeskError) throw error;
      throw new ChartDeskError(error instanceof DiscoveryError ? 'network' : 'auth', message);
    }
  }

  async function handleCallback(link: DeepLink, channel: RedirectChannel): Promise<void> {
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
      sessions.settle(connection.id, 'The sign-in answer arrived by an unexpected route and was refused. Sign in again.');
      return;
    }
    if (entry.value.redirectName !== link.redirectName) {
      // An answer on another connection's address: what an OAuth mix-up looks like (RFC 9700 §4.4).
      deps.log.warn('sign-in.callback-rejected', { connectionId: connection.id, reason: 'answer came to another redirect path' });
      sessions.settle(
        connection.id,
        "The sign-in answer arrived at another connection's address and was refused. Sign in again, and tell your IT team if it happens again.",
      );
      return;
    }
    try {
      const parameters = validateCallback(config, connection.clientId, link, request.state);
      const issued = await exchangeCode(tokenCallContext(deps, config, connection.clientId), parameters, request);
      await deps.keeper.begin(connection.id, grantOf(connection, config, request, issued));
      if (entry.value.standalone) await deps.devices.enrol(connection, config);
    } catch (error) {
      const message =
        error instanceof CallbackRejectedError
          ? error.message
          : `Sign-in failed: ${describeTokenError(error)}. ${tokenErrorAdvice(error)}`;
      deps.log.warn('sign-in.failed', { connectionId: connection.id, reason: message });
      sessions.settle(connection.id, message);
    }
  }

  /** The grant of an exchanged code: for this client, the FHIR base the EHR's configuration names, and this issuer. */
  function grantOf(connection: Connection, config: SmartConfiguration, request: AuthorizationRequest, issued: TokenGrant) {
    const claims = issued.idTokenClaims;
    const context = readLaunchContext(issued.response, claims, config.fhirBaseUrl);
    const subject = typeof claims?.sub === 'string' ? claims.sub : null;
    return grantFromSignIn(
      {
        clientId: connection.clientId,
        fhirBaseUrl: config.fhirBaseUrl,
        endpoints: endpointsOf(config),
        binding: issued.binding,
        subject,
        account: accountFor(connection.id, context.fhirUser ?? subject),
        requestedScope: request.scope,
        context,
      },
      issued.response,
      deps.now(),
    );
  }

  return {
    start,
    handleCallback,
    drop,
    waiting(connectionId) {
      if (sweep()) sessions.emit();
      return pending.has(connectionId);
    },
    dispose() {
      for (const id of sessions.ids()) drop(id);
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
    },
  };
}
