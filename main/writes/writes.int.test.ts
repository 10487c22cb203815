/**
 * Each write through the whole main side (the IPC dispatcher, as the renderer calls it) against the sandbox EHR:
 * vitals, a note, a proposal with its allergy warning, a discontinuation and its 412 conflict; a lost answer that a
 * Retry completes without a second copy (If-None-Exist); 401 → one renewal → the write goes through; a 422 told in
 * words; a write the EHR did not grant not offered. What is sent is checked at the sandbox by reading it back.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSettings } from '../../common/connections';
import type { IpcResult } from '../../common/ipc-envelope';
import type { WriteKind } from '../../common/write-kinds';
import type {
  DraftSummary,
  RecordVitalsRequest,
  MedicationChoice,
  ResumedForm,
  UnfinishedSummary,
  WriteAvailabilities,
  WritePreview,
  WriteRequest,
  WriteResult,
} from '../../common/writes';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { fhirGet, fhirSend, tokenFor } from '../../sandbox/testing/oauth-driver';
import { sandboxConnectionSettings } from '../connections/templates';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { createSystemBrowser } from '../smart/testing/system-browser';
import { type ComposedApp, composedApp } from '../testing/composed-app';
import { AUDIT_FILE } from './audit-trail';

type Json = Record<string, unknown>;
let ehr: Sandbox;
let patient: string;
let encounter: string;

beforeAll(async () => {
  ehr = await startSandbox({ autoApprove: true, quiet: true });
  patient = ehr.patients()[0]!.id;
  encounter = `${patient}-enc-1`;
});
afterAll(() => ehr.stop());

interface World {
  world: ComposedApp;
  id: string;
  call<T>(channel: string, ...args: unknown[]): Promise<IpcResult<T>>;
  /** A token of the sandbox's own, to look at what was written as another client would. */
  look(url: string): Promise<Json>;
}

/** An EHR launch with the patient and an encounter in context, writing the given kinds. */
async function launched(
  kinds: WriteKind[] = ['vitals', 'notes', 'medication-orders'],
  fetchImpl?: typeof fetch,
  at: Sandbox = ehr,
): Promise<World> {
  const world = await composedApp(fetchImpl ? { fetch: fetchImpl } : {});
  const settings: ConnectionSettings = { ...sandboxConnectionSettings(at.fhirBaseUrl), writeKinds: kinds };
  const id = await world.addConnection(settings);
  await world.app.sessions.handleDeepLink(parseDeepLink(at.ehrLaunchLink(await at.mintLaunch({ patient, encounter }))));
  const stop = await createSystemBrowser().open(world.opened.at(-1)!);
  if (stop.kind !== 'app-link') throw new Error(`the sandbox stopped at ${stop.url}`);
  await world.app.sessions.handleDeepLink(parseDeepLink(stop.url));
  await expect.poll(() => world.session(id).status, { timeout: 10_000 }).toBe('signed-in');
  const reader = (await tokenFor(at.fhirBaseUrl, 'launch/patient patient/*.rs')).tokens.access_token;
  return {
    world,
    id,
    call: (channel, ...args) => world.call(channel as never, ...args) as never,
    look: async (url) => (await fhirGet(`${at.fhirBaseUrl}/${url}`, reader)).body,
  };
}

function value<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const vitals = (id: string): RecordVitalsRequest => ({
  action: 'record-vitals',
  connectionId: id,
  patientId: patient,
  effective: '2026-11-30T09:15:00+00:00',
  readings: [
    { kind: 'blood-pressure', systolic: 128, diastolic: 84 },
    { kind: 'temperature', value: 99.1, unit: '[degF]' },
  ],
});

const progressNote = (connectionId: string, text: string): WriteRequest => ({
  action: 'write-note',
  connectionId,
  patientId: patient,
  type: '11506-3',
  category: 'clinical-note',
  title: null,
  text,
});

const discontinue = (connectionId: string, order: string, reason: string | null): WriteRequest => ({
  action: 'discontinue-medication',
  connectionId,
  patientId: patient,
  medicationRequestId: order,
  reason,
});

