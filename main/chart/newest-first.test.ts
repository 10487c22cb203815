import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObservationRow, WithdrawnStatus } from '../../common/chart';
import { addWithdrawn, noneWithdrawn } from '../../common/withdrawn';
import { createFhirClient } from '../fhir/fhir-client';
import { FakeTokens } from '../fhir/testing/fake-tokens';
import { memoryLogger } from '../logging/testing/memory-logger';
import { fetchNewestFirst } from './newest-first';
import type { SearchCapabilities } from './search-capabilities';
import { fetchPlainChain, SectionSearch, type SectionProgress } from './section-search';
import { fakeFhirFetch, type FakeStoreOptions } from './testing/fake-fhir-store';

const SEED = 17_2026;
const BASE = 'http://ehr.test/fhir';
const NOW = new Date('2026-11-28T12:00:00Z');
const DAY_MS = 86_400_000;

type Resource = Record<string, unknown> & { resourceType: string };

/** A heart-rate Observation of patient p; `effective` null: without a date. */
function observation(id: string, effective: string | null): Resource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    subject: { reference: 'Patient/p' },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }], text: 'Heart rate' },
    valueQuantity: { value: 70, unit: '/min' },
    ...(effective === null ? {} : { effectiveDateTime: effective }),
  };
}

interface Loaded {
  ids: string[];
  progress: SectionProgress[];
  requests: string[];
  log: ReturnType<typeof memoryLogger>;
}

async function load(
  resources: Resource[],
  how: { pageSize: number; server?: FakeStoreOptions; capabilities?: SearchCapabilities; plain?: boolean },
): Promise<Loaded> {
  const log = memoryLogger();
  const requests: string[] = [];
  const inner = fakeFhirFetch(resources, how.server);
  const recording: typeof fetch = (input, init) => {
    requests.push(decodeURIComponent(String(input).slice(BASE.length)));
    return inner(input, init);
  };
  const client = createFhirClient({ baseUrl: BASE, tokens: new FakeTokens(), fetch: recording, log });
  const search = new SectionSearch(
    client,
    'vitals',
    'p',
    new AbortController().signal,
    { pageSize: how.pageSize, referenceConcurrency: 2 },
    log,
  );
  const ids: string[] = [];
  const progress: SectionProgress[] = [];
  const sink = (rows: ObservationRow[], step: SectionProgress) => {
    ids.push(...rows.map((row) => row.id));
    progress.push(step);
  };
  if (how.plain) await fetchPlainChain(search, sink);
  else await fetchNewestFirst(search, how.capabilities ?? { sortsByDate: true, searchesByDate: true, includes: [] }, NOW, sink);
  return { ids, progress, requests, log };
}

const fellBack = (loaded: Loaded) => loaded.log.lines.filter((line) => line.event === 'chart.windows.fallback');
const sorted = (ids: string[]) => [...ids].sort();

/**
 * Random histories at three scales: whole seconds in a 40-second stretch (so that window edges,
 * cut on whole seconds, fall on rows), days over years (some at day precision only), and none.
 */
const when = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }).map((s) => new Date(Date.UTC(2024, 5, 1) + s * 1000).toISOString()) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 4000 }), fc.boolean())
      .map(([d, dayOnly]) => new Date(NOW.getTime() - d * DAY_MS).toISOString().slice(0, dayOnly ? 10 : 24)),
  },
  { weight: 1, arbitrary: fc.constant(null) },
);
const history = fc.array(when, { maxLength: 60 }).map((dates) => dates.map((date, i) => observation(`o${i}`, date)));
const server = fc.record({
  capabilities: fc.constantFrom<SearchCapabilities>(
    { sortsByDate: true, searchesByDate: true, includes: [] },
    { sortsByDate: false, searchesByDate: true, includes: [] },
  ),
  total: fc.constantFrom<NonNullable<FakeStoreOptions['total']>>('always', 'asked', 'never'),
  pageSize: fc.integer({ min: 2, max: 8 }),
});

