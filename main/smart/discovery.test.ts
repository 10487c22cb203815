import { describe, expect, it } from 'vitest';
import { acceptsIssuer, buildAuthorizationServer, initialIssuer, publishedIssuer } from './authorization-server';
import { createDiscoveryCache, DiscoveryError, discoverSmartConfiguration } from './discovery';
import { smartConfiguration } from './testing/smart-configuration';

type Route = { status?: number; body: unknown; location?: string } | 'network' | 'hang';

/** A fetch that answers by URL and records what was asked. */
function routes(table: Record<string, Route>) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input.toString();
    calls.push({ url, headers: Object.fromEntries(new Headers(init?.headers).entries()) });
    const route = table[url];
    if (route === undefined) return new Response('<html>not found</html>', { status: 404 });
    if (route === 'network') throw new TypeError('fetch failed');
    if (route === 'hang') {
      return new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      );
    }
    // What fetch does with redirect: 'follow', it does here: only a fetch asked for 'manual' sees the 3xx.
    if (route.location !== undefined && init?.redirect !== 'manual') return fetchImpl(new URL(route.location, url), init);
    return new Response(typeof route.body === 'string' ? route.body : JSON.stringify(route.body), {
      status: route.status ?? 200,
      headers: route.location === undefined ? {} : { location: route.location },
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}

const BASE = 'https://ehr.example.org/fhir/R4';
const WELL_KNOWN = `${BASE}/.well-known/smart-configuration`;
const METADATA = `${BASE}/metadata`;

const capabilityStatement = (extensionUrl: string, restIndex = 0) => ({
  resourceType: 'CapabilityStatement',
  software: { name: 'Acme EHR\u0007 Cloud' },
  rest: [
    ...(restIndex === 1 ? [{ mode: 'server' }] : []),
    {
      mode: 'server',
      security: {
        service: [{ coding: [{ system: 'http://hl7.org/fhir/ValueSet/restful-security-service', code: 'SMART-on-FHIR' }] }],
        extension: [
          { url: 'http://example.org/other' },
          {
            url: extensionUrl,
            extension: [
              { url: 'authorize', valueUri: 'https://auth.example.org/authorize' },
              { url: 'token', valueUri: 'https://auth.example.org/token' },
              { url: 'revoke', valueUri: 'https://auth.example.org/revoke' },
            ],
          },
        ],
      },
    },
  ],
});

describe('discoverSmartConfiguration (INF#29, INF#375, INF#379)', () => {
  it('reads .well-known/smart-configuration appended to the base (trailing slash dropped), ignoring unknown fields', async () => {
    const { fetch, calls } = routes({
      [WELL_KNOWN]: {
        body: {
          issuer: 'https://auth.example.org',
          authorization_endpoint: 'https://auth.example.org/authorize',
          token_endpoint: 'https://auth.example.org/token',
          capabilities: ['launch-standalone', 'permission-v2', 'health-cards'],
          code_challenge_methods_supported: ['S256'],
          associated_endpoints: [{ url: 'https://x', capabilities: [] }],
          user_access_brand_identifier: 'a plain string',
        },
      },
    });
    const config = await discoverSmartConfiguration(`${BASE}/`, { fetch });
    expect(calls[0]).toMatchObject({ url: WELL_KNOWN, headers: { accept: 'application/json' } });
    expect(config).toMatchObject({
      source: 'smart-configuration',
      fhirBaseUrl: BASE,
      issuer: 'https://auth.example.org',
      authorizationEndpoint: 'https://auth.example.org/authorize',
      revocationEndpoint: null,
      jwksUri: null,
      grantTypesSupported: null,
      capabilities: ['launch-standalone', 'permission-v2', 'health-cards'],
    });
  });

  it('resolves relative endpoint URLs against the FHIR base, and notes it', async () => {
    const { fetch } = routes({
      [WELL_KNOWN]: { body: { authorization_endpoint: 'auth/authorize', token_endpoint: '/oauth/token' } },
    });
    const config = await discoverSmartConfiguration(BASE, { fetch });
    expect(config.authorizationEndpoint).toBe(`${BASE}/auth/authorize`);
    expect(config.tokenEndpoint).toBe('https://ehr.example.org/oauth/token');
    expect(config.warnings.filter((warning) => warning.startsWith('Relative endpoint'))).toHaveLength(2);
  });

  it('tolerates wrongly typed optional fields', async () => {
    const { fetch } = routes({
      [WELL_KNOWN]: { body: { token_endpoint: 'https://a/token', capabilities: 'launch-ehr', scopes_supported: 7 } },
    });
    const config = await discoverSmartConfiguration(BASE, { fetch });
    expect(config.capabilities).toEqual([]);
    expect(config.scopesSupported).toEqual([]);
  });

  it.each([
    ['the standard URL', 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', 0],
    [
      'the DSTU2 typo of Oracle Health and Epic',
      'http://DSTU2/fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
      0,
    ],
    ['security on a second rest entry', 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', 1],
  ])('falls back to the CapabilityStatement with %s', async (_label, extensionUrl, restIndex) => {
    const { fetch, calls } = routes({ [METADATA]: { body: capabilityStatement(extensionUrl, restIndex) } });
    const config = await discoverSmartConfiguration(BASE, { fetch });
    expect(calls[1]).toMatchObject({ url: METADATA, headers: { accept: 'application/fhir+json' } });
    expect(config).toMatchObject({
      source: 'capability-statement',
      authorizationEndpoint: 'https://auth.example.org/authorize',
      tokenEndpoint: 'https://auth.example.org/token',
      revocationEndpoint: 'https://auth.example.org/revoke',
      issuer: null,
      codeChallengeMethods: null,
    });
  });

  it('gives up on a slow smart-configuration quickly and uses the CapabilityStatement', async () => {
    const { fetch } = routes({
      [WELL_KNOWN]: 'hang',
      [METADATA]: { body: capabilityStatement('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris') },
    });
    const started = Date.now();
    const config = await discoverSmartConfiguration(BASE, { fetch, wellKnownTimeoutMs: 100 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(config.source).toBe('capability-statement');
    expect(config.warnings[0]).toMatch(/no answer within 100 ms/);
  });

  it('sends Epic-Client-ID on both requests when configured', async () => {
    const { fetch, calls } = routes({
      [METADATA]: { body: capabilityStatement('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris') },
    });
    await discoverSmartConfiguration(BASE, { fetch, epicClientId: 'epic-123' });
    expect(calls.map((call) => call.headers['epic-client-id'])).toEqual(['epic-123', 'epic-123']);
  });

  it('says "unreachable" when no JSON comes back and "not-smart" when the server answers without SMART', async () => {
    await expect(
      discoverSmartConfiguration(BASE, { fetch: routes({ [WELL_KNOWN]: 'network', [METADATA]: 'network' }).fetch }),
    ).rejects.toMatchObject({
      kind: 'unreachable',
    });
    await expect(discoverSmartConfiguration(BASE, { fetch: routes({}).fetch })).rejects.toMatchObject({ kind: 'unreachable' });
    const noSmart = routes({ [METADATA]: { body: { resourceType: 'CapabilityStatement', rest: [{ mode: 'server' }] } } });
    await expect(discoverSmartConfiguration(BASE, { fetch: noSmart.fetch })).rejects.toMatchObject({ kind: 'not-smart' });
    await expect(discoverSmartConfiguration('http://ehr.example.org/fhir', { fetch: noSmart.fetch })).rejects.toBeInstanceOf(
      DiscoveryError,
    );
  });
});

describe('discovery and redirects', () => {
  const smartDocument = (origin: string) => ({
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    revocation_endpoint: `${origin}/revoke`,
  });

  it('follows a redirect on the EHR own server only', async () => {
    const moved = `${BASE}/smart-configuration.json`;
    const { fetch } = routes({
      [WELL_KNOWN]: { status: 301, body: '', location: moved },
      [moved]: { body: smartDocument(BASE) },
    });
    await expect(discoverSmartConfiguration(BASE, { fetch })).resolves.toMatchObject({ tokenEndpoint: `${BASE}/token` });
  });

  it.each([
    ['another server', 'https://attacker.example.net/smart-configuration'],
    ['plain http on the same host', 'http://ehr.example.org/fhir/R4/.well-known/smart-configuration'],
  ])('refuses a redirect to %s, for the smart-configuration and the CapabilityStatement alike', async (_what, target) => {
    const elsewhere = `${target}?metadata`;
    const { fetch, calls } = routes({
      [WELL_KNOWN]: { status: 302, body: '', location: target },
      [METADATA]: { status: 307, body: '', location: elsewhere },
      [target]: { body: smartDocument('https://attacker.example.net') },
      [elsewhere]: { body: capabilityStatement('http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris') },
    });
    await expect(discoverSmartConfiguration(BASE, { fetch })).rejects.toMatchObject({ kind: 'unreachable' });
    expect(calls.map((call) => call.url)).toEqual([WELL_KNOWN, METADATA]);
  });
});

describe('createDiscoveryCache', () => {
  it('caches per FHIR base until the expiry of the injected clock, and does not cache failures', async () => {
    let now = 0;
    const { fetch, calls } = routes({ [WELL_KNOWN]: { body: { token_endpoint: 'https://a/token' } } });
    const cache = createDiscoveryCache({ fetch, now: () => now, ttlMs: 1000 });
    await cache.get(BASE);
    await cache.get(`${BASE}/`);
    expect(calls).toHaveLength(1);
    now = 1001;
    await cache.get(BASE);
    expect(calls).toHaveLength(2);
    await expect(cache.get('https://down.example.org/fhir')).rejects.toBeInstanceOf(DiscoveryError);
    await expect(cache.get('https://down.example.org/fhir')).rejects.toBeInstanceOf(DiscoveryError);
    expect(calls.filter((call) => call.url.startsWith('https://down'))).toHaveLength(4);
  });
});

describe('the AuthorizationServer and the issuer policy', () => {
  const config = smartConfiguration({
    fhirBaseUrl: 'https://fhir-ehr.cerner.com/r4/tenant',
    issuer: 'https://authorization.cerner.com/.well-known/openid-configuration',
    jwksUri: 'https://authorization.cerner.com/jwk',
    authorizationEndpoint:
      'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/personas/provider/authorize',
    tokenEndpoint: 'https://authorization.cerner.com/tenants/t/protocols/oauth2/profiles/smart-v1/token',
  });

  it('does not trust an issuer that is a discovery document address (Oracle Health)', () => {
    expect(publishedIssuer(config)).toBeNull();
    expect(initialIssuer(config)).toBe(config.fhirBaseUrl);
    expect(acceptsIssuer(config, 'https://authorization.cerner.com/tenants/t/oidc/idsps/t/')).toBe(true);
    expect(acceptsIssuer(config, 'https://evil.example.com/tenants/t/oidc/idsps/t/')).toBe(false);
    expect(acceptsIssuer(config, 'http://authorization.cerner.com/x')).toBe(false);
  });

  it('accepts exactly the published issuer when it is usable', () => {
    const epic = { ...config, issuer: 'https://fhir.epic.com/interconnect-fhir-oauth/oauth2' };
    expect(acceptsIssuer(epic, 'https://fhir.epic.com/interconnect-fhir-oauth/oauth2')).toBe(true);
    expect(acceptsIssuer(epic, 'https://fhir.epic.com/interconnect-fhir-oauth/oauth2/token')).toBe(false);
    const slashed = { ...config, issuer: 'https://authorization.cerner.com/tenants/t/oidc/idsps/t/' };
    expect(acceptsIssuer(slashed, 'https://authorization.cerner.com/tenants/t/oidc/idsps/t')).toBe(true);
  });

  it('builds the object oauth4webapi needs from SMART discovery', () => {
    expect(buildAuthorizationServer(config, 'https://iss')).toEqual({
      issuer: 'https://iss',
      authorization_endpoint: config.authorizationEndpoint,
      token_endpoint: config.tokenEndpoint,
      revocation_endpoint: undefined,
      jwks_uri: 'https://authorization.cerner.com/jwk',
      code_challenge_methods_supported: undefined,
      authorization_response_iss_parameter_supported: undefined,
    });
  });
});
