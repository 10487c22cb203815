import { setTimeout as sleep } from 'node:timers/promises';
import { fhirBaseRoot, normalizeFhirBase, underFhirBase, withFhirBaseParams } from '../../common/fhir-base';
import { FHIR_ID, FHIR_ID_PATTERN, FHIR_RESOURCE_TYPE, FHIR_RESOURCE_TYPE_PATTERN } from '../../common/fhir-patterns';
import type { Logger } from '../logging/logger';
import { FhirError, httpErrorMessage, isFhirError, outcomeDetails, requestWords, SESSION_ENDED_MESSAGE } from './fhir-errors';
import { obj } from './fhir-read';
import { createInFlightLimiter, type InFlightLimiter, type RequestPriority } from './in-flight-limiter';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry-policy';
import { describe, parseSearchBundle, type SearchPage } from './search-bundle';
import type { FhirWrite, FhirWriteAnswer } from './fhir-write';
import { readTextLimited } from './read-limited';

/** The session's access token, supplied by sign-in. The client never stores or logs it. */
export interface TokenSource {
  /** The token; an empty string for an open FHIR endpoint (the `chart` command without a token): no Authorization header then. */
  getAccessToken(): Promise<string>;
  /**
   * Called after a 401 with the token that was refused: a fresh token, or null when the session cannot go on (the
   * session then says why). A renewed token refused in its turn ends the session.
   */
  refreshAfterUnauthorized(refused: string): Promise<string | null>;
}

export type FhirResource = Record<string, unknown> & { resourceType: string };
export type { SearchOutcome, SearchPage } from './search-bundle';
export type { FhirWrite, FhirWriteAnswer } from './fhir-write';

/** Search parameters; a list repeats the parameter (`date=ge…&date=lt…`: both must hold). */
export type SearchParams = Readonly<Record<string, string | readonly string[]>>;

export interface SearchOptions {
  /** Only the first page, with no read-ahead: the caller decides how to go on (`resume` with its next link). */
  firstPageOnly?: boolean;
  /** Its place in the EHR's in-flight queue (in-flight-limiter.ts); `normal` by default. */
  priority?: RequestPriority;
}

export interface FhirClientOptions {
  timeoutMs: number;
  retry: RetryPolicy;
  maxResponseBytes: number;
  maxPages: number;
  now: () => number;
}

export const DEFAULT_FHIR_CLIENT_OPTIONS: FhirClientOptions = {
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY_POLICY,
  maxResponseBytes: 64 * 1024 * 1024,
  maxPages: 1_000,
  now: () => Date.now(),
};

export interface FhirClientDeps {
  baseUrl: string;
  tokens: TokenSource;
  fetch: typeof fetch;
  log: Logger;
  /** Shared by every client of one EHR connection; a client of its own (default limit) when absent. */
  limiter?: InFlightLimiter;
  options?: Partial<FhirClientOptions>;
}

export interface FhirClient {
  readonly baseUrl: string;
  read(resourceType: string, id: string, signal?: AbortSignal): Promise<FhirResource>;
  /** Reads "Type/id", or an absolute URL under the FHIR base; any other server is refused (INF row 97). */
  readReference(reference: string, signal?: AbortSignal): Promise<FhirResource>;
  /** Every page of a search, following the server's `next` links as given. */
  search(resourceType: string, params: SearchParams, signal?: AbortSignal, options?: SearchOptions): AsyncGenerator<SearchPage>;
  /** Goes on with a search from a page's next link. */
  resume(resourceType: string, next: string, signal?: AbortSignal, priority?: RequestPriority): AsyncGenerator<SearchPage>;
  /** The server's CapabilityStatement (`GET [base]/metadata`). */
  capabilities(signal?: AbortSignal): Promise<FhirResource>;
  /**
   * A create or update (main/writes/): sent once, and again only after a 401 with a renewed token. Never retried
   * otherwise: a write is sent again only when the clinician chooses Retry, made safe by its condition header.
   */
  write(request: FhirWrite, signal?: AbortSignal): Promise<FhirWriteAnswer>;
}

const FHIR_JSON = 'application/fhir+json';
/** `Type/id`, relative or absolute: the base before it (absent when relative), the type, the id. */
const REFERENCE = new RegExp(`^(?:(.+)/)?(${FHIR_RESOURCE_TYPE_PATTERN})/(${FHIR_ID_PATTERN})$`);