describe('newest first, in date windows', () => {
  it('returns exactly the rows of the plain chain, for any history, without falling back on a server that keeps to FHIR', async () => {
    let windowed = 0;
    await fc.assert(
      fc.asyncProperty(history, server, async (resources, setting) => {
        const options = { pageSize: setting.pageSize, server: { total: setting.total }, capabilities: setting.capabilities };
        const plain = await load(resources, { ...options, plain: true });
        const newest = await load(resources, options);
        expect(sorted(newest.ids)).toEqual(sorted(plain.ids));
        expect(new Set(newest.ids).size).toBe(newest.ids.length);
        expect(fellBack(newest)).toEqual([]);
        if (newest.requests.some((url) => /date=(ge|lt)/.test(url) && !url.includes('date=ge2025-11-28'))) windowed += 1;
      }),
      { seed: SEED, numRuns: 300 },
    );
    // The property is about the windows: most multi-page histories must have used them.
    expect(windowed).toBeGreaterThan(60);
  }, 120_000);

  it('counts each observation entered in error or cancelled once, however the windows overlap or fall back', async () => {
    const statuses = fc.constantFrom<WithdrawnStatus | 'final'>('final', 'final', 'entered-in-error', 'cancelled');
    const marked = fc
      .array(fc.tuple(when, statuses), { maxLength: 60 })
      .map((items) => items.map(([date, status], i): Resource => ({ ...observation(`o${i}`, date), status })));
    const misbehaviour = fc.constantFrom<FakeStoreOptions>({}, { ignoreDate: true }, { ignoreMissing: true }, { totalOffBy: 1 });
    await fc.assert(
      fc.asyncProperty(marked, server, misbehaviour, async (resources, setting, fault) => {
        const options = {
          pageSize: setting.pageSize,
          server: { total: setting.total, ...fault },
          capabilities: setting.capabilities,
        };
        const loaded = await load(resources, options);
        const counted = loaded.progress.map((step) => step.withdrawn).reduce(addWithdrawn, noneWithdrawn());
        expect(counted).toEqual({
          'entered-in-error': resources.filter((resource) => resource.status === 'entered-in-error').length,
          cancelled: resources.filter((resource) => resource.status === 'cancelled').length,
        });
        expect(sorted(loaded.ids)).toEqual(sorted(resources.filter((r) => r.status === 'final').map((r) => String(r.id))));
      }),
      { seed: SEED, numRuns: 120 },
    );
  }, 120_000);

  it('asks for the newest rows first and says from when on they are all in', async () => {
    const resources = Array.from({ length: 30 }, (_unused, i) =>
      observation(`o${i}`, new Date(NOW.getTime() - i * 30 * DAY_MS).toISOString()),
    );
    const loaded = await load(resources, { pageSize: 10 });
    expect(loaded.requests[0]).toContain('_sort=-date');
    expect(loaded.ids.slice(0, 10)).toEqual(resources.slice(0, 10).map((r) => r.id));
    // After the first page: every row from the tenth newest on is in.
    expect(loaded.progress[0]?.newestSince).toBe((resources[9]?.effectiveDateTime as string).replace(/\.\d{3}Z$/, 'Z'));
    expect(loaded.progress[0]?.total).toBe(30);
    // The older rows came in windows of at most 0.8 page, one request each.
    const windows = loaded.requests.filter((url) => url.includes('date=lt'));
    expect(windows.length).toBe(Math.ceil(20 / 8));
    expect(loaded.requests.filter((url) => url.includes('_offset'))).toEqual([]);
  });

  it('without a sort, starts with the last year beside the older rows, and still finds observations without a date', async () => {
    const resources = [
      ...Array.from({ length: 40 }, (_unused, i) =>
        observation(`o${i}`, new Date(NOW.getTime() - i * 20 * DAY_MS).toISOString()),
      ),
      observation('undated', null),
    ];
    const loaded = await load(resources, {
      pageSize: 10,
      capabilities: { sortsByDate: false, searchesByDate: true, includes: [] },
    });
    expect(sorted(loaded.ids)).toEqual(sorted(resources.map((r) => r.id as string)));
    expect(loaded.requests.slice(0, 3)).toEqual([
      expect.stringContaining('date=ge2025-11-28T12:00:00Z'),
      expect.stringContaining('date=lt2025-11-28T12:00:00Z'),
      expect.stringContaining('date:missing=true'),
    ]);
    expect(loaded.progress.some((step) => step.newestSince === '2025-11-28T12:00:00Z')).toBe(true);
  });

  it('leaves a one-page section at one request', async () => {
    const loaded = await load([observation('a', '2026-01-01'), observation('b', null)], { pageSize: 10 });
    expect(loaded.requests).toHaveLength(1);
    expect(sorted(loaded.ids)).toEqual(['a', 'b']);
  });
});

