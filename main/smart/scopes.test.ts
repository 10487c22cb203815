import { describe, expect, it } from 'vitest';
import { formatScope, formatScopes, parseScope, parseScopeString } from '../../common/smart-scopes';
import { chooseSyntax, defaultChartScopes, missingScopes, requestScopes, summarizeGrant } from './scopes';

const VITALS = 'category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';

describe('parseScope: one model for v1, v2 and granular scopes (INF#135, INF#132)', () => {
  it('maps v1 actions onto cruds letters', () => {
    expect(parseScope('patient/Observation.read')).toEqual({
      kind: 'resource',
      context: 'patient',
      resourceType: 'Observation',
      permissions: 'rs',
      query: null,
    });
    expect(parseScope('user/Condition.write')).toMatchObject({ context: 'user', permissions: 'cud' });
    expect(parseScope('patient/*.*')).toMatchObject({ resourceType: '*', permissions: 'cruds' });
  });

  it('reads v2 letters and a granular query, and writes them back unchanged', () => {
    const scope = parseScope(`patient/Observation.rs?${VITALS}`);
    expect(scope).toMatchObject({ permissions: 'rs', query: VITALS });
    expect(formatScope(scope, 'v2')).toBe(`patient/Observation.rs?${VITALS}`);
  });

  it('puts out-of-order letters back in cruds order', () => {
    expect(parseScope('patient/Observation.sr')).toMatchObject({ permissions: 'rs' });
  });

  it('keeps context, identity and refresh scopes as they are', () => {
    expect(parseScope('launch/patient')).toEqual({ kind: 'other', value: 'launch/patient' });
    expect(parseScope('offline_access')).toEqual({ kind: 'other', value: 'offline_access' });
    expect(parseScope('patient/Observation.xyz')).toEqual({ kind: 'other', value: 'patient/Observation.xyz' });
  });

  it('tolerates Epic scopes without a context prefix and with capitalised actions', () => {
    expect(parseScope('Patient.read')).toMatchObject({ context: 'unknown', resourceType: 'Patient', permissions: 'rs' });
    expect(parseScope('Patient.search')).toMatchObject({ permissions: 's' });
    expect(parseScope('patient/Immunization.Read')).toMatchObject({ context: 'patient', permissions: 'rs' });
  });

  it('strips the fully-qualified forms of Oracle Health and of the SMART appendix (INF#219, INF#220)', () => {
    expect(parseScope('http://smarthealthit.org/FHIR/scopes/user/Observation.read')).toMatchObject({
      context: 'user',
      resourceType: 'Observation',
    });
    expect(parseScope('http://smarthealthit.org/fhir/scopes/patient/*.r')).toMatchObject({ resourceType: '*' });
    expect(parseScope('http://openid.net/specs/openid-connect-core-1_0#openid')).toEqual({ kind: 'other', value: 'openid' });
  });

  it('reads the Azure form {aud}/patient$Observation.read', () => {
    expect(parseScope('https://contoso.azurehealthcareapis.com/patient$Observation.read')).toMatchObject({
      context: 'patient',
      resourceType: 'Observation',
      permissions: 'rs',
    });
  });
});

describe('parseScopeString', () => {
  it('splits on any whitespace, drops empty tokens and case duplicates (Epic trailing space)', () => {
    const scopes = parseScopeString('patient/Immunization.Read patient/Immunization.read  Patient.read\t');
    expect(scopes.map((scope) => formatScope(scope, 'v2'))).toEqual(['patient/Immunization.rs', 'Patient.rs']);
  });
});

describe('formatScope in v1', () => {
  it('rounds permissions to read, write or *, and drops granular queries v1 cannot carry', () => {
    expect(formatScope(parseScope('patient/Observation.rs'), 'v1')).toBe('patient/Observation.read');
    expect(formatScope(parseScope('patient/Observation.cu'), 'v1')).toBe('patient/Observation.write');
    expect(formatScope(parseScope('patient/Observation.cruds'), 'v1')).toBe('patient/Observation.*');
    expect(formatScope(parseScope(`patient/Observation.rs?${VITALS}`), 'v1')).toBe('patient/Observation.read');
    expect(formatScopes(parseScopeString('patient/A.rs patient/A.r'), 'v1')).toBe('patient/A.read');
  });
});

