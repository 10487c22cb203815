import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectionStore, openConnectionStore } from '../../../main/connections/connection-store';
import { EMPTY_SETTINGS, normalizeSettings, validateConnectionSettings } from './connection-form';
import { createLogger } from '../../../main/logging/logger';

/**
 * The form and main apply one rule (common/connection-rules.ts). Checked from the renderer's side against main's
 * real connection store: what the form lets through, main keeps; what the form refuses, main refuses, for the
 * same reason in the same words.
 */
const valid = { ...EMPTY_SETTINGS, name: 'Clinic', fhirBaseUrl: 'https://ehr.example.org/fhir', clientId: 'chartdesk' };

let dir: string;
let store: ConnectionStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chartdesk-form-agreement-'));
  store = (await openConnectionStore({ userDataDir: dir, managed: [], allowAddConnections: true, log: createLogger(() => {}) }))
    .store;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function mainRefusal(settings: typeof valid): Promise<string | null> {
  try {
    await store.add(normalizeSettings(settings));
    return null;
  } catch (error) {
    expect(error).toMatchObject({ code: 'invalid-input' });
    return (error as Error).message;
  }
}

describe('the connection form and main agree', () => {
  it.each([
    'https://ehr.example.org/fhir',
    'https://EHR.example.org/fhir/R4/',
    'http://127.0.0.1:8080/fhir',
    'http://[::1]:8080/fhir',
    'http://localhost:8080/fhir',
    'https://api.preview.platform.athenahealth.com/fhir/r4?ah-practice=Organization/a-1.Practice-195900',
  ])('both accept %s', async (fhirBaseUrl) => {
    expect(validateConnectionSettings({ ...valid, fhirBaseUrl })).toEqual({});
    expect(await mainRefusal({ ...valid, fhirBaseUrl })).toBeNull();
  });

  it.each([
    ['http://ehr.example.org/fhir', 'must use https: plain http is allowed only for a test server on this computer'],
    ['ftp://ehr.example.org/fhir', 'must be an http(s) URL'],
    ['ehr.example.org/fhir', 'must be a full URL'],
    ['https://user:pw@ehr.example.org/fhir', 'must not contain a user name or password'],
    ['https://ehr.example.org/fhir#x', 'must not contain a # fragment'],
  ])('both refuse %s: "%s"', async (fhirBaseUrl, reason) => {
    expect(validateConnectionSettings({ ...valid, fhirBaseUrl })).toEqual({ fhirBaseUrl: expect.stringContaining(reason) });
    expect(await mainRefusal({ ...valid, fhirBaseUrl })).toContain(reason);
  });

  it('calls a plain-http base with a query string an https problem, not a query problem', async () => {
    const settings = { ...valid, fhirBaseUrl: 'http://ehr.example.org/fhir?tenant=1' };
    expect(validateConnectionSettings(settings).fhirBaseUrl).toMatch(/must use https/);
    expect(await mainRefusal(settings)).toMatch(/must use https/);
  });

  it.each([
    [{ scopes: 'patient/observation.read' }, 'not a SMART resource scope'],
    [{ scopes: 'patient/Observation.sr' }, 'not a SMART resource scope'],
    [{ scopeSyntax: 'v1' as const, scopes: 'patient/Observation.rs' }, 'uses v2 permissions'],
    [{ clientId: 'has space' }, 'must be printable ASCII without spaces'],
    [{ name: ' ' }, 'is required'],
  ])('both refuse %j: "%s"', async (change, reason) => {
    const form = Object.values(validateConnectionSettings({ ...valid, ...change }));
    expect(form).toEqual([expect.stringContaining(reason)]);
    expect(await mainRefusal({ ...valid, ...change })).toContain(reason);
  });
});
