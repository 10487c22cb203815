/**
 * The FHIR R4 REST API: metadata, SMART discovery, read, vread and search, create and update (writes.ts), every
 * error an OperationOutcome, every response timed in a Server-Timing header (app;dur=<ms>) that includes
 * any injected delay, because that delay stands for server work.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FHIR_ID, FHIR_RESOURCE_TYPE } from '../../common/fhir-patterns.js';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { smartConfiguration, type AuthEndpoints } from '../auth/discovery.js';
import type { FhirResource } from '../data/fhir-types.js';
import type { FaultInjector, FaultPlan } from '../faults.js';
import { BodyTooLargeError, readBody } from '../http-util.js';
import type { ProfileSpec } from '../profiles.js';
import { THROTTLE_RETRY_AFTER_SECONDS, type InFlightThrottle } from '../throttle.js';
import type { SimulatedError } from '../types.js';
import { accessFilter, assertOwnPatient, type TokenInfo } from './access.js';
import { capabilityStatement } from './capability.js';
import { errorOutcome, FhirError, operationOutcome } from './outcome.js';
import type { Reply } from './reply.js';
import { compileSearch, encodeCursor } from './search.js';
import type { PageCursor, ResourceStore } from './store.js';
import { createWriteHandlers } from './writes.js';

export type TokenVerdict = TokenInfo | 'expired' | 'invalid';

export interface FhirServerDeps {
  store: ResourceStore;
  fhirBaseUrl: string;
  profile: ProfileSpec;
  endpoints: AuthEndpoints;
  clientIds: Set<string>;
  verifyToken(token: string): Promise<TokenVerdict>;
  faults: FaultInjector;
  throttle: InFlightThrottle;
  simulatedError(): SimulatedError | null;
  onRequest(faulted: boolean): void;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

export function createFhirHandler(deps: FhirServerDeps) {
  const realm = deps.fhirBaseUrl;
  const writes = createWriteHandlers({ store: deps.store, fhirBaseUrl: deps.fhirBaseUrl });

  function unauthorized(error: 'missing' | 'invalid_token', description: string): FhirError {
    const challenge =
      error === 'missing'
        ? `Bearer realm="${realm}"`
        : `Bearer realm="${realm}", error="invalid_token", error_description="${description}"`;
    return new FhirError(401, error === 'missing' ? 'login' : 'expired', description, { 'WWW-Authenticate': challenge });
  }

  async function authenticate(req: IncomingMessage): Promise<TokenInfo> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthorized('missing', 'a bearer access token is required');
    const verdict = await deps.verifyToken(match[1]);
    const simulated = (typeof verdict === 'object' ? verdict.simulateError : undefined) ?? deps.simulatedError();
    if (simulated === 'request_invalid_token') throw unauthorized('invalid_token', 'The access token is invalid');
    if (simulated === 'request_expired_token') throw unauthorized('invalid_token', 'The access token expired');
    if (verdict === 'expired') throw unauthorized('invalid_token', 'The access token expired');
    if (verdict === 'invalid') throw unauthorized('invalid_token', 'The access token is invalid or revoked');
    return verdict;
  }

  /** A read, or a vread of one version (`_history/<version>`). */
  function read(token: TokenInfo, type: string, id: string, req: IncomingMessage, version?: string): Reply {
    const stored = version === undefined ? deps.store.read(type, id) : deps.store.readVersion(type, id, version);
    if (!stored) throw new FhirError(404, 'not-found', `${type}/${id}${version ? ` version ${version}` : ''} is not known`);
    const ownUser = token.fhirUser === `${type}/${id}`;
    const access = ownUser ? { filters: [], confined: false } : accessFilter(token, type, 'r', realm);
    if (access.filters.length > 0 && !deps.store.matches(type, id, access.filters)) {
      throw new FhirError(403, 'forbidden', `the granted scopes do not allow to read ${type}/${id}`);
    }
    const etag = `W/"${stored.versionId}"`;
    const headers = { ETag: etag, 'Last-Modified': new Date(stored.lastUpdated).toUTCString() };
    if (req.headers['if-none-match'] === etag) return { status: 304, headers };
    return { status: 200, body: stored.resource, headers };
  }

  function search(token: TokenInfo, type: string, params: URLSearchParams): Reply {
    const compiled = compileSearch(type, params);
    const access = accessFilter(token, type, 's', realm);
    assertOwnPatient(token, access, type, params, realm);
    const result = deps.store.search({
      type,
      filters: [...compiled.filters, ...access.filters],
      order: compiled.order,
      limit: compiled.summaryCount ? 0 : compiled.count,
      after: compiled.after,
      countTotal: compiled.countTotal || compiled.summaryCount,
    });
    const pageUrl = (cursor: PageCursor | null, total: string | null) => {
      const query = new URLSearchParams(compiled.applied);
      query.set('_count', String(compiled.count));
      if (total) query.set('_total', total);
      if (cursor) query.set('_cursor', encodeCursor(cursor));
      return `${deps.fhirBaseUrl}/${type}?${query.toString()}`;
    };
    // The next link does not ask for the total again: a client that wanted it has it from this page.
    const link = [{ relation: 'self', url: pageUrl(compiled.after, params.get('_total')) }];
    if (result.next) link.push({ relation: 'next', url: pageUrl(result.next, null) });
    const entry = result.resources.map((resource) => ({
      fullUrl: `${deps.fhirBaseUrl}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    }));
    entry.push(...included(token, result.resources, compiled.includes));
    return {
      status: 200,
      body: {
        resourceType: 'Bundle',
        type: 'searchset',
        ...(result.total === null ? {} : { total: result.total }),
        link,
        ...(compiled.summaryCount ? {} : { entry }),
      },
    };
  }

  /** Targets of _include references that the token may read, each once. */
  function included(token: TokenInfo, matches: FhirResource[], params: string[]) {
    const seen = new Set<string>();
    const out = [];
    for (const resource of matches) {
      for (const param of params) {
        for (const target of deps.store.references(resource.resourceType, resource.id, param)) {
          const [type, id] = target.split('/');
          if (!type || !id || seen.has(target)) continue;
          seen.add(target);
          try {
            const reply = read(token, type, id, { headers: {} } as IncomingMessage);
            out.push({
              fullUrl: `${deps.fhirBaseUrl}/${target}`,
              resource: reply.body as FhirResource,
              search: { mode: 'include' },
            });
          } catch {
            // Not found or not permitted: an include is best effort, the match stands.
          }
        }
      }
    }
    return out;
  }

  /**
   * athena-like: a resource request must name the practice. athenahealth answers one that does not with a 400 and
   * a `details` member (as recorded in a public integration's notes), not an OperationOutcome.
   */
  function requiredParamMissing(params: URLSearchParams): Reply | null {
    const required = deps.profile.requiredParam;
    if (!required || params.get(required.name) === required.value) return null;
    return {
      status: 400,
      body: {
        details: `Could not determine what practice the request was for. Add the \`${required.name}\` search parameter to your request.`,
      },
    };
  }

  function metadata(req: IncomingMessage): Reply {
    const epicClient = req.headers['epic-client-id'];
    if (deps.profile.epicClientIdHeader && typeof epicClient === 'string' && !deps.clientIds.has(epicClient)) {
      throw new FhirError(400, 'invalid', `Epic-Client-ID ${epicClient} is not a registered client`);
    }
    const vary = deps.profile.epicClientIdHeader ? { Vary: 'Epic-Client-ID' } : undefined;
    return {
      status: 200,
      body: capabilityStatement(deps.fhirBaseUrl, deps.endpoints, deps.profile),
      ...(vary ? { headers: vary } : {}),
    };
  }

  /** Routes one request under the FHIR base; `path` is what follows the base. */
  async function route(req: IncomingMessage, path: string, query: URLSearchParams): Promise<Reply> {
    if (path === '/metadata' && req.method === 'GET') return metadata(req);
    if (path === '/.well-known/smart-configuration' && req.method === 'GET') {
      if (!deps.profile.wellKnown)
        throw new FhirError(404, 'not-found', 'this server publishes its OAuth URIs in /metadata only');
      return {
        status: 200,
        body: smartConfiguration(deps.endpoints, deps.profile),
        headers: { 'Content-Type': 'application/json' },
      };
    }
    const [, type, id, history, version, extra] = path.split('/');
    const vread = history === '_history' && version !== undefined && /^\d{1,9}$/.test(version);
    if (!type || !FHIR_RESOURCE_TYPE.test(type) || extra !== undefined || (history !== undefined && !vread)) {
      throw new FhirError(404, 'not-found', `no route for ${path}`);
    }
    const token = await authenticate(req);
    if (req.method === 'POST' && id === '_search') {
      const form = new URLSearchParams(await readBody(req));
      for (const [name, value] of query) form.append(name, value);
      return requiredParamMissing(form) ?? search(token, type, form);
    }
    const missing = requiredParamMissing(query);
    if (missing) return missing;
    if (id !== undefined && id !== '' && !FHIR_ID.test(id)) throw new FhirError(400, 'invalid', 'invalid resource id');
    if (req.method === 'POST' && id === undefined) return writes.create(token, type, await readBody(req), req, realm);
    if (req.method === 'PUT' && id && !vread) return writes.update(token, type, id, await readBody(req), req, realm);
    if (req.method !== 'GET') throw new FhirError(405, 'not-supported', `${req.method} is not supported here`);
    if (id === undefined || id === '') return search(token, type, query);
    return read(token, type, id, req, vread ? version : undefined);
  }

  /** Server-Timing: `app` is the whole handling time, the injected delay included; `delay` is that delay alone. */
  function send(res: ServerResponse, started: number, reply: Reply, plan: FaultPlan): void {
    const json = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const damage = plan.kind === 'body' && json.length > 1 ? plan.body : 'intact';
    const half = json.slice(0, Math.floor(json.length / 2));
    // A malformed body is a complete HTTP message holding broken JSON; a dropped one promises the whole body and stops halfway.
    const body = damage === 'intact' ? json : half;
    res.writeHead(reply.status, {
      'Content-Type': FHIR_JSON,
      'Cache-Control': 'no-store',
      ...reply.headers,
      'Content-Length': String(Buffer.byteLength(damage === 'drop' ? json : body)),
      'Server-Timing': `app;dur=${(performance.now() - started).toFixed(2)}${plan.delayMs > 0 ? `, delay;dur=${plan.delayMs.toFixed(2)}` : ''}`,
    });
    if (damage === 'drop') {
      res.write(half, () => res.socket?.destroy());
      return;
    }
    res.end(body);
  }

  return async function handleFhir(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const started = performance.now();
    const resourceRequest = path !== '/metadata' && path !== '/.well-known/smart-configuration';
    const release = deps.throttle.admit(req.headers.authorization ?? req.socket.remoteAddress ?? 'unknown');
    const planned: FaultPlan = resourceRequest ? deps.faults.plan() : { kind: 'body', delayMs: 0, body: 'intact' };
    // A throttled request travels like any other (the delay) but meets no other fault.
    const plan: FaultPlan = release ? planned : { kind: 'body', delayMs: planned.delayMs, body: 'intact' };
    const faulted = release === null || plan.kind === 'status' || plan.body !== 'intact';
    deps.onRequest(faulted);
    if (release) res.once('close', release);
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    let reply: Reply;
    if (release === null) {
      reply = {
        status: 429,
        body: operationOutcome('throttled', `more than ${String(deps.throttle.max)} requests in flight from this client`),
        headers: { 'Retry-After': String(THROTTLE_RETRY_AFTER_SECONDS) },
      };
    } else if (plan.kind === 'status') {
      const retry = plan.retryAfterSeconds !== undefined ? { 'Retry-After': String(plan.retryAfterSeconds) } : undefined;
      const code = plan.status === 500 ? 'exception' : plan.status === 429 ? 'throttled' : 'transient';
      reply = {
        status: plan.status,
        body: operationOutcome(code, `simulated ${plan.status} (fault injection)`),
        ...(retry ? { headers: retry } : {}),
      };
    } else {
      try {
        reply = await route(req, path, query);
      } catch (error) {
        const fhirError =
          error instanceof FhirError
            ? error
            : error instanceof BodyTooLargeError
              ? new FhirError(413, 'too-long', error.message)
              : undefined;
        reply = fhirError
          ? { status: fhirError.status, body: errorOutcome(fhirError), headers: fhirError.headers }
          : { status: 500, body: operationOutcome('exception', 'internal error') };
      }
    }
    send(res, started, reply, plan);
  };
}
