/**
 * The server's own critical path of a chart load: the longest chain of requests that depend on
 * each other, timed by the server itself (Server-Timing). Pages of one search form a chain (each
 * page's URL comes from the previous page's `next` link); different searches and reads are
 * independent of each other, so a client could send them all at once.
 */
import type { RequestRecord } from './request-log';

/** Parameters that only say which page of a search is asked for. */
const PAGING_PARAMS = new Set(['_offset', '_count', '_sort', '_getpages', '_page', 'page']);

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

/** Every search's chain of requests with the server's summed time, longest first. */
export function chains(records: readonly RequestRecord[]): Chain[] {
  const byKey = new Map<string, Chain>();
  for (const record of records) {
    if (record.serverMs === null) throw new Error(`no Server-Timing on ${record.url}: the server's time is unknown`);
    const key = searchKey(record.url);
    const chain = byKey.get(key) ?? { key, requests: 0, serverMs: 0 };
    chain.requests += 1;
    chain.serverMs += record.serverMs;
    byKey.set(key, chain);
  }
  return [...byKey.values()].sort((a, b) => b.serverMs - a.serverMs);
}

/** The longest chain: the least time any client needs against this server, whatever its parallelism. */
export function criticalPath(records: readonly RequestRecord[]): Chain {
  const [longest] = chains(records);
  if (!longest) throw new Error('no requests were recorded');
  return longest;
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
