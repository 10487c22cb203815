/**
 * Stands in for `cross-fetch` in the load child's bundle, so fhirclient uses the same native fetch
 * (undici) as ChartDesk, as it does in a browser, instead of node-fetch: both clients then go
 * through the same HTTP stack and the same request log.
 */
const fetchProxy: typeof fetch = (input, init) => globalThis.fetch(input, init);

export { fetchProxy as fetch, fetchProxy as default };
export const Headers = globalThis.Headers;
export const Request = globalThis.Request;
export const Response = globalThis.Response;
