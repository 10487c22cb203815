import { randomBytes } from 'node:crypto';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from './keytar-secret-store';
import { describeSecretStoreConformance } from './secret-store-conformance';

// Runs under scripts/with-keyring.sh: a private D-Bus session with an unlocked gnome-keyring.
const service = `ChartDesk-test-${randomBytes(4).toString('hex')}`;

describeSecretStoreConformance('keytar against the real OS keychain', () => ({
  store: createKeytarSecretStore({ service }),
  rawAccounts: async () => (await keytar.findCredentials(service)).map((credential) => credential.account),
}));

afterAll(async () => {
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

describe('keytar against the real OS keychain, called concurrently', () => {
  it('survives listing while accounts are deleted and written (keytar crashed the process there)', async () => {
    const store = createKeytarSecretStore({ service });
    const accounts = Array.from({ length: 6 }, (_, index) => `race-${index}`);
    for (let round = 0; round < 20; round++) {
      await Promise.all(accounts.map((account) => store.set(account, `secret-${round}`)));
      const [listed] = await Promise.all([
        store.list(),
        ...accounts.map((account) => store.delete(account)),
        store.list(),
        store.get(accounts[0]!),
      ]);
      // Calls run in the order they were made: the first list saw every account, the deletes then removed them all.
      expect(listed).toEqual(expect.arrayContaining(accounts));
    }
    expect((await store.list()).filter((account) => account.startsWith('race-'))).toEqual([]);
  });
});