export function createFhirClient(deps: FhirClientDeps): FhirClient {
  // The base may carry a query string (a tenant context, e.g. athenahealth's ah-practice): every request keeps it.
  const baseUrl = normalizeFhirBase(deps.baseUrl) ?? deps.baseUrl.replace(/\/+$/, '');
  const root = fhirBaseRoot(baseUrl);
  const base = new URL(root);
  // Paths only: the base's query string is no part of where the session may go.
  const basePath = base.pathname.replace(/\/+$/, '');
  const options = { ...DEFAULT_FHIR_CLIENT_OPTIONS, ...deps.options };
  const limiter = deps.limiter ?? createInFlightLimiter();
  /** Clears a response's timeout once its body has been read (the timeout covers the body too). */
  const pendingReleases = new WeakMap<Response, () => void>();
  const timeoutMessage = (what: string) => `${what} timed out after ${Number((options.timeoutMs / 1000).toFixed(1))} s.`;

  async function accessToken(): Promise<string> {
    try {
      return await deps.tokens.getAccessToken();
    } catch {
      throw new FhirError('auth', SESSION_ENDED_MESSAGE);
    }
  }

  /**
   * GET with the bearer token (INF row 93), one renewal on 401, retries on 429/503/dropped connections.
   * Each try holds a slot of the EHR's in-flight limit until its body is read; the waits between
   * tries do not, and a Retry-After pauses every request to the EHR.
   */
  async function getJson(
    url: string,
    what: string,
    signal: AbortSignal | undefined,
    priority: RequestPriority = 'normal',
  ): Promise<unknown> {
    return (await exchange(url, what, signal, null, priority)).json;
  }

  async function exchange(
    url: string,
    what: string,
    signal: AbortSignal | undefined,
    write: FhirWrite | null,
    priority: RequestPriority = 'normal',
  ) {
    const callerSignal = signal ?? new AbortController().signal;
    let token = await accessToken();
    let refreshed = false;
    for (let attempt = 1; ; attempt += 1) {
      const tried = token;
      const attemptOnce = async () => {
        // A write is tried once (Infinity: no retry budget), a renewal after a 401 aside.
        const answer = await tryOnce(url, tried, what, callerSignal, write ? Infinity : attempt, write);
        // Paused before the slot passes on, so the next request in line waits too.
        if (answer.kind === 'retry' && answer.retryAfterMs !== null) limiter.pauseFor(answer.retryAfterMs);
        return answer;
      };
      const outcome = await limiter.run(attemptOnce, callerSignal, priority).catch((error) => {
        if (error instanceof FhirError || !callerSignal.aborted) throw error;
        throw new FhirError('cancelled', `${what} was cancelled.`);
      });
      if (outcome.kind === 'json') return outcome;
      if (outcome.kind === 'unauthorized') {
        // The token source renews once (shared with every request that was refused the same token), and learns of a
        // renewed token refused in its turn, which ends the session.
        const fresh = await deps.tokens.refreshAfterUnauthorized(token).catch(() => null);
        if (!fresh || refreshed) throw new FhirError('auth', 'The EHR no longer accepts this session. Sign in again.', 401);
        refreshed = true;
        token = fresh;
        attempt -= 1; // the retry after a refresh does not use up the retry budget
        continue;
      }
      await waitBeforeRetry(outcome.retryAfterMs ?? backoffDelay(attempt, options.retry), what, outcome.reason, callerSignal);
    }
  }

  type TryOutcome =
    | { kind: 'json'; json: unknown; status: number; headers: Headers }
    | { kind: 'unauthorized' }
    | { kind: 'retry'; reason: string; retryAfterMs: number | null };

  /** One request and its whole answer; failures that no retry can mend are thrown. */
  async function tryOnce(
    url: string,
    token: string,
    what: string,
    signal: AbortSignal,
    attempt: number,
    write: FhirWrite | null,
  ): Promise<TryOutcome> {
    const mayRetry = attempt < options.retry.maxAttempts;
    let response: Response;
    try {
      response = await sendOnce(url, token, what, signal, write);
    } catch (error) {
      if (isFhirError(error, 'network') && mayRetry) return { kind: 'retry', reason: 'network', retryAfterMs: null };
      throw error;
    }
    const { status } = response;
    if (status === 401) {
      await discard(response);
      return { kind: 'unauthorized' };
    }
    if (status >= 300 && status < 400) {
      await discard(response);
      throw new FhirError(
        'http',
        `${what} failed: the EHR redirected elsewhere (HTTP ${status}); ChartDesk does not follow redirects with the session.`,
        status,
      );
    }
    if (isRetryableStatus(status) && mayRetry) {
      const asked = parseRetryAfter(response.headers.get('retry-after'), options.now());
      await discard(response);
      if (asked !== null && asked > options.retry.maxRetryAfterMs) {
        throw new FhirError(
          'rate-limited',
          `${what} failed: the EHR asked to wait ${Math.ceil(asked / 1000)} s before trying again. Try again later.`,
          status,
        );
      }
      return { kind: 'retry', reason: String(status), retryAfterMs: asked };
    }
    const body = await readJsonBody(response, what, signal, write !== null);
    if (!response.ok) {
      const kind = isRetryableStatus(status) ? 'rate-limited' : 'http';
      throw new FhirError(kind, httpErrorMessage(what, status, body.json), status, outcomeDetails(body.json));
    }
    if (body.error) throw body.error;
    return { kind: 'json', json: body.json, status, headers: response.headers };
  }

  async function discard(response: Response): Promise<void> {
    await response.body?.cancel().catch(() => undefined);
    pendingReleases.get(response)?.();
  }

  async function waitBeforeRetry(delayMs: number, what: string, reason: string, signal: AbortSignal): Promise<void> {
    deps.log.warn('fhir.retry', { what, reason, delayMs });
    try {
      await sleep(delayMs, undefined, { signal });
    } catch {
      throw new FhirError('cancelled', `${what} was cancelled.`);
    }
  }

  /** One fetch with its own timeout; the caller's signal cancels it too. The response body is not read here. */
  async function sendOnce(
    url: string,
    token: string,
    what: string,
    signal: AbortSignal,
    write: FhirWrite | null,
  ): Promise<Response> {
    if (signal.aborted) throw new FhirError('cancelled', `${what} was cancelled.`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new FhirError('timeout', timeoutMessage(what))), options.timeoutMs);
    const onCallerAbort = () => controller.abort(new FhirError('cancelled', `${what} was cancelled.`));
    signal.addEventListener('abort', onCallerAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onCallerAbort);
    };
    try {
      const headers = write ? { ...write.headers, accept: FHIR_JSON, 'content-type': FHIR_JSON } : { accept: FHIR_JSON };
      const response = await deps.fetch(url, {
        method: write?.method ?? 'GET',
        headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
        ...(write ? { body: write.body } : {}),
        signal: controller.signal,
        redirect: 'manual', // a redirect could carry the token elsewhere: refused below
      });
      pendingReleases.set(response, release);
      return response;
    } catch (error) {
      release();
      if (controller.signal.aborted && controller.signal.reason instanceof FhirError) throw controller.signal.reason;
      deps.log.warn('fhir.network-error', { what, error: error instanceof Error ? error.message : String(error) });
      throw new FhirError('network', `${what} failed: the EHR could not be reached or dropped the connection.`);
    }
  }

  /** The body as JSON, within the size limit. A body that is not JSON is reported, not thrown, so error statuses keep their meaning. */
  async function readJsonBody(
    response: Response,
    what: string,
    signal: AbortSignal,
    mayBeEmpty = false,
  ): Promise<{ json: unknown; error: FhirError | null }> {
    try {
      const text = await readTextLimited(response, what, signal, options.maxResponseBytes);
      // A write may be answered with headers only (Prefer: return=minimal, or the server's habit).
      if (mayBeEmpty && text.trim() === '') return { json: null, error: null };
      const type = response.headers.get('content-type') ?? '';
      if (type && !/json/i.test(type)) {
        return {
          json: null,
          error: new FhirError('malformed', `${what} failed: the EHR answered with ${type.split(';')[0]}, not FHIR JSON.`),
        };
      }
      try {
        return { json: JSON.parse(text) as unknown, error: null };
      } catch {
        return { json: null, error: new FhirError('malformed', `${what} failed: the EHR's answer was not valid JSON.`) };
      }
    } finally {
      pendingReleases.get(response)?.();
    }
  }

  /**
   * A next link, resolved as given; only followed under the FHIR base (its origin, and its path as a prefix), so the
   * token goes to no other server and no other tenant or API of the same server; with the base's own query
   * parameters, which a server may leave out of its links.
   */
  function trustedUrl(link: string, what: string): string {
    let url: URL;
    try {
      url = new URL(link, `${root}/`);
    } catch {
      throw new FhirError('malformed', `${what} failed: the EHR gave an unreadable link.`);
    }
    if (url.origin !== base.origin || (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`))) {
      throw new FhirError(
        'untrusted-link',
        `${what} stopped: the EHR pointed outside its FHIR address (${url.origin}${url.pathname.slice(0, 80)}); ChartDesk did not send the session there.`,
      );
    }
    return withFhirBaseParams(url, baseUrl).href;
  }

  async function read(resourceType: string, id: string, signal?: AbortSignal): Promise<FhirResource> {
    if (!FHIR_RESOURCE_TYPE.test(resourceType) || !FHIR_ID.test(id)) {
      throw new FhirError('malformed', `Cannot read ${resourceType}: "${id}" is not a FHIR id.`);
    }
    const what = requestWords(resourceType, 'read');
    const body = await getJson(underFhirBase(baseUrl, `${resourceType}/${encodeURIComponent(id)}`), what, signal);
    const resource = obj(body);
    if (resource?.resourceType !== resourceType) {
      throw new FhirError('malformed', `${what} failed: the EHR answered with something else (${describe(body)}).`);
    }
    return resource as FhirResource;
  }

  async function readReference(reference: string, signal?: AbortSignal): Promise<FhirResource> {
    const [, base, resourceType, id] = REFERENCE.exec(reference) ?? [];
    if (resourceType && id && (base === undefined || base === root)) return read(resourceType, id, signal);
    throw new FhirError('untrusted-link', 'A reference points outside this EHR; ChartDesk did not follow it.');
  }

  async function capabilities(signal?: AbortSignal): Promise<FhirResource> {
    const what = "Reading the EHR's capabilities";
    const body = await getJson(underFhirBase(baseUrl, 'metadata'), what, signal);
    const statement = obj(body);
    if (statement?.resourceType !== 'CapabilityStatement') {
      throw new FhirError(
        'malformed',
        `${what} failed: the EHR answered with ${describe(body)} instead of a CapabilityStatement.`,
      );
    }
    return statement as FhirResource;
  }

  async function* search(
    resourceType: string,
    params: SearchParams,
    signal?: AbortSignal,
    searchOptions: SearchOptions = {},
  ): AsyncGenerator<SearchPage> {
    if (!FHIR_RESOURCE_TYPE.test(resourceType)) throw new FhirError('malformed', `Cannot search "${resourceType}".`);
    yield* follow(resourceType, underFhirBase(baseUrl, resourceType, params), signal, searchOptions);
  }

  async function* resume(
    resourceType: string,
    next: string,
    signal?: AbortSignal,
    priority?: RequestPriority,
  ): AsyncGenerator<SearchPage> {
    if (!FHIR_RESOURCE_TYPE.test(resourceType)) throw new FhirError('malformed', `Cannot search "${resourceType}".`);
    yield* follow(resourceType, trustedUrl(next, requestWords(resourceType, 'search')), signal, { priority });
  }

  async function* follow(resourceType: string, first: string, signal: AbortSignal | undefined, searchOptions: SearchOptions) {
    const what = requestWords(resourceType, 'search');
    const visited = new Set<string>([first]);
    let pending: Promise<unknown> | null = getJson(first, what, signal, searchOptions.priority);
    while (pending) {
      const page = parseSearchBundle(await pending, resourceType, what);
      pending = null;
      if (searchOptions.firstPageOnly) {
        yield page;
        return;
      }
      let refusedNext: unknown = null;
      try {
        const next = page.next === null ? null : nextPageUrl(page.next, visited, what);
        if (next) {
          // The next page is asked for while this one is mapped and shown, so the server is never idle.
          pending = getJson(next, what, signal, searchOptions.priority);
          // Awaited on the next turn; if the reader stops before that, its failure must not go unhandled.
          pending.catch(() => undefined);
        }
      } catch (error) {
        refusedNext = error;
      }
      // A next link that cannot be followed still leaves this page to show.
      yield page;
      if (refusedNext) throw refusedNext;
    }
  }

  /** Checks a next link before it is followed: our origin only, no loop, a bounded number of pages. */
  function nextPageUrl(link: string, visited: Set<string>, what: string): string {
    const next = trustedUrl(link, what);
    if (visited.has(next)) throw new FhirError('malformed', `${what} failed: the EHR's next link goes round in a loop.`);
    if (visited.size >= options.maxPages) throw new FhirError('too-large', `${what} stopped after ${options.maxPages} pages.`);
    visited.add(next);
    return next;
  }

  async function write(request: FhirWrite, signal?: AbortSignal): Promise<FhirWriteAnswer> {
    const what = `${request.method === 'POST' ? 'Creating' : 'Updating'} ${request.path.split('/')[0]}`;
    const answer = await exchange(underFhirBase(baseUrl, request.path), what, signal, request);
    return {
      status: answer.status,
      json: answer.json,
      etag: answer.headers.get('etag'),
      location: answer.headers.get('location'),
    };
  }

  return { baseUrl, read, readReference, search, resume, capabilities, write };
}
