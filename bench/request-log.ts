/** A fetch that records every request: when it went out, when its headers came back, the server's own time and the body size. */

export interface RequestRecord {
  method: string;
  url: string;
  status: number;
  /** ms since the log's origin. */
  startedMs: number;
  headersMs: number;
  /** The server's own handling time from `Server-Timing: app;dur=<ms>`, null when absent. */
  serverMs: number | null;
  /** The part of serverMs that was injected delay (`delay;dur=<ms>`, standing for latency), 0 when absent. */
  delayMs: number;
  /** Body bytes as sent (Content-Length), null when the server did not say. */
  bytes: number | null;
}

/** `app;dur=12.5` (any other metrics around it ignored) → 12.5; null when there is no such metric. */
export function parseServerTiming(header: string | null, wanted = 'app'): number | null {
  if (!header) return null;
  for (const metric of header.split(',')) {
    const [name, ...params] = metric.split(';').map((part) => part.trim());
    if (name !== wanted) continue;
    for (const param of params) {
      const match = /^dur=([0-9]+(?:\.[0-9]+)?)$/.exec(param);
      if (match?.[1]) return Number(match[1]);
    }
  }
  return null;
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

export interface RequestLog {
  fetch: typeof fetch;
  records: RequestRecord[];
  /** Forgets what was recorded and restarts the clock. */
  reset(): void;
}

export function recordingFetch(inner: typeof fetch, now: () => number = () => performance.now()): RequestLog {
  let origin = now();
  const records: RequestRecord[] = [];
  const recorded: typeof fetch = async (input, init) => {
    const startedMs = now() - origin;
    const response = await inner(input, init);
    const length = response.headers.get('content-length');
    const timing = response.headers.get('server-timing');
    records.push({
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      url: urlOf(input),
      status: response.status,
      startedMs,
      headersMs: now() - origin,
      serverMs: parseServerTiming(timing),
      delayMs: parseServerTiming(timing, 'delay') ?? 0,
      bytes: length === null ? null : Number(length),
    });
    return response;
  };
  return {
    fetch: recorded,
    records,
    reset() {
      records.length = 0;
      origin = now();
    },
  };
}
