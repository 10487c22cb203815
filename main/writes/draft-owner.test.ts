/**
 * Drafts and unfinished forms on a shared workstation: each belongs to the EHR user signed in when it was made, and
 * main lists it, sends it, resumes it or discards it for that user only, whoever signs in to the same connection.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTION_DEFAULTS } from '../../common/connections';
import { ChartDeskError } from '../../common/ipc-envelope';
import type { ConnectionWithSession, SessionView } from '../../common/sessions';
import type { WriteAction } from '../../common/write-kinds';
import type { DraftSummary, UnfinishedForm } from '../../common/writes';
import { createLogger } from '../logging/logger';
import type { SessionContext } from '../smart/session-view';
import { createMemorySecretStore } from '../vault/secret-store';
import { createDraftCipher } from './draft-cipher';
import { belongsTo } from './draft-owner';
import { createDraftStore, type Draft } from './draft-store';
import { createWriteService } from './write-service';

const BASE = 'https://ehr.example.org/fhir';
const A = 'Practitioner/a';
const B = 'Practitioner/b';
const NOTE = 'Chest pain since Tuesday';

/** A failed note draft of connection c1, prepared under `fhirUser`. */
const failedNote = (id: string, fhirUser: string | null): Draft => ({
  id,
  connectionId: 'c1',
  fhirBaseUrl: BASE,
  fhirUser,
  action: 'write-note',
  patientId: 'pat-1',
  patientName: 'Ada Lovelace',
  encounterId: null,
  lines: [{ label: 'Text', value: NOTE }],
  warnings: [],
  sends: [
    {
      method: 'POST',
      path: 'Basic',
      condition: { header: 'If-None-Exist', value: 'identifier=x' },
      resource: { resourceType: 'Basic', author: { reference: fhirUser ?? '' } },
    },
  ],
  written: [null],
  createdAt: '2026-11-30T10:00:00Z',
  lastAttemptAt: null,
  lastError: 'The EHR is unavailable for now. Wait a moment, then Retry.',
  lastDetails: [],
});

async function setup() {
  const userDataDir = await mkdtemp(join(tmpdir(), 'cd-owner-'));
  const log = createLogger(() => undefined);
  const drafts = createDraftStore({ userDataDir, cipher: createDraftCipher(createMemorySecretStore()), log });
  /** Who is signed in to c1: a fhirUser, null when the EHR did not say, undefined when no one is. */
  const world = { user: A as string | null | undefined, sent: 0 };
  const item = (): ConnectionWithSession => ({
    connection: {
      id: 'c1',
      name: 'Hospital EHR',
      fhirBaseUrl: BASE,
      clientId: 'cd',
      ...CONNECTION_DEFAULTS,
      writeKinds: ['notes'],
      managed: 'no',
    },
    session: {
      status: world.user === undefined ? 'signed-out' : 'signed-in',
      fhirUser: world.user ?? null,
      scopes: { writeActions: ['write-note'] as WriteAction[], missingWriteActions: [] },
    } as unknown as SessionView,
  });
  const writes = createWriteService({
    connectionOf: (id) => (id === 'c1' ? item() : null),
    policyAllowed: ['notes'],
    sessionFor: () => {
      if (world.user === undefined) throw new ChartDeskError('auth', 'You are not signed in to Hospital EHR.');
      const context = { connectionId: 'c1', fhirBaseUrl: BASE, fhirUser: world.user, patientId: 'pat-1', encounterId: null };
      return {
        context: context as SessionContext,
        tokens: { getAccessToken: () => Promise.resolve('token'), refreshAfterUnauthorized: () => Promise.resolve(null) },
      };
    },
    drafts,
    audit: { record: () => Promise.resolve(), wrote: () => false, load: () => Promise.resolve() },
    fetch: () => {
      world.sent++;
      const body = JSON.stringify({ resourceType: 'Basic', id: 'n1', meta: { versionId: '1' } });
      return Promise.resolve(new Response(body, { status: 201, headers: { 'content-type': 'application/fhir+json' } }));
    },
    log,
    now: () => new Date('2026-11-30T10:05:00Z'),
  });
  return { writes, drafts, world };
}

/** The ids of the drafts listed. */
const ids = async (list: DraftSummary[] | Promise<DraftSummary[]>) => (await list).map((draft) => draft.draftId);

const form: UnfinishedForm = {
  action: 'write-note',
  fields: { type: '11506-3', category: 'clinical-note', title: '', text: NOTE },
};

