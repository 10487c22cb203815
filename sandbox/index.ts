/**
 * The Sandbox EHR: a local SMART on FHIR server (oidc-provider for authorization, a FHIR R4 REST
 * API over SQLite) with synthetic patients, for development, demos and tests. Loopback only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEEP_LINK_SCHEME, EHR_LAUNCH_PATH } from '../common/app-identity.js';
import { ContextStore } from './auth/context-store.js';
import { authEndpoints } from './auth/discovery.js';
import { createInteractionHandler, INTERACTION_PATH } from './auth/interactions.js';
import { createLaunchPageHandler, LAUNCH_PAGE_PATH } from './auth/launch-page.js';
import { errorPage, homePage } from './auth/pages.js';
import { createAuthServer, PUBLIC_CLIENT_ID } from './auth/provider.js';
import { parseScopes } from './auth/scopes.js';
import { SMART_STYLE, SMART_STYLE_PATH } from './auth/smart-style.js';
import { buildUsers } from './auth/users.js';
import { loadDataSet } from './data/load.js';
import { FaultInjector } from './faults.js';
import { InFlightThrottle } from './throttle.js';
import { createFhirHandler, type TokenVerdict } from './fhir/server.js';
import { ResourceStore } from './fhir/store.js';
import { readBody, sendHtml, sendJson } from './http-util.js';
import { matchesName, patientSummary } from './patients.js';
import { type ProfileSpec, profileSpec } from './profiles.js';
import { timeResponse } from './server-timing.js';
import {
  SIMULATED_ERRORS,
  type AutoApproveOptions,
  type LaunchContext,
  type PatientSummary,
  type Sandbox,
  type SandboxOptions,
  type SandboxUser,
  type SimulatedError,
} from './types.js';

export * from './types.js';
export { PUBLIC_CLIENT_ID, LOOPBACK_REDIRECT_URI } from './auth/provider.js';
export { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './fhir/search.js';
export { PROFILE_NAMES } from './profiles.js';

function checkSimulatedError(value: SimulatedError | null | undefined): void {
  if (value && !SIMULATED_ERRORS.includes(value)) throw new RangeError(`unknown simulated error ${value}`);
}

/** The data set in SQLite: in memory, or in a file (a temporary one is deleted again on stop). */
async function openStorage(options: SandboxOptions): Promise<{ store: ResourceStore; dispose(): Promise<void> }> {
  const temporary = options.storage === 'sqlite' && !options.sqlitePath;
  const file =
    options.storage === 'sqlite'
      ? (options.sqlitePath ?? path.join(tmpdir(), `chartdesk-sandbox-${process.pid}-${randomUUID()}.db`))
      : ':memory:';
  // A failed load leaves a half-written temporary file behind: remove it with the rest.
  const removeFiles = async () => {
    if (temporary) await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true })));
  };
  let store: ResourceStore;
  try {
    store = new ResourceStore(await loadDataSet(options.dataDir, options.bigObservations), file);
  } catch (error) {
    await removeFiles();
    throw error;
  }
  const dispose = async () => {
    store.close();
    await removeFiles();
  };
  return { store, dispose };
}

/** Auto-approve settings with their defaults filled in and checked against the data (the caller's object is not touched). */
function resolveAutoApprove(
  option: SandboxOptions['autoApprove'],
  users: SandboxUser[],
  patients: PatientSummary[],
): AutoApproveOptions | null {
  if (!option) return null;
  const chosen = option === true ? {} : option;
  if (chosen.user && !users.some((u) => u.id === chosen.user))
    throw new RangeError(`autoApprove.user ${chosen.user} is not a sandbox user`);
  const patient = chosen.patient ?? patients[0]?.id;
  if (patient && !patients.some((p) => p.id === patient))
    throw new RangeError(`autoApprove.patient ${patient} is not in the data set`);
  return { ...(chosen.user ? { user: chosen.user } : {}), ...(patient ? { patient } : {}) };
}

