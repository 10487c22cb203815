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
}

/**
 * A small FHIR R4 search server over in-memory resources, enough for the chart: read by id;
 * search by patient, category, name, birthdate, identifier; `_count`, paging through `_offset`
 * next links, and `_include=MedicationRequest:medication`.
 */
export function fakeFhirStore(resources: Resource[], options: FakeStoreOptions = {}): FakeHandler {
  const searches = new Map<string, Resource[]>(); // per query without _offset, so paging stays cheap
  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const wait = options.delay?.(url) ?? 0;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (res.destroyed || req.socket.destroyed) {
      options.onAbandoned?.(url);
      return;
    }
    const fault = options.fault?.(url);
    if (fault) return sendJson(res, fault.status, fault.body);
    const [, root, type, id] = url.pathname.split('/');
    if (root !== 'fhir' || !type) return sendJson(res, 404, operationOutcome('no such endpoint'));
    if (id) {
      const found = resources.find((resource) => resource.resourceType === type && resource.id === id);
      return found ? sendJson(res, 200, found) : sendJson(res, 404, operationOutcome(`${type}/${id} not found`));
    }
    const params = url.searchParams;
    const count = Number(params.get('_count') ?? '50');
    if (options.maxCount !== undefined && count > options.maxCount) {
      return sendJson(res, 400, operationOutcome(`_count may not exceed ${options.maxCount}`));
    }
    if (params.has('_include') && options.rejectInclude) return sendJson(res, 400, operationOutcome('_include is not supported'));
    const key = new URLSearchParams(params);
    key.delete('_offset');
    const cacheKey = `${type}?${key.toString()}`;
    const matches =
      searches.get(cacheKey) ?? resources.filter((resource) => resource.resourceType === type && matchesSearch(resource, params));
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
    if (offset + count < matches.length) {
      const next = new URLSearchParams(params);
      next.set('_offset', String(offset + count));
      link.push({ relation: 'next', url: `http://${req.headers.host ?? ''}/fhir/${type}?${next.toString()}` });
    }
    sendJson(res, 200, {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      link,
      entry: [
        ...page.map((resource) => ({ resource, search: { mode: 'match' } })),
        ...included.map((resource) => ({ resource, search: { mode: 'include' } })),
      ],
    });
  };
}

function matchesSearch(resource: Resource, params: URLSearchParams): boolean {
  const patient = params.get('patient');
  if (patient !== null) {
    const subject = ((resource.subject ?? resource.patient) as { reference?: string } | undefined)?.reference ?? '';
    if (subject !== `Patient/${patient}`) return false;
  }
  const category = params.get('category');
  if (category !== null && !JSON.stringify(resource.category ?? []).includes(`"code":"${category}"`)) return false;
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
  return true;
}
