import { type EndpointReport, ehrLaunchOnly, type LaunchVerdict, resultText } from '../../common/endpoint-report';
import { publishedIssuer } from './authorization-server';
import { DiscoveryError, discoverSmartConfiguration, insecureEndpoints, type SmartConfiguration } from './discovery';
import { parseScopeString } from '../../common/smart-scopes';
import { normalizeFhirBase } from '../../common/fhir-base';
import { probeStandaloneSignIn } from './standalone-probe';

/**
 * What ChartDesk makes of an EHR's SMART endpoint, for `npm run doctor` and the "check endpoint" button. Reads
 * discovery, and sends one standalone authorization request that nobody follows (standalone-probe.ts), to tell an
 * EHR-launch-only base from one where ChartDesk can sign in by itself.
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
  const probe =
    config.authorizationEndpoint && insecureEndpoints(config).length === 0 ? await probeStandaloneSignIn(config, options) : null;
  return reportFor(config, probe);
}

function emptyReport(fhirBaseUrl: string): EndpointReport {
  return {
    fhirBaseUrl,
    source: null,
    wellKnownProblem: null,
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
    standaloneSignIn: { verdict: 'no', reason: null },
    ehrLaunch: { verdict: 'no', reason: null },
    warnings: [],
    errors: [],
    reachable: false,
    canSignIn: false,
  };
}

/** `probe`: what the test standalone request met (null when none was sent). */
export function reportFor(config: SmartConfiguration, probe: LaunchVerdict | null = null): EndpointReport {
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
    if (capabilities.length > 0 && !capabilities.includes('client-public')) {
      warnings.push('client-public is not advertised: ChartDesk is a public client (no secret).');
    }
  }
  if (!config.revocationEndpoint) warnings.push('No revocation endpoint: sign-out can only forget tokens locally.');
  const { standaloneSignIn, ehrLaunch } = launchVerdicts(config, errors, probe);

  return {
    fhirBaseUrl: config.fhirBaseUrl,
    source: config.source,
    wellKnownProblem: config.wellKnownProblem,
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
    standaloneSignIn,
    ehrLaunch,
    warnings,
    errors,
    reachable: true,
    canSignIn: errors.length === 0 && standaloneSignIn.verdict !== 'no',
  };
}

/**
 * Standalone sign-in and EHR launch, each as far as can be told: the capabilities a smart-configuration lists
 * (a server that lists them and leaves one out does not offer it), and for standalone the test request, whose
 * refusal outweighs what is advertised (the SMART reference server advertises launch-standalone at its EHR-launch
 * base, and refuses it there).
 */
function launchVerdicts(
  config: SmartConfiguration,
  errors: string[],
  probe: LaunchVerdict | null,
): { standaloneSignIn: LaunchVerdict; ehrLaunch: LaunchVerdict } {
  if (errors.length > 0) {
    const blocked = { verdict: 'no', reason: errors[0] ?? null } as const;
    return { standaloneSignIn: blocked, ehrLaunch: blocked };
  }
  const listed = config.source === 'smart-configuration' && config.capabilities.length > 0;
  const advertised = (capability: string): LaunchVerdict =>
    !listed
      ? { verdict: 'unknown', reason: 'the EHR lists no capabilities' }
      : config.capabilities.includes(capability)
        ? { verdict: 'yes', reason: `${capability} is advertised` }
        : { verdict: 'no', reason: `${capability} is not advertised` };
  const listedStandalone = advertised('launch-standalone');
  const probeDecides =
    probe !== null &&
    (probe.verdict === 'no' ||
      listedStandalone.verdict === 'unknown' ||
      (probe.verdict === 'yes' && listedStandalone.verdict === 'yes'));
  return { standaloneSignIn: probeDecides ? probe : listedStandalone, ehrLaunch: advertised('launch-ehr') };
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
    ...(report.wellKnownProblem !== null
      ? [line('.well-known', `${report.wellKnownProblem}; the CapabilityStatement was read instead`)]
      : []),
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
    line('Standalone sign-in', verdictText(report.standaloneSignIn)),
    line('EHR launch', verdictText(report.ehrLaunch)),
    ...report.warnings.map((warning) => `  warning: ${warning}`),
    ...report.errors.map((error) => `  error: ${error}`),
    `Result: ${resultText(report)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function verdictText({ verdict, reason }: LaunchVerdict): string {
  return reason === null ? verdict : `${verdict}: ${reason}`;
}

/** doctor's exit code: 0 can sign in, 1 cannot, 2 unreachable or unreadable, 3 EHR launch only. */
export function exitCodeFor(report: EndpointReport): 0 | 1 | 2 | 3 {
  if (!report.reachable) return 2;
  if (report.canSignIn) return 0;
  return ehrLaunchOnly(report) ? 3 : 1;
}
