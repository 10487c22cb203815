import { afterEach, describe, expect, it } from 'vitest';
import { createFhirClient, type FhirClientOptions, type SearchPage } from './fhir-client';
import { FhirError } from './fhir-errors';
import { DEFAULT_RETRY_POLICY, parseRetryAfter } from './retry-policy';
import {
  type FakeHandler,
  type FakeServer,
  operationOutcome,
  searchBundle,
  sendJson,
  startFakeServer,
} from './testing/fake-http-server';
import { FakeTokens } from './testing/fake-tokens';
import { memoryLogger } from '../logging/testing/memory-logger';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: FakeHandler): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

const FAST: Partial<FhirClientOptions> = {
  timeoutMs: 2_000,
  retry: { ...DEFAULT_RETRY_POLICY, backoffBaseMs: 10, maxBackoffMs: 40 },
};

function clientFor(server: FakeServer, tokens = new FakeTokens(), options: Partial<FhirClientOptions> = FAST) {
  const log = memoryLogger();
  return { client: createFhirClient({ baseUrl: server.baseUrl, tokens, fetch, log, options }), tokens, log };
}

const patient = { resourceType: 'Patient', id: 'p1' };

async function collect(pages: AsyncGenerator<SearchPage>): Promise<SearchPage[]> {
  const out: SearchPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<FhirError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FhirError);
  const fhirError = error as FhirError;
  expect(fhirError.message).not.toMatch(/token-\d/);
  return fhirError;
}

describe('FHIR client: requests', () => {
  it('sends Accept: application/fhir+json and the access token as a Bearer token (INF row 93)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, patient));
    const { client } = clientFor(server);
    await expect(client.read('Patient', 'p1')).resolves.toEqual(patient);
    expect(server.requests[0]).toMatchObject({
      url: '/fhir/Patient/p1',
      accept: 'application/fhir+json',
      authorization: 'Bearer token-1',
    });
  });

  it('sends no Authorization header for an open endpoint (an empty token: the chart command without --bearer)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, patient));
    const open = { getAccessToken: () => Promise.resolve(''), refreshAfterUnauthorized: () => Promise.resolve(null) };
    const client = createFhirClient({ baseUrl: server.baseUrl, tokens: open, fetch, log: memoryLogger(), options: FAST });
    await client.read('Patient', 'p1');
    expect(server.requests[0]).toMatchObject({ accept: 'application/fhir+json', authorization: null });
  });

  it('keeps the OperationOutcome issues of a searchset and counts its entries', async () => {
    const bundle = {
      ...(searchBundle([patient]) as Record<string, unknown>),
      entry: [
        { resource: patient, search: { mode: 'match' } },
        { resource: operationOutcome('Some results were left out.'), search: { mode: 'outcome' } },
      ],
    };
    const server = await serve((_req, res) => sendJson(res, 200, bundle));
    const [page] = await collect(clientFor(server).client.search('Patient', { name: 'x' }));
    expect(page).toMatchObject({ matches: [patient], entryCount: 2 });
    expect(page?.outcomes).toEqual([expect.objectContaining({ text: 'Some results were left out.' })]);
  });

  it('refuses an id that is not a FHIR id before sending anything', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, patient));
    const error = await failure(clientFor(server).client.read('Patient', '../Observation'));
    expect(error.kind).toBe('malformed');
    expect(server.requests).toHaveLength(0);
  });

  it('reports a read that answers with another resource type', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { resourceType: 'Observation', id: 'p1' }));
    const error = await failure(clientFor(server).client.read('Patient', 'p1'));
    expect(error.message).toBe("Reading the patient's record failed: the EHR answered with something else (a Observation).");
  });

  it('reads a relative reference, and refuses an absolute one on another server (INF row 97)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { resourceType: 'Medication', id: 'm1' }));
    const { client } = clientFor(server);
    await expect(client.readReference('Medication/m1')).resolves.toMatchObject({ id: 'm1' });
    await expect(client.readReference(`${server.baseUrl}/Medication/m1`)).resolves.toMatchObject({ id: 'm1' });
    expect((await failure(client.readReference('https://elsewhere.example/fhir/Medication/m1'))).kind).toBe('untrusted-link');
    expect(server.requests).toHaveLength(2);
  });
});

