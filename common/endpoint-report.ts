/** The result of checking an EHR's SMART endpoint: shown by `npm run doctor` and the "check endpoint" button. */
export interface EndpointReport {
  fhirBaseUrl: string;
  /** Where the OAuth endpoints came from, or null when neither source could be read. */
  source: 'smart-configuration' | 'capability-statement' | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  revocationEndpoint: string | null;
  registrationEndpoint: string | null;
  introspectionEndpoint: string | null;
  issuer: string | null;
  jwksUri: string | null;
  pkceS256: boolean;
  capabilities: string[];
  scopesSupported: string[];
  /** 'v2', 'v1', or 'unknown' from the capabilities and scopes advertised. */
  smartVersion: 'v1' | 'v2' | 'unknown';
  /** Quirks met that ChartDesk works around. */
  warnings: string[];
  /** What stops ChartDesk from signing in. */
  errors: string[];
  /** False when the endpoint could not be reached or read at all (doctor exit code 2). */
  reachable: boolean;
  canSignIn: boolean;
}