const entries = (bundle: Json) => ((bundle.entry ?? []) as Array<{ resource: Json }>).map((entry) => entry.resource);

async function previewAndSubmit(w: World, request: WriteRequest): Promise<{ preview: WritePreview; result: WriteResult }> {
  const preview = value(await w.call<WritePreview>('write:preview', request));
  const result = value(await w.call<WriteResult>('write:submit', w.id, preview.draftId));
  return { preview, result };
}

describe('record vitals', () => {
  it('previews the exact conditional creates, writes US Core vital signs in context, and the chart shows them marked', async () => {
    const w = await launched();
    const { preview, result } = await previewAndSubmit(w, vitals(w.id));
    expect(preview).toMatchObject({ patientId: patient, encounterId: encounter, warnings: [] });
    expect(preview.lines).toEqual([
      { label: 'Blood pressure', value: '128/84 mmHg' },
      { label: 'Body temperature', value: '99.1 °F (37.3 °C)' },
      { label: 'Taken at', value: '2026-11-30T09:15:00+00:00' },
    ]);
    expect(preview.requests.map((request) => [request.method, request.url, request.condition.header])).toEqual([
      ['POST', `${ehr.fhirBaseUrl}/Observation`, 'If-None-Exist'],
      ['POST', `${ehr.fhirBaseUrl}/Observation`, 'If-None-Exist'],
    ]);
    expect(result.status).toBe('written');
    if (result.status !== 'written') return;
    expect(result.rows.vitals.map((row) => [row.kind, row.fromChartDesk])).toEqual([
      ['blood-pressure', true],
      ['temperature', true],
    ]);

    const temperature = await w.look(`Observation/${result.resources[1]!.id}`);
    expect(temperature).toMatchObject({
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8310-5' }] },
      subject: { reference: `Patient/${patient}` },
      encounter: { reference: `Encounter/${encounter}` },
      performer: [{ reference: expect.stringMatching(/^Practitioner\//) }],
      effectiveDateTime: '2026-11-30T09:15:00+00:00',
      valueQuantity: { value: 99.1, system: 'http://unitsofmeasure.org', code: '[degF]' },
    });
    // The body sent is the one previewed, byte for byte in content.
    const { meta: _meta, id: _id, ...stored } = temperature;
    expect(stored).toEqual(JSON.parse(preview.requests[1]!.body));

    // Read again, the chart marks them as written from ChartDesk.
    const opened = value(await w.call<{ loadId: string }>('chart:open', { connectionId: w.id, patientId: patient }));
    await expect
      .poll(() =>
        w.world.events.some(
          (event) =>
            (event.payload as { loadId?: string; done?: boolean; section?: string }).loadId === opened.loadId &&
            (event.payload as { section: string }).section === 'vitals' &&
            (event.payload as { done: boolean }).done,
        ),
      )
      .toBe(true);
    const marked = w.world.events
      .map(
        (event) => event.payload as { loadId?: string; section?: string; rows?: Array<{ id: string; fromChartDesk?: boolean }> },
      )
      .filter((page) => page.loadId === opened.loadId && page.section === 'vitals')
      .flatMap((page) => page.rows ?? [])
      .filter((row) => row.fromChartDesk)
      .map((row) => row.id);
    expect(marked.sort()).toEqual(result.resources.map((resource) => resource.id).sort());
  });

  it('an implausible reading never reaches the EHR: refused at the boundary in words', async () => {
    const w = await launched();
    const refused = await w.call('write:preview', {
      ...vitals(w.id),
      readings: [{ kind: 'temperature', value: 99.1, unit: 'Cel' }],
    });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('A body temperature of 99.1 °C is not plausible') },
    });
  });
});

