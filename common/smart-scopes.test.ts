import { describe, expect, it } from 'vitest';
import { requestedScopeProblem, scopeListProblem } from './smart-scopes';

// Requests are written exactly; grants are read tolerantly (main/smart/scopes.test.ts).
describe('requestedScopeProblem', () => {
  it.each([
    ['patient/Observation.read', 'v1'],
    ['user/*.*', 'v1'],
    ['patient/Observation.rs', 'v2'],
    ['patient/Observation.rs?category=laboratory', 'v2'],
    ['system/Patient.cruds', 'auto'],
    ['launch/patient', 'v1'],
    ['openid', 'v2'],
    ['Patient.read', 'auto'],
  ] as const)('accepts %s under %s', (token, setting) => {
    expect(requestedScopeProblem(token, setting)).toBeNull();
  });

  it.each([
    ['patient/observation.read', /not a SMART resource scope/],
    ['patient/Observation.sr', /not a SMART resource scope/],
    ['patient/Observation.search', /not a SMART resource scope/],
    ['patient/Observation.READ', /not a SMART resource scope/],
    ['patient/Observation.read?category=laboratory', /not a SMART resource scope/],
    ['patient/Observation.', /not a SMART resource scope/],
    ['"quoted"', /not a valid scope/],
  ])('refuses %s', (token, message) => {
    expect(requestedScopeProblem(token, 'auto')).toMatch(message);
  });

  it('holds a resource scope to the chosen syntax', () => {
    expect(requestedScopeProblem('patient/Observation.rs', 'v1')).toMatch(/uses v2 permissions/);
    expect(requestedScopeProblem('patient/Observation.read', 'v2')).toMatch(/uses v1 permissions/);
  });
});

describe('scopeListProblem', () => {
  it('checks each space-separated token, the characters and the length', () => {
    expect(scopeListProblem('', 'auto')).toBeNull();
    expect(scopeListProblem('openid  fhirUser patient/Condition.rs', 'v2')).toBeNull();
    expect(scopeListProblem('openid patient/Condition.sr', 'v2')).toMatch(/"patient\/Condition.sr"/);
    expect(scopeListProblem('openid\tfhirUser', 'v2')).toBe('must be printable ASCII');
    expect(scopeListProblem('a'.repeat(4097), 'v2')).toMatch(/at most 4096/);
  });
});
