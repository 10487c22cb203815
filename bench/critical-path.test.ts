import { describe, expect, it } from 'vitest';
import { chains, criticalPath, fanOutDelayMs, pageGapsMs, searchKey, serverLimit } from './critical-path';
import { parseServerTiming, type RequestRecord } from './request-log';

const BASE = 'http://127.0.0.1:9000/fhir';
let clock = 0;
function request(path: string, serverMs: number | null): RequestRecord {
  clock += 1;
  return {
    method: 'GET',
    url: `${BASE}/${path}`,
    status: 200,
    startedMs: clock,
    headersMs: clock,
    serverMs,
    delayMs: 0,
    bytes: 10,
  };
}

describe("the server's critical path", () => {
  it('puts the pages of one search in one chain, whatever the paging parameters and their order', () => {
    expect(searchKey(`${BASE}/Observation?patient=p&category=laboratory&_count=1000&_total=accurate`)).toBe(
      searchKey(`${BASE}/Observation?_count=1000&category=laboratory&patient=p&_cursor=WyIiLDFd`),
    );
    expect(searchKey(`${BASE}/Observation?patient=p&category=laboratory`)).not.toBe(
      searchKey(`${BASE}/Observation?patient=p&category=vital-signs`),
    );
  });

  it('keeps searches that differ only in sort or in their date window apart: they do not wait for each other', () => {
    const keys = new Set(
      [
        'Observation?patient=p&_sort=-date',
        'Observation?patient=p&_sort=date',
        'Observation?patient=p&date=ge2020&date=lt2021',
        'Observation?patient=p&date=ge2021&date=lt2022',
      ].map((path) => searchKey(`${BASE}/${path}`)),
    );
    expect(keys.size).toBe(4);
  });

  it('takes the limit as the largest of the longest chain, the CPU ÷ threads, and the rounds of C requests at latency L', () => {
    // Four independent windows at 150 ms latency plus 10 ms work each, and a two-page chain.
    const records = [
      ...[1, 2, 3, 4].map((w) => request(`Observation?patient=p&date=ge${2020 + w}`, 160)),
      request('Condition?patient=p', 155),
      request('Condition?patient=p&_cursor=x', 155),
    ];
    const setting = { threads: 1, maxInFlight: null, latencyMs: 150, serverCpuMs: 50 };
    expect(serverLimit(records, setting)).toEqual({ chainMs: 310, workMs: 50, inFlightMs: 0, limitMs: 310 });
    // Six requests, two at a time: three rounds of 150 ms.
    expect(serverLimit(records, { ...setting, maxInFlight: 2 }).limitMs).toBe(450);
    // Without latency, a one-thread server is bound by its work; two threads halve it.
    const busy = { ...setting, latencyMs: 0, serverCpuMs: 400 };
    expect(serverLimit(records, busy)).toMatchObject({ workMs: 400, limitMs: 400 });
    expect(serverLimit(records, { ...busy, threads: 2 })).toMatchObject({ workMs: 200, limitMs: 310 });
  });

  it('is the longest chain of dependent requests timed by the server, not the sum of parallel ones', () => {
    const records = [
      request('Patient/p', 30),
      request('Observation?patient=p&category=vital-signs&_count=2', 20),
      request('Condition?patient=p&_count=2', 25),
      request('Observation?patient=p&category=vital-signs&_count=2&_offset=2', 20),
      request('Observation?patient=p&category=vital-signs&_count=2&_offset=4', 5),
    ];
    expect(criticalPath(records)).toEqual({ key: '/fhir/Observation?category=vital-signs&patient=p', requests: 3, serverMs: 45 });
    expect(chains(records).map((chain) => chain.serverMs)).toEqual([45, 30, 25]);
  });

  it('refuses to guess when the server did not time a request', () => {
    expect(() => criticalPath([request('Patient/p', null)])).toThrow(/Server-Timing/);
    expect(() => criticalPath([])).toThrow(/no requests/);
  });

  it("reads the server's own time from Server-Timing", () => {
    expect(parseServerTiming('app;dur=12.50')).toBe(12.5);
    expect(parseServerTiming('db;dur=3, app;desc="handler";dur=7')).toBe(7);
    expect(parseServerTiming('db;dur=3')).toBeNull();
    expect(parseServerTiming(null)).toBeNull();
    expect(parseServerTiming('app;dur=160.5, delay;dur=150.00', 'delay')).toBe(150);
  });

  it("measures the client's own time between pages and before fanning out", () => {
    const timed = (path: string, startedMs: number, headersMs: number): RequestRecord => ({
      ...request(path, 1),
      startedMs,
      headersMs,
    });
    const records = [
      timed('Patient/p', 0, 10),
      timed('Observation?patient=p&_count=2', 12, 30),
      timed('Condition?patient=p', 12, 20),
      timed('Observation?patient=p&_count=2&_offset=2', 38, 50),
      timed('Observation?patient=p&_count=2&_offset=4', 53, 60),
    ];
    expect(pageGapsMs(records, '/fhir/Observation?patient=p')).toEqual([8, 3]);
    expect(fanOutDelayMs(records)).toBe(12);
    expect(fanOutDelayMs([])).toBeNull();
  });
});
