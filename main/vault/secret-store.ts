/**
 * The OS keychain as ChartDesk uses it: one service, secrets by account. Implementations reject with
 * SecretStoreUnavailableError when the keychain is absent or locked; callers then keep secrets in memory
 * only and say so. Nothing ever falls back to plain text.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** Every account holding a secret, in no particular order. */
  list(): Promise<string[]>;
}

export class SecretStoreUnavailableError extends Error {
  override name = 'SecretStoreUnavailableError';
}

export const KEYCHAIN_SERVICE = 'ChartDesk';

/** An in-memory double with the same contract, for tests and for a session that cannot be persisted. */
export function createMemorySecretStore(): SecretStore {
  const secrets = new Map<string, string>();
  return {
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => void secrets.set(account, secret),
    delete: async (account) => secrets.delete(account),
    list: async () => [...secrets.keys()],
  };
}
