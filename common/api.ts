import {
  EVENT_NAMES,
  EVENTS,
  INVOKE,
  INVOKE_CHANNELS,
  type EventContract,
  type EventName,
  type Invoke,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
} from './ipc-contract';
import type { IpcResult } from './ipc-envelope';

/** How a bridge reaches main: Electron IPC in the preload, HTTP in the browser view. */
export interface BridgeTransport {
  invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<IpcResult<InvokeResult<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventContract[E]) => void): () => void;
}

type Invoker<C extends InvokeChannel> = (...args: InvokeArgs<C>) => Promise<IpcResult<InvokeResult<C>>>;
type Subscriber<E extends EventName> = (listener: (payload: EventContract[E]) => void) => () => void;

/**
 * The intent-level API the renderer sees as `window.chartdesk`, one method per channel and event of the contract
 * (common/ipc-contract.ts), named by its `api`. No generic invoke, no raw IPC.
 */
export type ChartDeskApi = { [C in InvokeChannel as Invoke[C]['api']]: Invoker<C> } & {
  [E in EventName as (typeof EVENTS)[E]['api']]: Subscriber<E>;
};

/** Builds the API once for every transport, so preload and the browser view cannot drift apart. */
export function createChartDeskApi(t: BridgeTransport): ChartDeskApi {
  const invokers = INVOKE_CHANNELS.map((channel) => [
    INVOKE[channel].api,
    (...args: InvokeArgs<typeof channel>) => t.invoke(channel, args),
  ]);
  const subscribers = EVENT_NAMES.map((event) => [
    EVENTS[event].api,
    (listener: (payload: EventContract[typeof event]) => void) => t.subscribe(event, listener),
  ]);
  return Object.fromEntries([...invokers, ...subscribers]) as ChartDeskApi;
}
