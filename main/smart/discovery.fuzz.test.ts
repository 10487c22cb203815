import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DiscoveryError, discoverSmartConfiguration, insecureEndpoints } from './discovery';
import { mutatedJsonText } from './testing/json-mutations';

/**
 * Discovery fed mutated copies of real-shaped documents (an Epic-like smart-configuration and a SMART 1.0
 * CapabilityStatement), seeded and bounded. Whatever arrives, discovery either yields a configuration whose
 * endpoints are absolute URLs or rejects with a DiscoveryError; it never throws anything else.
 */
const SEED = 7_2026;
const RUNS = 600;
const BASE = 'https://ehr.example.org/fhir/R4';

const smartConfiguration = {
  issuer: 'https://ehr.example.org/oauth2',
  jwks_uri: 'https://ehr.example.org/oauth2/jwks',
  authorization_endpoint: 'https://ehr.example.org/oauth2/authorize',
  token_endpoint: 'https://ehr.example.org/oauth2/token',
  revocation_endpoint: 'revoke',
  introspection_endpoint: 'https://ehr.example.org/oauth2/introspect',
  management_endpoint: 'https://ehr.example.org/manage',
  registration_endpoint: 'https://ehr.example.org/oauth2/register',
  token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
  grant_types_supported: ['authorization_code', 'refresh_token'],
  scopes_supported: ['openid', 'fhirUser', 'launch', 'launch/patient', 'patient/*.rs', 'offline_access'],
  response_types_supported: ['code'],
  capabilities: [
    'launch-ehr',
    'launch-standalone',
    'client-public',
    'context-ehr-patient',
    'sso-openid-connect',
    'permission-v2',
  ],
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
};

const capabilityStatement = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  publisher: 'Acme Health',
  software: { name: 'Acme EHR', version: '2024.1' },
  fhirVersion: '4.0.1',
  rest: [
    {
      mode: 'server',
      security: {
        service: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] },
        ],
        extension: [
          {
            url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
            extension: [
              { url: 'authorize', valueUri: 'https://ehr.example.org/oauth2/authorize' },
              { url: 'token', valueUri: '/oauth2/token' },
              { url: 'revoke', valueUri: 'https://ehr.example.org/oauth2/revoke' },
            ],
          },
        ],
      },
      resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }],
    },
  ],
};

type Answer = { status: number; text: string } | 'network';

const wellKnownAnswer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 6, arbitrary: mutatedJsonText(smartConfiguration).map((text) => ({ status: 200, text })) },
  { weight: 1, arbitrary: fc.constantFrom(404, 500, 503, 301).map((status) => ({ status, text: '<html>no</html>' })) },
  { weight: 1, arbitrary: fc.constant<Answer>('network') },
);
const metadataAnswer: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 6, arbitrary: mutatedJsonText(capabilityStatement).map((text) => ({ status: 200, text })) },
  { weight: 1, arbitrary: fc.constantFrom(401, 404, 500).map((status) => ({ status, text: '{}' })) },
  { weight: 1, arbitrary: fc.constant<Answer>('network') },
);

function fetchAnswering(wellKnown: Answer, metadata: Answer): typeof fetch {
  return (async (input: string | URL | Request) => {
    const answer = input.toString().endsWith('/metadata') ? metadata : wellKnown;
    if (answer === 'network') throw new TypeError('fetch failed');
    return new Response(answer.text, { status: answer.status });
  }) as typeof fetch;
}

function isAbsoluteUrl(value: string): boolean {
  return URL.canParse(value) && /^[a-z][a-z0-9+.-]*:/i.test(value);
}

describe('SMART discovery under fuzzing (mutated real-shaped documents)', () => {
  it('yields a well-formed configuration or a DiscoveryError, nothing else', async () => {
    const outcomes = { configured: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(wellKnownAnswer, metadataAnswer, async (wellKnown, metadata) => {
        const fetchImpl = fetchAnswering(wellKnown, metadata);
        let config;
        try {
          config = await discoverSmartConfiguration(BASE, { fetch: fetchImpl });
        } catch (error) {
          expect(error).toBeInstanceOf(DiscoveryError);
          expect(['unreachable', 'not-smart']).toContain((error as DiscoveryError).kind);
          outcomes.refused += 1;
          return;
        }
        outcomes.configured += 1;
        expect(config.fhirBaseUrl).toBe(BASE);
        expect(typeof config.tokenEndpoint).toBe('string');
        for (const endpoint of [
          config.authorizationEndpoint,
          config.revocationEndpoint,
          config.jwksUri,
          config.registrationEndpoint,
          config.introspectionEndpoint,
          config.managementEndpoint,
        ]) {
          if (endpoint !== null) expect(isAbsoluteUrl(endpoint)).toBe(true);
        }
        expect(config.capabilities.every((item) => typeof item === 'string')).toBe(true);
        expect(config.scopesSupported.every((item) => typeof item === 'string')).toBe(true);
        expect(typeof config.authorizationResponseIssParameterSupported).toBe('boolean');
        expect(Array.isArray(insecureEndpoints(config))).toBe(true);
        for (const warning of config.warnings) expect(warning.length).toBeLessThan(400);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both outcomes must be reached often, or the assertions above prove little.
    expect(outcomes.configured).toBeGreaterThan(RUNS / 4);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 50);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
