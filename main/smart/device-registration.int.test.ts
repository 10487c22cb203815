/**
 * Offline access the way Epic grants it to native apps, end to end against the epic-like sandbox with the real
 * OS keychain (run under scripts/with-keyring.sh): a standalone sign-in registers the device, later sessions
 * (renewal, restart) get tokens by the JWT bearer grant without the browser, the key rotates, and a deleted
 * registration, sign-out and "forget this device" behave as the clinician expects.
 */
import { randomBytes } from 'node:crypto';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { sandboxConnectionSettings } from '../connections/templates';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { createKeytarSecretStore } from '../vault/keytar-secret-store';
import type { DeviceRegistration } from './device-registration';
import { discoverSmartConfiguration } from './discovery';
import { jwtBearerGrant } from './jwt-bearer';
import { parseRecord, type SessionRecord } from './session-record';
import type { SessionManager } from './session-manager';
import { createSessionWorld, type SessionWorld } from './testing/session-world';
import { createSystemBrowser } from './testing/system-browser';

const TOKEN_LIFETIME_S = 120;
const service = `ChartDesk-int-${randomBytes(4).toString('hex')}`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ profile: 'epic-like', autoApprove: true, accessTokenLifetimeSeconds: TOKEN_LIFETIME_S });
});
afterAll(async () => {
  await sandbox.stop();
  for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
});

interface World extends SessionWorld {
  /** POSTs to the registration endpoint. */
  registrations: string[];
}

async function world(): Promise<World> {
  const registrations: string[] = [];
  const countingFetch = ((input: string | URL | Request, init?: RequestInit) => {
    if (init?.method === 'POST' && input.toString().endsWith('/register')) registrations.push(input.toString());
    return fetch(input, init);
  }) as typeof fetch;
  return {
    ...(await createSessionWorld({ secrets: createKeytarSecretStore({ service }), fetch: countingFetch })),
    registrations,
  };
}

const sessionOf = (manager: SessionManager, id: string) => manager.list().find((item) => item.connection.id === id)!.session;

async function signedInDevice(w: World, registerDevice = true) {
  const connection = await w.store.add({ ...sandboxConnectionSettings(sandbox.fhirBaseUrl), registerDevice });
  await w.manager.signIn(connection.id);
  const stop = await createSystemBrowser().open(w.opened.at(-1)!);
  if (stop.kind !== 'app-link') throw new Error(`the sign-in stopped at ${stop.url}`);
  await w.manager.handleDeepLink(parseDeepLink(stop.url));
  return connection;
}

async function recordOf(w: World, connectionId: string): Promise<SessionRecord | null> {
  const account = (await w.secrets.list()).find((name) => name.startsWith(`${connectionId}/`));
  const text = account === undefined ? null : await w.secrets.get(account);
  return text === null ? null : parseRecord(text);
}

async function fhirRead(w: World, manager: SessionManager, connectionId: string): Promise<number> {
  const patient = sessionOf(manager, connectionId).patient!.id;
  const response = await fetch(`${sandbox.fhirBaseUrl}/Patient/${patient}`, {
    headers: { authorization: `Bearer ${await manager.getAccessToken(connectionId)}`, accept: 'application/fhir+json' },
  });
  await response.body?.cancel();
  return response.status;
}

/** A JWT bearer grant with a given registration, as an old copy of the key would be used. */
async function grantWith(registration: DeviceRegistration) {
  const config = await discoverSmartConfiguration(sandbox.fhirBaseUrl, { fetch });
  const context = { config, clientId: registration.clientId, fetch, clockSkewSeconds: 0 };
  return jwtBearerGrant(context, { issuer: sandbox.issuer, jwksUri: null }, registration);
}

function expectNoSecretsEmitted(w: World, record: SessionRecord) {
  const everything = w.emitted();
  const device = record.device!;
  expect(everything).not.toContain(String(device.key.privateJwk.d));
  expect(everything).not.toContain(device.registrationAccessToken!);
}

