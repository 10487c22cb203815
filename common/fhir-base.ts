/**
 * A FHIR base (or an EHR launch's `iss`) as ChartDesk compares it: https, or http on loopback where the sandbox
 * EHR runs; no credentials, query or fragment; scheme and host lower-cased, path case kept, no trailing slash.
 * Returns null for anything else.
 */
export function normalizeFhirBase(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(value))) return null;
  if (url.username || url.password || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, '');
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
