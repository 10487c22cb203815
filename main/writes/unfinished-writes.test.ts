import { mkdir, mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECTION_DEFAULTS } from '../../common/connections';
import type { ConnectionWithSession, SessionView } from '../../common/sessions';
import type { UnfinishedSummary, UnfinishedWriteRequest } from '../../common/writes';
import { createLogger } from '../logging/logger';
import type { SessionContext } from '../smart/session-view';
import { createMemorySecretStore, type SecretStore } from '../vault/secret-store';
import { createDraftCipher } from './draft-cipher';
import { createDraftStore } from './draft-store';
import { createUnfinishedWrites } from './unfinished-writes';

const NOTE = 'Chest pain since Tuesday, worse on exertion';
const request = (overrides: Partial<UnfinishedWriteRequest> = {}): UnfinishedWriteRequest => ({
  connectionId: 'c1',
  patientId: 'pat-1',
  form: { action: 'write-note', fields: { type: '11506-3', category: 'clinical-note', title: '', text: NOTE } },
  ...overrides,
});

/** The id of the one unfinished form listed. */
function onlyId(list: UnfinishedSummary[]): string {
  expect(list).toHaveLength(1);
  return list[0]!.draftId;
}

const A = 'Practitioner/a';

function connection(id: string, fhirBaseUrl = 'https://ehr.example.org/fhir'): ConnectionWithSession {
  return {
    connection: { id, name: 'Hospital EHR', fhirBaseUrl, clientId: 'cd', ...CONNECTION_DEFAULTS, managed: 'no' },
    session: { status: 'signed-in', scopes: null, fhirUser: A } as SessionView,
  };
}

async function setup(options: { secrets?: SecretStore; dir?: string } = {}) {
  const userDataDir = options.dir ?? (await mkdtemp(join(tmpdir(), 'cd-unfinished-')));
  const secrets = options.secrets ?? createMemorySecretStore();
  const log: string[] = [];
  const drafts = createDraftStore({
    userDataDir,
    cipher: createDraftCipher(secrets),
    log: createLogger((line) => log.push(line)),
  });
  const connections = new Map([
    ['c1', connection('c1')],
    ['c2', connection('c2')],
  ]);
  /** The session's context per connection; none means signed out. */
  const contexts = new Map<string, Partial<SessionContext>>([
    ['c1', { patientId: 'pat-1', encounterId: 'enc-1', fhirUser: A }],
    ['c2', { patientId: null, encounterId: null, fhirUser: A }],
  ]);
  const unfinished = createUnfinishedWrites({
    connectionOf: (id) => connections.get(id) ?? null,
    sessionContext: (id) => {
      const context = contexts.get(id);
      if (!context) throw new Error('signed out');
      return context as SessionContext;
    },
    drafts,
    log: createLogger((line) => log.push(line)),
    now: () => new Date('2026-11-30T10:05:00Z'),
  });
  return { unfinished, drafts, userDataDir, secrets, connections, contexts, log };
}

