import { describe, expect, it } from 'vitest';
import { exitCodeFor, formatReport, reportFor } from './endpoint-report';
import { smartConfiguration } from './testing/smart-configuration';

const epicLike = smartConfiguration({
  fhirBaseUrl: 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4',
  authorizationEndpoint: 'https://fhir.epic.com/interconnect-fhir-oauth/oauth2/authorize',
  tokenEndpoint: 'https://fhir.epic.com/interconnect-fhir-oauth/oauth2/token',
  registrationEndpoint: 'https://fhir.epic.com/interconnect-fhir-oauth/oauth2/register',
  capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'sso-openid-connect', 'permission-v1'],
  scopesSupported: ['epic.scanning.dmsusername', 'fhirUser', 'launch', 'openid', 'profile'],
});

describe('reportFor', () => {
  it('lists Epic quirks as warnings but can still sign in', () => {
    const report = reportFor(epicLike);
    expect(report.canSignIn).toBe(true);
    expect(report.smartVersion).toBe('v1');
    expect(report.pkceS256).toBe(false);
    expect(report.warnings.join('\n')).toMatch(/code_challenge_methods_supported is not published/);
    expect(report.warnings.join('\n')).toMatch(/sso-openid-connect is advertised without issuer/);
    expect(report.warnings.join('\n')).toMatch(/grant_types_supported is missing/);
    expect(exitCodeFor(report)).toBe(0);
  });

  it('flags the Oracle Health issuer that is a discovery document address', () => {
    const report = reportFor({ ...epicLike, issuer: 'https://authorization.cerner.com/.well-known/openid-configuration' });
    expect(report.warnings.join('\n')).toMatch(/not usable as one/);
  });

  it('refuses plain-http endpoints off this computer and a missing authorization endpoint (INF#1)', () => {
    const report = reportFor({ ...epicLike, authorizationEndpoint: null, tokenEndpoint: 'http://ehr.example.org/token' });
    expect(report.errors).toEqual([
      'No authorization endpoint: neither standalone nor EHR launch is possible.',
      'Endpoint http://ehr.example.org/token does not use https.',
    ]);
    expect(exitCodeFor(report)).toBe(1);
  });

  it('reads the SMART version from the scopes when capabilities do not say', () => {
    expect(reportFor({ ...epicLike, capabilities: [], scopesSupported: ['patient/*.rs'] }).smartVersion).toBe('v2');
    expect(reportFor({ ...epicLike, capabilities: [], scopesSupported: ['openid'] }).smartVersion).toBe('unknown');
  });

  it('reports a .well-known failure before saying the CapabilityStatement was used', () => {
    const text = formatReport(reportFor({ ...epicLike, source: 'capability-statement', wellKnownProblem: 'HTTP 404' }));
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/^ {2}\.well-known\s+HTTP 404; the CapabilityStatement was read instead$/);
    expect(lines[2]).toMatch(/^ {2}Configuration from\s+capability-statement$/);
  });

  it('tells EHR launch from standalone sign-in: by the capabilities listed, and by a refused test request', () => {
    const ehrOnly = reportFor({ ...epicLike, capabilities: ['launch-ehr', 'client-public'] });
    expect(ehrOnly).toMatchObject({
      canSignIn: false,
      standaloneSignIn: { verdict: 'no', reason: 'launch-standalone is not advertised' },
      ehrLaunch: { verdict: 'yes' },
    });
    expect(exitCodeFor(ehrOnly)).toBe(3);
    const refused = { verdict: 'no', reason: 'the EHR refused a standalone sign-in: invalid_request' } as const;
    expect(reportFor(epicLike, refused)).toMatchObject({ canSignIn: false, standaloneSignIn: refused });
    // A page instead of a redirect tells nothing: what is advertised stands.
    const page = { verdict: 'unknown', reason: 'answered with a page' } as const;
    expect(reportFor(epicLike, page)).toMatchObject({ canSignIn: true, standaloneSignIn: { verdict: 'yes' } });
    expect(reportFor({ ...epicLike, capabilities: [] }, page).standaloneSignIn).toEqual(page);
  });

  it('formats a readable report', () => {
    expect(formatReport(reportFor(epicLike))).toMatch(/Token endpoint\s+https:\/\/fhir\.epic\.com/);
  });
});