describe('device registration against the epic-like sandbox', () => {
  it('registers after a standalone sign-in; renewal and a restart get tokens without the browser', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    expect(w.registrations).toHaveLength(1);
    expect(sessionOf(w.manager, connection.id)).toMatchObject({ status: 'signed-in', deviceRegistered: true, persisted: true });
    const record = (await recordOf(w, connection.id))!;
    expect(record.refreshToken).toBeNull();
    expect(record.device).toMatchObject({ key: { alg: 'ES384' }, registrationClientUri: expect.stringContaining('/register/') });
    expect(record.device!.clientId).not.toBe(connection.clientId);
    const first = await w.manager.getAccessToken(connection.id);

    // Renewal (here after a 401; the app's clock is left alone, since it dates the assertions): no browser.
    const renewed = await w.manager.refreshAfterUnauthorized(connection.id, first);
    expect(renewed).not.toBe(first);
    expect(await fhirRead(w, w.manager, connection.id)).toBe(200);

    // A new session manager over the same keychain: restored without the browser.
    const restarted = w.restart();
    await restarted.restore();
    expect(sessionOf(restarted, connection.id)).toMatchObject({ status: 'signed-in', deviceRegistered: true });
    expect(await fhirRead(w, restarted, connection.id)).toBe(200);
    expect(w.opened).toHaveLength(1);
    expect(w.registrations).toHaveLength(1);
    expectNoSecretsEmitted(w, record);
  });

  it('rotates the device key: the new key gets tokens, the old one is refused', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    const before = (await recordOf(w, connection.id))!.device!;
    await w.manager.rotateDeviceKey(connection.id);
    const after = (await recordOf(w, connection.id))!.device!;
    expect(after.clientId).toBe(before.clientId);
    expect(after.key.kid).not.toBe(before.key.kid);
    expect(after.key.privateJwk.d).not.toBe(before.key.privateJwk.d);
    expect(await w.manager.refreshAfterUnauthorized(connection.id, await w.manager.getAccessToken(connection.id))).toEqual(
      expect.any(String),
    );
    expect(await fhirRead(w, w.manager, connection.id)).toBe(200);
    await expect(grantWith(before)).rejects.toMatchObject({ error: 'invalid_client' });
    expectNoSecretsEmitted(w, { ...(await recordOf(w, connection.id))!, device: before });
  });

  it('a registration deleted at the EHR ends the session with a clear "sign in again"', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    const device = (await recordOf(w, connection.id))!.device!;
    // As the EHR's administrators would: the registration is removed.
    const removal = await fetch(device.registrationClientUri!, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${device.registrationAccessToken}` },
    });
    expect(removal.status).toBe(204);
    const restarted = w.restart();
    await restarted.restore();
    const view = sessionOf(restarted, connection.id);
    expect(view.status).toBe('expired');
    expect(view.message).toMatch(/no longer accepts this device's registration\. Sign in again\./);
    expect(await recordOf(w, connection.id)).toBeNull();
    await expect(restarted.getAccessToken(connection.id)).rejects.toMatchObject({ code: 'auth' });
  });

  it('sign-out deletes the registration at the EHR and the key from the keychain', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    const device = (await recordOf(w, connection.id))!.device!;
    await w.manager.signOut(connection.id);
    expect(sessionOf(w.manager, connection.id).status).toBe('signed-out');
    expect(await recordOf(w, connection.id)).toBeNull();
    await expect(grantWith(device)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('"forget this device" keeps the current session but nothing to renew it by', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    const device = (await recordOf(w, connection.id))!.device!;
    await w.manager.forgetDevice(connection.id);
    expect(sessionOf(w.manager, connection.id)).toMatchObject({ status: 'signed-in', deviceRegistered: false });
    expect(await recordOf(w, connection.id)).toBeNull();
    await expect(grantWith(device)).rejects.toMatchObject({ error: 'invalid_client' });
    w.clock.now += TOKEN_LIFETIME_S * 1000;
    await expect(w.manager.getAccessToken(connection.id)).rejects.toMatchObject({ code: 'auth' });
    await expect(w.manager.rotateDeviceKey(connection.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('without "register this device" nothing is registered and nothing is kept (Epic gives no refresh token)', async () => {
    const w = await world();
    const connection = await signedInDevice(w, false);
    expect(w.registrations).toEqual([]);
    expect(sessionOf(w.manager, connection.id)).toMatchObject({ status: 'signed-in', deviceRegistered: false });
    expect(await recordOf(w, connection.id)).toBeNull();
  });

  it('signing in again registers a new device and deletes the old registration (it is bound to the old sign-in)', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    const old = (await recordOf(w, connection.id))!.device!;
    await w.manager.signIn(connection.id);
    const stop = await createSystemBrowser().open(w.opened.at(-1)!);
    await w.manager.handleDeepLink(parseDeepLink(stop.url));
    const current = (await recordOf(w, connection.id))!.device!;
    expect(w.registrations).toHaveLength(2);
    expect(current.clientId).not.toBe(old.clientId);
    await vi.waitFor(() => expect(grantWith(old)).rejects.toMatchObject({ error: 'invalid_client' }));
    expect(await w.manager.refreshAfterUnauthorized(connection.id, await w.manager.getAccessToken(connection.id))).toEqual(
      expect.any(String),
    );
  });

  it('turning "register this device" off in the settings forgets the device', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    const device = (await recordOf(w, connection.id))!.device!;
    const { id: _id, managed: _managed, ...settings } = connection;
    await w.manager.updateConnection(connection.id, { ...settings, registerDevice: false });
    expect(sessionOf(w.manager, connection.id)).toMatchObject({ status: 'signed-in', deviceRegistered: false });
    expect(await recordOf(w, connection.id)).toBeNull();
    await expect(grantWith(device)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('moving the connection to another FHIR base deletes the registration without asking the new server', async () => {
    const w = await world();
    const connection = await signedInDevice(w);
    const device = (await recordOf(w, connection.id))!.device!;
    const { id: _id, managed: _managed, ...settings } = connection;
    await w.manager.updateConnection(connection.id, { ...settings, fhirBaseUrl: 'http://127.0.0.1:9/fhir' });
    expect(sessionOf(w.manager, connection.id).status).toBe('signed-out');
    await expect(grantWith(device)).rejects.toMatchObject({ error: 'invalid_client' });
  });
});
