/**
 * Faults met by the whole main side (bootMainApp, as both shells run it), driven through the IPC dispatcher
 * exactly as the renderer drives it, against the sandbox EHR on loopback. For each fault: the clinician gets a
 * clear message, the app keeps answering, no connection or setting is lost, and a section that could not be
 * read to its end is never reported complete. Faults covered elsewhere are listed in docs/SECURITY.md.
 */
import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChartOpened, SectionPage } from '../common/chart';
import type { ConnectionWithSession } from '../common/sessions';
import type { AppNotice } from '../common/view-models';
import { BIG_PATIENT_ID } from '../sandbox/data/big';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { bootMainApp, type BootedApp } from './bootstrap';
import { sandboxConnectionSettings } from './connections/templates';
import { parseDeepLink } from './deep-link/parse-deep-link';
import { createSystemBrowser } from './smart/testing/system-browser';
import { createMemorySecretStore, type SecretStore, SecretStoreUnavailableError } from './vault/secret-store';

const BIG = 3500;
let ehr: Sandbox;

beforeAll(async () => {
  ehr = await startSandbox({ profile: 'smart-v2', autoApprove: { patient: BIG_PATIENT_ID }, bigObservations: BIG, quiet: true });
});
afterAll(() => ehr.stop());
afterEach(() => {
  ehr.setFaults(null);
  ehr.setSimulatedError(null);
});

interface Running {
  app: BootedApp;
  userDataDir: string;
  pages: SectionPage[];
  notices: AppNotice[];
  logLines: string[];
  call<T>(
    channel: string,
    ...args: unknown[]
  ): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
  session(connectionId: string): ConnectionWithSession['session'];
  connections(): Promise<ConnectionWithSession[]>;
  signIn(connectionId: string): Promise<void>;
}

const running: Running[] = [];
afterAll(() => running.forEach((r) => r.app.dispose()));

async function boot(options: { secrets?: SecretStore; userDataDir?: string } = {}): Promise<Running> {
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'cd-faults-')));
  const opened: string[] = [];
  const logLines: string[] = [];
  const app = await bootMainApp({
    appInfo: { name: 'ChartDesk', version: '0.0.0-test', platform: 'linux', shell: 'web' },
    // The tests play the OS: they hand the custom-scheme callback to main themselves.
    customSchemeLinks: true,
    userDataDir,
    fetch: globalThis.fetch,
    openExternal: async (url) => void opened.push(url),
    env: { CHARTDESK_POLICY_FILE: join(userDataDir, 'no-policy.json') },
    platform: 'linux',
    secrets: options.secrets ?? createMemorySecretStore(),
    extraLogSink: (line) => logLines.push(line),
  });
  const pages: SectionPage[] = [];
  const notices: AppNotice[] = [];
  app.events.subscribe((event, payload) => {
    if (event === 'chart:page') pages.push(payload as SectionPage);
    if (event === 'app:notice') notices.push(payload as AppNotice);
  });
  await app.start();
  const call = (async (channel: string, ...args: unknown[]) => app.dispatch(channel as never, args)) as Running['call'];
  const connections = async () => {
    const result = await call<ConnectionWithSession[]>('connections:list');
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  const r: Running = {
    app,
    userDataDir,
    pages,
    notices,
    logLines,
    call,
    connections,
    session: (id) => app.sessions.list().find((item) => item.connection.id === id)!.session,
    async signIn(connectionId) {
      const before = opened.length;
      const started = await call('session:sign-in', connectionId);
      expect(started.ok).toBe(true);
      const stop = await createSystemBrowser().open(opened[before]!);
      if (stop.kind !== 'app-link') throw new Error(`the sandbox stopped at a page: ${stop.url}`);
      app.services.handleDeepLink(parseDeepLink(stop.url));
      await expect.poll(() => r.session(connectionId).status, { timeout: 10_000 }).toBe('signed-in');
    },
  };
  running.push(r);
  return r;
}

async function withConnection(r: Running, name = 'Faulty EHR') {
  const added = await r.call<{ id: string }>('connections:add', { ...sandboxConnectionSettings(ehr.fhirBaseUrl), name });
  if (!added.ok) throw new Error(added.error.message);
  return added.value.id;
}

const vitals = (r: Running, loadId: string) => r.pages.filter((page) => page.loadId === loadId && page.section === 'vitals');

async function openChart(r: Running, connectionId: string, patientId = BIG_PATIENT_ID) {
  return r.call<ChartOpened>('chart:open', { connectionId, patientId });
}

