import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CONNECTION_DEFAULTS } from '../../common/connections';
import type { AppNotice } from '../../common/view-models';
import { openConnectionStore } from './connection-store';
import { createConnectionsService } from './connections-service';
import { createLogger } from '../logging/logger';

async function service(sandboxFhirBaseUrl: string | null = null, fetchImpl: typeof fetch = notFound) {
  const dir = await mkdtemp(join(tmpdir(), 'chartdesk-connections-service-'));
  const { store } = await openConnectionStore({
    userDataDir: dir,
    managed: [],
    allowAddConnections: true,
    log: createLogger(() => {}),
  });
  let published = 0;
  const notices: AppNotice[] = [];
  const connections = createConnectionsService({
    store,
    publish: () => (published += 1),
    sandboxFhirBaseUrl,
    fetch: fetchImpl,
    onNotice: (notice) => notices.push(notice),
  });
  return { connections, store, published: () => published, notices };
}

const notFound: typeof fetch = () => Promise.resolve(new Response('', { status: 404 }));

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

  it('warns about OAuth mix-up when a connection on the shared redirect, whose EHR sends no iss, joins others', async () => {
    const s = await service();
    await s.connections.add(settings);
    const second = await s.connections.add({ ...settings, name: 'Second', fhirBaseUrl: 'https://other.example.net/fhir' });
    await vi.waitFor(() => expect(s.notices).toHaveLength(1));
    expect(s.notices[0]).toMatchObject({
      level: 'warning',
      connectionId: second.id,
      message: expect.stringMatching(/redirect name/),
    });
  });

  it("does not warn with a redirect name of the connection's own, nor for an EHR that advertises RFC 9207 iss", async () => {
    const advertising = (() =>
      Promise.resolve(
        Response.json({
          token_endpoint: 'https://other.example.net/token',
          authorization_response_iss_parameter_supported: true,
        }),
      )) as typeof fetch;
    const s = await service(null, advertising);
    await s.connections.add(settings);
    await s.connections.add({ ...settings, name: 'Named', fhirBaseUrl: 'https://named.example.net/fhir', redirectName: 'named' });
    await s.connections.add({ ...settings, name: 'Iss', fhirBaseUrl: 'https://other.example.net/fhir' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(s.notices).toEqual([]);
  });

  it('offers the development sandbox as a template only when one runs', async () => {
    const withSandbox = (await service('http://127.0.0.1:8080/fhir')).connections.templates();
    const without = (await service()).connections.templates();
    expect(withSandbox.map((template) => template.id)).toContain('chartdesk-sandbox');
    expect(without.map((template) => template.id)).not.toContain('chartdesk-sandbox');
  });
});