describe('the fallback to the plain chain', () => {
  const resources = [
    ...Array.from({ length: 45 }, (_unused, i) => observation(`o${i}`, new Date(NOW.getTime() - i * 11 * DAY_MS).toISOString())),
    observation('undated-1', null),
    observation('undated-2', null),
  ];
  const everyId = sorted(resources.map((r) => r.id as string));

  it.each<[string, FakeStoreOptions, RegExp]>([
    ['ignores the date parameter', { ignoreDate: true }, /window .* brought an observation/],
    ['ignores :missing', { ignoreMissing: true }, /date:missing=true with dated observations/],
    ['counts one more than it holds', { totalOffBy: 1 }, /brought 47 observations where the EHR counted 48/],
    [
      'refuses date windows',
      { fault: (url) => (url.searchParams.has('date') ? { status: 400, body: { resourceType: 'OperationOutcome' } } : null) },
      /400/,
    ],
  ])('takes over when the EHR %s, says so in the log, and loses no row', async (_what, misbehaviour, reason) => {
    for (const capabilities of [
      { sortsByDate: true, searchesByDate: true, includes: [] },
      { sortsByDate: false, searchesByDate: true, includes: [] },
    ]) {
      const loaded = await load(resources, { pageSize: 10, server: misbehaviour, capabilities });
      expect(sorted(loaded.ids)).toEqual(everyId);
      const [line] = fellBack(loaded);
      if (misbehaviour.totalOffBy && !capabilities.sortsByDate) {
        // Without a sort the count is of the older rows only: the windows bring 44 of them where it says 45.
        expect(String(line?.fields?.reason)).toMatch(/older observations where the EHR counted/);
      } else {
        expect(String(line?.fields?.reason)).toMatch(reason);
      }
      expect(line?.level).toBe('warn');
      // Rows already shown before the fallback are not shown twice.
      expect(new Set(loaded.ids).size).toBe(loaded.ids.length);
      // From the fallback on, nothing claims the newest rows are in.
      expect(loaded.progress.at(-1)?.newestSince).toBeNull();
    }
  });

  it('still shows the last year first when the EHR sorts nothing and ignores :missing, then the plain chain', async () => {
    const loaded = await load(resources, {
      pageSize: 10,
      server: { ignoreMissing: true },
      capabilities: { sortsByDate: false, searchesByDate: true, includes: [] },
    });
    const lastYear = resources.filter((r) => Date.parse(String(r.effectiveDateTime)) >= NOW.getTime() - 365 * DAY_MS);
    expect(lastYear.length).toBeGreaterThan(20);
    expect(sorted(loaded.ids.slice(0, lastYear.length))).toEqual(sorted(lastYear.map((r) => r.id as string)));
    expect(sorted(loaded.ids)).toEqual(everyId);
  });

  it('uses the plain chain from the start when the EHR cannot search Observations by date', async () => {
    const loaded = await load(resources, {
      pageSize: 10,
      capabilities: { sortsByDate: false, searchesByDate: false, includes: [] },
    });
    expect(sorted(loaded.ids)).toEqual(everyId);
    expect(loaded.requests.every((url) => !url.includes('date'))).toBe(true);
  });
});
