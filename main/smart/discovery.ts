import { z } from 'zod';
import { fhirBaseRoot, isLoopbackUrl, normalizeFhirBase, readFhirBase, underFhirBase } from '../../common/fhir-base';

/** Redirects followed within the EHR's own origin (a trailing slash, a moved path); anything more is refused. */
const MAX_REDIRECTS = 3;

/**
 * SMART discovery: `.well-known/smart-configuration` first, then the CapabilityStatement's `oauth-uris`
 * extension (SMART 1.0, deprecated but alive). Both are normalized into one shape; unknown members are ignored
 * and optional ones may be missing.
 */
export interface SmartConfiguration {
  fhirBaseUrl: string;
  source: 'smart-configuration' | 'capability-statement';
  /** Why `.well-known/smart-configuration` was not used ("HTTP 404"); null when it was. */
  wellKnownProblem: string | null;
  /** The issuer as published, untouched; see issuer-policy.ts for what is trusted. */
  issuer: string | null;
  jwksUri: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string;
  revocationEndpoint: string | null;
  registrationEndpoint: string | null;
  introspectionEndpoint: string | null;
  managementEndpoint: string | null;
  capabilities: string[];
  scopesSupported: string[];
  /** null when the server does not say (common: Epic, Oracle Health, SMART 1.0). */
  codeChallengeMethods: string[] | null;
  grantTypesSupported: string[] | null;
  authorizationResponseIssParameterSupported: boolean;
  /** Quirks met while reading, for the endpoint report. */
  warnings: string[];
}

/** A SMART configuration that advertises nothing optional beyond what is given. */
export function smartConfigurationOf(
  published: Pick<SmartConfiguration, 'fhirBaseUrl' | 'tokenEndpoint'> & Partial<SmartConfiguration>,
): SmartConfiguration {
  return {
    source: 'smart-configuration',
    wellKnownProblem: null,
    issuer: null,
    jwksUri: null,
    authorizationEndpoint: null,
    revocationEndpoint: null,
    registrationEndpoint: null,
    introspectionEndpoint: null,
    managementEndpoint: null,
    capabilities: [],
    scopesSupported: [],
    codeChallengeMethods: null,
    grantTypesSupported: null,
    authorizationResponseIssParameterSupported: false,
    warnings: [],
    ...published,
  };
}

export type DiscoveryFailure = 'unreachable' | 'not-smart';

/**
 * Discovery failed; `kind` says whether no JSON could be read at all (doctor exit 2) or the server answered
 * but advertises no usable SMART configuration (exit 1).
 */