describe('FHIR client: paging', () => {
  it('follows next links exactly as the server gave them', async () => {
    const opaque = '/fhir?_getpages=a1b2&_getpagesoffset=2&_count=2&_bundletype=searchset';
    const server = await serve((_req, res, url) => {
      if (url.pathname === '/fhir/Observation') {
        sendJson(
          res,
          200,
          searchBundle([{ resourceType: 'Observation', id: 'o1' }], { next: `${server.origin}${opaque}`, total: 2 }),
        );
      } else sendJson(res, 200, searchBundle([{ resourceType: 'Observation', id: 'o2' }], { total: 2 }));
    });
    const pages = await collect(clientFor(server).client.search('Observation', { patient: 'p1', _count: '2' }));
    expect(pages.map((page) => page.matches.map((match) => match.id))).toEqual([['o1'], ['o2']]);
    expect(pages[0]?.total).toBe(2);
    expect(server.requests.map((request) => request.url)).toEqual(['/fhir/Observation?patient=p1&_count=2', opaque]);
  });

  it('does not follow a next link to another origin, so the token never leaves the FHIR server (INF row 97)', async () => {
    const hostile = await serve((_req, res) => sendJson(res, 200, searchBundle([])));
    const server = await serve((_req, res) =>
      sendJson(res, 200, searchBundle([patient], { next: `${hostile.origin}/steal?page=2` })),
    );
    const generator = clientFor(server).client.search('Patient', { name: 'x' });
    await expect(generator.next()).resolves.toMatchObject({ done: false });
    const error = await failure(generator.next());
    expect(error.kind).toBe('untrusted-link');
    expect(error.message).toContain(hostile.origin);
    expect(hostile.requests).toHaveLength(0);
  });

  it('does not follow a next link out of the FHIR base path on the same server (another tenant, an admin API)', async () => {
    for (const next of ['/other-tenant/admin/Patient?page=2', '/fhirx/Patient?page=2', '/Patient?page=2']) {
      const server = await serve((_req, res) => sendJson(res, 200, searchBundle([patient], { next: `${server.origin}${next}` })));
      const generator = clientFor(server).client.search('Patient', { name: 'x' });
      await expect(generator.next()).resolves.toMatchObject({ done: false });
      const error = await failure(generator.next());
      expect(error.kind, next).toBe('untrusted-link');
      expect(server.requests.map((request) => request.url)).toEqual(['/fhir/Patient?name=x']);
    }
  });

  it('stops a next link that goes round in a loop', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, searchBundle([patient], { next: `${server.baseUrl}/Patient?page=1` })),
    );
    const error = await failure(collect(clientFor(server).client.search('Patient', { page: '1' })));
    expect(error.message).toContain('loop');
  });

  it('splits matches from _include entries and skips outcome entries', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, {
        resourceType: 'Bundle',
        entry: [
          { resource: { resourceType: 'MedicationRequest', id: 'r1' }, search: { mode: 'match' } },
          { resource: { resourceType: 'Medication', id: 'm1' }, search: { mode: 'include' } },
          { resource: operationOutcome('partial', 'warning'), search: { mode: 'outcome' } },
          { fullUrl: 'no resource' },
        ],
      }),
    );
    const [page] = await collect(clientFor(server).client.search('MedicationRequest', {}));
    expect(page?.matches.map((match) => match.id)).toEqual(['r1']);
    expect(page?.included.map((match) => match.id)).toEqual(['m1']);
    expect(page?.total).toBeNull();
  });

  it('reports a search that answers with something other than a Bundle', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, patient));
    const error = await failure(collect(clientFor(server).client.search('Patient', {})));
    expect(error).toMatchObject({
      kind: 'malformed',
      message: 'Looking up patients failed: the EHR answered with something other than a list of results (a Patient).',
    });
  });
});

