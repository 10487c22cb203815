import { describe, expect, it } from 'vitest';
import { EMPTY_SETTINGS, normalizeSettings, validateConnectionSettings } from './connection-form';

const valid = { ...EMPTY_SETTINGS, name: 'Sandbox', fhirBaseUrl: 'https://ehr.example.org/fhir', clientId: 'chartdesk' };

describe('validateConnectionSettings (the rule of common/connection-rules.ts)', () => {
  it('accepts a complete connection, with or without scopes', () => {
    expect(validateConnectionSettings(valid)).toEqual({});
    expect(
      validateConnectionSettings({ ...valid, scopes: 'openid fhirUser launch/patient patient/Observation.rs offline_access' }),
    ).toEqual({});
  });

  it.each([
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(101) }],
    ['fhirBaseUrl', { fhirBaseUrl: 'ehr.example.org/fhir' }],
    ['fhirBaseUrl', { fhirBaseUrl: 'ftp://ehr.example.org/fhir' }],
    ['fhirBaseUrl', { fhirBaseUrl: 'https://user:pw@ehr.example.org/fhir' }],
    ['fhirBaseUrl', { fhirBaseUrl: 'https://ehr.example.org/fhir#x' }],
    ['clientId', { clientId: '' }],
    ['clientId', { clientId: 'has space' }],
    ['clientId', { clientId: 'é' }],
    ['scopes', { scopes: 'patient/Observation.rs "quoted"' }],
    ['scopes', { scopes: 'patient/observation.read' }],
    ['scopes', { scopes: 'patient/Observation.' }],
    ['scopes', { scopes: 'patient/Observation.sr' }],
  ] as const)('flags %s for %j', (field, change) => {
    expect(Object.keys(validateConnectionSettings({ ...valid, ...change }))).toEqual([field]);
  });

  it('checks that resource scopes match the chosen syntax', () => {
    expect(validateConnectionSettings({ ...valid, scopeSyntax: 'v1', scopes: 'patient/Observation.rs' }).scopes).toMatch(/v2/);
    expect(validateConnectionSettings({ ...valid, scopeSyntax: 'v2', scopes: 'patient/Observation.read' }).scopes).toMatch(/v1/);
    expect(
      validateConnectionSettings({ ...valid, scopeSyntax: 'v2', scopes: 'patient/Observation.rs?category=laboratory' }),
    ).toEqual({});
    expect(validateConnectionSettings({ ...valid, scopeSyntax: 'auto', scopes: 'user/*.read patient/Condition.rs' })).toEqual({});
  });

  it('normalizes what is sent to main', () => {
    expect(normalizeSettings({ ...valid, name: ' Sandbox ', clientId: ' id ', scopes: ' openid   fhirUser ' })).toMatchObject({
      name: 'Sandbox',
      clientId: 'id',
      scopes: 'openid fhirUser',
    });
  });
});
