import { randomBytes } from 'node:crypto';
import type { SecretStore } from './secret-store';

/**
 * Windows' Credential Manager holds at most 2,560 bytes per credential; refresh tokens (Epic issues JWTs) and
 * the record around them can be longer. Long secrets are stored as chunks under derived accounts plus a
 * manifest under the account itself, and joined back transparently.
 */
export const WINDOWS_CREDENTIAL_LIMIT_BYTES = 2560;

const MANIFEST_PREFIX = 'chartdesk-chunked:v1:';
const CHUNK_MARK = '#chunk:';

interface Manifest {
  generation: string;
  count: number;
}

export function withChunking(inner: SecretStore, maxBytes = WINDOWS_CREDENTIAL_LIMIT_BYTES): SecretStore {
  const chunkAccount = (account: string, manifest: Manifest, index: number) =>
    `${account}${CHUNK_MARK}${manifest.generation}:${index}`;

  const readManifest = (value: string | null): Manifest | null => {
    if (value === null || !value.startsWith(MANIFEST_PREFIX)) return null;
    const [generation = '', count = ''] = value.slice(MANIFEST_PREFIX.length).split(':');
    const parsed = Number(count);
    return /^[A-Za-z0-9_-]+$/.test(generation) && Number.isInteger(parsed) && parsed > 0 ? { generation, count: parsed } : null;
  };

  const deleteChunks = async (account: string, manifest: Manifest) => {
    for (let index = 0; index < manifest.count; index++) await inner.delete(chunkAccount(account, manifest, index));
  };

  return {
    async get(account) {
      const stored = await inner.get(account);
      const manifest = readManifest(stored);
      if (manifest === null) return stored;
      const parts: string[] = [];
      for (let index = 0; index < manifest.count; index++) {
        const part = await inner.get(chunkAccount(account, manifest, index));
        if (part === null) return null; // A torn write: treat as absent rather than return half a secret.
        parts.push(part);
      }
      return parts.join('');
    },

    async set(account, secret) {
      const previous = readManifest(await inner.get(account));
      // A secret that itself looks like a manifest is chunked too, so it can never be misread as one.
      if (Buffer.byteLength(secret) <= maxBytes && !secret.startsWith(MANIFEST_PREFIX)) {
        await inner.set(account, secret);
      } else {
        const parts = splitByBytes(secret, maxBytes);
        const manifest: Manifest = { generation: randomBytes(6).toString('base64url'), count: parts.length };
        // New chunks first, then the manifest that points at them: a crash leaves the old secret whole.
        for (const [index, part] of parts.entries()) await inner.set(chunkAccount(account, manifest, index), part);
        await inner.set(account, `${MANIFEST_PREFIX}${manifest.generation}:${manifest.count}`);
      }
      if (previous !== null) await deleteChunks(account, previous);
    },

    async delete(account) {
      const manifest = readManifest(await inner.get(account));
      if (manifest !== null) await deleteChunks(account, manifest);
      return inner.delete(account);
    },

    async list() {
      return (await inner.list()).filter((account) => !account.includes(CHUNK_MARK));
    },
  };
}

/** Splits on code point boundaries so that every part is valid UTF-8 of at most maxBytes. */
function splitByBytes(value: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of value) {
    const bytes = Buffer.byteLength(char);
    if (size + bytes > maxBytes) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += bytes;
  }
  if (current !== '') parts.push(current);
  return parts;
}
