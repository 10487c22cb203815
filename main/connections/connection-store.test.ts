import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Connection, CONNECTION_DEFAULTS, type ConnectionSettings } from '../../common/connections';
import { CONNECTIONS_FILE, openConnectionStore } from './connection-store';
import { ensureSandboxConnection } from './sandbox-connection';
import { connectionTemplates, sandboxConnectionSettings } from './templates';
import { createLogger } from '../logging/logger';

const settings = (name: string, fhirBaseUrl = 'https://ehr.example.org/fhir/R4/'): ConnectionSettings => ({
  ...CONNECTION_DEFAULTS,
  name,
  fhirBaseUrl,
  clientId: 'chartdesk',
});

const managed = (id: string, mode: 'editable' | 'locked'): Connection => ({
  ...settings(`IT ${id}`, `https://${id}.example.org/fhir`),
  id,
  managed: mode,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chartdesk-connections-'));
});

const open = (extra: Partial<Parameters<typeof openConnectionStore>[0]> = {}) =>
  openConnectionStore({ userDataDir: dir, managed: [], allowAddConnections: true, log: createLogger(() => {}), ...extra });

describe('ConnectionStore', () => {
  it('adds a connection with a short URL-safe id, normalizes its FHIR base, and keeps it across restarts', async () => {
    const { store, notices } = await open();
    expect(notices).toEqual([]);
    const added = await store.add(settings('Clinic'));
    expect(added.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(added.fhirBaseUrl).toBe('https://ehr.example.org/fhir/R4');
    expect(added.managed).toBe('no');
    const reopened = await open();
    expect(reopened.store.list()).toEqual([added]);
    expect(reopened.store.findByFhirBase('https://EHR.example.org/fhir/R4/')).toEqual(added);
  });

  it('updates in place and removes', async () => {
    const { store } = await open();
    const a = await store.add(settings('A'));
    const b = await store.add(settings('B', 'https://b.example.org/fhir'));
    await store.update(a.id, settings('A renamed'));
    expect(store.list().map((connection) => connection.name)).toEqual(['A renamed', 'B']);
    await store.remove(a.id);
    expect((await open()).store.list()).toEqual([b]);
  });

  it('keeps the kinds of writing turned on, in order, and refuses those IT forbids', async () => {
    const { store } = await open();
    const added = await store.add({ ...settings('Writer'), writeKinds: ['notes', 'vitals'] });
    expect(added.writeKinds).toEqual(['vitals', 'notes']);
    // IT then allows vitals only: notes are off (the file still holds them), and turning them on is refused.
    const restricted = await open({ allowedWriteKinds: ['vitals'] });
    expect(restricted.store.get(added.id)?.writeKinds).toEqual(['vitals']);
    await expect(restricted.store.update(added.id, { ...settings('Writer'), writeKinds: ['notes'] })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Your organization’s policy does not allow ChartDesk to write notes.',
    });
    expect((await open()).store.get(added.id)?.writeKinds).toEqual(['vitals', 'notes']);
  });

  it('refuses invalid settings with a clear error', async () => {
    const { store } = await open();
    await expect(store.add(settings('Plain http', 'http://ehr.example.org/fhir'))).rejects.toThrow(/https/);
    await expect(store.add({ ...settings('x'), clientId: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(store.update('missing', settings('x'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses to add when IT policy forbids it', async () => {
    const { store } = await open({ allowAddConnections: false });
    expect(store.canAdd()).toBe(false);
    await expect(store.add(settings('A'))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lists managed connections first; locked ones cannot be edited or removed', async () => {
    const { store } = await open({ managed: [managed('locked1', 'locked')] });
    await store.add(settings('Own'));
    expect(store.list().map((connection) => connection.id)[0]).toBe('locked1');
    await expect(store.update('locked1', settings('x'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(store.remove('locked1')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('keeps edits of editable managed connections, and remembers their removal across restarts', async () => {
    const policy = { managed: [managed('edit1', 'editable'), managed('edit2', 'editable')] };
    const { store } = await open(policy);
    await store.update('edit1', settings('My name for it', 'https://edit1.example.org/fhir'));
    await store.remove('edit2');
    const reopened = (await open(policy)).store.list();
    expect(reopened).toEqual([
      { ...settings('My name for it', 'https://edit1.example.org/fhir'), id: 'edit1', managed: 'editable' },
    ]);
  });

  it('writes atomically and keeps the previous version as a backup', async () => {
    const { store } = await open();
    await store.add(settings('First'));
    await store.add(settings('Second', 'https://two.example.org/fhir'));
    const backup = JSON.parse(await readFile(join(dir, `${CONNECTIONS_FILE}.bak`), 'utf8'));
    expect(backup.connections.map((connection: Connection) => connection.name)).toEqual(['First']);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('recovers a damaged file from the backup, reports it, and keeps the damaged copy', async () => {
    const { store } = await open();
    await store.add(settings('First'));
    await store.add(settings('Second', 'https://two.example.org/fhir'));
    await writeFile(join(dir, CONNECTIONS_FILE), '{"version": 1, "connections": [tru');
    const recovered = await open();
    expect(recovered.store.list().map((connection) => connection.name)).toEqual(['First']);
    expect(recovered.notices).toHaveLength(1);
    expect(recovered.notices[0]).toMatchObject({ level: 'warning' });
    expect(recovered.notices[0]!.message).toMatch(/damaged \(not valid JSON\).*restored the previous version/);
    expect((await readdir(dir)).some((name) => name.startsWith(`${CONNECTIONS_FILE}.damaged-`))).toBe(true);
    // The recovered version is written back, so the next start is clean.
    expect((await open()).notices).toEqual([]);
  });

  it('reports a file that fails the schema and has no backup, and never deletes it', async () => {
    await writeFile(
      join(dir, CONNECTIONS_FILE),
      JSON.stringify({ version: 1, connections: [{ id: 'x', managed: 'no', name: '' }], removedManaged: [] }),
    );
    const { store, notices } = await open();
    expect(store.list()).toEqual([]);
    expect(notices[0]).toMatchObject({ level: 'error' });
    expect(notices[0]!.message).toMatch(/connection 1/);
    const damaged = (await readdir(dir)).find((name) => name.includes('.damaged-'));
    expect(await readFile(join(dir, damaged!), 'utf8')).toContain('"managed":"no"');
  });
});

describe('connection templates', () => {
  it('offers the sandbox when it runs, the SMART launcher, and Epic and Oracle Health needing a client id', () => {
    const templates = connectionTemplates({ sandboxFhirBaseUrl: 'http://127.0.0.1:4100/fhir' });
    expect(templates.map((template) => [template.id, template.needsClientId])).toEqual([
      ['chartdesk-sandbox', false],
      ['smart-launcher', false],
      ['epic-sandbox', true],
      ['oracle-health-sandbox', true],
    ]);
    // The reference launcher's standalone base: launch options in the path, as its codec writes them.
    const launcher = new URL(templates[1]!.settings.fhirBaseUrl);
    const [, options] = /^\/v\/r4\/sim\/([A-Za-z0-9_-]+)\/fhir$/.exec(launcher.pathname) ?? [];
    expect(launcher.origin).toBe('https://launch.smarthealthit.org');
    const decoded = JSON.parse(Buffer.from(options!, 'base64url').toString('utf8')) as unknown[];
    expect(decoded).toHaveLength(17);
    // provider-standalone (index 2 of the launcher's launch types), no patient or provider chosen, public client, PKCE auto
    expect(decoded.slice(0, 3)).toEqual([2, '', '']);
    expect(decoded.slice(14, 16)).toEqual([0, 1]);
    expect(templates[2]!.settings.fhirBaseUrl).toBe('https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4');
    expect(templates[3]!.settings.fhirBaseUrl).toBe('https://fhir-ehr-code.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d');
    expect(connectionTemplates({ sandboxFhirBaseUrl: null })).toHaveLength(3);
  });

  it('makes the sandbox a valid ready connection', async () => {
    const { store } = await open();
    const added = await store.add(sandboxConnectionSettings('http://127.0.0.1:4100/fhir'));
    expect(added.clientId).toBe('chartdesk');
  });
});

describe('ensureSandboxConnection', () => {
  it('adds the sandbox once and follows it to a new port', async () => {
    const { store } = await open();
    const first = await ensureSandboxConnection(store, 'http://127.0.0.1:4100/fhir');
    const again = await ensureSandboxConnection(store, 'http://127.0.0.1:4100/fhir');
    expect(again).toEqual(first);
    const moved = await ensureSandboxConnection(store, 'http://127.0.0.1:5123/fhir');
    expect(moved).toMatchObject({ id: first!.id, fhirBaseUrl: 'http://127.0.0.1:5123/fhir' });
    expect(store.list()).toHaveLength(1);
  });

  it('adds nothing when policy forbids adding', async () => {
    const { store } = await open({ allowAddConnections: false });
    expect(await ensureSandboxConnection(store, 'http://127.0.0.1:4100/fhir')).toBeNull();
  });
});
