/**
 * A fetch that keeps at most N requests in flight, as a browser's connection limit per host does:
 * fhirclient has no limit of its own, and against a server that throttles at N it must not be
 * measured failing. A request counts until its body has been read, as it does for the server.
 */
export function limitedFetch(inner: typeof fetch, max: number): typeof fetch {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const acquire = async () => {
    if (inFlight >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight += 1;
  };
  const release = () => {
    inFlight -= 1;
    waiting.shift()?.();
  };
  return async (input, init) => {
    await acquire();
    try {
      const response = await inner(input, init);
      const body = await response.arrayBuffer();
      const bodiless = [101, 204, 205, 304].includes(response.status);
      return new Response(bodiless ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      release();
    }
  };
}
