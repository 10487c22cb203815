import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../main/security/content-security-policy';
import { ROOT, startAppUnderTest } from './testing/browser-view';
import { launchChromium } from '../testing/chromium';

let browser: Browser;
let app: Awaited<ReturnType<typeof startAppUnderTest>>;

beforeAll(async () => {
  app = await startAppUnderTest();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.view.close();
});

describe('the production renderer in Chromium, attached to the real main services', () => {
  it('shows the shell with data that crossed the contract, under the strict CSP', async () => {
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const response = await page.goto(app.view.server.openUrl);
    expect(response?.headers()['content-security-policy']).toBe(RENDERER_CSP);
    await expect.poll(() => page.getByTestId('app-info').textContent()).toMatch(/^v\d+\.\d+\.\d+ · linux · web$/);
    expect(await page.getByRole('heading', { name: 'ChartDesk' }).isVisible()).toBe(true);
    expect(app.messages.map((m) => m.name)).toEqual(expect.arrayContaining(['app:info', 'connections:list']));
    // The secret in the link is exchanged for a cookie and leaves the address bar.
    expect(page.url()).toBe(`${app.view.server.origin}/`);
    mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'shell.png'), fullPage: true });
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('follows the OS colour scheme', async () => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(app.view.server.openUrl);
    await page.getByTestId('app-info').waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(21, 24, 29)');
    await context.close();
  });

  it('refuses a page that lacks the per-run secret, and calls from other origins', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${app.view.server.origin}/`);
    expect(response?.status()).toBe(401);
    const forged = await fetch(`${app.view.server.origin}/bridge/invoke/app:info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: '[]',
    });
    expect(forged.status).toBe(401);
    await page.close();
  });
});
