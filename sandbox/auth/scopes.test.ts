import { describe, expect, it } from 'vitest';
import { describeScope, parseResourceScope, parseScopes } from './scopes.js';

describe('parseResourceScope', () => {
  it('maps v1 verbs onto v2 actions (read = rs, write = cud, * = cruds)', () => {
    expect([...(parseResourceScope('patient/Observation.read')?.actions ?? [])]).toEqual(['r', 's']);
    expect([...(parseResourceScope('user/*.write')?.actions ?? [])]).toEqual(['c', 'u', 'd']);
    expect(parseResourceScope('user/Patient.*')?.actions.size).toBe(5);
  });

  it('reads v2 actions and a granular query (INF#135)', () => {
    const scope = parseResourceScope(
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs',
    );
    expect(scope).toMatchObject({ context: 'patient', type: 'Observation' });
    expect([...(scope?.actions ?? [])]).toEqual(['r', 's']);
    expect(scope?.query?.get('category')).toBe('http://terminology.hl7.org/CodeSystem/observation-category|vital-signs');
  });

  it('refuses out-of-order actions, v1 with a query, and non-resource scopes', () => {
    expect(parseResourceScope('patient/Observation.sr')).toBeUndefined();
    expect(parseResourceScope('patient/Observation.read?category=x')).toBeUndefined();
    expect(parseResourceScope('launch/patient')).toBeUndefined();
    expect(parseResourceScope('patient/observation.rs')).toBeUndefined();
  });
});

describe('parseScopes and describeScope', () => {
  it('splits on any whitespace and drops empties (Epic trailing space)', () => {
    expect(parseScopes('Patient.rs  launch ')).toEqual(['Patient.rs', 'launch']);
    expect(parseScopes(undefined)).toEqual([]);
  });

  it('words scopes for the consent page', () => {
    expect(describeScope('patient/Condition.rs')).toBe('read, search Condition resources of the patient in context');
    expect(describeScope('offline_access')).toContain('offline');
    expect(describeScope('nonsense')).toContain('Unrecognized');
  });
});
