import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigPatientResources } from './big.js';
import { builtinResources } from './builtin.js';
import { DataLoadError, loadBundleFolder } from './synthea.js';

describe('built-in data set', () => {
  it('is the same on every run', () => {
    expect(JSON.stringify(builtinResources())).toBe(JSON.stringify(builtinResources()));
  });

  it('holds vitals, labs with reference ranges and interpretations, and the other chart sections', () => {
    const resources = builtinResources();
    const types = new Set(resources.map((r) => r.resourceType));
    for (const type of [
      'Patient',
      'Practitioner',
      'Encounter',
      'Observation',
      'Condition',
      'MedicationRequest',
      'Medication',
      'AllergyIntolerance',
      'Immunization',
    ]) {
      expect(types).toContain(type);
    }
    const codes = new Set(
      resources.flatMap((r) => ((r.code as { coding?: Array<{ code: string }> })?.coding ?? []).map((c) => c.code)),
    );
    for (const loinc of ['8867-4', '85354-9', '8310-5', '9279-1', '2708-6', '59408-5', '29463-7', '8302-2', '39156-5'])
      expect(codes).toContain(loinc);
    const lab = resources.find((r) => JSON.stringify(r.category ?? '').includes('laboratory'));
    expect(lab?.referenceRange).toBeDefined();
    expect(lab?.interpretation).toBeDefined();
    const bp = resources.find((r) => JSON.stringify(r.code ?? '').includes('85354-9'));
    expect(JSON.stringify(bp?.component)).toContain('8480-6');
    const meds = resources.filter((r) => r.resourceType === 'MedicationRequest');
    expect(meds.some((m) => (m.medicationReference as { reference: string } | undefined)?.reference === '#med')).toBe(true);
    expect(
      meds.some((m) => (m.medicationReference as { reference: string } | undefined)?.reference.startsWith('Medication/')),
    ).toBe(true);
  });
});

describe('--big patient', () => {
  it('spreads N observations over the ten years up to today, in order', () => {
    const now = Date.parse('2026-11-30T07:00:00Z');
    const resources = bigPatientResources(1000, now);
    const observations = resources.filter((r) => r.resourceType === 'Observation');
    expect(observations).toHaveLength(1000);
    const first = Date.parse(observations[0]?.effectiveDateTime as string);
    const last = Date.parse(observations.at(-1)?.effectiveDateTime as string);
    expect((last - first) / (365 * 86_400_000)).toBeGreaterThan(9);
    expect(last).toBe(Date.parse('2026-11-30T00:00:00Z'));
    expect(bigPatientResources(1000, now)).toEqual(resources);
  });
});

describe('loadBundleFolder', () => {
  it('rewrites urn:uuid references across files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-bundles-'));
    const entry = (uuid: string, resource: object) => ({ fullUrl: `urn:uuid:${uuid}`, resource });
    await writeFile(
      path.join(dir, 'a.json'),
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [entry('p1', { resourceType: 'Patient', id: 'p1', generalPractitioner: [{ reference: 'urn:uuid:dr' }] })],
      }),
    );
    await writeFile(
      path.join(dir, 'b.json'),
      JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [entry('dr', { resourceType: 'Practitioner' })] }),
    );
    const resources = await loadBundleFolder(dir);
    expect(resources.find((r) => r.resourceType === 'Patient')?.generalPractitioner).toEqual([{ reference: 'Practitioner/dr' }]);
    expect(resources.find((r) => r.resourceType === 'Practitioner')?.id).toBe('dr');
  });

  it('says clearly what is wrong with a folder', async () => {
    await expect(loadBundleFolder('/nonexistent/folder')).rejects.toThrow(DataLoadError);
    const dir = await mkdtemp(path.join(tmpdir(), 'sandbox-bundles-'));
    await expect(loadBundleFolder(dir)).rejects.toThrow(/no \.json bundles/);
    await writeFile(path.join(dir, 'x.json'), '{"resourceType":"Patient"}');
    await expect(loadBundleFolder(dir)).rejects.toThrow(/not a FHIR Bundle/);
  });
});
