import type { Connection } from '../../common/connections';
import type { SessionStatus } from '../../common/sessions';
import type { AppNotice } from '../../common/view-models';
import type { Logger } from '../logging/logger';
import type { SmartConfiguration } from './discovery';
import type { Grant } from './grant';

/** Everything known about one connection's session. Tokens stay in this object, in main memory. */
export interface LiveSession {
  status: SessionStatus;
  message: string | null;
  /** False while the keychain refuses to keep the session: it ends when ChartDesk quits. */
  persisted: boolean;
  /** Bumped by sign-out and by a new sign-in, so that a late refresh cannot bring an old session back. */
  generation: number;
  grant: Grant | null;
  /** The renewal in flight, shared by every caller; key rotation takes this slot too. */
  refreshing: Promise<string> | null;
}

/** The sessions of all connections, and the status changes the renderer is told about. */
export interface LiveSessions {
  /** The connection's session, created signed out when there is none. */
  of(connectionId: string): LiveSession;
  /** The connection's session, if it ever had one. */
  peek(connectionId: string): LiveSession | undefined;
  ids(): string[];
  delete(connectionId: string): void;
  setStatus(connectionId: string, status: SessionStatus, message: string | null): void;
  /** A sign-in that did not complete: any earlier session of this connection goes on, else the error shows. */
  settle(connectionId: string, message: string): void;
  /** Drops the grant: the session is over until the clinician signs in again. */
  end(connectionId: string, status: SessionStatus, message: string | null): void;
  /** Tells the renderer the current list of sessions. */
  emit(): void;
}

/** What the parts of the session manager share: the sessions, where a connection's SMART endpoints are found, the outside world. */
export interface SessionPartDeps {
  sessions: LiveSessions;
  configFor: (connection: Connection) => Promise<SmartConfiguration>;
  fetch: typeof fetch;
  now: () => number;
  log: Logger;
  onNotice: (notice: AppNotice) => void;
}

export function createLiveSessions(emit: () => void): LiveSessions {
  const sessions = new Map<string, LiveSession>();

  const of = (connectionId: string): LiveSession => {
    let live = sessions.get(connectionId);
    if (!live) {
      live = { status: 'signed-out', message: null, persisted: true, generation: 0, grant: null, refreshing: null };
      sessions.set(connectionId, live);
    }
    return live;
  };

  const setStatus = (connectionId: string, status: SessionStatus, message: string | null) => {
    const live = of(connectionId);
    live.status = status;
    live.message = message;
    emit();
  };

  return {
    of,
    peek: (connectionId) => sessions.get(connectionId),
    ids: () => [...sessions.keys()],
    delete: (connectionId) => void sessions.delete(connectionId),
    setStatus,
    settle: (connectionId, message) => setStatus(connectionId, of(connectionId).grant ? 'signed-in' : 'error', message),
    end(connectionId, status, message) {
      const live = of(connectionId);
      live.generation += 1;
      live.grant = null;
      live.persisted = true;
      setStatus(connectionId, status, message);
    },
    emit,
  };
}
