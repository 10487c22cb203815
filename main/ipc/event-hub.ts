import type { EventContract, EventName } from '../../common/ipc-contract';

export type EventListener = <E extends EventName>(event: E, payload: EventContract[E]) => void;

/** Main-to-renderer events: services emit here; the Electron window and the browser bridge subscribe. */
export interface EventHub {
  emit<E extends EventName>(event: E, payload: EventContract[E]): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of listeners) listener(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
