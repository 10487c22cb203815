import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { buildAuthorizationServer, httpOptions, initialIssuer } from './authorization-server';
import { DEVICE_KEY_ALGORITHMS, generateDeviceKey, publicJwkOf, type StoredDeviceKey, StoredDeviceKeyShape } from './device-key';
import type { SmartConfiguration } from './discovery';
import { JWT_BEARER_GRANT } from './jwt-bearer';

/**
 * A device-specific client registered at the EHR (RFC 7591), Epic's way to offline access for native apps.
 * Kept in the keychain record; the key and the registration access token are secrets.
 */
export interface DeviceRegistration {
  /** The dynamic client_id the EHR gave this device. */
  clientId: string;
  key: StoredDeviceKey;
  /** RFC 7592 management: where and with what to update or delete the registration, when the EHR offers it. */
  registrationClientUri: string | null;
  registrationAccessToken: string | null;
}

export const DeviceRegistrationShape = z.object({
  clientId: z.string().min(1),
  key: StoredDeviceKeyShape,
  registrationClientUri: z.string().nullable(),
  registrationAccessToken: z.string().nullable(),
});

export interface RegistrationContext {
  config: SmartConfiguration;
  /** The app's own client_id, sent as software_id. */
  softwareId: string;
  fetch: typeof fetch;
}

export class DeviceRegistrationError extends Error {
  override name = 'DeviceRegistrationError';
}

/** The registration response members this module reads; the rest is the EHR's business. */
const RegistrationResponse = z.looseObject({
  client_id: z.string().min(1),
  registration_client_uri: z.string().optional(),
  registration_access_token: z.string().min(1).optional(),
});

export function offersDeviceRegistration(config: SmartConfiguration): boolean {
  return config.registrationEndpoint !== null;
}

function clientMetadata(softwareId: string, key: StoredDeviceKey) {
  return {
    software_id: softwareId,
    jwks: { keys: [publicJwkOf(key)] },
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: key.alg,
    grant_types: [JWT_BEARER_GRANT],
    response_types: [],
  };
}

/**
 * Registers a new device key with the access token of a standalone sign-in as the initial access token.
 * ES384 first; RS384 when the EHR refuses the first key's metadata.
 */
export async function registerDevice(context: RegistrationContext, initialAccessToken: string): Promise<DeviceRegistration> {
  const { config } = context;
  if (!config.registrationEndpoint) throw new DeviceRegistrationError('The EHR advertises no registration endpoint.');
  const as = { ...buildAuthorizationServer(config, initialIssuer(config)), registration_endpoint: config.registrationEndpoint };
  for (const [index, alg] of DEVICE_KEY_ALGORITHMS.entries()) {
    const key = await generateDeviceKey(alg);
    try {
      const response = await oauth.dynamicClientRegistrationRequest(as, clientMetadata(context.softwareId, key), {
        ...httpOptions(context.fetch, config.registrationEndpoint),
        initialAccessToken,
      });
      const registered = await oauth.processDynamicClientRegistrationResponse(response);
      return registrationFrom(config, key, registered);
    } catch (error) {
      const refusedAlg = error instanceof oauth.ResponseBodyError && error.error === 'invalid_client_metadata';
      if (!refusedAlg || index === DEVICE_KEY_ALGORITHMS.length - 1) throw error;
    }
  }
  throw new DeviceRegistrationError('No device key algorithm was accepted.');
}

/** Reads a registration answer; an update's answer may leave out what stays as it was (`known`). */
function registrationFrom(
  config: SmartConfiguration,
  key: StoredDeviceKey,
  body: unknown,
  known: Pick<DeviceRegistration, 'registrationClientUri' | 'registrationAccessToken'> | null = null,
): DeviceRegistration {
  const parsed = RegistrationResponse.safeParse(body);
  if (!parsed.success) throw new DeviceRegistrationError('The EHR answered the registration without a usable client_id.');
  const uri = parsed.data.registration_client_uri ?? known?.registrationClientUri ?? null;
  const token = parsed.data.registration_access_token ?? known?.registrationAccessToken ?? null;
  // The registration access token is a bearer secret: it goes only where the registration endpoint lives.
  const manageable = uri !== null && token !== null && sameOrigin(uri, config.registrationEndpoint);
  return {
    clientId: parsed.data.client_id,
    key,
    registrationClientUri: manageable ? uri : null,
    registrationAccessToken: manageable ? token : null,
  };
}

function sameOrigin(a: string, b: string | null): boolean {
  try {
    return b !== null && new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Whether the EHR gave this registration an address to manage it at (RFC 7592): to rotate its key or delete it. */
export function managesRegistration(registration: DeviceRegistration): boolean {
  return Boolean(registration.registrationClientUri && registration.registrationAccessToken);
}

function managementOf(registration: DeviceRegistration): { uri: URL; token: string } | null {
  if (!managesRegistration(registration)) return null;
  return { uri: new URL(registration.registrationClientUri!), token: registration.registrationAccessToken! };
}

/**
 * Key rotation (RFC 7592 update): a new key of the same algorithm replaces the registered one; the old key is
 * refused from then on. The EHR may rotate the registration access token too.
 */
export async function rotateDeviceKey(
  context: RegistrationContext,
  registration: DeviceRegistration,
): Promise<DeviceRegistration> {
  const management = managementOf(registration);
  if (!management)
    throw new DeviceRegistrationError('The EHR offers no way to update this registration: forget this device and sign in again.');
  const key = await generateDeviceKey(registration.key.alg);
  const response = await oauth.protectedResourceRequest(
    management.token,
    'PUT',
    management.uri,
    new Headers({ 'content-type': 'application/json', accept: 'application/json' }),
    JSON.stringify({ client_id: registration.clientId, ...clientMetadata(context.softwareId, key) }),
    httpOptions(context.fetch, management.uri.href),
  );
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new DeviceRegistrationError(`The EHR refused the key rotation (HTTP ${response.status}).`);
  }
  const updated = registrationFrom(context.config, key, await response.json().catch(() => null), registration);
  if (updated.clientId !== registration.clientId)
    throw new DeviceRegistrationError('The EHR answered the key rotation for another client.');
  return updated;
}

/**
 * Deletes the registration at the EHR (RFC 7592) when it offers management: 'deleted' when the EHR no longer knows
 * the device (deleted now, or already gone), 'not-offered' when it gave no way to, 'refused' when it did not agree.
 * Needs no discovery: the registration carries its own address, so this works even after the connection moved to
 * another FHIR base.
 */
export async function deleteDeviceRegistration(
  fetchImpl: typeof fetch,
  registration: DeviceRegistration,
): Promise<'deleted' | 'not-offered' | 'refused'> {
  const management = managementOf(registration);
  if (!management) return 'not-offered';
  const response = await oauth.protectedResourceRequest(
    management.token,
    'DELETE',
    management.uri,
    new Headers(),
    null,
    httpOptions(fetchImpl, management.uri.href),
  );
  await response.body?.cancel();
  // 401: the registration (and with it its access token) is already gone.
  return [200, 204, 401, 404].includes(response.status) ? 'deleted' : 'refused';
}
