/**
 * A FHIR base (or an EHR launch's `iss`) as ChartDesk accepts one: https, or http on loopback where the sandbox
 * EHR runs; no credentials or fragment. A query string is kept: some EHRs name the tenant there (athenahealth wants
 * its `ah-practice` parameter on every FHIR request), so every request under the base carries it (`underFhirBase`).
 * The connection form, the connection store, IT's policy and the deep-link parser all ask here, so they cannot
 * disagree. Each refusal says why, as a predicate of the URL.
 */
export function readFhirBase(value: string): { ok: true; value: string } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refused('must be a full URL, such as https://ehr.example.org/fhir');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refused('must be an http(s) URL, such as https://ehr.example.org/fhir');
  }
  if (url.protocol === 'http:' && !isLoopbackUrl(value)) {
    return refused('must use https: plain http is allowed only for a test server on this computer (localhost, 127.0.0.1, [::1])');
  }
  if (url.username || url.password) return refused('must not contain a user name or password');
  // The serialized URL holds a "#" only as a delimiter, so an empty fragment is caught too.
  if (url.href.includes('#')) return refused('must not contain a # fragment');
  // Scheme and host lower-cased, path case kept, no trailing slash, the query as written (an empty "?" dropped).
  return { ok: true, value: `${url.origin}${url.pathname.replace(/\/+$/, '')}${url.search}` };
}

function refused(problem: string): { ok: false; problem: string } {
  return { ok: false, problem };
}

/** The FHIR base as ChartDesk compares it, or null when it cannot be one. */
export function normalizeFhirBase(value: string): string | null {
  const read = readFhirBase(value);
  return read.ok ? read.value : null;
}

export function sameFhirBase(a: string, b: string): boolean {
  const left = normalizeFhirBase(a);
  return left !== null && left === normalizeFhirBase(b);
}

/** The base without its query string: what paths are joined to, references resolved against and links compared with. */
export function fhirBaseRoot(base: string): string {
  const url = new URL(base);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The base's own query parameters (a tenant context), empty for most EHRs. */
export function fhirBaseParams(base: string): URLSearchParams {
  return new URL(base).searchParams;
}

/**
 * The URL of `path` under the FHIR base (`Patient/1`, `.well-known/smart-configuration`): the base's query
 * parameters first, then the request's own.
 */
export function underFhirBase(
  base: string,
  path: string,
  params: Readonly<Record<string, string | readonly string[]>> = {},
): string {
  const query = fhirBaseParams(base);
  // A list repeats the parameter (`date=ge…&date=lt…`: both must hold).
  for (const [name, value] of Object.entries(params))
    for (const one of typeof value === 'string' ? [value] : value) query.append(name, one);
  const search = query.toString();
  return `${fhirBaseRoot(base)}/${path}${search ? `?${search}` : ''}`;
}

/** A URL the server gave (a next link), with any of the base's query parameters it left out added back. */
export function withFhirBaseParams(url: URL, base: string): URL {
  const missing = new URLSearchParams();
  for (const [name, value] of fhirBaseParams(base)) {
    if (!url.searchParams.getAll(name).includes(value)) missing.append(name, value);
  }
  if (missing.size === 0) return url;
  // Appended as text: the server's own parameters stay exactly as it wrote them.
  const kept = new URL(url.href);
  kept.search = `${kept.search || '?'}${kept.search.length > 1 ? '&' : ''}${missing.toString()}`;
  return kept;
}

/** This computer: the only place plain http is tolerated (the sandbox EHR, RFC 8252 loopback redirects). */
export function isLoopbackUrl(value: string): boolean {
  try {
    const { hostname } = new URL(value);
    return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
  } catch {
    return false;
  }
}