describe('write a note', () => {
  it('writes a US Core clinical note whose text/plain attachment holds exactly the text', async () => {
    const w = await launched();
    const text = 'S: cough for 3 days, 38.2 °C at home.\nA: viral URI.\nP: fluids, review in 1 week.';
    const { result } = await previewAndSubmit(w, progressNote(w.id, text));
    expect(result.status).toBe('written');
    if (result.status !== 'written') return;
    expect(result.rows.notes).toMatchObject([{ type: { text: 'Progress note' }, fromChartDesk: true, author: null }]);
    const found = entries(await w.look(`DocumentReference?patient=${patient}&category=clinical-note&_count=100`));
    const note = found.find((resource) => resource.id === result.resources[0]!.id)!;
    expect(note).toMatchObject({
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '11506-3' }] },
      author: [{ reference: expect.stringMatching(/^Practitioner\//) }],
      context: { encounter: [{ reference: `Encounter/${encounter}` }] },
    });
    const attachment = (note.content as Array<{ attachment: { contentType: string; data: string } }>)[0]!.attachment;
    expect(attachment.contentType).toMatch(/^text\/plain/);
    expect(Buffer.from(attachment.data, 'base64').toString('utf8')).toBe(text);
  });
});

describe('medication orders', () => {
  it('proposes a coded medication the EHR search returned, warning of a matching allergy first', async () => {
    const w = await launched();
    const choices = value(await w.call<MedicationChoice[]>('medications:search', w.id, 'penicillin'));
    expect(choices.map((choice) => choice.id)).toEqual(['sbx-med-penicillin-v-250']);
    const request: WriteRequest = {
      action: 'propose-medication',
      connectionId: w.id,
      patientId: patient,
      medicationId: choices[0]!.id,
      dose: { value: 1, unit: 'TAB' },
      sig: '1 tablet by mouth 4 times a day for 10 days',
    };
    const { preview, result } = await previewAndSubmit(w, request);
    expect(preview.warnings).toEqual(['Recorded allergy "Allergy to penicillin" matches penicillin V.']);
    expect(result.status).toBe('written');
    if (result.status !== 'written') return;
    expect(result.rows.medications[0]).toMatchObject({ intent: 'proposal', fromChartDesk: true });
    expect(await w.look(`MedicationRequest/${result.resources[0]!.id}`)).toMatchObject({
      intent: 'proposal',
      medicationCodeableConcept: { coding: [{ code: '834061' }] },
      dosageInstruction: [{ text: request.sig, doseAndRate: [{ doseQuantity: { value: 1, code: 'TAB' } }] }],
    });
  });

  it('discontinues an order at the version previewed', async () => {
    const w = await launched();
    const order = `${patient}-medreq-albuterol`;
    const { preview, result } = await previewAndSubmit(w, discontinue(w.id, order, 'No longer needed'));
    expect(preview.requests[0]).toMatchObject({ method: 'PUT', condition: { header: 'If-Match', value: 'W/"1"' } });
    expect(result).toMatchObject({ status: 'written', resources: [{ id: order, versionId: '2' }] });
    expect(await w.look(`MedicationRequest/${order}`)).toMatchObject({
      status: 'stopped',
      statusReason: { text: 'No longer needed' },
    });
  });

  it('a stale version gets the conflict (current beside yours), and the change made meanwhile is kept', async () => {
    const w = await launched();
    const order = `${patient}-medreq-metformin`;
    const preview = value(await w.call<WritePreview>('write:preview', discontinue(w.id, order, null)));
    // Someone else changes the dose in the EHR meanwhile.
    const other = (await tokenFor(ehr.fhirBaseUrl, 'launch/patient patient/MedicationRequest.rus')).tokens.access_token;
    const current = (await fhirGet(`${ehr.fhirBaseUrl}/MedicationRequest/${order}`, other)).body;
    const changed = { ...current, dosageInstruction: [{ text: 'Take 2 tablets by mouth twice daily' }] };
    expect((await fhirSend('PUT', `${ehr.fhirBaseUrl}/MedicationRequest/${order}`, other, changed)).status).toBe(200);

    const result = value(await w.call<WriteResult>('write:submit', w.id, preview.draftId));
    expect(result.status).toBe('conflict');
    if (result.status !== 'conflict') return;
    expect(result.conflict).toMatchObject({ yourVersion: '1', currentVersion: '2' });
    expect(result.conflict.differences).toEqual([
      { label: 'Status', yours: 'stopped', current: 'active' },
      { label: 'Dosage', yours: 'Take 1 tablet by mouth twice daily with meals', current: 'Take 2 tablets by mouth twice daily' },
    ]);
    expect(await w.look(`MedicationRequest/${order}`)).toMatchObject({ status: 'active', meta: { versionId: '2' } });
    expect(value(await w.call<DraftSummary[]>('write:drafts', w.id))).toEqual([]);
  });
});

