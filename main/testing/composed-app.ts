import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventContract, EventName, InvokeChannel } from '../../common/ipc-contract';
import type { IpcResult } from '../../common/ipc-envelope';
import type { ConnectionWithSession, SessionView } from '../../common/sessions';
import type { AppNotice } from '../../common/view-models';
import { composeMainApp, type MainApp } from '../compose';
import { createLogger } from '../logging/logger';
import { DEFAULT_IDLE_LOCK_MINUTES } from '../policy/policy-schema';
import { createMemorySecretStore, type SecretStore } from '../vault/secret-store';

/**
 * The main services as compose.ts wires them, for integration tests against the sandbox EHR: a fresh user-data
 * folder, no policy, the memory keychain unless another is given. Calls go through the dispatcher as the renderer's
 * do; every event main sends, every URL it opens and every log line are recorded.
 */
export interface ComposedApp {
  app: MainApp;
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
}

export async function composedApp(options: { fetch?: typeof fetch; secrets?: SecretStore } = {}): Promise<ComposedApp> {
  const events: ComposedApp['events'] = [];
  const opened: string[] = [];
  const logLines: string[] = [];
  const app = await composeMainApp({
    appInfo: { name: 'ChartDesk', version: 'test', platform: process.platform, shell: 'web' },
    log: createLogger((line) => logLines.push(line), 'debug'),
    userDataDir: await mkdtemp(join(tmpdir(), 'chartdesk-composed-')),
    policy: {
      status: {
        source: null,
        applied: false,
        error: null,
        allowAddConnections: true,
        idleLockMinutes: DEFAULT_IDLE_LOCK_MINUTES,
      },
      policy: null,
    },
    secrets: options.secrets ?? createMemorySecretStore(),
    fetch: options.fetch ?? fetch,
    openExternal: async (url) => void opened.push(url),
  });
  app.events.subscribe(<E extends EventName>(name: E, payload: EventContract[E]) => void events.push({ name, payload }));
  const ofName = <E extends EventName>(name: E) =>
    events.filter((event) => event.name === name).map((event) => event.payload as EventContract[E]);
  return {
    app,
    call: (channel, ...args) => app.dispatch(channel, args),
    events,
    notices: () => ofName('app:notice'),
    lastList: () => ofName('connections:changed').at(-1) ?? [],
    session: (connectionId) => app.sessions.list().find((item) => item.connection.id === connectionId)!.session,
    opened,
    logLines,
  };
}