describe('default and requested scopes (INF#46, INF#150–153, INF#196, INF#216)', () => {
  it('asks read and search on the chart resources only, with patient context, identity and offline access', () => {
    const v2 = defaultChartScopes('v2', 'standalone');
    expect(v2.split(' ')).toEqual([
      'patient/Patient.rs',
      'patient/Observation.rs',
      'patient/Condition.rs',
      'patient/MedicationRequest.rs',
      'patient/Medication.rs',
      'patient/AllergyIntolerance.rs',
      'patient/Immunization.rs',
      'patient/Encounter.rs',
      'patient/DocumentReference.rs',
      'patient/DiagnosticReport.rs',
      'patient/Procedure.rs',
      'patient/Binary.r',
      'patient/Practitioner.r',
      'patient/Organization.r',
      'launch/patient',
      'openid',
      'fhirUser',
      'offline_access',
    ]);
    expect(defaultChartScopes('v1', 'ehr')).toContain('patient/Observation.read');
    // Binary is read by the URL a note names, never searched: read only, in either syntax.
    expect(defaultChartScopes('v1', 'ehr').split(' ')).toContain('patient/Binary.read');
    expect(v2.split(' ').filter((scope) => scope.includes('Binary'))).toEqual(['patient/Binary.r']);
    expect(defaultChartScopes('v1', 'ehr').split(' ')).toContain('launch');
    expect(v2).not.toMatch(/\*/);
  });

  it('adds the launch scope for an EHR launch and removes it from a standalone one (INF#35, INF#36, INF#161)', () => {
    expect(requestScopes('patient/Observation.rs openid', 'v2', 'ehr')).toBe('launch patient/Observation.rs openid');
    expect(requestScopes('launch patient/Observation.rs', 'v2', 'standalone')).toBe('patient/Observation.rs');
    expect(requestScopes('  ', 'v1', 'standalone')).toBe(defaultChartScopes('v1', 'standalone'));
  });

  it('chooses v2 only when the server advertises permission-v2', () => {
    expect(chooseSyntax('auto', ['launch-standalone', 'permission-v2'])).toBe('v2');
    expect(chooseSyntax('auto', ['permission-v1'])).toBe('v1');
    expect(chooseSyntax('auto', [])).toBe('v1');
    expect(chooseSyntax('v2', [])).toBe('v2');
  });
});

describe('summarizeGrant: which chart sections were granted (INF#147)', () => {
  const requested = defaultChartScopes('v2', 'standalone');

  it('grants every section when the request was granted as asked', () => {
    const summary = summarizeGrant(requested, requested);
    expect(summary.grantedSections).toEqual([
      'vitals',
      'labs',
      'problems',
      'medications',
      'allergies',
      'immunizations',
      'encounters',
      'notes',
      'reports',
      'procedures',
    ]);
    expect(summary.missingSections).toEqual([]);
    expect(summary.offlineAccess).toBe(true);
    expect(summary.documentContent).toBe(true);
  });

  it('reports sections the EHR left out, reading v1 grants for a v2 request', () => {
    const summary = summarizeGrant(requested, 'patient/Observation.read patient/Condition.read launch/patient openid fhirUser');
    expect(summary.grantedSections).toEqual(['vitals', 'labs', 'problems']);
    expect(summary.missingSections).toEqual([
      'medications',
      'allergies',
      'immunizations',
      'encounters',
      'notes',
      'reports',
      'procedures',
    ]);
    expect(summary.offlineAccess).toBe(false);
    expect(summary.documentContent).toBe(false);
  });

  it('honours a granular grant: vital signs only', () => {
    const summary = summarizeGrant(requested, `patient/Observation.rs?${VITALS} patient/Condition.rs`);
    expect(summary.grantedSections).toEqual(['vitals', 'problems']);
    expect(summary.missingSections).toContain('labs');
  });

  it('reads Epic unprefixed, case-duplicated grants and Cerner fully-qualified ones', () => {
    expect(summarizeGrant(requested, 'Observation.read Observation.search MedicationRequest.Read ').grantedSections).toEqual([
      'vitals',
      'labs',
      'medications',
    ]);
    const cerner = summarizeGrant(requested, 'http://smarthealthit.org/FHIR/scopes/user/AllergyIntolerance.read');
    expect(cerner.grantedSections).toEqual(['allergies']);
  });

  it('treats a missing scope in the token response as granted as requested (RFC 6749 §5.1)', () => {
    expect(summarizeGrant(requested, undefined).missingSections).toEqual([]);
  });

  it('knows the notes, reports and procedures, and whether their content kept apart (Binary) may be read', () => {
    const summary = summarizeGrant(requested, 'patient/DocumentReference.read patient/Procedure.rs patient/Binary.read');
    expect(summary.grantedSections).toEqual(['notes', 'procedures']);
    expect(summary.missingSections).toContain('reports');
    expect(summary.documentContent).toBe(true);
    expect(summarizeGrant(requested, 'patient/DocumentReference.rs patient/Binary.s').documentContent).toBe(false);
    expect(summarizeGrant(requested, 'patient/*.read').documentContent).toBe(true);
  });

  it('does not count write-only or system grants as readable', () => {
    expect(summarizeGrant(requested, 'patient/Observation.cud system/Condition.rs').grantedSections).toEqual([]);
  });
});

