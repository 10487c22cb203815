import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTION_DEFAULTS } from '../../common/connections';
import { openConnectionStore } from './connection-store';
import { createConnectionsService } from './connections-service';

async function service(sandboxFhirBaseUrl: string | null = null) {
  const dir = await mkdtemp(join(tmpdir(), 'chartdesk-connections-service-'));
  const { store } = await openConnectionStore({ userDataDir: dir, managed: [], allowAddConnections: true });
  let published = 0;
  const connections = createConnectionsService({
    store,
    publish: () => (published += 1),
    sandboxFhirBaseUrl,
    fetch: () => Promise.resolve(new Response('', { status: 404 })),
  });
  return { connections, store, published: () => published };
}

const settings = { ...CONNECTION_DEFAULTS, name: 'Clinic', fhirBaseUrl: 'https://ehr.example.org/fhir', clientId: 'chartdesk' };

describe('the connections service', () => {
  it('adds a connection to the store and then tells the renderer', async () => {
    const s = await service();
    const added = await s.connections.add(settings);
    expect(s.store.list()).toEqual([added]);
    expect(s.published()).toBe(1);
  });

  it('tells nothing when the store refuses', async () => {
    const s = await service();
    await expect(s.connections.add({ ...settings, clientId: '' })).rejects.toMatchObject({ code: 'invalid-input' });
    expect(s.published()).toBe(0);
  });

  it('offers the development sandbox as a template only when one runs', async () => {
    const withSandbox = (await service('http://127.0.0.1:8080/fhir')).connections.templates();
    const without = (await service()).connections.templates();
    expect(withSandbox.map((template) => template.id)).toContain('chartdesk-sandbox');
    expect(without.map((template) => template.id)).not.toContain('chartdesk-sandbox');
  });
});
