import { createChartDeskApi, type BridgeTransport } from '../common/api';
import { isEventName, type EventContract, type EventName } from '../common/ipc-contract';
import type { IpcResult } from '../common/ipc-envelope';

// The browser view's stand-in for the Electron preload: the same API, carried over HTTP to the
// bridge server on 127.0.0.1, which holds the session cookie minted for this run.
type Listener = (payload: never) => void;
const listeners = new Map<EventName, Set<Listener>>();
let source: EventSource | null = null;

function ensureEventStream(): void {
  if (source) return;
  source = new EventSource('/bridge/events');
  source.onmessage = (message: MessageEvent<string>) => {
    const data = JSON.parse(message.data) as { event: unknown; payload: unknown };
    if (!isEventName(data.event)) return;
    for (const listener of listeners.get(data.event) ?? []) listener(data.payload as never);
  };
}

const transport: BridgeTransport = {
  async invoke(channel, args) {
    try {
      const response = await fetch(`/bridge/invoke/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
      });
      return (await response.json()) as IpcResult<never>;
    } catch {
      return { ok: false, error: { code: 'network', message: 'The ChartDesk bridge is not reachable. Is it still running?' } };
    }
  },
  subscribe<E extends EventName>(event: E, listener: (payload: EventContract[E]) => void) {
    ensureEventStream();
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(event, set);
    return () => set.delete(listener as Listener);
  },
};

Object.defineProperty(window, 'chartdesk', { value: Object.freeze(createChartDeskApi(transport)), writable: false });
