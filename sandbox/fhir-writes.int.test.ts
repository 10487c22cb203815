/**
 * Writes at the sandbox's FHIR API (issue 19): create and conditional create, update with versions and ETags,
 * vread, validation of the US Core vital-sign and DocumentReference shapes (422 with an OperationOutcome), scope
 * enforcement of create and update (v2 `.c`/`.u`, v1 `.write`, the patient compartment), and what was written found
 * again by search. The bodies are the US Core examples of fixtures/real/us-core/, pointed at a sandbox patient.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import { fhirGet, fhirSend, tokenFor } from './testing/oauth-driver.js';

const US_CORE = path.resolve(import.meta.dirname, '../fixtures/real/us-core');
type Json = Record<string, unknown>;
let sandbox: Sandbox;
let base: string;
let patient: string;
let other: string;
let writer: string;

/** A US Core example, about `patientId`, without the id and meta the server assigns. */
function example(file: string, patientId: string): Json {
  const { id: _id, meta: _meta, ...resource } = JSON.parse(readFileSync(path.join(US_CORE, file), 'utf8')) as Json;
  return { ...resource, subject: { reference: `Patient/${patientId}` } };
}

const token = async (scope: string) => (await tokenFor(base, `launch/patient ${scope}`)).tokens.access_token;
const issues = (body: Json) => (body.issue as Array<{ code: string; diagnostics: string; expression?: string[] }>) ?? [];

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true });
  base = sandbox.fhirBaseUrl;
  [patient, other] = sandbox.patients().map((p) => p.id) as [string, string];
  writer = await token('patient/*.rs patient/Observation.c patient/DocumentReference.c patient/MedicationRequest.cu');
});
afterAll(() => sandbox.stop());

