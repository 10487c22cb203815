import { describe, expect, it } from 'vitest';
import { isLoopbackUrl, readFhirBase, sameFhirBase } from './fhir-base';

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

  it('says why it refuses a query string, which is not a matter of https', () => {
    expect(readFhirBase('https://ehr.example.org/fhir?ah-practice=1')).toEqual({
      ok: false,
      problem: 'must not contain a query string (the part from "?" on)',
    });
  });
});
