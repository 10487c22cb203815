import { randomBytes } from 'node:crypto';
import keytar from 'keytar';
import { afterAll } from 'vitest';
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
