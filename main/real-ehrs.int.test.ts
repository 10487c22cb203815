/**
 * Issue 15 against the sandbox EHR: what real EHRs do that the plain SMART profile does not (no id_token, a refresh
 * id_token without aud, no revocation, a 401-JSON consent denial, an EHR-launch-only base, athenahealth's practice
 * parameter), through the main services as compose.ts wires them and the IPC contract as the renderer calls it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EMPTY_PATIENT_QUERY, type ChartOpened, type SectionPage } from '../common/chart';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index';
import { referenceLauncherFhirBase, sandboxConnectionSettings } from './connections/templates';
import { checkEndpoint } from './smart/endpoint-report';
import { STILL_WAITING, STILL_WAITING_AFTER_MS } from './smart/sign-in-flow';
import { createSystemBrowser } from './smart/testing/system-browser';
import { type ComposedApp, composedApp } from './testing/composed-app';

const sandboxes: Sandbox[] = [];
afterAll(() => Promise.all(sandboxes.map((sandbox) => sandbox.stop())));

async function sandbox(options: SandboxOptions): Promise<Sandbox> {
  const started = await startSandbox({ autoApprove: true, ...options });
  sandboxes.push(started);
  return started;
}

/** Every request main sends, and the JSON answers of the token endpoint. */
function recordingFetch() {
  const requests: string[] = [];
  const tokenAnswers: Record<string, unknown>[] = [];
  const spy = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : input.toString();
    requests.push(`${init?.method ?? 'GET'} ${url}`);
    const response = await fetch(input, init);
    if (init?.method === 'POST' && /token$/.test(new URL(url).pathname) && response.ok) {
      tokenAnswers.push((await response.clone().json()) as Record<string, unknown>);
    }
    return response;
  }) as typeof fetch;
  return { requests, tokenAnswers, fetch: spy };
}

async function signedIn(base: string, world: ComposedApp, name = 'EHR') {
  const id = await world.addConnection(sandboxConnectionSettings(base, name));
  expect((await world.signIn(id)).kind).toBe('app-link');
  expect(world.session(id)).toMatchObject({ status: 'signed-in' });
  return id;
}

/** Opens the chart through the IPC contract and waits until every granted section has sent its last page. */
async function openChart(world: ComposedApp, connectionId: string, patientId: string): Promise<SectionPage[]> {
  const opened = await world.call('chart:open', { connectionId, patientId });
  if (!opened.ok) throw new Error(opened.error.message);
  const { loadId, sections } = opened.value as ChartOpened;
  const granted = Object.entries(sections).filter(([, state]) => state === 'loading');
  const pages = () =>
    world.events
      .filter((event) => event.name === 'chart:page')
      .map((event) => event.payload as SectionPage)
      .filter((page) => page.loadId === loadId);
  await vi.waitFor(() => expect(pages().filter((page) => page.done)).toHaveLength(granted.length), { timeout: 20_000 });
  return pages();
}

const claimsOf = (jwt: unknown) => JSON.parse(Buffer.from(String(jwt).split('.')[1]!, 'base64url').toString('utf8'));

describe('1: a token response without id_token', () => {
  it('signs in (openid not granted, as in Epic’s documented standalone answer), the user unknown, and the chart opens', async () => {
    const ehr = await sandbox({ omitIdToken: true });
    const traffic = recordingFetch();
    const world = await composedApp({ fetch: traffic.fetch });
    const id = await signedIn(ehr.fhirBaseUrl, world);
    expect(traffic.tokenAnswers[0]).not.toHaveProperty('id_token');
    expect(String(traffic.tokenAnswers[0]!.scope)).not.toMatch(/\bopenid\b/);
    expect(world.session(id)).toMatchObject({ fhirUser: null, userDisplayName: null, patient: { id: ehr.patients()[0]!.id } });
    const pages = await openChart(world, id, ehr.patients()[0]!.id);
    expect(pages.some((page) => page.state === 'error')).toBe(false);
  });
});

