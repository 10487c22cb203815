import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WINDOWS_CREDENTIAL_LIMIT_BYTES } from './chunked-secret-store';
import type { SecretStore } from './secret-store';

export interface ConformanceSubject {
  store: SecretStore;
  /** Every account the backend really holds, chunks included, to prove deletes leave nothing behind. */
  rawAccounts?: () => Promise<string[]>;
}

/** One contract for every SecretStore: the keytar one against the real keychain, and the in-memory double. */
export function describeSecretStoreConformance(name: string, makeSubject: () => ConformanceSubject): void {
  describe(`SecretStore conformance: ${name}`, () => {
    const subject = makeSubject();
    const { store } = subject;
    const run = randomBytes(4).toString('hex');
    const account = (label: string) => `conformance-${run}/${label}`;

    afterEach(async () => {
      for (const listed of await store.list()) if (listed.startsWith(`conformance-${run}/`)) await store.delete(listed);
    });

    it('returns null for an account that holds nothing', async () => {
      expect(await store.get(account('none'))).toBeNull();
    });

    it('returns what was set, and the latest value after an overwrite', async () => {
      await store.set(account('a'), 'first');
      expect(await store.get(account('a'))).toBe('first');
      await store.set(account('a'), 'second');
      expect(await store.get(account('a'))).toBe('second');
    });

    it('keeps accounts apart, even when one name starts with the other', async () => {
      await store.set(account('conn'), 'one');
      await store.set(account('conn/user'), 'two');
      expect(await store.get(account('conn'))).toBe('one');
      expect(await store.get(account('conn/user'))).toBe('two');
      await store.delete(account('conn'));
      expect(await store.get(account('conn/user'))).toBe('two');
    });

    it('deletes once: true, then false, and the secret is gone', async () => {
      await store.set(account('d'), 'x');
      expect(await store.delete(account('d'))).toBe(true);
      expect(await store.get(account('d'))).toBeNull();
      expect(await store.delete(account('d'))).toBe(false);
    });

    it('lists the accounts that hold secrets', async () => {
      await store.set(account('l1'), 'x');
      await store.set(account('l2'), 'y');
      await store.delete(account('l2'));
      const mine = (await store.list()).filter((listed) => listed.startsWith(`conformance-${run}/`));
      expect(mine).toEqual([account('l1')]);
    });

    it(`round-trips a secret four times Windows' ${WINDOWS_CREDENTIAL_LIMIT_BYTES}-byte limit, listed as one account`, async () => {
      const big = randomBytes(WINDOWS_CREDENTIAL_LIMIT_BYTES * 3).toString('base64url');
      await store.set(account('big'), big);
      expect(await store.get(account('big'))).toBe(big);
      expect((await store.list()).filter((listed) => listed.startsWith(`conformance-${run}/`))).toEqual([account('big')]);
    });

    it('round-trips multi-byte text across chunk boundaries', async () => {
      const text = 'Zoë 医生 🩺 '.repeat(400);
      await store.set(account('utf8'), text);
      expect(await store.get(account('utf8'))).toBe(text);
    });

    it('replaces a long secret with a short one and back', async () => {
      const big = 'B'.repeat(6000);
      await store.set(account('swap'), big);
      await store.set(account('swap'), 'small');
      expect(await store.get(account('swap'))).toBe('small');
      await store.set(account('swap'), big);
      expect(await store.get(account('swap'))).toBe(big);
    });

    it('stores a secret that looks like its own chunk manifest verbatim', async () => {
      await store.set(account('tricky'), 'chartdesk-chunked:v1:abc:2');
      expect(await store.get(account('tricky'))).toBe('chartdesk-chunked:v1:abc:2');
    });

    it('leaves nothing behind when a long secret is replaced and deleted', async () => {
      await store.set(account('clean'), 'C'.repeat(9000));
      await store.set(account('clean'), 'D'.repeat(7000));
      await store.delete(account('clean'));
      const raw = subject.rawAccounts ? await subject.rawAccounts() : await store.list();
      expect(raw.filter((listed) => listed.startsWith(account('clean')))).toEqual([]);
    });
  });
}
