import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { PRODUCT_NAME, RENDERER_ORIGIN } from '../../common/app-identity';
import { composeMainApp } from '../compose';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { createLogger } from '../logging/logger';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { DeepLinkIntake, registerProtocolClient } from './deep-link-intake';
import { denyAllPermissions, hardenWebContents } from './hardening';
import { connectIpc } from './ipc-bridge';
import { secureWebPreferences } from './web-preferences';

/**
 * Composition root of the desktop app. Order matters: the single-instance lock first, then
 * everything that must happen before `ready` (scheme privileges, open-url), then the window.
 */
export function runShell(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const log = createLogger((line) => process.stdout.write(`${line}\n`));
  const intake = new DeepLinkIntake();
  let window: BrowserWindow | null = null;

  app.enableSandbox();
  registerAppScheme();
  registerProtocolClient();
  hardenWebContents(log);
  intake.listen(process.argv, () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  void app.whenReady().then(() => {
    denyAllPermissions();
    serveRenderer(path.join(__dirname, '..', 'renderer'));
    const { services, events, dispatch } = composeMainApp(
      { name: PRODUCT_NAME, version: app.getVersion(), platform: process.platform, shell: 'electron' },
      log,
    );
    connectIpc(dispatch, events, () => window, log);
    window = new BrowserWindow({
      title: PRODUCT_NAME,
      width: 1280,
      height: 860,
      show: false,
      webPreferences: secureWebPreferences(path.join(__dirname, '..', 'preload', 'index.cjs')),
    });
    window.once('ready-to-show', () => window?.show());
    // The title stays "ChartDesk": a patient's name in it would show in task bars and screen shares.
    window.on('page-title-updated', (event) => event.preventDefault());
    window.on('closed', () => {
      window = null;
    });
    void window.loadURL(`${RENDERER_ORIGIN}/index.html`);
    intake.deliverTo((url) => services.handleDeepLink(parseDeepLink(url)));
  });

  app.on('window-all-closed', () => app.quit());
}

runShell();
