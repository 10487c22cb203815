/**
 * What the server allows a chart load at best, from the requests a client made and the server's own
 * timing of each (Server-Timing). Pages of one search form a chain (each page's URL comes from the
 * previous page's `next` link); different searches (different date windows, different sorts) and
 * reads are independent of each other, so a client could send them all at once.
 */
import type { RequestRecord } from './request-log';

/** Parameters that only say which page of a search is asked for, or whether to count it. `_sort` is not one: a sort is another search. */
const PAGING_PARAMS = new Set(['_offset', '_count', '_cursor', '_total', '_getpages', '_getpagesoffset', '_page', 'page']);

/** Identifies the search (or read) a request belongs to: its path and its non-paging parameters, sorted. */
export function searchKey(url: string): string {
  const parsed = new URL(url);
  const params = [...parsed.searchParams].filter(([name]) => !PAGING_PARAMS.has(name)).sort(([a], [b]) => a.localeCompare(b));
  return `${parsed.pathname}?${new URLSearchParams(params).toString()}`;
}

export interface Chain {
  key: string;
  requests: number;
  serverMs: number;
}

function serverMsOf(record: RequestRecord): number {
  if (record.serverMs === null) throw new Error(`no Server-Timing on ${record.url}: the server's time is unknown`);
  return record.serverMs;
}

/** Every search's chain of requests with the server's summed time, longest first. */
export function chains(records: readonly RequestRecord[]): Chain[] {
  const byKey = new Map<string, Chain>();
  for (const record of records) {
    const key = searchKey(record.url);
    const chain = byKey.get(key) ?? { key, requests: 0, serverMs: 0 };
    chain.requests += 1;
    chain.serverMs += serverMsOf(record);
    byKey.set(key, chain);
  }
  return [...byKey.values()].sort((a, b) => b.serverMs - a.serverMs);
}

/** The longest chain: the least time any client needs to follow these searches' next links, whatever its parallelism. */
export function criticalPath(records: readonly RequestRecord[]): Chain {
  const [longest] = chains(records);
  if (!longest) throw new Error('no requests were recorded');
  return longest;
}

export interface ServerLimit {
  /** The longest chain of dependent requests at the server's own times. */
  chainMs: number;
  /** All the server's work (its CPU time for the load) ÷ its threads: what it cannot do faster however requests overlap. */
  workMs: number;
  /** ⌈requests ÷ C⌉ · L with C requests in flight at most, each waiting at least the latency L; 0 without a limit. */
  inFlightMs: number;
  /** The largest of the three: no client making these requests can finish sooner. */
  limitMs: number;
}

export function serverLimit(
  records: readonly RequestRecord[],
  setting: { threads: number; maxInFlight: number | null; latencyMs: number; serverCpuMs: number },
): ServerLimit {
  const chainMs = criticalPath(records).serverMs;
  const workMs = setting.serverCpuMs / setting.threads;
  const inFlightMs = setting.maxInFlight === null ? 0 : Math.ceil(records.length / setting.maxInFlight) * setting.latencyMs;
  return { chainMs, workMs, inFlightMs, limitMs: Math.max(chainMs, workMs, inFlightMs) };
}

/**
 * Client time between the pages of one chain: from a page's response headers to the request for
 * the next page (reading the body, parsing, and whatever the client does before asking again).
 */
export function pageGapsMs(records: readonly RequestRecord[], key: string): number[] {
  const pages = records.filter((record) => searchKey(record.url) === key).sort((a, b) => a.startedMs - b.startedMs);
  return pages.slice(1).map((page, i) => page.startedMs - (pages[i] as RequestRecord).headersMs);
}

/** From the first request to the first request of another search: how long the client waited before fanning out. */
export function fanOutDelayMs(records: readonly RequestRecord[]): number | null {
  const ordered = [...records].sort((a, b) => a.startedMs - b.startedMs);
  const first = ordered[0];
  if (!first) return null;
  const firstKey = searchKey(first.url);
  const next = ordered.find((record) => searchKey(record.url) !== firstKey);
  return next ? next.startedMs - first.startedMs : null;
}
