import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigPatientResources } from './big.js';
import { builtinResources } from './builtin.js';
import { textPdf } from './pdf.js';
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

describe('built-in notes, reports and procedures', () => {
  const resources = builtinResources();
  const of = (type: string, patient: string) =>
    resources.filter(
      (r) =>
        r.resourceType === type &&
        JSON.stringify(r.subject ?? r.securityContext) === JSON.stringify({ reference: `Patient/${patient}` }),
    );
  const attachmentsOf = (r: Record<string, unknown>) =>
    ((r.content ?? []) as Array<{ attachment: Record<string, string> }>).map((content) => content.attachment);

  it.each(['sbx-amelia-hart', 'sbx-jonah-reyes', 'sbx-mei-chen'])(
    '%s has a text note per visit, an HTML note in a Binary it names, a PDF report and procedures',
    (patient) => {
      const notes = of('DocumentReference', patient).flatMap(attachmentsOf);
      expect(notes.filter((a) => a.contentType?.startsWith('text/plain') && a.data)).toHaveLength(8);
      const html = notes.find((a) => a.contentType === 'text/html');
      const binary = of('Binary', patient).find((b) => `Binary/${b.id}` === html?.url);
      expect(Buffer.from(String(binary?.data), 'base64').toString('utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
      const [report] = of('DiagnosticReport', patient);
      const form = (report?.presentedForm as Array<{ contentType: string; data: string }>)[0];
      expect(form?.contentType).toBe('application/pdf');
      const pdf = Buffer.from(String(form?.data), 'base64').toString('latin1');
      const name = resources.find((r) => r.id === patient)?.name as Array<{ given: string[]; family: string }>;
      expect(pdf).toContain(`Patient: ${name[0]?.given[0]} ${name[0]?.family}`);
      expect(of('Procedure', patient).length).toBeGreaterThanOrEqual(2);
    },
  );
});

describe('textPdf', () => {
  it('writes a cross-reference table whose offsets point at their objects, and escapes PDF string syntax', () => {
    const pdf = textPdf([{ text: 'Findings (left) \\ right' }, { text: 'Bold', bold: true, size: 14 }], 'Title é').toString(
      'latin1',
    );
    expect(pdf.startsWith('%PDF-1.4\n')).toBe(true);
    expect(pdf).toContain('(Findings \\(left\\) \\\\ right) Tj');
    expect(pdf).toContain('/Title (Title ?)');
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
    const offsets = [...pdf.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
    expect(offsets).toHaveLength(7);
    offsets.forEach((offset, index) => expect(pdf.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true));
    const length = Number(/\/Length (\d+)/.exec(pdf)?.[1]);
    const start = pdf.indexOf('stream\n') + 'stream\n'.length;
    expect(pdf.slice(start + length, start + length + 10)).toBe('\nendstream');
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
