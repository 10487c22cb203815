import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../logging/testing/memory-logger';
import { createFhirClient, type SearchPage } from './fhir-client';
import { type FakeServer, searchBundle, sendJson, startFakeServer } from './testing/fake-http-server';
import { FakeTokens } from './testing/fake-tokens';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Three pages of one Observation each, linked by `page`. */
async function pagedServer(): Promise<FakeServer> {
  const server = await startFakeServer((_req, res, url) => {
    if (url.pathname === '/fhir/metadata') return sendJson(res, 200, { resourceType: 'CapabilityStatement', status: 'active' });
    const page = Number(url.searchParams.get('page') ?? '1');
    const next = page < 3 ? `${server.origin}/fhir/Observation?page=${page + 1}` : undefined;
    sendJson(res, 200, searchBundle([{ resourceType: 'Observation', id: `o${page}` }], { ...(next ? { next } : {}), total: 3 }));
  });
  servers.push(server);
  return server;
}

async function ids(pages: AsyncGenerator<SearchPage>): Promise<string[]> {
  const out: string[] = [];
  for await (const page of pages) out.push(...page.matches.map((resource) => String(resource.id)));
  return out;
}

describe('FHIR client: searches the loader steers', () => {
  it('repeats a parameter given as a list (a date window: both bounds must hold)', async () => {
    const server = await pagedServer();
    const client = createFhirClient({ baseUrl: server.baseUrl, tokens: new FakeTokens(), fetch, log: memoryLogger() });
    await ids(
      client.search('Observation', { date: ['ge2020-01-01', 'lt2021-01-01'], patient: 'p' }, undefined, { firstPageOnly: true }),
    );
    expect(server.requests[0]?.url).toBe('/fhir/Observation?date=ge2020-01-01&date=lt2021-01-01&patient=p');
  });

  it('gives the first page alone without asking for the next, and goes on from its next link later', async () => {
    const server = await pagedServer();
    const client = createFhirClient({ baseUrl: server.baseUrl, tokens: new FakeTokens(), fetch, log: memoryLogger() });
    const first: SearchPage[] = [];
    for await (const page of client.search('Observation', {}, undefined, { firstPageOnly: true })) first.push(page);
    expect(first.map((page) => page.next)).toEqual([`${server.origin}/fhir/Observation?page=2`]);
    expect(server.requests).toHaveLength(1);
    expect(await ids(client.resume('Observation', first[0]?.next ?? ''))).toEqual(['o2', 'o3']);
    await expect(ids(client.resume('Observation', 'https://elsewhere.example/fhir/Observation?page=2'))).rejects.toMatchObject({
      kind: 'untrusted-link',
    });
  });

  it('reads the CapabilityStatement, and refuses anything else as one', async () => {
    const server = await pagedServer();
    const client = createFhirClient({ baseUrl: server.baseUrl, tokens: new FakeTokens(), fetch, log: memoryLogger() });
    await expect(client.capabilities()).resolves.toMatchObject({ resourceType: 'CapabilityStatement' });
    const other = await startFakeServer((_req, res) => sendJson(res, 200, { resourceType: 'Bundle' }));
    servers.push(other);
    const wrong = createFhirClient({ baseUrl: other.baseUrl, tokens: new FakeTokens(), fetch, log: memoryLogger() });
    await expect(wrong.capabilities()).rejects.toMatchObject({ kind: 'malformed' });
  });
});
