import { describe, expect, it } from 'vitest';
import { canSearchPatients, toPatientQuery } from './patient-query';

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

describe('toPatientQuery', () => {
  const draft = (birthDate: string) => ({ name: '', identifier: '', birthDate });

  it.each([
    ['1980-04-02', '1980-04-02'],
    ['2 Apr 1980', '1980-04-02'],
    ['02 apr 1980', '1980-04-02'],
    ['2 April 1980', '1980-04-02'],
    ['April 2, 1980', '1980-04-02'],
    ['29 Feb 1984', '1984-02-29'],
    ['30 Sept 1999', '1999-09-30'],
    ['Apr 1980', '1980-04'],
    ['1980', '1980'],
  ])('reads the birth date %s as %s (the app shows dates as "2 Apr 1980")', (typed, sent) => {
    expect(toPatientQuery(draft(typed))).toEqual({ query: { birthDate: sent } });
  });

  it.each(['04/02/1980', '31 Apr 1980', '29 Feb 1983', '1980-13-01', 'Smarch 1980', '2 Apr'])(
    'refuses %s and says what to write',
    (typed) => {
      const checked = toPatientQuery(draft(typed));
      expect(checked).toEqual({ error: expect.stringContaining('write it as 2 Apr 1980 or 1980-04-02') });
    },
  );
});
