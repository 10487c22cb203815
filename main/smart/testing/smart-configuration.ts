import type { SmartConfiguration } from '../discovery';

/** A SMART configuration that advertises nothing optional: a test names only what its EHR publishes. */
export function smartConfiguration(
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
