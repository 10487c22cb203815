import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './testing/browser-view';

/**
 * Level 4: the real Electron app. It runs wherever ELECTRON_PATH names an Electron binary
 * (the release pipeline's runners); on machines without one it is reported as skipped.
 */
const electronPath = process.env.ELECTRON_PATH;
if (!electronPath) {
  console.log('Real-Electron e2e skipped: set ELECTRON_PATH to an Electron binary to run it (none can be downloaded here).');
}

describe.skipIf(!electronPath)('ChartDesk in real Electron', () => {
  let app: ElectronApplication | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it('opens the secured window on app:// and answers the first IPC round trip', async () => {
    app = await _electron.launch({
      executablePath: electronPath,
      args: [ROOT],
      env: { ...process.env, CHARTDESK_USER_DATA: mkdtempSync(path.join(os.tmpdir(), 'chartdesk-e2e-')) },
    });
    const page = await app.firstWindow();
    await page.getByTestId('app-info').waitFor();
    expect(page.url()).toBe('app://bundle/index.html');
    expect(await page.getByTestId('app-info').textContent()).toMatch(/· electron$/);
    const exposed = await page.evaluate(() => ({
      api: typeof (window as unknown as { chartdesk?: unknown }).chartdesk,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposed).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'electron-shell.png') });
  });
});
