import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStore } from '../vault/secret-store';

/**
 * Encrypts drafts for the disk with AES-256-GCM under a key kept in the OS keychain only. Each file has its own
 * random 96-bit nonce, and is bound to its draft id (additional data), so one draft's file cannot stand in for
 * another's. Without the keychain there is no key, and nothing is written to disk.
 */
export const DRAFT_KEY_ACCOUNT = 'write-drafts-key';

export interface SealedDraft {
  version: 1;
  iv: string;
  tag: string;
  data: string;
}

export interface DraftCipher {
  seal(id: string, plain: string): Promise<SealedDraft>;
  open(id: string, sealed: SealedDraft): Promise<string>;
}

export function createDraftCipher(secrets: SecretStore): DraftCipher {
  let key: Promise<Buffer> | null = null;
  const keyFor = async (create: boolean): Promise<Buffer> => {
    const stored = await secrets.get(DRAFT_KEY_ACCOUNT);
    if (stored) return Buffer.from(stored, 'base64');
    if (!create) throw new Error('no draft key in the keychain');
    const fresh = randomBytes(32);
    await secrets.set(DRAFT_KEY_ACCOUNT, fresh.toString('base64'));
    return fresh;
  };
  // A failed keychain call is asked again next time (the keychain may be unlocked by then).
  const theKey = (create: boolean) => {
    key ??= keyFor(create).catch((error: unknown) => {
      key = null;
      throw error;
    });
    return key;
  };
  return {
    async seal(id, plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await theKey(true), iv);
      cipher.setAAD(Buffer.from(id, 'utf8'));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return {
        version: 1,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    async open(id, sealed) {
      const tag = Buffer.from(sealed.tag, 'base64');
      // A shortened tag would weaken the check: only GCM's full 128 bits are accepted.
      if (tag.length !== 16) throw new Error('the draft file is damaged');
      const decipher = createDecipheriv('aes-256-gcm', await theKey(false), Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(id, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