describe('faults at the EHR, seen through the whole app', () => {
  it('401 with a revoked token: one refresh, which fails, then "sign in again"; the connection stays', async () => {
    const r = await boot();
    const id = await withConnection(r);
    await r.signIn(id);
    await ehr.revokeAllTokens();
    const opened = await openChart(r, id);
    expect(opened).toMatchObject({ ok: false, error: { code: 'auth', message: expect.stringMatching(/sign in again/i) } });
    expect(r.session(id)).toMatchObject({ status: 'expired', message: expect.stringMatching(/Sign in again/) });
    // One refresh attempt, no loop: the log shows a single refresh failure.
    expect(r.logLines.filter((line) => line.includes('"refresh.failed"'))).toHaveLength(1);
    // The app keeps answering, the connection is kept, and signing in again works.
    expect((await r.connections()).map((item) => item.connection.id)).toEqual([id]);
    await r.signIn(id);
    expect((await openChart(r, id)).ok).toBe(true);
  });

  it('403 for a patient outside the token: a clear refusal, the session and the open connection carry on', async () => {
    const r = await boot();
    const id = await withConnection(r);
    await r.signIn(id);
    const other = ehr.patients().find((patient) => patient.id !== BIG_PATIENT_ID)!.id;
    const refused = await openChart(r, id, other);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    if (!refused.ok) expect(refused.error.message.length).toBeGreaterThan(10);
    expect(r.session(id).status).toBe('signed-in');
    expect((await openChart(r, id)).ok).toBe(true);
  });

  it.each([
    ['the server dies mid-paging (every connection dropped)', { dropConnectionRate: 1, seed: 3 }],
    ['malformed JSON mid-paging', { malformedJsonRate: 1, seed: 3 }],
    ['500s mid-paging', { errorRate500: 1, seed: 3 }],
  ])('%s: the section ends in error with its message, never "complete", and "Try again" fills it', async (_name, faults) => {
    const r = await boot();
    const id = await withConnection(r);
    await r.signIn(id);
    // The fault starts the moment the first page of vital signs is out, before the next page is asked for.
    let faulty = false;
    r.app.events.subscribe((event, payload) => {
      if (event !== 'chart:page' || faulty || (payload as SectionPage).section !== 'vitals') return;
      faulty = true;
      ehr.setFaults(faults);
    });
    const opened = await openChart(r, id);
    if (!opened.ok) throw new Error(opened.error.message);
    const { loadId } = opened.value;
    await expect.poll(() => vitals(r, loadId).at(-1)?.done, { timeout: 20_000 }).toBe(true);
    const pages = vitals(r, loadId);
    const last = pages.at(-1)!;
    expect(last).toMatchObject({ state: 'error', error: expect.stringMatching(/\w{5,}/) });
    expect(pages.some((page) => page.state === 'complete')).toBe(false);
    expect(pages.reduce((sum, page) => sum + page.rows.length, 0)).toBeLessThan(BIG);

    ehr.setFaults(null);
    expect((await r.call('chart:retry-section', id, loadId, 'vitals')).ok).toBe(true);
    await expect.poll(() => vitals(r, loadId).at(-1)?.state, { timeout: 20_000 }).toBe('complete');
    expect(r.session(id).status).toBe('signed-in');
    expect((await r.connections()).map((item) => item.connection.id)).toEqual([id]);
  });
});

describe('faults on this computer', () => {
  it('keychain locked or absent: signed in with the session in memory only, says "not saved", the chart opens', async () => {
    const unavailable = () => Promise.reject(new SecretStoreUnavailableError('The OS keychain is locked.'));
    const r = await boot({ secrets: { get: unavailable, set: unavailable, delete: unavailable, list: unavailable } });
    const id = await withConnection(r);
    await r.signIn(id);
    // The row says "not saved" by its badge (persisted: false); the app says why in one notice, not a row paragraph.
    expect(r.session(id)).toMatchObject({ status: 'signed-in', persisted: false, message: null });
    expect(r.notices.filter((notice) => /keychain/i.test(notice.message))).toHaveLength(1);
    expect((await openChart(r, id)).ok).toBe(true);
  });

  it('the user-data folder cannot be written: saving a connection fails clearly, nothing is lost, the app carries on', async () => {
    const r = await boot();
    const id = await withConnection(r, 'Kept EHR');
    const fileBefore = await readFile(join(r.userDataDir, 'connections.json'), 'utf8');
    await makeUnwritable(r.userDataDir);

    const added = await r.call('connections:add', { ...sandboxConnectionSettings(ehr.fhirBaseUrl), name: 'New EHR' });
    expect(added).toMatchObject({ ok: false, error: { message: expect.stringMatching(/could not be saved.*settings folder/i) } });
    expect(added.ok === false && added.error.message).not.toMatch(/Something went wrong/);
    // Logged once, with the system's reason, for IT.
    expect(
      r.logLines.filter((line) => line.includes('"connections.save-failed"') && /"errno":"E[A-Z]+"/.test(line)),
    ).toHaveLength(1);
    // Logging into an unwritable folder must not break anything either: sign-in logs, and works.
    await r.signIn(id);
    expect((await r.connections()).map((item) => item.connection.name)).toEqual(['Kept EHR']);
    expect((await openChart(r, id)).ok).toBe(true);
    await restoreWritable(r.userDataDir);
    expect(await readFile(join(r.userDataDir, 'connections.json'), 'utf8')).toBe(fileBefore);
  });

  it('starts and works when the log folder cannot be created', async () => {
    const userDataDir = await mkdtemp(join(tmpdir(), 'cd-faults-'));
    // A file where the log folder should be: mkdir fails for every user, root included.
    await writeFile(join(userDataDir, 'logs'), '');
    const r = await boot({ userDataDir });
    const id = await withConnection(r);
    await r.signIn(id);
    expect((await openChart(r, id)).ok).toBe(true);
    // The lines still reach the other sink (a terminal in development).
    expect(r.logLines.some((line) => line.includes('"sign-in.completed"'))).toBe(true);
    // The clinician and IT are told, also when it happened before the window listened.
    const notices = await r.call<AppNotice[]>('app:notices');
    expect(notices.ok && notices.value.some((notice) => notice.message.includes('cannot write its log file'))).toBe(true);
  });
});

/**
 * Makes writes into the folder fail. chmod 0500 does not stop root (CI runs as root), so as root the folder is
 * moved aside and a plain file put in its place: every write below it then fails with ENOTDIR.
 */
async function makeUnwritable(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    const { chmod } = await import('node:fs/promises');
    await chmod(dir, 0o500);
    return;
  }
  await rename(dir, `${dir}.aside`);
  await writeFile(dir, '');
}

async function restoreWritable(dir: string): Promise<void> {
  if (process.getuid?.() !== 0) {
    const { chmod } = await import('node:fs/promises');
    await chmod(dir, 0o700);
    return;
  }
  const { rm } = await import('node:fs/promises');
  await rm(dir);
  await rename(`${dir}.aside`, dir);
}