describe('unfinished write forms kept when ChartDesk locked', () => {
  it('are kept encrypted on disk, listed for their connection, and come back whole after a restart', async () => {
    const first = await setup();
    await first.unfinished.keepUnfinished(request());
    const [file] = await readdir(join(first.userDataDir, 'drafts'));
    expect(file).toMatch(/\.unfinished\.json$/);
    const onDisk = await readFile(join(first.userDataDir, 'drafts', file!), 'utf8');
    expect(onDisk).not.toContain('Chest pain');
    expect(onDisk).not.toContain('pat-1');
    expect(first.log.join('\n')).not.toContain('Chest pain');

    const restarted = await setup({ secrets: first.secrets, dir: first.userDataDir });
    await restarted.drafts.load();
    const [summary] = restarted.unfinished.unfinished('c1');
    expect(summary).toEqual({
      draftId: expect.any(String),
      action: 'write-note',
      connectionId: 'c1',
      patientId: 'pat-1',
      savedAt: '2026-11-30T10:05:00.000Z',
      savedOnDisk: true,
    });
    const resumed = await restarted.unfinished.resumeUnfinished('c1', 'pat-1', summary!.draftId);
    expect(resumed).toEqual({
      draftId: summary!.draftId,
      patientId: 'pat-1',
      form: request().form,
      savedAt: '2026-11-30T10:05:00.000Z',
      notice: null,
    });
    // The reopened form holds it now: main keeps no second copy.
    expect(restarted.unfinished.unfinished('c1')).toEqual([]);
    expect(await readdir(join(first.userDataDir, 'drafts'))).toEqual([]);
  });

  it('are discarded for good, by their own connection only', async () => {
    const { unfinished, userDataDir } = await setup();
    await unfinished.keepUnfinished(request());
    const draftId = onlyId(unfinished.unfinished('c1'));
    expect(await unfinished.discard('c2', draftId)).toBe(false);
    expect(unfinished.unfinished('c1')).toHaveLength(1);
    expect(await unfinished.discard('c1', draftId)).toBe(true);
    expect(unfinished.unfinished('c1')).toEqual([]);
    expect(await readdir(join(userDataDir, 'drafts'))).toEqual([]);
    await expect(unfinished.resumeUnfinished('c1', 'pat-1', draftId)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('are never offered on another connection, nor resumed under another patient', async () => {
    const { unfinished } = await setup();
    await unfinished.keepUnfinished(request());
    const draftId = onlyId(unfinished.unfinished('c1'));
    expect(unfinished.unfinished('c2')).toEqual([]);
    await expect(unfinished.resumeUnfinished('c2', 'pat-1', draftId)).rejects.toMatchObject({ code: 'not-found' });
    await expect(unfinished.resumeUnfinished('c1', 'pat-2', draftId)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('another patient'),
    });
    // Refused, and still kept for its own chart.
    expect(unfinished.unfinished('c1')).toHaveLength(1);
    await expect(unfinished.keepUnfinished(request({ connectionId: 'gone' }))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('are not offered once their connection points to another FHIR server, where the same id is someone else', async () => {
    const { unfinished, connections } = await setup();
    await unfinished.keepUnfinished(request());
    const draftId = onlyId(unfinished.unfinished('c1'));
    connections.set('c1', connection('c1', 'https://other-ehr.example.org/fhir'));
    expect(unfinished.unfinished('c1')).toEqual([]);
    await expect(unfinished.resumeUnfinished('c1', 'pat-1', draftId)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('say so when the encounter in context changed since, and are kept without a session', async () => {
    const { unfinished, contexts } = await setup();
    await unfinished.keepUnfinished(request());
    const draftId = onlyId(unfinished.unfinished('c1'));
    contexts.set('c1', { patientId: 'pat-1', encounterId: 'enc-2', fhirUser: A });
    const resumed = await unfinished.resumeUnfinished('c1', 'pat-1', draftId);
    expect(resumed.notice).toContain('another encounter');

    // Kept under the user of the session that just ended; listed to no one until that user is signed in again.
    const signedIn = contexts.get('c1')!;
    contexts.clear();
    await unfinished.keepUnfinished(request());
    expect(unfinished.unfinished('c1')).toEqual([]);
    contexts.set('c1', signedIn);
    expect(unfinished.unfinished('c1')).toHaveLength(1);
  });

  it('from before the user was recorded are read as made under an unknown user', async () => {
    const first = await setup();
    const cipher = createDraftCipher(first.secrets);
    const legacy = { id: 'u1', connectionId: 'c1', fhirBaseUrl: 'https://ehr.example.org/fhir', patientId: 'pat-1' };
    const sealed = await cipher.seal(
      'unfinished:u1',
      JSON.stringify({ ...legacy, encounterId: null, form: request().form, savedAt: '2026-11-30T10:05:00Z' }),
    );
    await mkdir(join(first.userDataDir, 'drafts'), { recursive: true });
    await writeFile(join(first.userDataDir, 'drafts', 'u1.unfinished.json'), JSON.stringify(sealed));
    const restarted = await setup({ secrets: first.secrets, dir: first.userDataDir });
    await restarted.drafts.load();
    expect(restarted.drafts.getUnfinished('u1')?.fhirUser).toBeNull();
    expect(restarted.unfinished.unfinished('c1')).toEqual([]);
    restarted.contexts.set('c1', { patientId: 'pat-1', encounterId: null, fhirUser: null });
    expect(restarted.unfinished.unfinished('c1').map((item) => item.draftId)).toEqual(['u1']);
  });

  it('the file of an unfinished form renamed as a kept draft is not read (each is sealed as its kind)', async () => {
    const first = await setup();
    await first.unfinished.keepUnfinished(request());
    const folder = join(first.userDataDir, 'drafts');
    const [file] = await readdir(folder);
    await rename(join(folder, file!), join(folder, file!.replace('.unfinished.', '.draft.')));
    const restarted = await setup({ secrets: first.secrets, dir: first.userDataDir });
    await restarted.drafts.load();
    expect(restarted.drafts.kept('c1')).toEqual([]);
    expect(restarted.unfinished.unfinished('c1')).toEqual([]);
    expect(restarted.log.filter((line) => line.includes('write.draft-unreadable'))).toHaveLength(1);
  });

  it('are pruned with their connection when it is removed', async () => {
    const { unfinished, drafts, userDataDir } = await setup();
    await unfinished.keepUnfinished(request());
    await unfinished.keepUnfinished(request({ connectionId: 'c2' }));
    await drafts.pruneExcept(new Set(['c1']));
    expect(unfinished.unfinished('c2')).toEqual([]);
    expect(await readdir(join(userDataDir, 'drafts'))).toHaveLength(1);
  });
});
