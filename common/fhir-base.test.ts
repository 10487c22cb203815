import { describe, expect, it } from 'vitest';
import { fhirBaseRoot, isLoopbackUrl, readFhirBase, sameFhirBase, underFhirBase, withFhirBaseParams } from './fhir-base';

describe('the FHIR base rule', () => {
  it('keeps scheme and host lower-cased, the path as written, without a trailing slash', () => {
    expect(readFhirBase('HTTPS://EHR.Example.org/FHIR/R4/')).toEqual({ ok: true, value: 'https://ehr.example.org/FHIR/R4' });
    expect(sameFhirBase('https://ehr.example.org/fhir/', 'https://EHR.example.org/fhir')).toBe(true);
  });

  it('tolerates plain http on this computer only, [::1] included', () => {
    expect(['http://127.0.0.1:8080/', 'http://[::1]:8080/', 'http://localhost/'].map(isLoopbackUrl)).toEqual([true, true, true]);
    expect(readFhirBase('http://[::1]:8080/fhir').ok).toBe(true);
    expect(readFhirBase('http://127.0.0.2/fhir')).toMatchObject({ ok: false, problem: expect.stringMatching(/^must use https/) });
  });

  it('keeps a query string (a tenant context, such as athenahealth’s ah-practice), dropping the slash before it', () => {
    const base = 'https://api.preview.platform.athenahealth.com/fhir/r4?ah-practice=Organization/a-1.Practice-195900';
    expect(readFhirBase(base)).toEqual({ ok: true, value: base });
    expect(readFhirBase('https://EHR.example.org/fhir/?tenant=a%20b')).toEqual({
      ok: true,
      value: 'https://ehr.example.org/fhir?tenant=a%20b',
    });
    expect(readFhirBase('https://ehr.example.org/fhir?')).toEqual({ ok: true, value: 'https://ehr.example.org/fhir' });
    expect(sameFhirBase('https://ehr.example.org/fhir?t=1', 'https://ehr.example.org/fhir?t=2')).toBe(false);
    expect(readFhirBase('https://ehr.example.org/fhir#x')).toEqual({ ok: false, problem: 'must not contain a # fragment' });
  });

  it('joins paths to the base and puts the base’s parameters on every request, before the request’s own', () => {
    const base = 'https://ehr.example.org/fhir/r4?ah-practice=Organization/a-1.Practice-1';
    expect(fhirBaseRoot(base)).toBe('https://ehr.example.org/fhir/r4');
    expect(underFhirBase(base, 'Patient/p1')).toBe(
      'https://ehr.example.org/fhir/r4/Patient/p1?ah-practice=Organization%2Fa-1.Practice-1',
    );
    expect(underFhirBase(base, 'Observation', { patient: 'p1', category: 'vital-signs' })).toBe(
      'https://ehr.example.org/fhir/r4/Observation?ah-practice=Organization%2Fa-1.Practice-1&patient=p1&category=vital-signs',
    );
    expect(underFhirBase('https://ehr.example.org/fhir', 'metadata')).toBe('https://ehr.example.org/fhir/metadata');
  });

  it('adds the base’s parameters to a next link that left them out, and keeps the link’s own text as it was', () => {
    const base = 'https://ehr.example.org/fhir?ah-practice=Organization/a-1.Practice-1';
    const link = new URL('https://ehr.example.org/fhir/Observation?code=http://loinc.org|8867-4&_offset=50');
    expect(withFhirBaseParams(link, base).href).toBe(
      'https://ehr.example.org/fhir/Observation?code=http://loinc.org|8867-4&_offset=50&ah-practice=Organization%2Fa-1.Practice-1',
    );
    const kept = new URL('https://ehr.example.org/fhir/Observation?ah-practice=Organization%2Fa-1.Practice-1&_offset=50');
    expect(withFhirBaseParams(kept, base)).toBe(kept);
    expect(withFhirBaseParams(new URL('https://ehr.example.org/fhir/Patient'), 'https://ehr.example.org/fhir').href).toBe(
      'https://ehr.example.org/fhir/Patient',
    );
  });
});
