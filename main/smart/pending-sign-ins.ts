/**
 * Sign-ins waiting for their callback, keyed by `state`: single use, expiring, cancellable (INF#4, INF#60,
 * INF#61). The state ties the callback to the sign-in this app started; nothing else is trusted to route it.
 */
export const PENDING_SIGN_IN_TTL_MS = 10 * 60_000;

interface Entry<T> {
  connectionId: string;
  expiresAt: number;
  value: T;
}

export interface PendingSignIns<T> {
  add(state: string, connectionId: string, value: T): void;
  /** Removes and returns the sign-in for this state; null when unknown, used already or expired. */
  take(state: string): { connectionId: string; value: T } | null;
  /** Removes the connection's pending sign-in, if any, and returns it. */
  cancel(connectionId: string): T | null;
  any(): boolean;
  /** Whether the connection has a sign-in waiting (expired ones included until swept). */
  has(connectionId: string): boolean;
  /** Every pending sign-in, for status updates while they wait. */
  all(): { connectionId: string; value: T }[];
  /** Removes expired sign-ins and returns them, so their listeners can be closed. */
  sweep(): { connectionId: string; value: T }[];
}

export function createPendingSignIns<T>(now: () => number, ttlMs = PENDING_SIGN_IN_TTL_MS): PendingSignIns<T> {
  const entries = new Map<string, Entry<T>>();
  const stateOf = (connectionId: string) => [...entries].find(([, entry]) => entry.connectionId === connectionId)?.[0];
  return {
    add(state, connectionId, value) {
      entries.set(state, { connectionId, expiresAt: now() + ttlMs, value });
    },
    take(state) {
      const entry = entries.get(state);
      if (!entry) return null;
      entries.delete(state);
      if (entry.expiresAt <= now()) return null;
      return { connectionId: entry.connectionId, value: entry.value };
    },
    cancel(connectionId) {
      const state = stateOf(connectionId);
      if (state === undefined) return null;
      const entry = entries.get(state);
      entries.delete(state);
      return entry?.value ?? null;
    },
    any() {
      return entries.size > 0;
    },
    has: (connectionId) => stateOf(connectionId) !== undefined,
    all() {
      return [...entries.values()].map(({ connectionId, value }) => ({ connectionId, value }));
    },
    sweep() {
      const expired: { connectionId: string; value: T }[] = [];
      for (const [state, entry] of entries) {
        if (entry.expiresAt > now()) continue;
        entries.delete(state);
        expired.push({ connectionId: entry.connectionId, value: entry.value });
      }
      return expired;
    },
  };
}
