import type { EndpointReport } from '../../common/endpoint-report';
import { publishedIssuer } from './authorization-server';
import { DiscoveryError, discoverSmartConfiguration, insecureEndpoints, type SmartConfiguration } from './discovery';
import { parseScopeString } from '../../common/smart-scopes';
import { normalizeFhirBase } from '../../common/fhir-base';

/**
 * What ChartDesk makes of an EHR's SMART endpoint, for `npm run doctor` and the "check endpoint" button.
 * Reads discovery only: it never calls the endpoints it lists.
 */
export async function checkEndpoint(
  fhirBaseUrl: string,
  options: { fetch: typeof fetch; clientId?: string | null },
): Promise<EndpointReport> {
  const base = normalizeFhirBase(fhirBaseUrl) ?? fhirBaseUrl;
  let config: SmartConfiguration;
  try {
    config = await discoverSmartConfiguration(base, { fetch: options.fetch, epicClientId: options.clientId ?? null });
  } catch (error) {
    const reachable = error instanceof DiscoveryError && error.kind === 'not-smart';
    const message = error instanceof Error ? error.message : 'Discovery failed.';
    return { ...emptyReport(base), reachable, errors: [message] };
  }
  return reportFor(config);
}

function emptyReport(fhirBaseUrl: string): EndpointReport {
  return {
    fhirBaseUrl,
    source: null,
    authorizationEndpoint: null,
    tokenEndpoint: null,
    revocationEndpoint: null,
    registrationEndpoint: null,
    introspectionEndpoint: null,
    issuer: null,
    jwksUri: null,
    pkceS256: false,
    capabilities: [],
    scopesSupported: [],
    smartVersion: 'unknown',
    warnings: [],
    errors: [],
    reachable: false,
    canSignIn: false,
  };
}

export function reportFor(config: SmartConfiguration): EndpointReport {
  const warnings = [...config.warnings];
  const errors: string[] = [];
  const capabilities = config.capabilities;

  if (!config.authorizationEndpoint) errors.push('No authorization endpoint: neither standalone nor EHR launch is possible.');
  for (const url of insecureEndpoints(config)) errors.push(`Endpoint ${url} does not use https.`);

  const methods = config.codeChallengeMethods;
  if (methods === null) warnings.push('code_challenge_methods_supported is not published; ChartDesk sends PKCE S256 anyway.');
  else if (!methods.includes('S256')) errors.push(`PKCE S256 is not supported (advertised: ${methods.join(', ') || 'none'}).`);
  else if (methods.includes('plain')) warnings.push('PKCE "plain" is advertised, which SMART forbids; ChartDesk uses S256 only.');

  if (config.issuer !== null && publishedIssuer(config) === null) {
    warnings.push(
      `The published issuer (${config.issuer}) is not usable as one; id_token issuers are checked through OIDC discovery instead.`,
    );
  }
  if (capabilities.includes('sso-openid-connect') && (config.issuer === null || config.jwksUri === null)) {
    warnings.push(
      'sso-openid-connect is advertised without issuer or jwks_uri; the id_token issuer is checked through OIDC discovery.',
    );
  }
  if (config.source === 'smart-configuration') {
    if (capabilities.length === 0) warnings.push('No capabilities are advertised.');
    if (config.grantTypesSupported === null) warnings.push('grant_types_supported is missing (required by SMART 2).');
    if (capabilities.length > 0 && !capabilities.includes('launch-standalone')) {
      warnings.push('launch-standalone is not advertised: signing in from ChartDesk may not work; EHR launch may.');
    }
    if (capabilities.length > 0 && !capabilities.includes('client-public')) {
      warnings.push('client-public is not advertised: ChartDesk is a public client (no secret).');
    }
  }
  if (!config.revocationEndpoint) warnings.push('No revocation endpoint: sign-out can only forget tokens locally.');

  return {
    fhirBaseUrl: config.fhirBaseUrl,
    source: config.source,
    authorizationEndpoint: config.authorizationEndpoint,
    tokenEndpoint: config.tokenEndpoint,
    revocationEndpoint: config.revocationEndpoint,
    registrationEndpoint: config.registrationEndpoint,
    introspectionEndpoint: config.introspectionEndpoint,
    issuer: config.issuer,
    jwksUri: config.jwksUri,
    pkceS256: methods?.includes('S256') ?? false,
    capabilities,
    scopesSupported: config.scopesSupported,
    smartVersion: smartVersion(config),
    warnings,
    errors,
    reachable: true,
    canSignIn: errors.length === 0,
  };
}

function smartVersion(config: SmartConfiguration): EndpointReport['smartVersion'] {
  if (config.capabilities.includes('permission-v2')) return 'v2';
  if (config.capabilities.includes('permission-v1') || config.source === 'capability-statement') return 'v1';
  const resourceScopes = parseScopeString(config.scopesSupported.join(' ')).filter((scope) => scope.kind === 'resource');
  const v1Words = config.scopesSupported.some((scope) => /\.(read|write|\*)$/.test(scope));
  if (v1Words) return 'v1';
  return resourceScopes.length > 0 ? 'v2' : 'unknown';
}

/** The report as text for people, one fact a line. */
export function formatReport(report: EndpointReport): string {
  const line = (label: string, value: string | null | boolean) => `  ${label.padEnd(24)}${value === null ? '—' : String(value)}`;
  const lines = [
    `SMART endpoint check for ${report.fhirBaseUrl}`,
    line('Configuration from', report.source),
    line('Authorization endpoint', report.authorizationEndpoint),
    line('Token endpoint', report.tokenEndpoint),
    line('Revocation endpoint', report.revocationEndpoint),
    line('Registration endpoint', report.registrationEndpoint),
    line('Introspection endpoint', report.introspectionEndpoint),
    line('Issuer', report.issuer),
    line('JWKS', report.jwksUri),
    line('PKCE S256 advertised', report.pkceS256),
    line('SMART version', report.smartVersion),
    line('Capabilities', report.capabilities.join(' ') || null),
    line('Scopes supported', report.scopesSupported.join(' ') || null),
    ...report.warnings.map((warning) => `  warning: ${warning}`),
    ...report.errors.map((error) => `  error: ${error}`),
    !report.reachable
      ? 'Result: the endpoint could not be reached or read.'
      : report.canSignIn
        ? 'Result: ChartDesk can sign in to this EHR.'
        : 'Result: ChartDesk cannot sign in to this EHR.',
  ];
  return `${lines.join('\n')}\n`;
}

/** doctor's exit code: 0 can sign in, 1 cannot, 2 unreachable or unreadable. */
export function exitCodeFor(report: EndpointReport): 0 | 1 | 2 {
  if (!report.reachable) return 2;
  return report.canSignIn ? 0 : 1;
}
