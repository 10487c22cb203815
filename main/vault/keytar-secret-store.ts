import { withChunking } from './chunked-secret-store';
import { KEYCHAIN_SERVICE, type SecretStore, SecretStoreUnavailableError } from './secret-store';

/** The part of keytar ChartDesk uses, so that tests can hand in a failing one. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/**
 * The OS keychain through keytar (Keychain on macOS, Credential Manager on Windows, Secret Service on Linux),
 * with long secrets split to fit Windows' limit. keytar is loaded lazily: a missing native module or keychain
 * daemon surfaces as SecretStoreUnavailableError, not as a crash at start-up.
 *
 * One keytar call at a time: on Linux, keytar 7.9.0's findCredentials dereferences a null secret when an item it
 * found is deleted before its secret is read, and the whole process dies (atom/node-keytar#477, a segfault after
 * "secret_value_get_text: assertion 'value' failed"). Listing while a sign-out deletes is enough to get there.
 */
export function createKeytarSecretStore(options: { service?: string; keytar?: () => Promise<KeytarApi> } = {}): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const load = options.keytar ?? (async () => ((await import('keytar')) as { default: KeytarApi }).default);
  let api: Promise<KeytarApi> | null = null;
  let previous: Promise<unknown> = Promise.resolve();

  const callNow = async <T>(action: (keytar: KeytarApi) => Promise<T>): Promise<T> => {
    try {
      api ??= load();
      return await action(await api);
    } catch (error) {
      api = null;
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
      throw new SecretStoreUnavailableError(`The OS keychain is not available (${reason}).`);
    }
  };
  const call = <T>(action: (keytar: KeytarApi) => Promise<T>): Promise<T> => {
    const result = previous.then(() => callNow(action));
    previous = result.catch(() => undefined);
    return result;
  };

  return withChunking({
    get: (account) => call((keytar) => keytar.getPassword(service, account)),
    set: (account, secret) => call((keytar) => keytar.setPassword(service, account, secret)),
    delete: (account) => call((keytar) => keytar.deletePassword(service, account)),
    list: () => call(async (keytar) => (await keytar.findCredentials(service)).map((credential) => credential.account)),
  });
}
