import type { Connection } from '../../common/connections';
import type { AppNotice } from '../../common/view-models';
import { errorReason, type Logger } from '../logging/logger';
import type { SecretStore } from '../vault/secret-store';
import { recordOf, renewable } from './grant';
import type { LiveSession } from './live-sessions';
import { accountsOf, parseRecord, type SessionRecord, serializeRecord } from './session-record';
import { sameFhirBase } from '../../common/fhir-base';

export const KEYCHAIN_UNAVAILABLE =
  'The OS keychain is not available, so sessions live in memory only: you will need to sign in again after ChartDesk restarts.';

export interface SessionKeychainDeps {
  secrets: SecretStore;
  log: Logger;
  onNotice: (notice: AppNotice) => void;
}

/** The renewable part of each session in the OS keychain, one account per connection and user. */
export interface SessionKeychain {
  /** Saves a renewable grant; when the keychain refuses, the session goes on in memory and the clinician is told once. */
  save(connectionId: string, live: LiveSession): Promise<void>;
  /** Deletes one account; a failure is logged, not thrown. */
  forget(account: string): Promise<void>;
  /** Deletes every account of the connection (sign-out); a failure is logged, not thrown. */
  forgetConnection(connectionId: string): Promise<void>;
  /** Every account, to restore from; throws when the keychain cannot be read. */
  accounts(): Promise<string[]>;
  /** The connection's record, if one was written for its current client and FHIR base; others are deleted. */
  recordFor(connection: Connection, accounts: string[]): Promise<{ account: string; record: SessionRecord } | null>;
}

export function createSessionKeychain(deps: SessionKeychainDeps): SessionKeychain {
  async function forget(account: string): Promise<void> {
    try {
      await deps.secrets.delete(account);
    } catch (error) {
      deps.log.warn('keychain.delete-failed', { reason: errorReason(error) });
    }
  }

  return {
    async save(connectionId, live) {
      const grant = live.grant;
      if (!grant || !renewable(grant)) return;
      try {
        await deps.secrets.set(grant.account, serializeRecord(recordOf(grant)));
        live.persisted = true;
      } catch (error) {
        // One notice for the app, whichever session met it first (the notice board says each message once).
        deps.onNotice({ level: 'warning', message: KEYCHAIN_UNAVAILABLE, connectionId: null });
        live.persisted = false;
        deps.log.warn('keychain.unavailable', { connectionId, reason: errorReason(error) });
      }
    },

    forget,

    async forgetConnection(connectionId) {
      try {
        for (const account of accountsOf(await deps.secrets.list(), connectionId)) await forget(account);
      } catch (error) {
        deps.log.warn('keychain.unavailable', { connectionId, reason: errorReason(error) });
      }
    },

    accounts: () => deps.secrets.list(),

    async recordFor(connection, accounts) {
      const [account, ...others] = accountsOf(accounts, connection.id);
      for (const other of others) await forget(other);
      if (account === undefined) return null;
      const text = await deps.secrets.get(account);
      const record = text === null ? null : parseRecord(text);
      if (
        record === null ||
        record.clientId !== connection.clientId ||
        !sameFhirBase(record.fhirBaseUrl, connection.fhirBaseUrl)
      ) {
        // Written for other settings (or by another version): unusable, so not kept.
        await forget(account);
        return null;
      }
      return { account, record };
    },
  };
}
