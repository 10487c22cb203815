import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../main/security/content-security-policy';
import { requestBridge } from '../testing/request-bridge';
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
    // The printed link was spent by the first test: another profile needs a link of its own.
    await page.goto(app.view.server.issueLink());
    await page.getByTestId('app-info').waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(21, 24, 29)');
    await context.close();
  });

  it('refuses a page without a session, a spent link, and calls from other origins', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${app.view.server.origin}/`);
    expect(response?.status()).toBe(401);
    expect((await page.goto(app.view.server.openUrl))?.status()).toBe(401);
    const forged = await requestBridge(app.view.server, '/bridge/invoke/app:info', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: '[]',
    });
    expect(forged.status).toBe(401);
    await page.close();
  });

  it("keeps the session cookie to the bridge's own host name: a server on another port of 127.0.0.1 never sees it", async () => {
    const seen: Array<string | undefined> = [];
    const other = http.createServer((request, response) => {
      // Every request, favicon included, the pages below make.
      seen.push(request.headers.cookie);
      response.end('other local server');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.view.server.issueLink());
    await page.getByTestId('app-info').waitFor();
    expect((await context.cookies()).map((cookie) => cookie.domain)).toEqual([new URL(app.view.server.origin).hostname]);
    const { port } = other.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.goto(`http://localhost:${port}/`);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((cookie) => cookie !== undefined)).toEqual([]);
    await context.close();
    await new Promise((resolve) => other.close(resolve));
  });
});
