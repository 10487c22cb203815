import { randomBytes, type webcrypto } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';

/** The algorithms Epic accepts for device keys, in order of preference (EC keys are small in the keychain). */
export const DEVICE_KEY_ALGORITHMS = ['ES384', 'RS384'] as const;
export type DeviceKeyAlgorithm = (typeof DEVICE_KEY_ALGORITHMS)[number];

/** A device key as the OS keychain keeps it. `privateJwk` is the secret: never logged, never on disk, never to the renderer. */
export interface StoredDeviceKey {
  alg: DeviceKeyAlgorithm;
  kid: string;
  privateJwk: webcrypto.JsonWebKey;
}

export const StoredDeviceKeyShape = z.object({
  alg: z.enum(DEVICE_KEY_ALGORITHMS),
  kid: z.string().min(1),
  privateJwk: z.looseObject({ kty: z.enum(['EC', 'RSA']), d: z.string().min(1) }),
});

const IMPORT_PARAMETERS: Record<DeviceKeyAlgorithm, webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams> = {
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  RS384: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
};

/** Members of a private JWK that are not part of the public key (RFC 7518 §6.2.2, §6.3.2), plus WebCrypto's own. */
const PRIVATE_MEMBERS = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'key_ops', 'ext']);

export async function generateDeviceKey(alg: DeviceKeyAlgorithm): Promise<StoredDeviceKey> {
  // Extractable only so the private half can go to the keychain; it is re-imported non-extractable to sign.
  const pair = await oauth.generateKeyPair(alg, { extractable: true });
  const privateJwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  return { alg, kid: randomBytes(16).toString('base64url'), privateJwk };
}

/** The public half, as registered with the EHR (RFC 7591 `jwks`). */
export function publicJwkOf(key: StoredDeviceKey): oauth.JsonObject {
  const members = Object.entries(key.privateJwk).filter(([name]) => !PRIVATE_MEMBERS.has(name));
  return { ...(Object.fromEntries(members) as oauth.JsonObject), kid: key.kid, alg: key.alg, use: 'sig' };
}

/** The signing key for oauth4webapi's private_key_jwt, kid included so the EHR can pick the key after a rotation. */
export async function importDeviceKey(key: StoredDeviceKey): Promise<oauth.PrivateKey> {
  const { key_ops: _ops, ext: _ext, ...jwk } = key.privateJwk;
  const cryptoKey = await crypto.subtle.importKey('jwk', jwk, IMPORT_PARAMETERS[key.alg], false, ['sign']);
  return { key: cryptoKey, kid: key.kid };
}
