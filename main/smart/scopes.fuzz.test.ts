import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScopeString } from '../../common/smart-scopes';
import { CHART_SECTION_SOURCES, missingScopes, summarizeGrant } from './scopes';

/**
 * Granted-scope strings as EHRs might send them, fuzzed from the pieces real grants are made of (v1, v2,
 * granular queries, URI and Azure forms, stray characters). Seeded. Parsing never throws and never invents
 * a permission; the grant summary only names real chart sections.
 */
const SEED = 11_2026;
const piece = fc.constantFrom(
  'patient/',
  'user/',
  'system/',
  'Observation',
  'Patient',
  '*',
  '.',
  'read',
  'rs',
  'cruds',
  'sr',
  'write',
  '?category=laboratory',
  '?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs',
  '&code=x',
  'launch/patient',
  'openid',
  'fhirUser',
  'offline_access',
  'http://smarthealthit.org/fhir/scopes/',
  'https://example.org/aud/patient$',
  '__proto__',
  ' ',
  '\t',
  '\n',
  '%',
  '?',
  '/',
);
const scopeString = fc.oneof(
  fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join('')),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
);
const REQUESTED =
  'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs patient/AllergyIntolerance.rs patient/Immunization.rs patient/Encounter.rs';

describe('granted-scope parsing under fuzzing (INF#147)', () => {
  it('never throws, keeps permissions within cruds in order, and names only real sections', () => {
    const sections = Object.keys(CHART_SECTION_SOURCES);
    fc.assert(
      fc.property(scopeString, (granted) => {
        for (const scope of parseScopeString(granted)) {
          if (scope.kind === 'resource') expect(scope.permissions).toMatch(/^(?=.)c?r?u?d?s?$/);
          else expect(scope.value).not.toMatch(/\s/);
        }
        const summary = summarizeGrant(REQUESTED, granted);
        for (const section of [...summary.grantedSections, ...summary.missingSections]) expect(sections).toContain(section);
        expect(summary.grantedSections.filter((section) => summary.missingSections.includes(section))).toEqual([]);
        expect(Array.isArray(missingScopes(REQUESTED, granted))).toBe(true);
      }),
      { seed: SEED, numRuns: 3000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // 3,000 runs take about 1 s on an idle core and 8 s on a loaded shared one: bounded by count, not by the clock.
  }, 60_000);
});
