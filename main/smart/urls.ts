import { normalizeIssuer } from '../deep-link/parse-deep-link';

/**
 * A FHIR base compared the way an EHR launch's `iss` is: https (http only on loopback), scheme and host
 * lower-cased, path case kept, no trailing slash. Returns null for anything else.
 */
export const normalizeFhirBase = normalizeIssuer;

export function sameFhirBase(a: string, b: string): boolean {
  const left = normalizeFhirBase(a);
  return left !== null && left === normalizeFhirBase(b);
}

export function isLoopbackUrl(value: string): boolean {
  try {
    const { hostname } = new URL(value);
    return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
  } catch {
    return false;
  }
}
