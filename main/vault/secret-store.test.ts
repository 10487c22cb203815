import { describe, expect, it } from 'vitest';
import { withChunking, WINDOWS_CREDENTIAL_LIMIT_BYTES } from './chunked-secret-store';
import { createKeytarSecretStore, type KeytarApi } from './keytar-secret-store';
import { createMemorySecretStore, type SecretStore, SecretStoreUnavailableError } from './secret-store';
import { describeSecretStoreConformance } from './secret-store-conformance';

/** A backend that refuses values over the Windows limit, as Credential Manager does. */
function limitedBackend(): SecretStore & { sizes: () => number[] } {
  const inner = createMemorySecretStore();
  const sizes: number[] = [];
  return {
    ...inner,
    async set(account, secret) {
      const size = Buffer.byteLength(secret);
      if (size > WINDOWS_CREDENTIAL_LIMIT_BYTES) throw new Error('credential too large');
      sizes.push(size);
      await inner.set(account, secret);
    },
    sizes: () => sizes,
  };
}

/**
 * keytar as Windows' Credential Manager behaves (values over the limit refused), counting every call and how many
 * ran at once (each takes a turn of the event loop, as a native call does).
 */
function limitedKeytar(): KeytarApi & { calls: string[]; raw: Map<string, string>; mostAtOnce: () => number } {
  const raw = new Map<string, string>();
  const calls: string[] = [];
  let running = 0;
  let most = 0;
  const op = async <T>(name: string, work: () => T): Promise<T> => {
    calls.push(name);
    most = Math.max(most, ++running);
    await new Promise((resolve) => setImmediate(resolve));
    running -= 1;
    return work();
  };
  return {
    calls,
    raw,
    mostAtOnce: () => most,
    getPassword: (_service, account) => op(`get ${account}`, () => raw.get(account) ?? null),
    setPassword: (_service, account, password) =>
      op(`set ${account}`, () => {
        if (Buffer.byteLength(password) > WINDOWS_CREDENTIAL_LIMIT_BYTES) throw new Error('credential too large');
        raw.set(account, password);
      }),
    deletePassword: (_service, account) => op(`delete ${account}`, () => raw.delete(account)),
    findCredentials: () => op('find', () => [...raw].map(([account, password]) => ({ account, password }))),
  };
}

describeSecretStoreConformance('in-memory double', () => ({ store: createMemorySecretStore() }));

// What bootstrap builds, with only the native module replaced.
describeSecretStoreConformance('the keychain store over a size-limited keytar', () => {
  const keytar = limitedKeytar();
  return { store: createKeytarSecretStore({ keytar: async () => keytar }), rawAccounts: async () => [...keytar.raw.keys()] };
});

describe('createKeytarSecretStore', () => {
  it('stores a 6 KB record in 5 keychain operations: the old manifest read, three chunks, the manifest', async () => {
    const keytar = limitedKeytar();
    const store = createKeytarSecretStore({ keytar: async () => keytar });
    await store.set('conn/user', 'r'.repeat(6 * 1024));
    expect(keytar.calls).toHaveLength(5);
    expect(keytar.calls[0]).toBe('get conn/user');
    expect(keytar.calls.at(-1)).toBe('set conn/user');
    const chunks = [...keytar.raw].filter(([account]) => account.includes('#chunk:'));
    expect(chunks).toHaveLength(3);
    // Chunked once: the chunks hold the record, never another manifest.
    expect(chunks.map(([, value]) => value).join('')).toBe('r'.repeat(6 * 1024));
    expect(keytar.raw.size).toBe(4);
  });

  it('makes one keychain call at a time, in the order asked (keytar crashes listing while deleting on Linux)', async () => {
    const keytar = limitedKeytar();
    const store = createKeytarSecretStore({ keytar: async () => keytar });
    await Promise.all(['a', 'b', 'c'].map((account) => store.set(account, 'x'.repeat(6000))));
    const [listed] = await Promise.all([store.list(), store.delete('a'), store.delete('b'), store.list(), store.get('c')]);
    expect(keytar.mostAtOnce()).toBe(1);
    expect(listed).toEqual(['a', 'b', 'c']);
    expect(await store.list()).toEqual(['c']);
  });

  it('goes on after a failed call', async () => {
    const keytar = limitedKeytar();
    const store = createKeytarSecretStore({
      keytar: async () => ({ ...keytar, findCredentials: () => Promise.reject(new Error('locked')) }),
    });
    const [failed, stored] = await Promise.allSettled([store.list(), store.set('a', 'x')]);
    expect(failed).toMatchObject({ status: 'rejected', reason: expect.any(SecretStoreUnavailableError) });
    expect(stored.status).toBe('fulfilled');
    expect(await store.get('a')).toBe('x');
  });

  it('reads it back in 4 operations', async () => {
    const keytar = limitedKeytar();
    const store = createKeytarSecretStore({ keytar: async () => keytar });
    await store.set('conn/user', 'r'.repeat(6 * 1024));
    keytar.calls.length = 0;
    expect(await store.get('conn/user')).toBe('r'.repeat(6 * 1024));
    expect(keytar.calls).toHaveLength(4);
  });
});

describe('withChunking', () => {
  it('never writes a value over the limit to the backend', async () => {
    const backend = limitedBackend();
    await withChunking(backend).set('acct', 'é'.repeat(5000));
    expect(Math.max(...backend.sizes())).toBeLessThanOrEqual(WINDOWS_CREDENTIAL_LIMIT_BYTES);
  });

  it('returns null rather than half a secret when a chunk is missing', async () => {
    const backend = limitedBackend();
    const store = withChunking(backend);
    await store.set('acct', 'x'.repeat(6000));
    const chunk = (await backend.list()).find((account) => account.includes('#chunk:'));
    await backend.delete(chunk!);
    expect(await store.get('acct')).toBeNull();
  });
});

describe('createKeytarSecretStore when the keychain is missing or locked', () => {
  const failing: KeytarApi = {
    getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    deletePassword: () => Promise.reject(new Error('locked')),
    findCredentials: () => Promise.reject(new Error('locked')),
  };

  it('rejects with SecretStoreUnavailableError on every operation', async () => {
    const store = createKeytarSecretStore({ service: 'ChartDesk-test', keytar: async () => failing });
    await expect(store.get('a')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
    await expect(store.set('a', 'secret-value')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
    await expect(store.list()).rejects.toBeInstanceOf(SecretStoreUnavailableError);
  });

  it('does not repeat the secret in the error', async () => {
    const store = createKeytarSecretStore({ keytar: async () => failing });
    await expect(store.set('a', 'super-secret-refresh-token')).rejects.not.toThrow(/super-secret/);
  });

  it('reports a keytar module that cannot load', async () => {
    const store = createKeytarSecretStore({ keytar: () => Promise.reject(new Error('native module missing')) });
    await expect(store.get('a')).rejects.toThrow(/keychain is not available/);
  });
});