async function listen(port: number): Promise<{ server: ReturnType<typeof createServer>; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** The profile with the behaviours the options switch on or off. */
function effectiveProfile(options: SandboxOptions): ProfileSpec {
  const spec = profileSpec(options.profile ?? 'smart-v2', options.sim);
  return {
    ...spec,
    revocation: options.revocation ?? spec.revocation,
    refreshIdTokenAud:
      options.refreshIdTokenWithoutAud === undefined ? spec.refreshIdTokenAud : !options.refreshIdTokenWithoutAud,
    consentDenial: options.consentDenial ?? spec.consentDenial,
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  if (options.sim !== undefined && options.profile !== 'launcher-like')
    throw new RangeError('sim is for the launcher-like profile');
  const profile = effectiveProfile(options);
  checkSimulatedError(options.simulateError);
  const faults = new FaultInjector(options.faults ?? null);
  const throttle = new InFlightThrottle(options.maxParallel ?? null);
  const storage = await openStorage(options);
  const { store } = storage;
  let listening: Awaited<ReturnType<typeof listen>>;
  let users: SandboxUser[];
  let patients: PatientSummary[];
  let autoApprove: AutoApproveOptions | null;
  try {
    users = buildUsers(store.all('Practitioner'));
    patients = store.all('Patient').map(patientSummary);
    autoApprove = resolveAutoApprove(options.autoApprove, users, patients);
    listening = await listen(options.port ?? 0);
  } catch (error) {
    await storage.dispose();
    throw error;
  }
  const { server, port } = listening;
  const origin = `http://127.0.0.1:${port}`;
  const fhirRoot = `${origin}${profile.fhirPath}`;
  // athena-like: the practice context is part of the base a connection uses, written as athenahealth writes it.
  const required = profile.requiredParam;
  const fhirBaseUrl = required ? `${fhirRoot}?${required.name}=${required.value}` : fhirRoot;
  const issuer = `${origin}${profile.authMount}`;
  const endpoints = authEndpoints(issuer, profile);
  const contexts = new ContextStore();
  let simulatedError: SimulatedError | null = options.simulateError ?? null;
  const stats = { requests: 0, faults: 0, tokensIssued: 0 };
  const clients = options.clients ?? [];

  const provider = createAuthServer({
    origin,
    issuer,
    fhirBaseUrl: fhirRoot,
    audiences: [fhirRoot, fhirBaseUrl],
    omitIdToken: options.omitIdToken ?? false,
    profile,
    users,
    contexts,
    clients,
    accessTokenLifetime: options.accessTokenLifetimeSeconds ?? profile.accessTokenLifetime,
    rotateRefreshTokens: options.refreshRotation ?? true,
    simulatedError: () => simulatedError,
    onTokenIssued: () => (stats.tokensIssued += 1),
  });
  const providerCallback = provider.callback();
  const providerRoutes = [...Object.values(profile.routes), '/.well-known/openid-configuration'];

  async function verifyToken(value: string): Promise<TokenVerdict> {
    const token = await provider.AccessToken.find(value, { ignoreExpiration: true }).catch(() => undefined);
    if (!token) return 'invalid';
    if (token.isExpired) return 'expired';
    const context = contexts.grant(token.grantId);
    const scopes = parseScopes(token.scope);
    const user = users.find((candidate) => candidate.id === token.accountId);
    return {
      scopes,
      // With fhirUser granted, the app reads the user's own resource (SMART 2.2, INF#202) whatever the resource scopes.
      ...(user && scopes.includes('fhirUser') ? { fhirUser: `Practitioner/${user.practitionerId}` } : {}),
      ...(context?.patient ? { patient: context.patient } : {}),
      ...(context?.simulateError ? { simulateError: context.simulateError } : {}),
    };
  }

  const findPatient = (id: string) => patients.find((p) => p.id === id);
  const handleInteraction = createInteractionHandler({
    provider,
    users,
    contexts,
    autoApprove,
    consentDenial: profile.consentDenial,
    findPatients: (q) => patients.filter((p) => matchesName(p, q)),
    patient: findPatient,
  });
  const handleFhir = createFhirHandler({
    store,
    fhirBaseUrl: fhirRoot,
    profile,
    endpoints,
    clientIds: new Set([PUBLIC_CLIENT_ID, ...clients.map((c) => c.client_id)]),
    verifyToken,
    faults,
    throttle,
    simulatedError: () => simulatedError,
    onRequest: (faulted) => {
      stats.requests += 1;
      if (faulted) stats.faults += 1;
    },
  });

  const mintLaunch = async (ctx: LaunchContext): Promise<string> => {
    if (!findPatient(ctx.patient)) throw new RangeError(`patient ${ctx.patient} is not in the data set`);
    if (ctx.encounter && !store.read('Encounter', ctx.encounter))
      throw new RangeError(`encounter ${ctx.encounter} is not in the data set`);
    const user = ctx.user ?? users[0]?.id;
    if (!user || !users.some((u) => u.id === user)) throw new RangeError(`user ${String(ctx.user)} is not a sandbox user`);
    checkSimulatedError(ctx.simulateError);
    return contexts.mintLaunch({
      userId: user,
      patient: ctx.patient,
      ...(ctx.encounter ? { encounter: ctx.encounter } : {}),
      ...(ctx.simulateError ? { simulateError: ctx.simulateError } : {}),
    });
  };
  const ehrLaunchLink = (launch: string) =>
    `${DEEP_LINK_SCHEME}:${EHR_LAUNCH_PATH}?${new URLSearchParams({ iss: fhirBaseUrl, launch }).toString()}`;

  const handleLaunchPage = createLaunchPageHandler({ fhirBaseUrl, patients, users, mintLaunch, ehrLaunchLink });

  async function toProvider(req: IncomingMessage, res: ServerResponse, rest: string, search: string): Promise<void> {
    const resume = rest.startsWith(`${profile.routes.authorization}/`);
    if (resume && autoApprove && !req.headers.cookie)
      req.headers.cookie = `_interaction_resume=${rest.slice(profile.routes.authorization.length + 1)}`;
    req.url = `${rest}${search}`;
    // authorize-post: the form becomes the query, so the hooks that read authorize parameters see both methods alike.
    if (req.method === 'POST' && rest === profile.routes.authorization) {
      const form = new URLSearchParams(await readBody(req));
      req.method = 'GET';
      req.url = `${rest}?${form.toString()}`;
      delete req.headers['content-type'];
      delete req.headers['content-length'];
    }
    providerCallback(req, res);
  }

  const quiet = options.quiet ?? true;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const pathname = url.pathname;
    timeResponse(res);
    // Path only: query strings carry codes, states and launch values.
    if (!quiet) res.on('finish', () => console.log(`${req.method} ${pathname} ${res.statusCode}`));
    const work = (async () => {
      if (pathname.startsWith(profile.authMount)) {
        const rest = pathname.slice(profile.authMount.length);
        if (providerRoutes.some((r) => rest === r || rest.startsWith(`${r}/`))) return toProvider(req, res, rest, url.search);
      }
      if (pathname.startsWith(INTERACTION_PATH)) return handleInteraction(req, res, url);
      if (pathname === LAUNCH_PAGE_PATH) return handleLaunchPage(req, res);
      if (pathname === SMART_STYLE_PATH) return sendJson(res, 200, SMART_STYLE);
      if (pathname === '/') return sendHtml(res, 200, homePage(fhirBaseUrl, profile.name, users));
      if (pathname === profile.fhirPath || pathname.startsWith(`${profile.fhirPath}/`)) {
        return handleFhir(req, res, pathname.slice(profile.fhirPath.length), url.searchParams);
      }
      return sendHtml(res, 404, errorPage('not_found', `Nothing here. The FHIR base URL is ${fhirBaseUrl}`));
    })();
    work.catch((error: unknown) => {
      if (!quiet) console.error(`sandbox: ${req.method} ${pathname} failed: ${(error as Error).message}`);
      if (!res.headersSent) sendHtml(res, 500, errorPage('server_error', 'The sandbox failed to answer this request.'));
      else res.destroy();
    });
  });

  return {
    fhirBaseUrl,
    issuer,
    origin,
    profile: profile.name,
    users,
    patients: () => patients.map((p) => ({ ...p })),
    mintLaunch,
    ehrLaunchLink,
    setFaults: (f) => faults.set(f),
    setMaxParallel: (max) => throttle.set(max),
    setSimulatedError: (e) => {
      checkSimulatedError(e);
      simulatedError = e;
    },
    revokeAllTokens: async () => {
      for (const grantId of contexts.grantIds()) {
        await provider.AccessToken.revokeByGrantId(grantId);
        await provider.RefreshToken.revokeByGrantId(grantId);
      }
    },
    stats: () => ({ ...stats, throttled: throttle.refused }),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await storage.dispose();
    },
  };
}
