/**
 * A FHIR base (or an EHR launch's `iss`) as ChartDesk accepts one: https, or http on loopback where the sandbox
 * EHR runs; no credentials, query or fragment. The connection form, the connection store, IT's policy and the
 * deep-link parser all ask here, so they cannot disagree. Each refusal says why, as a predicate of the URL.
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
  // The serialized URL holds a "?" or "#" only as delimiters, so an empty query or fragment is caught too.
  if (url.href.includes('?')) return refused('must not contain a query string (the part from "?" on)');
  if (url.href.includes('#')) return refused('must not contain a # fragment');
  // Scheme and host lower-cased, path case kept, no trailing slash: the form compared everywhere.
  return { ok: true, value: url.href.replace(/\/+$/, '') };
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

/** This computer: the only place plain http is tolerated (the sandbox EHR, RFC 8252 loopback redirects). */
export function isLoopbackUrl(value: string): boolean {
  try {
    const { hostname } = new URL(value);
    return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
  } catch {
    return false;
  }
}
