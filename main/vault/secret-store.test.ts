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

describeSecretStoreConformance('in-memory double', () => ({ store: createMemorySecretStore() }));

describeSecretStoreConformance('chunking over a size-limited backend', () => {
  const backend = limitedBackend();
  return { store: withChunking(backend), rawAccounts: () => backend.list() };
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