export class DiscoveryError extends Error {
  constructor(
    readonly kind: DiscoveryFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

export interface DiscoveryOptions {
  fetch: typeof fetch;
  /** Sent as `Epic-Client-ID` on both requests when set. */
  epicClientId?: string | null;
  wellKnownTimeoutMs?: number;
  metadataTimeoutMs?: number;
}

const stringList = z.array(z.string()).catch([]);
const optionalString = z.string().optional().catch(undefined);
const SmartConfigurationDocument = z.looseObject({
  issuer: optionalString,
  jwks_uri: optionalString,
  authorization_endpoint: optionalString,
  token_endpoint: z.string(),
  revocation_endpoint: optionalString,
  registration_endpoint: optionalString,
  introspection_endpoint: optionalString,
  management_endpoint: optionalString,
  capabilities: stringList.optional(),
  scopes_supported: stringList.optional(),
  code_challenge_methods_supported: z.array(z.string()).optional().catch(undefined),
  grant_types_supported: z.array(z.string()).optional().catch(undefined),
  authorization_response_iss_parameter_supported: z.boolean().optional().catch(undefined),
});

const OAUTH_URIS_SUFFIX = 'fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const Extension = z.looseObject({ url: z.string(), valueUri: z.string().optional(), extension: z.array(z.unknown()).optional() });
const CapabilityStatementDocument = z.looseObject({
  resourceType: z.literal('CapabilityStatement').or(z.literal('Conformance')),
  rest: z
    .array(z.looseObject({ security: z.looseObject({ extension: z.array(z.unknown()).optional() }).optional() }))
    .optional()
    .catch(undefined),
});

export async function discoverSmartConfiguration(fhirBaseUrl: string, options: DiscoveryOptions): Promise<SmartConfiguration> {
  const read = readFhirBase(fhirBaseUrl);
  if (!read.ok) throw new DiscoveryError('unreachable', `The FHIR base URL ${read.problem}.`);
  const base = read.value;

  const wellKnown = await readJson(
    underFhirBase(base, '.well-known/smart-configuration'),
    'application/json',
    options,
    options.wellKnownTimeoutMs ?? 3000,
  );
  const warnings: string[] = [];
  let wellKnownProblem: string;
  if (wellKnown.ok) {
    const parsed = SmartConfigurationDocument.safeParse(wellKnown.body);
    if (parsed.success) return fromSmartConfiguration(base, parsed.data, warnings);
    wellKnownProblem = 'not a valid SMART configuration (no token_endpoint)';
    warnings.push(`.well-known/smart-configuration is ${wellKnownProblem}; used the CapabilityStatement.`);
  } else {
    wellKnownProblem = wellKnown.reason;
    warnings.push(
      `.well-known/smart-configuration could not be read (${wellKnown.reason}); used the CapabilityStatement (deprecated in SMART 2).`,
    );
  }

  const metadata = await readJson(
    underFhirBase(base, 'metadata'),
    'application/fhir+json',
    options,
    options.metadataTimeoutMs ?? 10_000,
  );
  if (!metadata.ok) {
    // Unreadable means no JSON document at all came back (network errors, HTTP errors, HTML pages).
    const kind = wellKnown.ok ? 'not-smart' : 'unreachable';
    const wellKnownReason = wellKnown.ok ? 'not SMART' : wellKnown.reason;
    throw new DiscoveryError(
      kind,
      `Neither .well-known/smart-configuration (${wellKnownReason}) nor /metadata (${metadata.reason}) could be read.`,
    );
  }
  return fromCapabilityStatement(base, metadata.body, warnings, wellKnownProblem);
}

type JsonRead = { ok: true; body: unknown } | { ok: false; reason: string };

/**
 * GETs a discovery document. Redirects are followed by hand and only on the same origin: the endpoints it names are
 * where tokens will go, so another server (or an https → http step, another origin too) cannot be let in by a 3xx.
 */
async function readJson(url: string, accept: string, options: DiscoveryOptions, timeoutMs: number): Promise<JsonRead> {
  const headers: Record<string, string> = { accept };
  if (options.epicClientId) headers['epic-client-id'] = options.epicClientId;
  const signal = AbortSignal.timeout(timeoutMs);
  const origin = new URL(url).origin;
  let response: Response;
  let target = url;
  for (let hop = 0; ; hop += 1) {
    try {
      response = await options.fetch(target, { headers, signal, redirect: 'manual' });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { ok: false, reason: timedOut ? `no answer within ${timeoutMs} ms` : 'network error' };
    }
    if (response.status < 300 || response.status >= 400) break;
    await response.body?.cancel();
    const next = URL.parse(response.headers.get('location') ?? '', target);
    if (next === null || next.origin !== origin) {
      return {
        ok: false,
        reason: `HTTP ${response.status} to ${next?.origin ?? 'nowhere'}: only the EHR's own server is followed`,
      };
    }
    if (hop === MAX_REDIRECTS) return { ok: false, reason: `more than ${MAX_REDIRECTS} redirects` };
    target = next.href;
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, reason: `HTTP ${response.status}` };
  }
  try {
    return { ok: true, body: JSON.parse(await response.text()) };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
}

function fromSmartConfiguration(
  base: string,
  doc: z.infer<typeof SmartConfigurationDocument>,
  warnings: string[],
): SmartConfiguration {
  const resolve = resolver(base, warnings);
  // SMART 1.0 named it token_endpoint_auth_methods; nothing here depends on it, so it is not read.
  return {
    fhirBaseUrl: base,
    source: 'smart-configuration',
    wellKnownProblem: null,
    issuer: doc.issuer ?? null,
    jwksUri: resolve(doc.jwks_uri),
    authorizationEndpoint: resolve(doc.authorization_endpoint),
    tokenEndpoint: resolve(doc.token_endpoint) ?? doc.token_endpoint,
    revocationEndpoint: resolve(doc.revocation_endpoint),
    registrationEndpoint: resolve(doc.registration_endpoint),
    introspectionEndpoint: resolve(doc.introspection_endpoint),
    managementEndpoint: resolve(doc.management_endpoint),
    capabilities: doc.capabilities ?? [],
    scopesSupported: doc.scopes_supported ?? [],
    codeChallengeMethods: doc.code_challenge_methods_supported ?? null,
    grantTypesSupported: doc.grant_types_supported ?? null,
    authorizationResponseIssParameterSupported: doc.authorization_response_iss_parameter_supported === true,
    warnings,
  };
}

function fromCapabilityStatement(base: string, body: unknown, warnings: string[], wellKnownProblem: string): SmartConfiguration {
  const parsed = CapabilityStatementDocument.safeParse(body);
  if (!parsed.success) throw new DiscoveryError('not-smart', '/metadata did not return a CapabilityStatement.');
  // Some servers put `security` on a second `rest` entry: look at every one.
  for (const rest of parsed.data.rest ?? []) {
    for (const raw of rest.security?.extension ?? []) {
      const extension = Extension.safeParse(raw);
      if (!extension.success || !extension.data.url.endsWith(OAUTH_URIS_SUFFIX)) continue;
      if (!extension.data.url.startsWith('http://fhir-registry')) {
        warnings.push(`The oauth-uris extension has a non-standard URL (${extension.data.url}).`);
      }
      const uris = new Map<string, string>();
      for (const sub of extension.data.extension ?? []) {
        const item = Extension.safeParse(sub);
        if (item.success && item.data.valueUri !== undefined) uris.set(item.data.url, item.data.valueUri);
      }
      const resolve = resolver(base, warnings);
      const token = resolve(uris.get('token'));
      if (token === null) continue;
      return {
        fhirBaseUrl: base,
        source: 'capability-statement',
        wellKnownProblem,
        issuer: null,
        jwksUri: null,
        authorizationEndpoint: resolve(uris.get('authorize')),
        tokenEndpoint: token,
        revocationEndpoint: resolve(uris.get('revoke')),
        registrationEndpoint: resolve(uris.get('register')),
        introspectionEndpoint: resolve(uris.get('introspect')),
        managementEndpoint: resolve(uris.get('manage')),
        capabilities: [],
        scopesSupported: [],
        codeChallengeMethods: null,
        grantTypesSupported: null,
        authorizationResponseIssParameterSupported: false,
        warnings,
      };
    }
  }
  throw new DiscoveryError(
    'not-smart',
    'The server advertises no SMART OAuth endpoints (no smart-configuration, no oauth-uris).',
  );
}

/** Resolves endpoint URLs against the FHIR base, as a directory (INF#379); notes relative ones as a quirk. */
function resolver(base: string, warnings: string[]) {
  return (value: string | undefined): string | null => {
    if (value === undefined || value.trim() === '') return null;
    let url: URL;
    try {
      url = new URL(value, `${fhirBaseRoot(base)}/`);
    } catch {
      warnings.push(`Ignored an endpoint that is not a URL: ${value.slice(0, 120)}`);
      return null;
    }
    if (!/^[a-z][a-z0-9+.-]*:/i.test(value))
      warnings.push(`Relative endpoint URL ${value.slice(0, 120)} resolved to ${url.href.slice(0, 200)}.`);
    return url.href;
  };
}

/** Whether every endpoint would be reached over TLS (INF#1); loopback is allowed for the sandbox EHR. */
export function insecureEndpoints(config: SmartConfiguration): string[] {
  const endpoints = [config.authorizationEndpoint, config.tokenEndpoint, config.revocationEndpoint, config.jwksUri];
  return endpoints.filter((url): url is string => url !== null && !url.startsWith('https:') && !isLoopbackUrl(url));
}

export interface DiscoveryCache {
  get(fhirBaseUrl: string, epicClientId?: string | null): Promise<SmartConfiguration>;
  forget(fhirBaseUrl: string): void;
}

/** Caches successful discovery per FHIR base (and Epic client id) for `ttlMs`; failures are not cached. */
export function createDiscoveryCache(deps: {
  fetch: typeof fetch;
  now: () => number;
  ttlMs?: number;
  discover?: typeof discoverSmartConfiguration;
}): DiscoveryCache {
  const ttl = deps.ttlMs ?? 10 * 60_000;
  const discover = deps.discover ?? discoverSmartConfiguration;
  const entries = new Map<string, { until: number; value: Promise<SmartConfiguration> }>();
  return {
    get(fhirBaseUrl, epicClientId = null) {
      const key = `${normalizeFhirBase(fhirBaseUrl) ?? fhirBaseUrl} ${epicClientId ?? ''}`;
      const hit = entries.get(key);
      if (hit && hit.until > deps.now()) return hit.value;
      const value = discover(fhirBaseUrl, { fetch: deps.fetch, epicClientId });
      entries.set(key, { until: deps.now() + ttl, value });
      value.catch(() => entries.delete(key));
      return value;
    },
    forget(fhirBaseUrl) {
      const base = normalizeFhirBase(fhirBaseUrl) ?? fhirBaseUrl;
      for (const key of entries.keys()) if (key.startsWith(`${base} `)) entries.delete(key);
    },
  };
}