describe('create', () => {
  it('stores a US Core heart rate as version 1, with Location and ETag, and serves it back by read and search', async () => {
    const created = await fhirSend('POST', `${base}/Observation`, writer, example('Observation-heart-rate.json', patient));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`${base}/Observation/${id}/_history/1`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.body).toMatchObject({ meta: { versionId: '1' }, valueQuantity: { value: 44, code: '/min' } });
    expect((await fhirGet(`${base}/Observation/${id}`, writer)).body).toEqual(created.body);
    const search = await fhirGet(`${base}/Observation?patient=${patient}&code=http://loinc.org|8867-4&_count=100`, writer);
    expect((search.body.entry as Array<{ resource: Json }>).map((entry) => entry.resource.id)).toContain(id);
  });

  it('creates a US Core clinical note (text/plain, inline) and finds it by patient and category', async () => {
    const created = await fhirSend(
      'POST',
      `${base}/DocumentReference`,
      writer,
      example('DocumentReference-soap-note.json', patient),
    );
    expect(created.status).toBe(201);
    // Beside the notes the data set gives each patient (sandbox/data/documents.ts).
    const found = await fhirGet(`${base}/DocumentReference?patient=${patient}&category=clinical-note&_count=100`, writer);
    expect((found.body.entry as Array<{ resource: Json }>).map((entry) => entry.resource.id)).toContain(created.body.id);
  });

  it('If-None-Exist: a second create with the same identifier answers 200 with the first, and creates nothing', async () => {
    const identifier = { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:4d5e1f0a-7b7c-4f1e-9a53-0c2d11aa0001' };
    const body = { ...example('Observation-temperature.json', patient), identifier: [identifier] };
    const condition = { 'If-None-Exist': `identifier=${identifier.system}|${identifier.value}` };
    const first = await fhirSend('POST', `${base}/Observation`, writer, body, condition);
    const second = await fhirSend('POST', `${base}/Observation`, writer, body, condition);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
    const search = await fhirGet(`${base}/Observation?identifier=${identifier.system}|${identifier.value}`, writer);
    expect(search.body.total).toBe(1);
    const unsupported = await fhirSend('POST', `${base}/Observation`, writer, body, { 'If-None-Exist': 'nonsense=1' });
    expect(unsupported.status).toBe(400);
  });

  it('Prefer: return=minimal answers with the headers only', async () => {
    const created = await fhirSend('POST', `${base}/Observation`, writer, example('Observation-weight.json', patient), {
      Prefer: 'return=minimal',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({});
    expect(created.headers.get('location')).toMatch(/\/Observation\/[^/]+\/_history\/1$/);
  });
});

describe('validation: 422 with an OperationOutcome naming each fault', () => {
  it('refuses a vital sign without its category and with a unit the profile does not allow', async () => {
    const body = example('Observation-temperature.json', patient);
    const refused = await fhirSend('POST', `${base}/Observation`, writer, {
      ...body,
      category: [],
      valueQuantity: { value: 98.6, unit: 'F', system: 'http://unitsofmeasure.org', code: 'F' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.resourceType).toBe('OperationOutcome');
    expect(issues(refused.body).map((issue) => issue.expression?.[0])).toEqual([
      'Observation.category',
      'Observation.valueQuantity.code',
    ]);
    expect(issues(refused.body)[1]?.diagnostics).toContain('Cel, [degF]');
  });

  it('refuses a blood pressure without its diastolic component, and a note without content', async () => {
    const bp = example('Observation-blood-pressure.json', patient);
    const onlySystolic = { ...bp, effectiveDateTime: '2026-01-01T10:00:00Z', component: (bp.component as unknown[]).slice(0, 1) };
    const refused = await fhirSend('POST', `${base}/Observation`, writer, onlySystolic);
    expect(refused.status).toBe(422);
    expect(issues(refused.body)[0]?.diagnostics).toContain('8462-4');
    const note = { ...example('DocumentReference-soap-note.json', patient), content: [] };
    const noContent = await fhirSend('POST', `${base}/DocumentReference`, writer, note);
    expect(noContent.status).toBe(422);
    expect(issues(noContent.body).map((issue) => issue.code)).toEqual(['required']);
  });
});

describe('scopes: create needs .c (or v1 .write), update .u; patient/ scopes stay in the patient compartment', () => {
  it('refuses a create to a token that may only read, and accepts v1 .write', async () => {
    const reader = await token('patient/Observation.rs');
    const refused = await fhirSend('POST', `${base}/Observation`, reader, example('Observation-height.json', patient));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope');
    const v1 = await token('patient/Observation.write');
    expect((await fhirSend('POST', `${base}/Observation`, v1, example('Observation-height.json', patient))).status).toBe(201);
  });

  it('refuses a create about another patient than the one in context', async () => {
    const refused = await fhirSend('POST', `${base}/Observation`, writer, example('Observation-height.json', other));
    expect(refused.status).toBe(403);
  });

  it('a granular create scope covers its category only', async () => {
    const vitalsOnly = await token(
      'patient/Observation.c?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs',
    );
    expect((await fhirSend('POST', `${base}/Observation`, vitalsOnly, example('Observation-bmi.json', patient))).status).toBe(
      201,
    );
    const lab = { ...example('Observation-bmi.json', patient), category: [{ coding: [{ code: 'laboratory' }] }] };
    expect((await fhirSend('POST', `${base}/Observation`, vitalsOnly, lab)).status).toBe(403);
  });
});

describe('update: versions, If-Match and 412', () => {
  it('stops an order at its version, refuses a stale If-Match with 412, and keeps the old version readable', async () => {
    const id = `${patient}-medreq-lisinopril`;
    const read = await fhirGet(`${base}/MedicationRequest/${id}`, writer);
    expect(read.headers.get('etag')).toBe('W/"1"');
    const stopped = { ...read.body, status: 'stopped' };
    const updated = await fhirSend('PUT', `${base}/MedicationRequest/${id}`, writer, stopped, { 'If-Match': 'W/"1"' });
    expect(updated.status).toBe(200);
    expect(updated.headers.get('etag')).toBe('W/"2"');
    expect(updated.body).toMatchObject({ status: 'stopped', meta: { versionId: '2' } });

    const stale = await fhirSend(
      'PUT',
      `${base}/MedicationRequest/${id}`,
      writer,
      { ...read.body, status: 'on-hold' },
      {
        'If-Match': 'W/"1"',
      },
    );
    expect(stale.status).toBe(412);
    expect(issues(stale.body)[0]).toMatchObject({ code: 'conflict' });
    expect(issues(stale.body)[0]?.diagnostics).toContain('is at version 2');
    expect((await fhirGet(`${base}/MedicationRequest/${id}`, writer)).body.status).toBe('stopped');
    expect((await fhirGet(`${base}/MedicationRequest/${id}/_history/1`, writer)).body.status).toBe('active');
    const search = await fhirGet(`${base}/MedicationRequest?patient=${patient}&status=stopped`, writer);
    expect((search.body.entry as Array<{ resource: Json }>).map((entry) => entry.resource.id)).toEqual([id]);
  });

  it('needs .u, an id that matches the URL, and an existing resource', async () => {
    const id = `${patient}-medreq-metformin`;
    const { body } = await fhirGet(`${base}/MedicationRequest/${id}`, writer);
    const createOnly = await token('patient/MedicationRequest.rs patient/MedicationRequest.c');
    expect((await fhirSend('PUT', `${base}/MedicationRequest/${id}`, createOnly, body)).status).toBe(403);
    expect((await fhirSend('PUT', `${base}/MedicationRequest/${id}`, writer, { ...body, id: 'x' })).status).toBe(400);
    expect((await fhirSend('PUT', `${base}/MedicationRequest/missing`, writer, { ...body, id: 'missing' })).status).toBe(404);
  });
});

describe('Medication search by text', () => {
  it('finds medicines by the start of any word of their name', async () => {
    const found = await fhirGet(`${base}/Medication?code:text=amox`, writer);
    expect((found.body.entry as Array<{ resource: Json }>).map((entry) => entry.resource.id)).toEqual([
      'sbx-med-amoxicillin-250',
    ]);
    const potassium = await fhirGet(`${base}/Medication?code:text=potassium 250`, writer);
    expect(potassium.body.total).toBe(1);
  });
});

describe('the CapabilityStatement says what may be written', () => {
  it('create, update, versioned updates and conditional create by identifier for the types ChartDesk writes, reads only for others', async () => {
    const statement = (await fhirGet(`${base}/metadata`, writer)).body;
    const resources = (statement.rest as Array<{ resource: Array<Json & { type: string }> }>)[0]!.resource;
    const of = (type: string) => resources.find((resource) => resource.type === type)!;
    for (const type of ['Observation', 'DocumentReference', 'MedicationRequest']) {
      expect(of(type)).toMatchObject({ versioning: 'versioned-update', updateCreate: false, conditionalCreate: true });
      expect((of(type).interaction as Array<{ code: string }>).map((interaction) => interaction.code)).toEqual(
        expect.arrayContaining(['create', 'update', 'vread']),
      );
      expect((of(type).searchParam as Array<{ name: string }>).map((param) => param.name)).toContain('identifier');
    }
    expect((of('Condition').interaction as Array<{ code: string }>).map((interaction) => interaction.code)).not.toContain(
      'create',
    );
  });
});