describe('FHIR client: a base with a query string (athenahealth’s practice)', () => {
  it('keeps the base’s parameters on reads, searches and next links that left them out, and reads references under it', async () => {
    const practice = 'ah-practice=Organization%2Fa-1.Practice-195900';
    const server = await serve((_req, res, url) => {
      if (url.pathname.endsWith('/Observation') && !url.searchParams.has('_offset')) {
        // The next link leaves the practice out, as a server that ignores unknown parameters writes it.
        return sendJson(res, 200, searchBundle([], { next: `${server.baseUrl}/Observation?patient=p1&_offset=1` }));
      }
      if (url.pathname.endsWith('/Observation')) return sendJson(res, 200, searchBundle([]));
      return sendJson(res, 200, url.pathname.endsWith('/Practitioner/d1') ? { resourceType: 'Practitioner', id: 'd1' } : patient);
    });
    const base = `${server.baseUrl}?ah-practice=Organization/a-1.Practice-195900`;
    const client = createFhirClient({ baseUrl: base, tokens: new FakeTokens(), fetch, log: memoryLogger(), options: FAST });
    await client.read('Patient', 'p1');
    expect(await collect(client.search('Observation', { patient: 'p1' }))).toHaveLength(2);
    await client.readReference(`${server.baseUrl}/Practitioner/d1`);
    const path = new URL(server.baseUrl).pathname;
    expect(server.requests.map((request) => request.url)).toEqual([
      `${path}/Patient/p1?${practice}`,
      `${path}/Observation?${practice}&patient=p1`,
      `${path}/Observation?patient=p1&_offset=1&${practice}`,
      `${path}/Practitioner/d1?${practice}`,
    ]);
  });
});

describe('FHIR client: 401 and refresh', () => {
  it('refreshes once after a 401 and retries with the new token', async () => {
    const server = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer token-1') sendJson(res, 401, operationOutcome('expired'));
      else sendJson(res, 200, patient);
    });
    const { client, tokens, log } = clientFor(server);
    await expect(client.read('Patient', 'p1')).resolves.toEqual(patient);
    expect(tokens.refreshes).toBe(1);
    expect(server.requests.map((request) => request.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(JSON.stringify(log.lines)).not.toMatch(/token-\d/);
  });

  it('shares one refresh between parallel requests that all got a 401', async () => {
    const server = await serve((req, res) => {
      if (req.headers.authorization === 'Bearer token-1') sendJson(res, 401, {});
      else sendJson(res, 200, patient);
    });
    const { client, tokens } = clientFor(server);
    await Promise.all([1, 2, 3, 4].map(() => client.read('Patient', 'p1')));
    expect(tokens.refreshes).toBe(1);
  });

  it('gives up after one refresh when the server still answers 401, and tells the token source the renewed token was refused', async () => {
    const server = await serve((_req, res) => sendJson(res, 401, {}));
    const { client, tokens } = clientFor(server);
    const error = await failure(client.read('Patient', 'p1'));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(tokens.refreshes).toBe(1);
    expect(tokens.refusedRenewals).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it('reports an ended session when the token source has no token, without sending anything', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, patient));
    const tokens = {
      getAccessToken: () => Promise.reject(new Error('no session')),
      refreshAfterUnauthorized: () => Promise.resolve(null),
    };
    const client = createFhirClient({ baseUrl: server.baseUrl, tokens, fetch, log: memoryLogger(), options: FAST });
    expect(await failure(client.read('Patient', 'p1'))).toMatchObject({ kind: 'auth' });
    expect(server.requests).toHaveLength(0);
  });

  it('reports an ended session when no refresh is possible', async () => {
    const server = await serve((_req, res) => sendJson(res, 401, {}));
    const error = await failure(clientFor(server, new FakeTokens(false)).client.read('Patient', 'p1'));
    expect(error).toMatchObject({ kind: 'auth', message: 'The EHR no longer accepts this session. Sign in again.' });
  });
});

