import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import { createMemorySecretStore, type SecretStore, SecretStoreUnavailableError } from '../vault/secret-store';
import { createDraftCipher, DRAFT_KEY_ACCOUNT } from './draft-cipher';
import { createDraftStore, type Draft } from './draft-store';

const draft = (id: string): Draft => ({
  id,
  connectionId: 'c1',
  fhirBaseUrl: 'https://ehr.example.org/fhir',
  fhirUser: 'Practitioner/a',
  action: 'write-note',
  patientId: 'pat-1',
  patientName: 'Ada Lovelace',
  encounterId: null,
  lines: [{ label: 'Text', value: 'Chest pain since Tuesday' }],
  warnings: [],
  sends: [],
  written: [],
  createdAt: '2026-11-30T10:00:00Z',
  lastAttemptAt: null,
  lastError: null,
  lastDetails: [],
});

async function store(secrets: SecretStore, dir?: string) {
  const userDataDir = dir ?? (await mkdtemp(join(tmpdir(), 'cd-drafts-')));
  const lines: string[] = [];
  const drafts = createDraftStore({
    userDataDir,
    cipher: createDraftCipher(secrets),
    log: createLogger((line) => lines.push(line)),
  });
  return { drafts, userDataDir, lines };
}

const unavailable: SecretStore = {
  get: () => Promise.reject(new SecretStoreUnavailableError('locked')),
  set: () => Promise.reject(new SecretStoreUnavailableError('locked')),
  delete: () => Promise.reject(new SecretStoreUnavailableError('locked')),
  list: () => Promise.reject(new SecretStoreUnavailableError('locked')),
};

describe('drafts kept after a failed write', () => {
  it('are on disk only encrypted, under a key kept in the keychain, and come back after a restart', async () => {
    const secrets = createMemorySecretStore();
    const first = await store(secrets);
    expect(await first.drafts.keep(draft('d1'))).toBe(true);
    const [file] = await readdir(join(first.userDataDir, 'drafts'));
    const onDisk = await readFile(join(first.userDataDir, 'drafts', file!), 'utf8');
    expect(onDisk).not.toContain('Chest pain');
    expect(onDisk).not.toContain('Ada');
    expect(await secrets.list()).toEqual([DRAFT_KEY_ACCOUNT]);

    const restarted = await store(secrets, first.userDataDir);
    await restarted.drafts.load();
    expect(restarted.drafts.kept('c1')).toEqual([draft('d1')]);
    await restarted.drafts.remove('d1');
    expect(await readdir(join(first.userDataDir, 'drafts'))).toEqual([]);
  });

  it('a file altered, or moved under another draft id, is not read', async () => {
    const secrets = createMemorySecretStore();
    const first = await store(secrets);
    await first.drafts.keep(draft('d1'));
    const folder = join(first.userDataDir, 'drafts');
    const sealed = JSON.parse(await readFile(join(folder, 'd1.draft.json'), 'utf8')) as { data: string };
    await writeFile(join(folder, 'd2.draft.json'), JSON.stringify(sealed));
    const flipped = Buffer.from(sealed.data, 'base64');
    flipped[0]! ^= 1;
    await writeFile(join(folder, 'd1.draft.json'), JSON.stringify({ ...sealed, data: flipped.toString('base64') }));
    const restarted = await store(secrets, first.userDataDir);
    await restarted.drafts.load();
    expect(restarted.drafts.kept('c1')).toEqual([]);
    expect(restarted.lines.filter((line) => line.includes('write.draft-unreadable'))).toHaveLength(2);
  });

  it('without a keychain: kept in memory only, nothing written to disk, and it says so', async () => {
    const { drafts, userDataDir } = await store(unavailable);
    expect(await drafts.keep(draft('d1'))).toBe(false);
    expect(drafts.onDisk('d1')).toBe(false);
    expect(drafts.kept('c1')).toHaveLength(1);
    await expect(readdir(join(userDataDir, 'drafts'))).rejects.toThrow();
  });

  it('holds only the latest previews that were never sent', async () => {
    const { drafts } = await store(createMemorySecretStore());
    for (let i = 0; i < 25; i++) drafts.hold(draft(`p${i}`));
    expect(drafts.get('p0')).toBeUndefined();
    expect(drafts.get('p24')).toBeDefined();
    expect(drafts.kept('c1')).toEqual([]);
  });
});

describe('files written before the signed-in user was recorded', () => {
  /** Seals a draft file as an earlier version wrote it: the same fields, less any named. */
  async function written(secrets: SecretStore, userDataDir: string, id: string, value: object) {
    const sealed = await createDraftCipher(secrets).seal(id, JSON.stringify(value));
    await mkdir(join(userDataDir, 'drafts'), { recursive: true });
    await writeFile(join(userDataDir, 'drafts', `${id}.draft.json`), JSON.stringify(sealed));
  }

  it('are read without error, as made under an unknown user, and left as they are', async () => {
    const secrets = createMemorySecretStore();
    const { userDataDir } = await store(secrets);
    const { fhirUser: _, ...legacy } = draft('d1');
    await written(secrets, userDataDir, 'd1', legacy);
    const before = await readFile(join(userDataDir, 'drafts', 'd1.draft.json'), 'utf8');
    const restarted = await store(secrets, userDataDir);
    await restarted.drafts.load();
    expect(restarted.drafts.kept('c1')).toEqual([{ ...draft('d1'), fhirUser: null }]);
    expect(restarted.lines.join('\n')).not.toContain('write.draft-unreadable');
    expect(await readFile(join(userDataDir, 'drafts', 'd1.draft.json'), 'utf8')).toBe(before);
  });

  it('naming a user that is not a string: not read, logged, and left in place', async () => {
    const secrets = createMemorySecretStore();
    const { userDataDir } = await store(secrets);
    await written(secrets, userDataDir, 'd1', { ...draft('d1'), fhirUser: 42 });
    const restarted = await store(secrets, userDataDir);
    await restarted.drafts.load();
    expect(restarted.drafts.kept('c1')).toEqual([]);
    expect(restarted.lines.filter((line) => line.includes('write.draft-unreadable'))).toHaveLength(1);
    expect(await readdir(join(userDataDir, 'drafts'))).toEqual(['d1.draft.json']);
  });
});

describe('drafts of a connection removed since', () => {
  it('are deleted at the next start, the others kept', async () => {
    const secrets = createMemorySecretStore();
    const first = await store(secrets);
    await first.drafts.keep(draft('d1'));
    await first.drafts.keep({ ...draft('d2'), connectionId: 'gone' });
    const restarted = await store(secrets, first.userDataDir);
    await restarted.drafts.load();
    await restarted.drafts.pruneExcept(new Set(['c1']));
    expect(restarted.drafts.get('d2')).toBeUndefined();
    expect(await readdir(join(first.userDataDir, 'drafts'))).toEqual(['d1.draft.json']);
  });
});
