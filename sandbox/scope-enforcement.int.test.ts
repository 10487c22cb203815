/**
 * Bearer enforcement at the FHIR API: v1, v2 and granular scopes, and the patient compartment of a
 * patient-context token (Done when: patient/Observation.rs cannot read Condition; a patient-context
 * token cannot read another patient).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import { fhirGet, tokenFor } from './testing/oauth-driver.js';

const VITALS = 'http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';
let sandbox: Sandbox;
let base: string;
let own: string;
let other: string;

beforeAll(async () => {
  sandbox = await startSandbox({ autoApprove: true });
  base = sandbox.fhirBaseUrl;
  [own, other] = sandbox.patients().map((p) => p.id) as [string, string];
});
afterAll(() => sandbox.stop());

const token = async (scope: string) => (await tokenFor(base, scope)).tokens.access_token;

describe('scope enforcement', () => {
  it('401 without a token, with a WWW-Authenticate challenge (RFC 6750 §3)', async () => {
    const response = await fetch(`${base}/Patient/${own}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="${base}"`);
  });

  it('401 with a token this server never issued', async () => {
    expect((await fhirGet(`${base}/Patient/${own}`, 'not-a-token')).status).toBe(401);
  });

  it('patient/Observation.rs cannot read or search Condition (403 insufficient_scope)', async () => {
    const access = await token('launch/patient patient/Observation.rs');
    expect((await fhirGet(`${base}/Observation?patient=${own}`, access)).status).toBe(200);
    const search = await fhirGet(`${base}/Condition?patient=${own}`, access);
    expect(search.status).toBe(403);
    expect(search.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect((await fhirGet(`${base}/Condition/${own}-cond-1`, access)).status).toBe(403);
  });

  it('a patient-context token cannot read another patient or their data', async () => {
    const access = await token('launch/patient patient/*.rs');
    expect((await fhirGet(`${base}/Patient/${own}`, access)).status).toBe(200);
    expect((await fhirGet(`${base}/Patient/${other}`, access)).status).toBe(403);
    expect((await fhirGet(`${base}/Observation?patient=${other}`, access)).status).toBe(403);
    expect((await fhirGet(`${base}/Condition/${other}-cond-1`, access)).status).toBe(403);
  });

  it('a patient-context search without a patient parameter is confined to the compartment', async () => {
    const access = await token('launch/patient patient/Patient.rs patient/Condition.rs');
    const patients = await fhirGet(`${base}/Patient`, access);
    expect(patients.body.total).toBe(1);
    const conditions = await fhirGet(`${base}/Condition`, access);
    const subjects = (conditions.body.entry as Array<{ resource: { subject: { reference: string } } }>).map(
      (e) => e.resource.subject.reference,
    );
    expect(new Set(subjects)).toEqual(new Set([`Patient/${own}`]));
  });

  it('patient/ scopes without a patient in context grant nothing', async () => {
    const access = await token('patient/Observation.rs');
    expect((await fhirGet(`${base}/Observation?patient=${own}`, access)).status).toBe(403);
  });

  it('user/ scopes reach every patient', async () => {
    const access = await token('user/Patient.rs user/Observation.rs');
    expect((await fhirGet(`${base}/Patient`, access)).body.total).toBe(sandbox.patients().length);
    expect((await fhirGet(`${base}/Observation?patient=${other}&_summary=count`, access)).body.total).toBeGreaterThan(0);
  });

  it('v1 .read allows read and search; v2 .r alone does not allow search', async () => {
    const v1 = await token('launch/patient patient/Observation.read');
    expect((await fhirGet(`${base}/Observation?patient=${own}`, v1)).status).toBe(200);
    const readOnly = await token('launch/patient patient/Observation.r');
    expect((await fhirGet(`${base}/Observation?patient=${own}`, readOnly)).status).toBe(403);
    expect((await fhirGet(`${base}/Observation/${own}-enc-1-hr`, readOnly)).status).toBe(200);
  });

  it('a granular scope (category=vital-signs) limits search results and reads (INF#132)', async () => {
    const access = await token(`launch/patient patient/Observation.rs?category=${VITALS}`);
    const search = await fhirGet(`${base}/Observation?patient=${own}&_count=1000`, access);
    const categories = (search.body.entry as Array<{ resource: { category: Array<{ coding: Array<{ code: string }> }> } }>).map(
      (e) => e.resource.category[0]?.coding[0]?.code,
    );
    expect(categories.length).toBeGreaterThan(0);
    expect(new Set(categories)).toEqual(new Set(['vital-signs']));
    expect((await fhirGet(`${base}/Observation/${own}-enc-1-hr`, access)).status).toBe(200);
    expect((await fhirGet(`${base}/Observation/${own}-enc-1-lab-2345-7`, access)).status).toBe(403);
  });
});