describe('one user and another', () => {
  it('compares the user in one place: the same fhirUser, null only with null, nothing without a session', () => {
    expect(belongsTo({ fhirUser: A }, { fhirUser: A })).toBe(true);
    expect(belongsTo({ fhirUser: A }, { fhirUser: B })).toBe(false);
    expect(belongsTo({ fhirUser: A }, { fhirUser: null })).toBe(false);
    expect(belongsTo({ fhirUser: null }, { fhirUser: A })).toBe(false);
    expect(belongsTo({ fhirUser: null }, { fhirUser: null })).toBe(true);
    expect(belongsTo({ fhirUser: A }, null)).toBe(false);
    expect(belongsTo({ fhirUser: null }, null)).toBe(false);
  });
});

describe("another user's failed draft", () => {
  it('is not listed, sent or discarded for B; A sees it again and retries it after signing in again', async () => {
    const { writes, drafts, world } = await setup();
    await drafts.keep(failedNote('d1', A));
    expect(await ids(writes.drafts('c1'))).toEqual(['d1']);

    world.user = B;
    expect(await writes.drafts('c1')).toEqual([]);
    const refused = { code: 'forbidden', message: expect.stringContaining('another user') };
    await expect(writes.submit('c1', 'd1')).rejects.toMatchObject(refused);
    await expect(writes.discard('c1', 'd1')).rejects.toMatchObject(refused);
    await expect(writes.submit('c1', 'd1')).rejects.toThrow(/sign in as the clinician who started it/);
    expect(world.sent).toBe(0);
    // Untouched, and still on disk for A.
    expect(drafts.get('d1')).toMatchObject({ lastError: failedNote('d1', A).lastError, lastAttemptAt: null });
    expect(drafts.onDisk('d1')).toBe(true);

    world.user = undefined;
    expect(await writes.drafts('c1')).toEqual([]);
    await expect(writes.discard('c1', 'd1')).rejects.toMatchObject({ code: 'auth' });

    world.user = A;
    expect(await ids(writes.drafts('c1'))).toEqual(['d1']);
    expect(await writes.submit('c1', 'd1')).toMatchObject({ status: 'written', draftId: 'd1' });
    expect(world.sent).toBe(1);
    expect(await writes.drafts('c1')).toEqual([]);
  });

  it('submitted without a session: kept with the reason, nothing sent', async () => {
    const { writes, drafts, world } = await setup();
    await drafts.keep(failedNote('d1', A));
    world.user = undefined;
    expect(await writes.submit('c1', 'd1')).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('Sign in'),
    });
    expect(world.sent).toBe(0);
    world.user = A;
    expect(await writes.drafts('c1')).toHaveLength(1);
  });

  it('made where the EHR named no user: only for sessions where it names none either', async () => {
    const { writes, drafts, world } = await setup();
    await drafts.keep(failedNote('d1', null));
    expect(await writes.drafts('c1')).toEqual([]);
    await expect(writes.submit('c1', 'd1')).rejects.toMatchObject({ code: 'forbidden' });
    world.user = null;
    expect(await ids(writes.drafts('c1'))).toEqual(['d1']);
    await writes.discard('c1', 'd1');
    expect(drafts.get('d1')).toBeUndefined();
  });
});

describe("another user's unfinished form", () => {
  it('is not listed, resumed or discarded for B, and comes back to A', async () => {
    const { writes, drafts, world } = await setup();
    await writes.keepUnfinished({ connectionId: 'c1', patientId: 'pat-1', form });
    const [kept] = await writes.unfinished('c1');
    expect(drafts.getUnfinished(kept!.draftId)?.fhirUser).toBe(A);

    world.user = B;
    expect(await writes.unfinished('c1')).toEqual([]);
    const refused = { code: 'forbidden', message: expect.stringContaining('another user') };
    await expect(writes.resumeUnfinished('c1', 'pat-1', kept!.draftId)).rejects.toMatchObject(refused);
    await expect(writes.discard('c1', kept!.draftId)).rejects.toMatchObject(refused);

    world.user = undefined;
    expect(await writes.unfinished('c1')).toEqual([]);
    await expect(writes.resumeUnfinished('c1', 'pat-1', kept!.draftId)).rejects.toMatchObject({ code: 'auth' });

    world.user = A;
    expect(await writes.unfinished('c1')).toEqual([kept]);
    expect((await writes.resumeUnfinished('c1', 'pat-1', kept!.draftId)).form).toEqual(form);
  });

  it('kept where the EHR named no user: only for sessions where it names none either', async () => {
    const { writes, world } = await setup();
    world.user = null;
    await writes.keepUnfinished({ connectionId: 'c1', patientId: 'pat-1', form });
    expect(await writes.unfinished('c1')).toHaveLength(1);
    world.user = A;
    expect(await writes.unfinished('c1')).toEqual([]);
  });
});
