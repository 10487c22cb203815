import { describe, expect, it } from 'vitest';
import { canSearchPatients } from './patient-query';

const granted = (raw: string) => ({
  grantedSections: [],
  missingSections: [],
  writeActions: [],
  missingWriteActions: [],
  documentContent: false,
  offlineAccess: false,
  raw,
});

describe('canSearchPatients', () => {
  it.each([
    ['user/Patient.read', true],
    ['user/*.read', true],
    ['user/Patient.rs', true],
    ['user/Patient.s', true],
    ['system/Patient.rs?identifier=x', true],
    ['user/Patient.r', false],
    ['patient/Patient.rs', false],
    ['launch/patient patient/*.rs', false],
  ])('%s → %s', (raw, expected) => {
    expect(canSearchPatients(granted(`openid fhirUser ${raw}`))).toBe(expected);
  });

  it('is false without a session scope summary', () => {
    expect(canSearchPatients(null)).toBe(false);
  });
});