describe('nothing lost, nothing doubled', () => {
  it('a lost answer keeps the draft (encrypted on disk); Retry finds the first copy instead of making a second', async () => {
    const w = await launched();
    const request: WriteRequest = {
      ...vitals(w.id),
      readings: [{ kind: 'heart-rate', value: 71, unit: '/min' }],
    };
    const preview = value(await w.call<WritePreview>('write:preview', request));
    ehr.setFaults({ dropConnectionRate: 1 });
    const failed = value(await w.call<WriteResult>('write:submit', w.id, preview.draftId)).valueOf() as WriteResult;
    ehr.setFaults(null);
    expect(failed).toMatchObject({ status: 'failed', message: expect.stringMatching(/Retry/) });
    const kept = value(await w.call<DraftSummary[]>('write:drafts', w.id));
    expect(kept).toMatchObject([{ draftId: preview.draftId, savedOnDisk: true, patientId: patient }]);
    const files = await readdir(join(w.world.userDataDir, 'drafts'));
    const onDisk = await readFile(join(w.world.userDataDir, 'drafts', files[0]!), 'utf8');
    expect(onDisk).not.toContain('8867-4');
    expect(onDisk).not.toContain(patient);

    const retried = value(await w.call<WriteResult>('write:submit', w.id, preview.draftId));
    expect(retried.status).toBe('written');
    const identifier = (JSON.parse(preview.requests[0]!.body) as { identifier: Array<{ system: string; value: string }> })
      .identifier[0]!;
    const copies = await w.look(`Observation?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`);
    expect(copies.total).toBe(1);
    expect(value(await w.call<DraftSummary[]>('write:drafts', w.id))).toEqual([]);
    expect(await readdir(join(w.world.userDataDir, 'drafts'))).toEqual([]);
    const audit = (await readFile(join(w.world.userDataDir, AUDIT_FILE), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Json);
    expect(audit.map((entry) => [entry.resourceType, entry.interaction])).toEqual([['Observation', 'found']]);
  });

  it('a form the idle lock found being filled: checked at the boundary, kept, resumed in its own chart only, or discarded', async () => {
    const w = await launched(['notes']);
    const form = { action: 'write-note', fields: { type: '11506-3', category: 'clinical-note', title: '', text: 'S: chest pa' } };
    const keep = () => w.call('write:keep-unfinished', { connectionId: w.id, patientId: patient, form });
    const withAuthor = { ...form, fields: { ...form.fields, author: 'Practitioner/1' } };
    expect(await w.call('write:keep-unfinished', { connectionId: w.id, patientId: patient, form: withAuthor })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    value(await keep());
    const [saved] = value(await w.call<UnfinishedSummary[]>('write:unfinished', w.id));
    expect(saved).toMatchObject({ action: 'write-note', patientId: patient, savedOnDisk: true });
    const elsewhere = await w.call('write:resume-unfinished', w.id, 'another-patient', saved!.draftId);
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    value(await w.call('write:discard', w.id, saved!.draftId));
    expect(await readdir(join(w.world.userDataDir, 'drafts'))).toEqual([]);

    value(await keep());
    const [again] = value(await w.call<UnfinishedSummary[]>('write:unfinished', w.id));
    // The launch's encounter is still in context: nothing to warn of.
    const resumed = value(await w.call<ResumedForm>('write:resume-unfinished', w.id, patient, again!.draftId));
    expect(resumed).toMatchObject({ patientId: patient, form, notice: null });
    expect(value(await w.call('write:unfinished', w.id))).toEqual([]);
  });

  it('401 on a write: one renewal, then the write goes through once', async () => {
    let refusedOnce = false;
    const oneRefusal: typeof fetch = async (input, init) => {
      if (!refusedOnce && init?.method === 'POST' && String(input).endsWith('/Observation')) {
        refusedOnce = true;
        return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
      }
      return fetch(input, init);
    };
    const w = await launched(['vitals'], oneRefusal);
    const issued = ehr.stats().tokensIssued;
    const { result } = await previewAndSubmit(w, {
      ...vitals(w.id),
      readings: [{ kind: 'spo2', value: 97, unit: '%' }],
    });
    expect(refusedOnce).toBe(true);
    expect(result.status).toBe('written');
    expect(ehr.stats().tokensIssued).toBe(issued + 1);
  });

  it("a 422 is told in the EHR's words, and the draft is kept for Retry", async () => {
    // An EHR stricter than ChartDesk's rules: here, the category is lost on the way, which the sandbox refuses.
    const withoutCategory: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && typeof init.body === 'string') {
        const { category: _dropped, ...rest } = JSON.parse(init.body) as Json;
        return fetch(input, { ...init, body: JSON.stringify(rest) });
      }
      return fetch(input, init);
    };
    const w = await launched(['vitals'], withoutCategory);
    const { result } = await previewAndSubmit(w, {
      ...vitals(w.id),
      readings: [{ kind: 'weight', value: 154, unit: '[lb_av]' }],
    });
    expect(result).toMatchObject({
      status: 'failed',
      message: 'The EHR did not accept the content. Its reasons are listed below.',
      details: [expect.stringMatching(/vital sign needs the category .* \(at Observation\.category\)$/)],
      draft: { lastError: 'The EHR did not accept the content. Its reasons are listed below.' },
    });
  });
});

