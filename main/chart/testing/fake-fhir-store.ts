import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FakeHandler, operationOutcome, sendJson } from '../../fhir/testing/fake-http-server';

type Resource = Record<string, unknown> & { resourceType: string; id?: unknown };

export interface FakeStoreOptions {
  /** `_count` above this is refused with 400 (a server that rejects large pages). */
  maxCount?: number;
  /** Refuse `_include` with 400. */
  rejectInclude?: boolean;
  /** Milliseconds to hold each answer, by request URL. */
  delay?: (url: URL) => number;
  /** A fault to answer instead of the data, by request URL. */
  fault?: (url: URL) => { status: number; body: unknown } | null;
  /** Told of each request whose client had gone (aborted) by the time its answer was ready. */
  onAbandoned?: (url: URL) => void;
  /** The CapabilityStatement lists `_sort` (the store sorts either way). */
  advertiseSort?: boolean;
  /** When `total` is in the Bundle: always (default), only for `_total=accurate` or a first page holding every match, or never. */
  total?: 'always' | 'asked' | 'never';
  /** Misbehaviours a real server might have: `date` ignored, `:missing` ignored, a total one too high. */
  ignoreDate?: boolean;
  ignoreMissing?: boolean;
  totalOffBy?: number;
}

export interface FakeAnswer {
  status: number;
  body: unknown;
}

/**
 * A small FHIR R4 search server over in-memory resources, enough for the chart: read by id;
 * `/metadata`; search by patient, category, name, birthdate, identifier, `date` (prefixes eq, ge,
 * gt, le, lt, repeated for a range; an Observation's date is the start of its effective[x]) and
 * `date:missing`; `_sort=date|-date`, `_total`, `_count`, paging through `_offset` next links, and
 * `_include=MedicationRequest:medication`.
 */
export function fakeFhirAnswer(resources: Resource[], options: FakeStoreOptions = {}): (url: URL, host: string) => FakeAnswer {
  const searches = new Map<string, Resource[]>(); // per query without _offset, so paging stays cheap
  return (url, host) => {
    const fault = options.fault?.(url);
    if (fault) return fault;
    const [, root, type, id] = url.pathname.split('/');
    if (root !== 'fhir' || !type) return { status: 404, body: operationOutcome('no such endpoint') };
    if (type === 'metadata') return { status: 200, body: capabilityStatement(options.advertiseSort ?? false) };
    if (id) {
      const found = resources.find((resource) => resource.resourceType === type && resource.id === id);
      return found ? { status: 200, body: found } : { status: 404, body: operationOutcome(`${type}/${id} not found`) };
    }
    const params = url.searchParams;
    const count = Number(params.get('_count') ?? '50');
    if (options.maxCount !== undefined && count > options.maxCount) {
      return { status: 400, body: operationOutcome(`_count may not exceed ${options.maxCount}`) };
    }
    if (params.has('_include') && options.rejectInclude)
      return { status: 400, body: operationOutcome('_include is not supported') };
    const key = new URLSearchParams(params);
    key.delete('_offset');
    const cacheKey = `${type}?${key.toString()}`;
    const matches =
      searches.get(cacheKey) ??
      sorted(
        resources.filter((r) => r.resourceType === type && matchesSearch(r, params, options)),
        params.get('_sort'),
      );
    searches.set(cacheKey, matches);
    const offset = Number(params.get('_offset') ?? '0');
    const page = matches.slice(offset, offset + count);
    const included =
      params.get('_include') === 'MedicationRequest:medication'
        ? page.flatMap((request) => {
            const reference = (request.medicationReference as { reference?: string } | undefined)?.reference ?? '';
            return resources.filter(
              (resource) => resource.resourceType === 'Medication' && reference === `Medication/${String(resource.id)}`,
            );
          })
        : [];
    const link: Array<{ relation: string; url: string }> = [];
    const more = offset + count < matches.length;
    if (more) {
      const next = new URLSearchParams(params);
      next.delete('_total');
      next.set('_offset', String(offset + count));
      link.push({ relation: 'next', url: `http://${host}/fhir/${type}?${next.toString()}` });
    }
    const totalMode = options.total ?? 'always';
    const showTotal =
      totalMode === 'always' || (totalMode === 'asked' && (params.get('_total') === 'accurate' || (offset === 0 && !more)));
    return {
      status: 200,
      body: {
        resourceType: 'Bundle',
        type: 'searchset',
        ...(showTotal ? { total: matches.length + (options.totalOffBy ?? 0) } : {}),
        link,
        entry: [
          ...page.map((resource) => ({ resource, search: { mode: 'match' } })),
          ...included.map((resource) => ({ resource, search: { mode: 'include' } })),
        ],
      },
    };
  };
}