describe('FHIR client: 429, 503 and Retry-After', () => {
  it('waits as long as Retry-After says (seconds) before retrying a 429', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) sendJson(res, 429, operationOutcome('slow down'), { 'retry-after': '1' });
      else sendJson(res, 200, patient);
    });
    const started = Date.now();
    await expect(clientFor(server).client.read('Patient', 'p1')).resolves.toEqual(patient);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(calls).toBe(2);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    let calls = 0;
    const server = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) sendJson(res, 503, {}, { 'retry-after': new Date(Date.now() - 5_000).toUTCString() });
      else sendJson(res, 200, patient);
    });
    await expect(clientFor(server).client.read('Patient', 'p1')).resolves.toEqual(patient);
    expect(calls).toBe(2);
  });

  it('backs off exponentially on 503 and stops at the attempt cap with the server’s message', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, operationOutcome('maintenance window')));
    const { client, log } = clientFor(server);
    const error = await failure(client.read('Patient', 'p1'));
    expect(error).toMatchObject({ kind: 'rate-limited', status: 503 });
    expect(error.message).toBe(
      "Reading the patient's record failed: the server is unavailable (HTTP 503). error: maintenance window",
    );
    expect(server.requests).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(log.lines.filter((line) => line.event === 'fhir.retry').map((line) => line.fields?.delayMs)).toEqual([10, 20, 40]);
  });

  it('does not wait for a Retry-After beyond the limit: it fails at once and says so', async () => {
    const server = await serve((_req, res) => sendJson(res, 429, {}, { 'retry-after': '3600' }));
    const error = await failure(clientFor(server).client.read('Patient', 'p1'));
    expect(error).toMatchObject({
      kind: 'rate-limited',
      message: "Reading the patient's record failed: the EHR asked to wait 3600 s before trying again. Try again later.",
    });
    expect(server.requests).toHaveLength(1);
  });

  it('parses Retry-After seconds and dates, and ignores nonsense', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('FHIR client: errors the clinician can read', () => {
  it('turns a 500 OperationOutcome into a readable message and does not retry it', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 500, {
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'exception', details: { text: 'Database unavailable' }, diagnostics: 'stack…' },
          { severity: 'warning', code: 'informational', diagnostics: 'retry later' },
        ],
      }),
    );
    const error = await failure(clientFor(server).client.read('Patient', 'p1'));
    expect(error).toMatchObject({
      kind: 'http',
      status: 500,
      message:
        "Reading the patient's record failed: the server failed (HTTP 500). error: Database unavailable; warning: retry later",
    });
    expect(server.requests).toHaveLength(1);
  });

  it('describes a non-FHIR error page by its status alone', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    const error = await failure(clientFor(server).client.read('Patient', 'p1'));
    expect(error.message).toBe("Reading the patient's record failed: a gateway failed (HTTP 502).");
  });

  it('reports malformed JSON, and HTML where JSON was expected', async () => {
    const broken = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end('{"resourceType": "Patient", ');
    });
    expect(await failure(clientFor(broken).client.read('Patient', 'p1'))).toMatchObject({
      kind: 'malformed',
      message: "Reading the patient's record failed: the EHR's answer was not valid JSON.",
    });
    const html = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html>login</html>');
    });
    expect((await failure(clientFor(html).client.read('Patient', 'p1'))).message).toBe(
      "Reading the patient's record failed: the EHR answered with text/html, not FHIR JSON.",
    );
  });

  it('does not follow a redirect with the session', async () => {
    const elsewhere = await serve((_req, res) => sendJson(res, 200, patient));
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.origin}/fhir/Patient/p1` });
      res.end();
    });
    expect((await failure(clientFor(server).client.read('Patient', 'p1'))).status).toBe(302);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses an answer larger than the limit, declared or streamed', async () => {
    const big = { ...patient, text: 'x'.repeat(5_000) };
    const declared = await serve((_req, res) => sendJson(res, 200, big));
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify(big));
    });
    for (const server of [declared, streamed]) {
      const error = await failure(
        clientFor(server, new FakeTokens(), { ...FAST, maxResponseBytes: 1_000 }).client.read('Patient', 'p1'),
      );
      expect(error.kind).toBe('too-large');
    }
  });
});

describe('FHIR client: dropped connections, timeouts and cancellation', () => {
  it('retries a dropped connection, then succeeds', async () => {
    let calls = 0;
    const server = await serve((req, res) => {
      calls += 1;
      if (calls === 1) req.socket.destroy();
      else sendJson(res, 200, patient);
    });
    await expect(clientFor(server).client.read('Patient', 'p1')).resolves.toEqual(patient);
  });

  it('reports a connection that keeps dropping, also mid-body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': '1000' });
      res.write('{"resourceType":');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const error = await failure(clientFor(server).client.read('Patient', 'p1'));
    expect(error).toMatchObject({ kind: 'network' });
    expect(error.message).toContain('connection dropped');
  });

  it('times out a request that never answers', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const error = await failure(clientFor(server, new FakeTokens(), { ...FAST, timeoutMs: 200 }).client.read('Patient', 'p1'));
    expect(error).toMatchObject({ kind: 'timeout', message: "Reading the patient's record timed out after 0.2 s." });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('times out a body that stalls half way', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.write('{"resourceType":');
    });
    const error = await failure(clientFor(server, new FakeTokens(), { ...FAST, timeoutMs: 200 }).client.read('Patient', 'p1'));
    expect(error.kind).toBe('timeout');
  });

  it('cancels a request in flight when its signal aborts', async () => {
    const server = await serve(() => undefined);
    const controller = new AbortController();
    const pending = clientFor(server).client.read('Patient', 'p1', controller.signal);
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).kind).toBe('cancelled');
  });

  it('cancels while waiting to retry', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, {}, { 'retry-after': '10' }));
    const controller = new AbortController();
    const pending = clientFor(server).client.read('Patient', 'p1', controller.signal);
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    expect((await failure(pending)).kind).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('FHIR client: writes', () => {
  const create = {
    method: 'POST' as const,
    path: 'Observation',
    headers: { 'If-None-Exist': 'identifier=urn:ietf:rfc:3986|urn:uuid:1' },
    body: '{"resourceType":"Observation"}',
  };

  it('sends the body with its condition and the token; an answer with headers only is read from them', async () => {
    const seen: Array<{ condition: unknown; body: string }> = [];
    const server = await serve(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += String(chunk);
      seen.push({ condition: req.headers['if-none-exist'], body });
      res.writeHead(201, { location: `${server.baseUrl}/Observation/o1/_history/1`, etag: 'W/"1"' }).end();
    });
    const { client } = clientFor(server);
    await expect(client.write(create)).resolves.toEqual({
      status: 201,
      json: null,
      etag: 'W/"1"',
      location: `${server.baseUrl}/Observation/o1/_history/1`,
    });
    expect(seen).toEqual([{ condition: create.headers['If-None-Exist'], body: create.body }]);
    expect(server.requests[0]).toMatchObject({ method: 'POST', authorization: 'Bearer token-1' });
  });

  it('is not retried after a 503 or a dropped connection (the clinician decides), and a 422 keeps its issues', async () => {
    const busy = await serve((_req, res) => sendJson(res, 503, operationOutcome('busy'), { 'retry-after': '0' }));
    expect(await failure(clientFor(busy).client.write(create))).toMatchObject({ status: 503 });
    expect(busy.requests).toHaveLength(1);
    const dropped = await serve((req) => void req.socket.destroy());
    expect(await failure(clientFor(dropped).client.write(create))).toMatchObject({ kind: 'network' });
    expect(dropped.requests).toHaveLength(1);
    const invalid = await serve((_req, res) => sendJson(res, 422, operationOutcome('unit not allowed')));
    expect(await failure(clientFor(invalid).client.write(create))).toMatchObject({ status: 422, details: ['unit not allowed'] });
  });

  it('after a 401, one renewal and the same write again', async () => {
    let calls = 0;
    const server = await serve((_req, res) =>
      ++calls === 1 ? sendJson(res, 401, {}) : sendJson(res, 201, { resourceType: 'Observation', id: 'o1' }),
    );
    const { client, tokens } = clientFor(server);
    await expect(client.write(create)).resolves.toMatchObject({ status: 201 });
    expect(server.requests.map((request) => request.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(tokens.refreshes).toBe(1);
  });
});