describe('what may be written', () => {
  it('a kind the connection did not turn on is not offered, says why, and is refused if asked anyway', async () => {
    const w = await launched(['vitals']);
    const availability = value(await w.call<WriteAvailabilities>('write:availability', w.id));
    expect(availability['record-vitals']).toEqual({ offered: true });
    expect(availability['write-note']).toEqual({ offered: false, reason: expect.stringContaining('off for this connection') });
    const refused = await w.call('write:preview', progressNote(w.id, 'x'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('no token in the drafts, the logs or the audit trail', async () => {
    const w = await launched(['vitals']);
    const preview = value(
      await w.call<WritePreview>('write:preview', { ...vitals(w.id), readings: [{ kind: 'height', value: 170, unit: 'cm' }] }),
    );
    ehr.setFaults({ dropConnectionRate: 1 });
    await w.call('write:submit', w.id, preview.draftId);
    ehr.setFaults(null);
    await w.call('write:submit', w.id, preview.draftId);
    const token = await w.world.app.sessions.getAccessToken(w.id);
    expect(JSON.stringify(preview)).not.toContain(token);
    expect(w.world.logLines.join('\n')).not.toContain(token);
    expect(await readFile(join(w.world.userDataDir, AUDIT_FILE), 'utf8')).not.toContain(token);
  });
});

describe('an EHR that speaks SMART v1', () => {
  it('asks for patient/Observation.write, and with it records vitals', async () => {
    const v1 = await startSandbox({ profile: 'smart-v1', autoApprove: true, quiet: true });
    try {
      const w = await launched(['vitals'], undefined, v1);
      expect(new URL(w.world.opened.at(-1)!).searchParams.get('scope')).toContain('patient/Observation.write');
      expect(w.world.session(w.id).scopes?.writeActions).toEqual(['record-vitals']);
      const { result } = await previewAndSubmit(w, {
        ...vitals(w.id),
        readings: [{ kind: 'heart-rate', value: 64, unit: '/min' }],
      });
      expect(result.status).toBe('written');
    } finally {
      await v1.stop();
    }
  });
});
