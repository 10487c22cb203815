/**
 * The Sandbox EHR's consent page in Chromium: signing in, picking a patient by name, unticking a
 * scope (the grant narrows) and denying (access_denied reaches the client's redirect URI).
 */
import * as oauth from 'oauth4webapi';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../testing/chromium.js';
import { startSandbox, type Sandbox } from './index.js';
import { discover, exchangeCode, fhirGet, type AuthorizeResult } from './testing/oauth-driver.js';

const REDIRECT = 'org.chartdesk.desktop:/oauth2/callback';
const SCOPE = 'openid fhirUser launch/patient patient/Patient.rs patient/Observation.rs patient/Condition.rs';

let sandbox: Sandbox;
let browser: Browser;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  sandbox = await startSandbox();
  as = await discover(sandbox.fhirBaseUrl);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Opens the authorize URL as the system browser would and resolves with the custom-scheme redirect. */
async function beginSignIn(
  page: Page,
  extra: Record<string, string> = {},
): Promise<{ result: Omit<AuthorizeResult, 'location'>; callback: Promise<URL> }> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: 'chartdesk',
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state,
    aud: sandbox.fhirBaseUrl,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  const callback = new Promise<URL>((resolve) => {
    page.on('request', (request) => {
      if (request.url().startsWith(REDIRECT)) resolve(new URL(request.url()));
    });
  });
  await page.goto(url.href);
  return { result: { state, verifier, redirectUri: REDIRECT }, callback };
}

async function signInAndPick(page: Page, name: string): Promise<void> {
  const user = sandbox.users[0];
  await page.getByLabel('Username').fill(user?.username ?? '');
  await page.getByLabel('Password').fill(user?.password ?? '');
  await page.getByTestId('sign-in').click();
  await page.getByLabel('Search by name').fill(name);
  await page.getByTestId('search').click();
  expect(await page.getByTestId('patient-option').count()).toBe(1);
  await page.getByTestId('patient-option').check();
  await page.getByTestId('select-patient').click();
  await page.getByTestId('scope-list').waitFor();
}

describe('Sandbox EHR consent page', () => {
  it('rejects a wrong password and says so', async () => {
    const page = await browser.newPage();
    await beginSignIn(page);
    await page.getByLabel('Username').fill('clinician');
    await page.getByLabel('Password').fill('wrong');
    await page.getByTestId('sign-in').click();
    expect(await page.getByTestId('sign-in-error').textContent()).toContain('wrong password');
    await page.close();
  });

  it('narrows the grant to the scopes left ticked', async () => {
    const page = await browser.newPage();
    const { result, callback } = await beginSignIn(page);
    await signInAndPick(page, 'jonah');
    expect(await page.getByTestId('consent-patient').textContent()).toContain('Jonah Reyes');
    await page.getByLabel(/patient\/Condition\.rs/).uncheck();
    await page.getByTestId('approve').click();
    const location = await callback;
    expect(location.searchParams.get('state')).toBe(result.state);
    const tokens = await exchangeCode(as, { ...result, location });
    expect(tokens.patient).toBe('sbx-jonah-reyes');
    expect(tokens.scope?.split(' ')).not.toContain('patient/Condition.rs');
    expect(tokens.scope?.split(' ')).toContain('patient/Observation.rs');
    expect((await fhirGet(`${sandbox.fhirBaseUrl}/Condition?patient=sbx-jonah-reyes`, tokens.access_token)).status).toBe(403);
    expect((await fhirGet(`${sandbox.fhirBaseUrl}/Observation?patient=sbx-jonah-reyes`, tokens.access_token)).status).toBe(200);
    await page.close();
  });

  it('sends access_denied to the client when the user denies', async () => {
    const page = await browser.newPage();
    const { result, callback } = await beginSignIn(page);
    await signInAndPick(page, 'Mei');
    await page.getByTestId('deny').click();
    const location = await callback;
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe(result.state);
    expect(location.searchParams.get('iss')).toBe(sandbox.issuer);
    expect(location.searchParams.get('code')).toBeNull();
    await page.close();
  });

  it('skips sign-in for an EHR launch (the EHR knows the user) and shows the patient on the consent page', async () => {
    const launch = await sandbox.mintLaunch({ patient: 'sbx-amelia-hart', encounter: 'sbx-amelia-hart-enc-3', user: 'resident' });
    const page = await browser.newPage();
    const { result, callback } = await beginSignIn(page, { launch, scope: 'openid fhirUser launch patient/*.rs' });
    expect(await page.getByTestId('consent-patient').textContent()).toContain('Amelia Hart');
    await page.getByTestId('approve').click();
    const tokens = await exchangeCode(as, { ...result, location: await callback });
    expect(tokens).toMatchObject({ patient: 'sbx-amelia-hart', encounter: 'sbx-amelia-hart-enc-3', need_patient_banner: false });
    await page.close();
  });
});
