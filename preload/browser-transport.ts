import type { BridgeTransport } from '../common/api';
import { isEventName, type EventContract, type EventName } from '../common/ipc-contract';
import type { IpcResult } from '../common/ipc-envelope';

/** What the transport needs of the page: its event stream and its fetch, both same-origin, and a way to start over. */
export interface BrowserTransportDeps {
  EventSource: typeof EventSource;
  fetch: typeof fetch;
  /** Loads the page again (location.reload): it then reads everything from main afresh. */
  restart(): void;
}

type Listener = (payload: never) => void;

const UNREACHABLE = { code: 'network', message: 'The ChartDesk bridge is not reachable. Is it still running?' } as const;

/**
 * The browser view's transport: requests over HTTP POST, main's events over one server-sent event stream.
 *
 * The stream is opened at once, and no request is sent before it is open. Main sends an event to the streams open
 * at that moment only, and a request's events may follow its answer at once (a chart's pages, right after open()
 * answered): a request sent before the stream was open lost them, and the sections of a chart reopened after a
 * reload said "loading" for ever. A stream that cannot open lets the requests go on, to fail with their own reason.
 * A stream that drops comes back by itself and is sent what it missed (main/browser-view/event-replay.ts); when main no
 * longer has all of it, the page starts over rather than show a chart with pages missing.
 */
export function createBrowserTransport(deps: BrowserTransportDeps): BridgeTransport {
  const listeners = new Map<EventName, Set<Listener>>();
  const source = new deps.EventSource('/bridge/events');
  const streamSettled = new Promise<void>((resolve) => {
    source.addEventListener('open', () => resolve(), { once: true });
    source.addEventListener('error', () => resolve(), { once: true });
  });
  source.addEventListener('restart', () => {
    source.close();
    deps.restart();
  });
  source.addEventListener('message', (message: MessageEvent<string>) => {
    const data = JSON.parse(message.data) as { event: unknown; payload: unknown };
    if (!isEventName(data.event)) return;
    for (const listener of listeners.get(data.event) ?? []) listener(data.payload as never);
  });

  return {
    async invoke(channel, args) {
      await streamSettled;
      try {
        const response = await deps.fetch(`/bridge/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(args),
        });
        return (await response.json()) as IpcResult<never>;
      } catch {
        return { ok: false, error: UNREACHABLE };
      }
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventContract[E]) => void) {
      const set = listeners.get(event) ?? new Set<Listener>();
      set.add(listener as Listener);
      listeners.set(event, set);
      return () => set.delete(listener as Listener);
    },
  };
}
