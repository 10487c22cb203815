import type { EventContract, EventName, InvokeArgs, InvokeChannel, InvokeResult } from './ipc-contract';
import type { IpcResult } from './ipc-envelope';

/** How a bridge reaches main: Electron IPC in the preload, HTTP in the browser view. */
export interface BridgeTransport {
  invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<IpcResult<InvokeResult<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventContract[E]) => void): () => void;
}

type Invoker<C extends InvokeChannel> = (...args: InvokeArgs<C>) => Promise<IpcResult<InvokeResult<C>>>;

/** The intent-level API the renderer sees as `window.chartdesk`. No generic invoke, no raw IPC. */
export interface ChartDeskApi {
  appInfo: Invoker<'app:info'>;
  listSessions: Invoker<'session:list'>;
  onSessionsChanged(listener: (sessions: EventContract['session:changed']) => void): () => void;
}

/** Builds the API once for every transport, so preload and the browser view cannot drift apart. */
export function createChartDeskApi(transport: BridgeTransport): ChartDeskApi {
  return {
    appInfo: () => transport.invoke('app:info', []),
    listSessions: () => transport.invoke('session:list', []),
    onSessionsChanged: (listener) => transport.subscribe('session:changed', listener),
  };
}
