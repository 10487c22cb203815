/**
 * Create and update, as a versioning FHIR R4 server answers them (FHIR RESTful API, "create", "conditional create",
 * "update" and "Managing Resource Contention"): a new resource gets an id chosen here, version 1, and a Location with
 * its version; `If-None-Exist` finds an earlier copy instead of making a second; `If-Match` names the version an update
 * was based on, and a stale one is refused with 412; a resource that breaks its profile is refused with 422
 * (validate.ts). Every write is checked against the token's create or update scopes first.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FhirResource } from '../data/fhir-types.js';
import { assertMayWrite, type TokenInfo } from './access.js';
import { FhirError } from './outcome.js';
import type { Reply } from './reply.js';
import { compileFilters } from './search.js';
import type { ResourceStore, StoredResource } from './store.js';
import { validateForWrite } from './validate.js';

export interface WriteDeps {
  store: ResourceStore;
  fhirBaseUrl: string;
  now?: () => Date;
}

export function createWriteHandlers(deps: WriteDeps) {
  const now = () => (deps.now?.() ?? new Date()).toISOString();

  /** Location, ETag and Last-Modified of a stored version, and its body unless the client asked for none. */
  function written(status: number, stored: StoredResource, req: IncomingMessage): Reply {
    const { resourceType, id } = stored.resource;
    const headers = {
      Location: `${deps.fhirBaseUrl}/${resourceType}/${id}/_history/${stored.versionId}`,
      ETag: `W/"${stored.versionId}"`,
      'Last-Modified': new Date(stored.lastUpdated).toUTCString(),
    };
    const minimal = /return=minimal/.test(String(req.headers.prefer ?? ''));
    return minimal ? { status, headers } : { status, headers, body: stored.resource };
  }

  function parse(body: string, type: string): FhirResource {
    let resource: unknown;
    try {
      resource = JSON.parse(body);
    } catch {
      throw new FhirError(400, 'structure', 'the body is not JSON');
    }
    const json = resource as Partial<FhirResource> | null;
    if (json === null || typeof json !== 'object' || Array.isArray(json) || json.resourceType !== type) {
      throw new FhirError(400, 'invalid', `the body must be a ${type} resource`);
    }
    return json as FhirResource;
  }

  function validated(resource: FhirResource): void {
    const issues = validateForWrite(resource);
    if (issues.length > 0) {
      throw new FhirError(422, 'invalid', issues.map((issue) => issue.diagnostics).join('; '), {}, issues);
    }
  }

  /** The earlier copy a conditional create names, if any; only search parameters this server applies are accepted. */
  function existing(type: string, criteria: string, token: TokenInfo, realm: string): StoredResource | null {
    const params = new URLSearchParams(criteria);
    const applied = new URLSearchParams();
    const filters = compileFilters(type, params, applied);
    if (filters.length === 0 || [...applied].length !== [...params].length) {
      throw new FhirError(400, 'not-supported', `If-None-Exist must use search parameters this server supports: ${criteria}`);
    }
    const ids = deps.store.findIds(type, filters, 2);
    if (ids.length > 1) throw new FhirError(412, 'duplicate', `If-None-Exist matches more than one ${type}`);
    const found = ids[0] === undefined ? undefined : deps.store.read(type, ids[0]);
    if (!found) return null;
    assertMayWrite(token, found.resource, 'c', realm);
    return found;
  }

  return {
    create(token: TokenInfo, type: string, body: string, req: IncomingMessage, realm: string): Reply {
      const { id: _ignored, meta: _meta, ...content } = parse(body, type);
      const criteria = req.headers['if-none-exist'];
      if (typeof criteria === 'string') {
        const found = existing(type, criteria, token, realm);
        // Conditional create, one match: nothing is created, and the answer is the copy already there.
        if (found) return written(200, found, req);
      }
      const resource = { ...content, resourceType: type, id: randomUUID() } as FhirResource;
      assertMayWrite(token, resource, 'c', realm);
      validated(resource);
      return written(201, deps.store.create(resource, now()), req);
    },

    update(token: TokenInfo, type: string, id: string, body: string, req: IncomingMessage, realm: string): Reply {
      const { meta: _meta, ...resource } = parse(body, type);
      if (resource.id !== id) throw new FhirError(400, 'invalid', `the resource's id must be ${id}, as in the URL`);
      const current = deps.store.read(type, id);
      // This server does not create by update (CapabilityStatement updateCreate false).
      if (!current) throw new FhirError(404, 'not-found', `${type}/${id} is not known`);
      assertMayWrite(token, current.resource, 'u', realm);
      assertMayWrite(token, resource as FhirResource, 'u', realm);
      const ifMatch = req.headers['if-match'];
      if (typeof ifMatch === 'string') {
        const expected = /^(?:W\/)?"([^"]*)"$/.exec(ifMatch.trim())?.[1];
        if (expected !== current.versionId) {
          throw new FhirError(
            412,
            'conflict',
            `${type}/${id} is at version ${current.versionId}; the update was based on ${expected === undefined ? `an unreadable If-Match (${ifMatch})` : `version ${expected}`}`,
          );
        }
      }
      validated(resource as FhirResource);
      const stored = deps.store.update(resource as FhirResource, now());
      if (!stored) throw new FhirError(404, 'not-found', `${type}/${id} is not known`);
      return written(200, stored, req);
    },
  };
}
