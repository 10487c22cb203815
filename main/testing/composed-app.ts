import { WRITE_KINDS } from '../../common/write-kinds';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventContract, EventName, InvokeChannel } from '../../common/ipc-contract';
import type { IpcResult } from '../../common/ipc-envelope';
import type { Connection, ConnectionSettings } from '../../common/connections';
import type { ConnectionWithSession, SessionView } from '../../common/sessions';
import type { AppNotice } from '../../common/view-models';
import { composeMainApp, type MainApp } from '../compose';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { createLogger } from '../logging/logger';
import { type BrowserStop, createSystemBrowser } from '../smart/testing/system-browser';
import { DEFAULT_IDLE_LOCK_MINUTES } from '../policy/policy-schema';
import { createMemorySecretStore, type SecretStore } from '../vault/secret-store';

/**
 * The main services as compose.ts wires them, for integration tests against the sandbox EHR: a fresh user-data
 * folder, no policy, the memory keychain unless another is given. Calls go through the dispatcher as the renderer's
 * do; every event main sends, every URL it opens and every log line are recorded.
 */
export interface ComposedApp {
  app: MainApp;
  /** The fresh user-data folder it runs in (connections, drafts, the write audit trail). */
  userDataDir: string;
  /** One IPC call, validated and answered as the renderer would see it. */
  call<C extends InvokeChannel>(channel: C, ...args: unknown[]): Promise<IpcResult<unknown>>;
  events: { name: EventName; payload: unknown }[];
  /** Notices as the renderer receives them (events), after the ones raised before it listened. */
  notices(): AppNotice[];
  /** The connections list of the last `connections:changed` event. */
  lastList(): ConnectionWithSession[];
  session(connectionId: string): SessionView;
  opened: string[];
  logLines: string[];
  /** Adds a connection through the IPC contract and returns its id. */
  addConnection(settings: ConnectionSettings): Promise<string>;
  /** Signs in by playing the clinician's browser for the last authorization URL; returns where the browser stopped. */
  signIn(connectionId: string, browser?: ReturnType<typeof createSystemBrowser>): Promise<BrowserStop>;
}

export async function composedApp(
  options: { fetch?: typeof fetch; secrets?: SecretStore; now?: () => number } = {},
): Promise<ComposedApp> {
  const events: ComposedApp['events'] = [];
  const opened: string[] = [];
  const logLines: string[] = [];
  const userDataDir = await mkdtemp(join(tmpdir(), 'chartdesk-composed-'));
  const app = await composeMainApp({
    appInfo: { name: 'ChartDesk', version: 'test', platform: process.platform, shell: 'web' },
    // The tests play the OS: they hand the custom-scheme callback to main themselves.
    customSchemeLinks: true,
    log: createLogger((line) => logLines.push(line), 'debug'),
    userDataDir,
    policy: {
      status: {
        source: null,
        applied: false,
        error: null,
        allowAddConnections: true,
        idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES,
        allowedWriteKinds: [...WRITE_KINDS],
      },
      policy: null,
    },
    secrets: options.secrets ?? createMemorySecretStore(),
    fetch: options.fetch ?? fetch,
    openExternal: async (url) => void opened.push(url),
    ...(options.now ? { now: options.now } : {}),
  });
  app.events.subscribe(<E extends EventName>(name: E, payload: EventContract[E]) => void events.push({ name, payload }));
  const ofName = <E extends EventName>(name: E) =>
    events.filter((event) => event.name === name).map((event) => event.payload as EventContract[E]);
  return {
    app,
    userDataDir,
    call: (channel, ...args) => app.dispatch(channel, args),
    events,
    notices: () => ofName('app:notice'),
    lastList: () => ofName('connections:changed').at(-1) ?? [],
    session: (connectionId) => app.sessions.list().find((item) => item.connection.id === connectionId)!.session,
    opened,
    logLines,
    async addConnection(settings) {
      const added = await app.dispatch('connections:add', [settings]);
      if (!added.ok) throw new Error(added.error.message);
      return (added.value as Connection).id;
    },
    async signIn(connectionId, browser = createSystemBrowser()) {
      const started = await app.dispatch('session:sign-in', [connectionId]);
      if (!started.ok) throw new Error(started.error.message);
      const stop = await browser.open(opened.at(-1)!);
      if (stop.kind === 'app-link') await app.sessions.handleDeepLink(parseDeepLink(stop.url));
      return stop;
    },
  };
}
