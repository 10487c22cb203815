/**
 * The FHIR R4 REST API: search parameters, keyset paging with stable links, _count limit,
 * _summary=count, _total, _sort, :missing, _include, conditional reads, OperationOutcome errors,
 * Server-Timing, fault injection, the in-flight limit, and the Synthea and --big data sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNTHEA_DIR } from './data/synthea-fixtures.js';
import { MAX_PAGE_SIZE, startSandbox, type Sandbox } from './index.js';
import { fhirGet, tokenFor } from './testing/oauth-driver.js';

type Bundle = {
  total: number;
  entry?: Array<{ resource: Record<string, unknown>; search: { mode: string } }>;
  link: Array<{ relation: string; url: string }>;
};

let sandbox: Sandbox;
let access: string;
let patient: string;
const get = async (pathAndQuery: string) => fhirGet(`${sandbox.fhirBaseUrl}/${pathAndQuery}`, access);
const bundle = async (pathAndQuery: string) => {
  const response = await get(pathAndQuery);
  expect(response.status).toBe(200);
  return response.body as unknown as Bundle;
};

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true, bigObservations: 2500 });
  access = (await tokenFor(sandbox.fhirBaseUrl, 'user/*.rs')).tokens.access_token;
  patient = sandbox.patients()[0]?.id as string;
});
afterAll(() => sandbox.stop());

describe('search', () => {
  it('filters by code (system|code and code alone), category and date prefixes', async () => {
    const all = await bundle(`Observation?patient=${patient}&code=http://loinc.org|8867-4`);
    expect(all.total).toBe(8);
    expect((await bundle(`Observation?patient=${patient}&code=8867-4`)).total).toBe(8);
    expect((await bundle(`Observation?patient=${patient}&code=8867-4,8310-5`)).total).toBe(16);
    const labs = await bundle(`Observation?patient=${patient}&category=laboratory&_count=1000`);
    expect(labs.entry?.every((e) => JSON.stringify(e.resource.category).includes('laboratory'))).toBe(true);
    const recent = await bundle(`Observation?patient=${patient}&code=8867-4&date=ge2024-01-01`);
    const older = await bundle(`Observation?patient=${patient}&code=8867-4&date=lt2024-01-01`);
    expect(recent.total + older.total).toBe(8);
    expect(recent.total).toBeGreaterThan(0);
    const year = await bundle(`Observation?patient=${patient}&code=8867-4&date=2023`);
    expect(year.total).toBe(older.total);
  });

  it('sorts by date both ways and pages with stable next links', async () => {
    const asc = await bundle(`Observation?patient=${patient}&code=8867-4&_sort=date`);
    const desc = await bundle(`Observation?patient=${patient}&code=8867-4&_sort=-date`);
    const dates = (b: Bundle) => b.entry?.map((e) => e.resource.effectiveDateTime as string) ?? [];
    expect(dates(asc)).toEqual([...dates(asc)].sort());
    expect(dates(desc)).toEqual([...dates(asc)].reverse());
    const page1 = await bundle(`Observation?patient=${patient}&_count=7&_sort=date`);
    const next = page1.link.find((l) => l.relation === 'next')?.url as string;
    const again = await bundle(`Observation?patient=${patient}&_count=7&_sort=date`);
    expect(again.link.find((l) => l.relation === 'next')?.url).toBe(next);
    expect(new URL(next).searchParams.get('_cursor')).toBeTruthy();
    expect(new URL(next).searchParams.has('_offset')).toBe(false);
    const page2 = (await fhirGet(next, access)).body as unknown as Bundle;
    expect(page2.entry?.[0]?.resource.id).not.toBe(page1.entry?.[0]?.resource.id);
  });

  it('follows next links through a long chart in either date order, every observation once', async () => {
    for (const sort of ['date', '-date']) {
      const ids: string[] = [];
      let url: string | undefined = `${sandbox.fhirBaseUrl}/Observation?patient=sbx-big-patient&_sort=${sort}&_count=1000`;
      while (url) {
        const page = (await fhirGet(url, access)).body as unknown as Bundle;
        ids.push(...(page.entry ?? []).map((e) => e.resource.id as string));
        url = page.link.find((l) => l.relation === 'next')?.url;
      }
      expect(ids, sort).toHaveLength(2500);
      expect(new Set(ids).size, sort).toBe(2500);
    }
  });

  it(`caps _count at ${MAX_PAGE_SIZE}, gives a total when asked or when it is free, and answers _summary=count with a total only`, async () => {
    const big = await bundle(`Observation?patient=sbx-big-patient&_count=5000&_total=accurate`);
    expect(big.total).toBe(2500);
    expect(big.entry).toHaveLength(MAX_PAGE_SIZE);
    expect((await bundle(`Observation?patient=sbx-big-patient&_count=100`)).total).toBeUndefined();
    const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    expect((await bundle(`Observation?patient=sbx-big-patient&date=ge${lastMonth}&_count=1000`)).total).toBeGreaterThan(0);
    expect((await bundle(`Observation?patient=sbx-big-patient&date:missing=true`)).total).toBe(0);
    const count = await bundle(`Observation?patient=sbx-big-patient&_summary=count`);
    expect(count.total).toBe(2500);
    expect(count.entry).toBeUndefined();
  });

  it('searches patients by name, family, given, birthdate and identifier', async () => {
    expect((await bundle('Patient?name=ame')).total).toBe(1);
    expect((await bundle('Patient?family=Reyes')).total).toBe(1);
    expect((await bundle('Patient?given=mei')).total).toBe(1);
    expect((await bundle('Patient?birthdate=1958-03-14')).total).toBe(1);
    expect((await bundle('Patient?birthdate=ge1980')).total).toBe(2);
    expect((await bundle('Patient?identifier=SBX-1002')).total).toBe(1);
    expect((await bundle('Patient?_id=sbx-mei-chen,sbx-jonah-reyes')).total).toBe(2);
  });

  it('filters Conditions by clinical-status and MedicationRequests by status, and _include=MedicationRequest:medication', async () => {
    expect((await bundle(`Condition?patient=${patient}&clinical-status=active`)).total).toBe(2);
    expect((await bundle(`Condition?patient=${patient}&clinical-status=resolved`)).total).toBe(0);
    const meds = await bundle(`MedicationRequest?patient=${patient}&status=active&_include=MedicationRequest:medication`);
    expect(meds.total).toBe(3);
    const included = meds.entry?.filter((e) => e.search.mode === 'include').map((e) => e.resource.id);
    expect(included).toEqual(['sbx-med-albuterol']);
  });

  it('answers POST _search like GET', async () => {
    const response = await fetch(`${sandbox.fhirBaseUrl}/Observation/_search`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `patient=${patient}&code=8867-4`,
    });
    expect(((await response.json()) as Bundle).total).toBe(8);
  });
});

describe('reads and errors', () => {
  it('sends ETag and Last-Modified and answers If-None-Match with 304', async () => {
    const first = await get(`Patient/${patient}`);
    const etag = first.headers.get('etag') as string;
    expect(first.headers.get('last-modified')).toMatch(/GMT$/);
    const second = await fetch(`${sandbox.fhirBaseUrl}/Patient/${patient}`, {
      headers: { Authorization: `Bearer ${access}`, 'If-None-Match': etag },
    });
    expect(second.status).toBe(304);
  });

  it('answers every error with an OperationOutcome', async () => {
    for (const [query, status] of [
      ['Patient/nobody', 404],
      ['Observation?_sort=code', 400],
      ['Observation?_count=-1', 400],
      ['Observation?date=notadate', 400],
      ['Observation?_total=all', 400],
      ['Observation?_cursor=forged', 400],
      ['Patient/a/b/c', 404],
    ] as const) {
      const response = await get(query);
      expect(response.status, query).toBe(status);
      expect(response.body.resourceType, query).toBe('OperationOutcome');
    }
    const huge = await fetch(`${sandbox.fhirBaseUrl}/Observation/_search`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${access}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `code=${'x'.repeat(1_100_000)}`,
    });
    expect(huge.status).toBe(413);
    const write = await fetch(`${sandbox.fhirBaseUrl}/Patient/${patient}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${access}` },
    });
    expect(write.status).toBe(405);
  });

  it('serves /metadata with the SMART oauth-uris extension, and Server-Timing on every answer', async () => {
    const response = await fetch(`${sandbox.fhirBaseUrl}/metadata`);
    const statement = (await response.json()) as {
      fhirVersion: string;
      rest: Array<{ security: { extension: Array<{ url: string }> } }>;
    };
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.rest[0]?.security.extension[0]?.url).toBe(
      'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
    );
    expect(response.headers.get('server-timing')).toMatch(/^app;dur=/);
    for (const url of [
      `${sandbox.issuer}/.well-known/openid-configuration`,
      `${sandbox.origin}/ehr/launch`,
      `${sandbox.origin}/nowhere`,
    ]) {
      expect((await fetch(url)).headers.get('server-timing'), url).toMatch(/^app;dur=\d/);
    }
  });
});

describe('fault injection', () => {
  it('answers every Nth request with 429 or 503 and Retry-After', async () => {
    sandbox.setFaults({ status429Every: 2, status503Every: 3, retryAfterSeconds: 7 });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i += 1) {
        const response = await get(`Patient/${patient}`);
        statuses.push(response.status);
        if (response.status !== 200) expect(response.headers.get('retry-after')).toBe('7');
      }
      expect(statuses).toEqual([200, 429, 503, 429, 200, 429]);
    } finally {
      sandbox.setFaults(null);
    }
  });

  it('adds the configured delay and reports it in Server-Timing, within app and on its own', async () => {
    sandbox.setFaults({ delayMs: 120 });
    try {
      const started = performance.now();
      const response = await get(`Patient/${patient}`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
      const timing = response.headers.get('server-timing') ?? '';
      expect(Number(/app;dur=([\d.]+)/.exec(timing)?.[1])).toBeGreaterThanOrEqual(115);
      expect(timing).toContain('delay;dur=120.00');
    } finally {
      sandbox.setFaults(null);
    }
  });

  it('answers 429 with Retry-After beyond the in-flight limit of one client, and serves it again once answers are out', async () => {
    sandbox.setFaults({ delayMs: 150 });
    sandbox.setMaxParallel(2);
    const throttledBefore = sandbox.stats().throttled;
    try {
      const responses = await Promise.all(Array.from({ length: 4 }, () => get(`Patient/${patient}`)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 429, 429]);
      const refused = responses.find((r) => r.status === 429);
      expect(refused?.headers.get('retry-after')).toBe('1');
      expect(refused?.body.resourceType).toBe('OperationOutcome');
      expect(sandbox.stats().throttled - throttledBefore).toBe(2);
      expect((await get(`Patient/${patient}`)).status).toBe(200);
    } finally {
      sandbox.setMaxParallel(null);
      sandbox.setFaults(null);
    }
  });

  it('cuts connections, sends malformed JSON and 500s at the configured rates, reproducibly per seed', async () => {
    const run = async () => {
      sandbox.setFaults({ errorRate500: 0.2, dropConnectionRate: 0.2, malformedJsonRate: 0.2, seed: 42 });
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i += 1) {
        try {
          const response = await fetch(`${sandbox.fhirBaseUrl}/Observation?patient=${patient}`, {
            headers: { Authorization: `Bearer ${access}` },
          });
          const text = await response.text();
          if (response.status === 500) outcomes.push('500');
          else outcomes.push(isJson(text) ? 'ok' : 'malformed');
        } catch {
          outcomes.push('dropped');
        }
      }
      return outcomes;
    };
    const isJson = (text: string) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    try {
      const first = await run();
      expect(new Set(first)).toEqual(new Set(['ok', '500', 'dropped', 'malformed']));
      expect(await run()).toEqual(first);
      expect(sandbox.stats().faults).toBeGreaterThan(0);
    } finally {
      sandbox.setFaults(null);
    }
  });
});

describe('Synthea data (fixtures/synthea-r4)', () => {
  it('loads the four Synthea patients in under 5 seconds of CPU with urn:uuid references resolved', async () => {
    // CPU time of this process, where the sandbox runs: a busy machine stretches wall-clock time, not the work.
    const started = process.cpuUsage();
    const synthea = await startSandbox({ dataDir: SYNTHEA_DIR, autoApprove: true, storage: 'sqlite' });
    const cpu = process.cpuUsage(started);
    try {
      expect((cpu.user + cpu.system) / 1e6).toBeLessThan(5);
      expect(synthea.patients()).toHaveLength(4);
      const token = (await tokenFor(synthea.fhirBaseUrl, 'user/*.rs')).tokens.access_token;
      const id = synthea.patients()[0]?.id as string;
      const obs = (await fhirGet(`${synthea.fhirBaseUrl}/Observation?patient=${id}&_count=1&_total=accurate`, token))
        .body as unknown as Bundle;
      expect(obs.total).toBeGreaterThan(0);
      expect((obs.entry?.[0]?.resource.subject as { reference: string }).reference).toBe(`Patient/${id}`);
      const encounter = (obs.entry?.[0]?.resource.encounter as { reference: string }).reference;
      expect((await fhirGet(`${synthea.fhirBaseUrl}/${encounter}`, token)).status).toBe(200);
      expect(synthea.users[0]?.practitionerId).toBeTruthy();
    } finally {
      await synthea.stop();
    }
  });
});
