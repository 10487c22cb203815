import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  loadRecording,
  REAL_FIXTURES_DIR,
  type Recording,
  type ReplayServer,
  requestKey,
  startReplayServer,
} from './replay-server';

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function replay(recording: Recording): Promise<ReplayServer> {
  const server = await startReplayServer(recording);
  servers.push(server);
  return server;
}

function fixture(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(REAL_FIXTURES_DIR, file), 'utf8')) as Record<string, unknown>;
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { accept: 'application/fhir+json' } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function links(bundle: Record<string, unknown>): Array<{ relation: string; url: string }> {
  return (bundle.link ?? []) as Array<{ relation: string; url: string }>;
}

/** The recorded bundle as a client must see it: only the origin of links under the recorded base differs. */
function expectedFromReplay(recorded: Record<string, unknown>, server: ReplayServer, recordedBase: string) {
  const basePath = new URL(recordedBase).pathname;
  return {
    ...recorded,
    link: links(recorded).map((link) => {
      const url = new URL(link.url);
      return url.pathname.startsWith(basePath) ? { ...link, url: `${server.origin}${url.pathname}${url.search}` } : link;
    }),
  };
}

describe('the replay server', () => {
  it('answers every recorded search page and read of every recording, verbatim but for link origins', async () => {
    const names = readdirSync(path.resolve(import.meta.dirname, 'recordings')).map((file) => file.replace(/\.json$/, ''));
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      const recording = loadRecording(name);
      const server = await replay(recording);
      const pages = recording.searches.flat();
      expect(server.recordedRequests.length, name).toBeGreaterThanOrEqual(pages.length + recording.reads.length);
      for (const page of pages) {
        const self = new URL(links(page).find((link) => link.relation === 'self')?.url ?? '');
        const answer = await getJson(`${server.origin}${self.pathname}${self.search}`);
        expect(answer.status, `${name} ${self.href}`).toBe(200);
        expect(answer.body).toEqual(expectedFromReplay(page, server, recording.fhirBase));
      }
      for (const resource of recording.reads) {
        const answer = await getJson(`${server.replayBase}/${String(resource.resourceType)}/${String(resource.id)}`);
        expect(answer).toEqual({ status: 200, body: resource });
      }
    }
  });

  it('keeps the OperationOutcome entries, the total and the self link of a recorded page', async () => {
    const server = await replay(loadRecording('hl7-search-warning'));
    const recorded = fixture('hl7-r4-examples/Bundle-bundle-search-warning.json');
    // Recorded with an unencoded "|" and ":" in the query: the client's percent-encoded form matches too.
    const query = new URLSearchParams({ 'patient.identifier': 'http://example.com/fhir/identifier/mrn|123456' });
    const answer = await getJson(`${server.replayBase}/Observation?${query.toString()}`);
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(0);
    expect(answer.body.entry).toEqual(recorded.entry);
    expect(links(answer.body)[0]?.url).toBe(
      `${server.origin}/fhir/Observation?patient.identifier=http://example.com/fhir/identifier/mrn|123456`,
    );
  });

  it('follows the next chain: a page listed after another is served at its next link, and the link points here', async () => {
    // Two recorded Oracle Health pages chained for this test (they were recorded for different searches):
    // only the serving of a next link is under test, not the data.
    const first = fixture('oracle-health/r4-observation-patient-bundle.json');
    const second = fixture('oracle-health/r4-observation-entered-in-error-status.json');
    const server = await replay({
      name: 'chain',
      fhirBase: 'https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
      searches: [[first, second]],
      reads: [],
    });
    const page1 = await getJson(`${server.replayBase}/Observation?patient=12742400`);
    const next = links(page1.body).find((link) => link.relation === 'next')?.url ?? '';
    expect(next.startsWith(`${server.replayBase}/Observation?patient=12742400&-pageContext=`)).toBe(true);
    const page2 = await getJson(next);
    expect(page2.status).toBe(200);
    expect(page2.body.entry).toEqual(second.entry);
    // The second page's own next page was never recorded: following it is a 404, not a loop.
    const beyond = links(page2.body).find((link) => link.relation === 'next')?.url ?? '';
    expect((await getJson(beyond)).status).toBe(404);
  });

  it('answers a recorded first page also when the client adds _count or _include, not when it asks for anything else', async () => {
    const server = await replay(loadRecording('epic-sandbox-camila'));
    const recorded = fixture('epic/Bundle-encounter-search-camila.json');
    const shaped = await getJson(
      `${server.replayBase}/Encounter?patient=erXuFYUfucBZaryVksYEcMg3&_count=1000&_include=Encounter:location`,
    );
    expect(shaped.status).toBe(200);
    expect(shaped.body.entry).toEqual(recorded.entry);
    expect((await getJson(`${server.replayBase}/Encounter?patient=erXuFYUfucBZaryVksYEcMg3&status=finished`)).status).toBe(404);
    expect((await getJson(`${server.replayBase}/Encounter?patient=someone-else&_count=10`)).status).toBe(404);
  });

  it('answers an unrecorded request with 404 and an OperationOutcome naming the request and what is recorded', async () => {
    const server = await replay(loadRecording('epic-sandbox-camila'));
    const answer = await getJson(`${server.replayBase}/Observation?patient=erXuFYUfucBZaryVksYEcMg3&category=vital-signs`);
    expect(answer.status).toBe(404);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    const diagnostics = String((answer.body.issue as Array<{ diagnostics?: string }>)[0]?.diagnostics);
    expect(diagnostics).toContain('no recorded response for GET /interconnect-fhir-oauth/api/FHIR/R4/Observation?patient=');
    expect(diagnostics).toContain('"epic-sandbox-camila"');
    expect(diagnostics).toContain('Patient/erXuFYUfucBZaryVksYEcMg3');
    expect((await getJson(`${server.origin}/elsewhere/Patient/erXuFYUfucBZaryVksYEcMg3`)).status).toBe(404);
    const post = await fetch(`${server.replayBase}/Patient`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
  });

  it('refuses a recording that answers one request twice, or a page chained without a next link', async () => {
    const page = fixture('oracle-health/r4-condition-bundle.json');
    const base = 'https://fhir-open.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
    const twice = { name: 'twice', fhirBase: base, searches: [[page], [{ ...page }]], reads: [] };
    await expect(startReplayServer(twice)).rejects.toThrow('holds two answers for Condition?patient=12724066');
    const unchained = { name: 'unchained', fhirBase: base, searches: [[page, page]], reads: [] };
    await expect(startReplayServer(unchained)).rejects.toThrow('page 2 follows a page without a next link');
  });
});

describe('requestKey', () => {
  it('matches a query whatever its parameter order and percent-encoding, below the base only', () => {
    const base = '/r4/tenant';
    expect(requestKey('/r4/tenant/Observation', '?patient=1&category=vital-signs', base)).toBe(
      requestKey('/r4/tenant/Observation', '?category=vital%2Dsigns&patient=1', base),
    );
    expect(requestKey('/r4/tenant/Patient/a', '', base)).toBe('Patient/a');
    expect(requestKey('/r4/other/Patient/a', '', base)).toBeNull();
  });
});