describe('2 and 4: the SMART reference server’s refresh id_token and sign-out (launcher-like)', () => {
  it('renews with a refresh id_token that has no aud, keeping the sign-in’s user', async () => {
    const ehr = await sandbox({ profile: 'launcher-like', accessTokenLifetimeSeconds: 2 });
    const traffic = recordingFetch();
    const world = await composedApp({ fetch: traffic.fetch });
    const id = await signedIn(ehr.fhirBaseUrl, world);
    const user = world.session(id).fhirUser;
    expect(claimsOf(traffic.tokenAnswers[0]!.id_token)).toHaveProperty('aud');
    // Two seconds of access: every use renews it.
    await openChart(world, id, world.session(id).patient!.id);
    const refreshed = traffic.tokenAnswers.slice(1);
    expect(refreshed.length).toBeGreaterThan(0);
    expect(claimsOf(refreshed[0]!.id_token)).not.toHaveProperty('aud');
    expect(world.session(id)).toMatchObject({ status: 'signed-in', message: null, fhirUser: user });
  });

  it('without a revocation endpoint, sign-out says the session lives on at the EHR, which it does', async () => {
    const ehr = await sandbox({ profile: 'launcher-like' });
    const traffic = recordingFetch();
    const world = await composedApp({ fetch: traffic.fetch });
    const id = await signedIn(ehr.fhirBaseUrl, world, 'SMART launcher');
    const note = world.session(id).signOutNote;
    expect(note).toMatch(/^SMART launcher offers no way to cancel a session remotely: signing out here does not end it/);
    const refreshToken = String(traffic.tokenAnswers[0]!.refresh_token);
    expect((await world.call('session:sign-out-all')).ok).toBe(true);
    expect(world.notices().at(-1)).toMatchObject({ level: 'info', message: note, connectionId: id });
    expect(traffic.requests.some((request) => request.includes('revoke'))).toBe(false);
    const config = (await (await fetch(`${ehr.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<string, string>;
    expect(config).not.toHaveProperty('revocation_endpoint');
    const stillValid = await fetch(config.token_endpoint!, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'chartdesk' }),
    });
    expect(stillValid.status).toBe(200);
  });
});

describe('5: the reference-launcher template (doctor: scripts/doctor.int.test.ts)', () => {
  it('the template’s base signs in and opens a chart where the path carries its launch options', async () => {
    const template = new URL(referenceLauncherFhirBase());
    const sim = /^\/v\/r4\/sim\/([^/]+)\/fhir$/.exec(template.pathname)![1]!;
    const ehr = await sandbox({ profile: 'launcher-like', sim });
    const base = referenceLauncherFhirBase(ehr.origin);
    expect(base).toBe(ehr.fhirBaseUrl);
    const world = await composedApp();
    const id = await signedIn(base, world);
    const pages = await openChart(world, id, world.session(id).patient!.id);
    expect(pages.some((page) => page.state === 'error')).toBe(false);
  });

  it('a standalone sign-in at the EHR-launch-only base comes back refused, with the EHR’s reason', async () => {
    const ehrOnly = await sandbox({ profile: 'launcher-like', sim: null });
    const world = await composedApp();
    const id = await world.addConnection(sandboxConnectionSettings(ehrOnly.fhirBaseUrl));
    await world.signIn(id);
    expect(world.session(id)).toMatchObject({ status: 'error', message: expect.stringContaining('Invalid launch options') });
  });
});

describe('6: messages', () => {
  it('a consent denied with a 401 JSON page: still waiting, after a minute explained, and Cancel works', async () => {
    const ehr = await sandbox({ profile: 'launcher-like', autoApprove: false });
    const clock = { now: Date.now() };
    const world = await composedApp({ now: () => clock.now });
    const id = await world.addConnection(sandboxConnectionSettings(ehr.fhirBaseUrl));
    const browser = createSystemBrowser();
    await world.call('session:sign-in', id);
    let page = await browser.open(world.opened.at(-1)!);
    const user = ehr.users[0]!;
    page = await browser.submit(page, 'sign-in-form', [
      ['username', user.username],
      ['password', user.password],
    ]);
    page = await browser.submit(page, 'patient-form', [['patient', ehr.patients()[0]!.id]]);
    const denied = await browser.submit(page, 'consent-form', [['decision', 'deny']]);
    expect(denied).toMatchObject({ kind: 'page', status: 401 });
    expect(JSON.parse((denied as { html: string }).html)).toEqual({
      error: 'invalid_request',
      error_description: 'Unauthorized',
    });
    expect(world.session(id)).toMatchObject({ status: 'signing-in', message: 'Waiting for your browser…' });
    clock.now += STILL_WAITING_AFTER_MS;
    await vi.waitFor(() => expect(world.session(id).message).toBe(STILL_WAITING), { timeout: 15_000, interval: 250 });
    expect(world.lastList().find((item) => item.connection.id === id)!.session.message).toBe(STILL_WAITING);
    expect((await world.call('session:cancel', id)).ok).toBe(true);
    expect(world.session(id).status).toBe('signed-out');
  }, 40_000);

  it('a client the EHR does not accept: what IT must check, not "try signing in again"', async () => {
    const ehr = await sandbox({ simulateError: 'auth_invalid_client_secret' });
    const world = await composedApp();
    const id = await world.addConnection(sandboxConnectionSettings(ehr.fhirBaseUrl));
    await world.signIn(id);
    const { status, message } = world.session(id);
    expect(status).toBe('error');
    expect(message).toMatch(/^Sign-in failed: .*client.*ask your IT department/);
    expect(message).not.toMatch(/Try signing in again/);
  });

  it('an empty patient search says what to give, without a schema path', async () => {
    const ehr = await sandbox({});
    const world = await composedApp();
    const id = await signedIn(ehr.fhirBaseUrl, world);
    expect(await world.call('patients:search', id, {})).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: EMPTY_PATIENT_QUERY },
    });
  });
});

describe('7: the patient in context is read once', () => {
  it('one Patient read for the sign-in’s name and the chart’s banner', async () => {
    const ehr = await sandbox({});
    const traffic = recordingFetch();
    const world = await composedApp({ fetch: traffic.fetch });
    const id = await signedIn(ehr.fhirBaseUrl, world);
    const patient = world.session(id).patient!.id;
    await openChart(world, id, patient);
    await vi.waitFor(() => expect(world.session(id).patient!.name).toBeTruthy());
    expect(traffic.requests.filter((request) => request.includes(`/Patient/${patient}`))).toHaveLength(1);
  });
});

describe('8: athena-like, a FHIR base with a query string', () => {
  let ehr: Sandbox;
  beforeAll(async () => {
    ehr = await sandbox({ profile: 'athena-like', bigObservations: 2_500, autoApprove: { patient: 'sbx-big-patient' } });
  });

  it('prints its base with the practice, its SMART endpoints under /oauth2/v1/, and the endpoint check can sign in', async () => {
    expect(ehr.fhirBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/r4\?ah-practice=Organization\/a-1\.Practice-195900$/);
    const config = (await (await fetch(`${ehr.fhirBaseUrl.split('?')[0]}/.well-known/smart-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(new URL(config.authorization_endpoint!).pathname).toBe('/oauth2/v1/authorize');
    expect(new URL(config.token_endpoint!).pathname).toBe('/oauth2/v1/token');
    expect(await checkEndpoint(ehr.fhirBaseUrl, { fetch })).toMatchObject({ fhirBaseUrl: ehr.fhirBaseUrl, canSignIn: true });
  });

  it('signs in and loads a whole chart in pages (date windows or next links), the practice on every FHIR request', async () => {
    const traffic = recordingFetch();
    const world = await composedApp({ fetch: traffic.fetch });
    const id = await signedIn(ehr.fhirBaseUrl, world, 'athenahealth');
    const pages = await openChart(world, id, 'sbx-big-patient');
    expect(pages.some((page) => page.state === 'error')).toBe(false);
    const vitals = pages.filter((page) => page.section === 'vitals');
    expect(vitals.reduce((rows, page) => rows + page.rows.length, 0)).toBe(2_500);
    const fhirRequests = traffic.requests.filter((request) => new URL(request.split(' ')[1]!).pathname.startsWith('/fhir/r4/'));
    // A long history comes in date windows (main/chart/newest-first.ts), or along next links, which carry the
    // sandbox's keyset `_cursor` (sandbox/fhir/search.ts): either way more than one request per section.
    const followed = fhirRequests.filter((request) => /[?&](_cursor|date)=/.test(request));
    expect(followed.length).toBeGreaterThan(0);
    for (const request of fhirRequests) {
      expect(new URL(request.split(' ')[1]!).searchParams.get('ah-practice')).toBe('Organization/a-1.Practice-195900');
    }
    const token = await world.app.sessions.getAccessToken(id);
    const without = await fetch(`${ehr.fhirBaseUrl.split('?')[0]}/Patient/sbx-big-patient`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(without.status).toBe(400);
    expect(((await without.json()) as { details: string }).details).toMatch(/Add the `ah-practice` search parameter/);
    expect(world.session(id).message).toBeNull();
  });
});