describe('missingScopes', () => {
  it('lists requested scopes the grant does not cover, tolerating a split grant (.r + .s)', () => {
    expect(
      missingScopes('patient/Observation.rs openid offline_access', 'patient/Observation.r patient/Observation.s openid'),
    ).toEqual(['offline_access']);
    expect(missingScopes('patient/Observation.rs', 'patient/*.read')).toEqual([]);
    expect(missingScopes('patient/Observation.rs', 'patient/Observation.r')).toEqual(['patient/Observation.rs']);
  });
});

describe('write scopes: asked for only when a kind of writing is on, in the syntax the EHR advertises (issue 19)', () => {
  it('asks for nothing more while writing is off', () => {
    expect(requestScopes('', 'v2', 'standalone', [])).toBe(requestScopes('', 'v2', 'standalone'));
    expect(requestScopes('', 'v2', 'standalone')).not.toMatch(/\.(c|cu|write)\b/);
  });

  it('asks for create, or create and update, per kind: v2 letters, v1 .write', () => {
    const v2 = requestScopes('', 'v2', 'standalone', ['vitals', 'notes', 'medication-orders']).split(' ');
    expect(v2).toEqual(
      expect.arrayContaining(['patient/Observation.c', 'patient/DocumentReference.c', 'patient/MedicationRequest.cu']),
    );
    const v1 = requestScopes('', 'v1', 'ehr', ['vitals', 'medication-orders']).split(' ');
    expect(v1).toEqual(expect.arrayContaining(['patient/Observation.write', 'patient/MedicationRequest.write', 'launch']));
    expect(v1).not.toContain('patient/DocumentReference.write');
    // A connection's own scope list gets the write scopes too.
    expect(requestScopes('patient/Observation.rs openid', 'v2', 'standalone', ['vitals'])).toBe(
      'patient/Observation.rs openid patient/Observation.c',
    );
  });

  it('says what may be written, and what was asked for and refused', () => {
    const requested = requestScopes('', 'v2', 'standalone', ['vitals', 'notes', 'medication-orders']);
    const all = summarizeGrant(requested, requested);
    expect(all.writeActions).toEqual(['record-vitals', 'write-note', 'propose-medication', 'discontinue-medication']);
    expect(all.missingWriteActions).toEqual([]);
    const partial = summarizeGrant(requested, `${defaultChartScopes('v2', 'standalone')} patient/MedicationRequest.c`);
    expect(partial.writeActions).toEqual(['propose-medication']);
    expect(partial.missingWriteActions).toEqual(['record-vitals', 'write-note', 'discontinue-medication']);
  });

  it('reads v1 .write, Epic unprefixed and granular grants; never offers what was not asked for', () => {
    const requested = requestScopes('', 'v1', 'standalone', ['vitals', 'medication-orders']);
    expect(summarizeGrant(requested, 'patient/Observation.write MedicationRequest.write').writeActions).toEqual([
      'record-vitals',
      'propose-medication',
      'discontinue-medication',
    ]);
    expect(summarizeGrant(requested, `patient/Observation.c?${VITALS}`).writeActions).toEqual(['record-vitals']);
    const labsOnly = 'patient/Observation.c?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
    expect(summarizeGrant(requested, labsOnly).writeActions).toEqual([]);
    // A grant of more than was asked offers nothing more.
    expect(summarizeGrant(defaultChartScopes('v2', 'standalone'), 'patient/*.cruds').writeActions).toEqual([]);
  });
});
