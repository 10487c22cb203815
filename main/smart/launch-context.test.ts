import { describe, expect, it } from 'vitest';
import { mergeLaunchContext, readLaunchContext, referenceId } from './launch-context';

const BASE = 'https://ehr.example.org/fhir';

describe('readLaunchContext', () => {
  it('reads patient, encounter, banner and style from the token response, and resolves a relative fhirUser (INF#202)', () => {
    expect(
      readLaunchContext(
        {
          patient: 'p1',
          encounter: 'e1',
          need_patient_banner: false,
          smart_style_url: 'https://ehr.example.org/style.json',
          __epic_extra: 1,
        },
        { fhirUser: 'Practitioner/dr-1', name: 'Dr. Ruiz' },
        BASE,
      ),
    ).toEqual({
      patientId: 'p1',
      encounterId: 'e1',
      fhirUser: 'https://ehr.example.org/fhir/Practitioner/dr-1',
      userDisplayName: 'Dr. Ruiz',
      needPatientBanner: false,
      smartStyleUrl: 'https://ehr.example.org/style.json',
    });
  });

  it('keeps an absolute fhirUser outside the FHIR base (Epic) and falls back to the SMART 1.0 profile claim', () => {
    const epic = 'https://fhir.epic.com/interconnect-fhir-oauth/oauth2/api/FHIR/R4/Practitioner/abc';
    expect(readLaunchContext({}, { fhirUser: epic }, BASE).fhirUser).toBe(epic);
    expect(readLaunchContext({}, { profile: 'Practitioner/x' }, BASE).fhirUser).toBe(`${BASE}/Practitioner/x`);
  });

  it('falls back to fhirContext, then to a Patient fhirUser (Oracle Health, healow), and shows the banner by default', () => {
    const fromContext = readLaunchContext(
      {
        fhirContext: [
          { reference: 'Encounter/e9' },
          { reference: 'Patient/p9', role: 'launch' },
          { reference: 'Patient/other', role: 'https://x/role' },
        ],
      },
      null,
      BASE,
    );
    expect(fromContext).toMatchObject({ patientId: 'p9', encounterId: 'e9', needPatientBanner: true });
    expect(readLaunchContext({}, { fhirUser: 'https://ehr.example.org/fhir/Patient/p7' }, BASE).patientId).toBe('p7');
    expect(readLaunchContext({}, { fhirUser: 'Practitioner/dr' }, BASE).patientId).toBeNull();
  });

  it('ignores values that are not FHIR ids or URLs', () => {
    const context = readLaunchContext({ patient: '../../etc', smart_style_url: 'javascript:alert(1)' }, null, BASE);
    expect(context.patientId).toBeNull();
    expect(context.smartStyleUrl).toBeNull();
  });
});

describe('mergeLaunchContext', () => {
  it('keeps what a refresh response leaves out and takes what it repeats', () => {
    const first = readLaunchContext(
      { patient: 'p1', need_patient_banner: false },
      { fhirUser: 'Practitioner/d', name: 'D' },
      BASE,
    );
    expect(mergeLaunchContext(first, {}, BASE)).toEqual(first);
    expect(mergeLaunchContext(first, { patient: 'p2', need_patient_banner: true }, BASE)).toMatchObject({
      patientId: 'p2',
      needPatientBanner: true,
      userDisplayName: 'D',
    });
  });
});

describe('referenceId', () => {
  it('reads Type/id from relative and absolute references only for the asked type', () => {
    expect(referenceId('Patient/123', 'Patient')).toBe('123');
    expect(referenceId('https://x/fhir/Patient/123/_history/2', 'Patient')).toBeNull();
    expect(referenceId('https://x/fhir/Patient/123?x=1', 'Patient')).toBe('123');
    expect(referenceId('Practitioner/1', 'Patient')).toBeNull();
  });
});
