/** Whether one way of signing in will work, as far as the endpoint check can tell, and what it saw. */
export interface LaunchVerdict {
  verdict: 'yes' | 'no' | 'unknown';
  reason: string | null;
}

/** The result of checking an EHR's SMART endpoint: shown by `npm run doctor` and the "check endpoint" button. */
export interface EndpointReport {
  fhirBaseUrl: string;
  /** Where the OAuth endpoints came from, or null when neither source could be read. */
  source: 'smart-configuration' | 'capability-statement' | null;
  /** Why `.well-known/smart-configuration` gave nothing ("HTTP 404"), when the CapabilityStatement was tried instead. */
  wellKnownProblem: string | null;
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
  /** A sign-in started from ChartDesk itself (standalone launch). */
  standaloneSignIn: LaunchVerdict;
  /** ChartDesk launched from inside the EHR (EHR launch). */
  ehrLaunch: LaunchVerdict;
  /** Quirks met that ChartDesk works around. */
  warnings: string[];
  /** What stops ChartDesk from signing in. */
  errors: string[];
  /** False when the endpoint could not be reached or read at all (doctor exit code 2). */
  reachable: boolean;
  /** A standalone sign-in can work: no error, and the EHR did not refuse one. */
  canSignIn: boolean;
}

/** Only an EHR launch will work here: ChartDesk cannot sign in from its own window. */
export function ehrLaunchOnly(report: EndpointReport): boolean {
  return (
    report.reachable &&
    report.errors.length === 0 &&
    report.standaloneSignIn.verdict === 'no' &&
    report.ehrLaunch.verdict === 'yes'
  );
}

/** The verdict as one sentence, for doctor and the connection form. */
export function resultText(report: EndpointReport): string {
  if (!report.reachable) return 'the endpoint could not be reached or read.';
  if (report.canSignIn) return 'ChartDesk can sign in to this EHR.';
  if (ehrLaunchOnly(report)) {
    return 'only an EHR launch will work here (ChartDesk opened from inside the EHR); signing in from ChartDesk fails.';
  }
  return 'ChartDesk cannot sign in to this EHR.';
}
