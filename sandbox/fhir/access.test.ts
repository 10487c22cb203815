import { describe, expect, it } from 'vitest';
import { accessFilter, assertOwnPatient } from './access.js';
import { FhirError } from './outcome.js';

const realm = 'http://127.0.0.1/fhir';

describe('accessFilter', () => {
  it('confines patient/ scopes to the compartment and leaves user/ scopes unrestricted', () => {
    const patient = accessFilter({ scopes: ['patient/Observation.rs'], patient: 'p1' }, 'Observation', 's', realm);
    expect(patient).toEqual({ filters: [{ sql: '((r.patient = ?))', args: ['p1'] }], confined: true });
    const user = accessFilter(
      { scopes: ['patient/Observation.rs', 'user/Observation.rs'], patient: 'p1' },
      'Observation',
      's',
      realm,
    );
    expect(user).toEqual({ filters: [], confined: false });
  });

  it('uses the id for Patient and no compartment for shared types such as Practitioner', () => {
    expect(accessFilter({ scopes: ['patient/*.rs'], patient: 'p1' }, 'Patient', 'r', realm).filters[0]?.sql).toBe('((r.id = ?))');
    expect(accessFilter({ scopes: ['patient/*.rs'], patient: 'p1' }, 'Practitioner', 'r', realm)).toEqual({
      filters: [],
      confined: false,
    });
  });

  it('ORs granular alternatives and refuses what no scope covers (403)', () => {
    const scopes = ['user/Observation.rs?category=vital-signs', 'user/Observation.rs?category=laboratory'];
    const { filters, confined } = accessFilter({ scopes }, 'Observation', 's', realm);
    expect(confined).toBe(false);
    expect(filters[0]?.sql.split(' OR ')).toHaveLength(2);
    expect(filters[0]?.args).toEqual(['category', 'vital-signs', 'category', 'laboratory']);
    const refusal = (() => {
      try {
        accessFilter({ scopes: ['patient/Observation.r'], patient: 'p1' }, 'Observation', 's', realm);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(FhirError);
    expect((refusal as FhirError).status).toBe(403);
  });
});

describe('assertOwnPatient', () => {
  it('refuses a confined token that names another patient, in any of the patient parameters', () => {
    const token = { scopes: ['patient/*.rs'], patient: 'p1' };
    const access = accessFilter(token, 'Observation', 's', realm);
    expect(() => assertOwnPatient(token, access, 'Observation', new URLSearchParams('patient=Patient/p1'), realm)).not.toThrow();
    expect(() => assertOwnPatient(token, access, 'Observation', new URLSearchParams('subject=p2'), realm)).toThrow(FhirError);
    const patients = accessFilter(token, 'Patient', 's', realm);
    expect(() => assertOwnPatient(token, patients, 'Patient', new URLSearchParams('_id=p1,p2'), realm)).toThrow(FhirError);
  });
});