/** The store behind a node:http fake server. */
export function fakeFhirStore(resources: Resource[], options: FakeStoreOptions = {}): FakeHandler {
  const answer = fakeFhirAnswer(resources, options);
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const wait = options.delay?.(url) ?? 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (res.destroyed || req.socket.destroyed) {
      options.onAbandoned?.(url);
      return;
    }
    const { status, body } = answer(url, req.headers.host ?? '');
    sendJson(res, status, body);
  };
}

/** The store behind a fetch function, for tests that make thousands of searches. */
export function fakeFhirFetch(resources: Resource[], options: FakeStoreOptions = {}): typeof fetch {
  const answer = fakeFhirAnswer(resources, options);
  return async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const { status, body } = answer(url, url.host);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });
  };
}

function capabilityStatement(advertiseSort: boolean) {
  const observation = ['patient', 'category', 'date'].map((name) => ({ name, type: name === 'date' ? 'date' : 'token' }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        resource: [{ type: 'Observation', searchParam: observation }],
        searchParam: advertiseSort ? [{ name: '_sort', type: 'special' }] : [],
      },
    ],
  };
}

const dates = new WeakMap<Resource, number | null>();
const categories = new WeakMap<Resource, string>();

/** The date search parameter of the fake: an Observation's effective[x] start, as an instant; null without one. */
export function fakeDateOf(resource: Resource): number | null {
  const known = dates.get(resource);
  if (known !== undefined) return known;
  const date = readDate(resource);
  dates.set(resource, date);
  return date;
}

function readDate(resource: Resource): number | null {
  const period = resource.effectivePeriod as { start?: unknown } | undefined;
  const value = resource.effectiveDateTime ?? resource.effectiveInstant ?? period?.start;
  if (typeof value !== 'string') return null;
  const ms = Date.parse(/^\d{4}(-\d{2}){0,2}$/.test(value) ? `${value.padEnd(10, '-01').slice(0, 10)}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : ms;
}

function sorted(matches: Resource[], sort: string | null): Resource[] {
  if (sort !== 'date' && sort !== '-date') return matches;
  // Without a date first ascending (last descending), as the sandbox does; ties in store order.
  const keyed = matches.map((resource, index) => ({ resource, index, date: fakeDateOf(resource) ?? -Infinity }));
  keyed.sort((a, b) => a.date - b.date || a.index - b.index);
  if (sort === '-date') keyed.reverse();
  return keyed.map((entry) => entry.resource);
}

function matchesDate(resource: Resource, params: URLSearchParams, options: FakeStoreOptions): boolean {
  const date = fakeDateOf(resource);
  if (!options.ignoreDate) {
    for (const value of params.getAll('date')) {
      const match = /^(eq|ge|gt|le|lt)?(.+)$/.exec(value);
      const bound = Date.parse(match?.[2] ?? '');
      if (date === null || Number.isNaN(bound)) return false;
      const prefix = match?.[1] ?? 'eq';
      const holds = { eq: date === bound, ge: date >= bound, gt: date > bound, le: date <= bound, lt: date < bound }[prefix];
      if (!holds) return false;
    }
  }
  const missing = params.get('date:missing');
  if (missing !== null && !options.ignoreMissing && (missing === 'true') !== (date === null)) return false;
  return true;
}

function matchesSearch(resource: Resource, params: URLSearchParams, options: FakeStoreOptions): boolean {
  const patient = params.get('patient');
  if (patient !== null) {
    const subject = ((resource.subject ?? resource.patient) as { reference?: string } | undefined)?.reference ?? '';
    if (subject !== `Patient/${patient}`) return false;
  }
  const category = params.get('category');
  if (category !== null) {
    const text = categories.get(resource) ?? JSON.stringify(resource.category ?? []);
    categories.set(resource, text);
    if (!text.includes(`"code":"${category}"`)) return false;
  }
  const name = params.get('name')?.toLowerCase();
  if (
    name &&
    !JSON.stringify(resource.name ?? [])
      .toLowerCase()
      .includes(name)
  )
    return false;
  const birthdate = params.get('birthdate');
  if (birthdate && !String(resource.birthDate ?? '').startsWith(birthdate)) return false;
  const identifier = params.get('identifier');
  if (identifier && !JSON.stringify(resource.identifier ?? []).includes(`"value":"${identifier}"`)) return false;
  return matchesDate(resource, params, options);
}
