import path from 'node:path';
import { app, BrowserWindow, dialog, net, shell } from 'electron';
import { PRODUCT_NAME, RENDERER_ORIGIN } from '../../common/app-identity';
import { bootFailureMessage } from '../boot-failure';
import { bootMainApp, type BootedApp } from '../bootstrap';
import { parseDeepLink } from '../deep-link/parse-deep-link';
import { isSafeAuthorizationUrl } from '../security/navigation-policy';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { DeepLinkIntake, registerProtocolClient } from './deep-link-intake';
import { denyAllPermissions, hardenWebContents } from './hardening';
import { connectIpc } from './ipc-bridge';
import { shellEnvironment } from './shell-environment';
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
  const env = shellEnvironment(app.isPackaged, process.env);
  if (env.CHARTDESK_USER_DATA) app.setPath('userData', path.resolve(env.CHARTDESK_USER_DATA));
  const intake = new DeepLinkIntake();
  let window: BrowserWindow | null = null;

  app.enableSandbox();
  registerAppScheme();
  registerProtocolClient();
  intake.listen(process.argv, () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  let booted: BootedApp | null = null;
  const start = async () => {
    denyAllPermissions();
    serveRenderer(path.join(__dirname, '..', 'renderer'));
    const main = await bootMainApp({
      appInfo: { name: PRODUCT_NAME, version: app.getVersion(), platform: process.platform, shell: 'electron' },
      userDataDir: app.getPath('userData'),
      // Chromium's network stack: the system proxy and certificate store, as hospitals configure them.
      fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init),
      openExternal: async (url) => {
        if (!isSafeAuthorizationUrl(url)) throw new Error('ChartDesk refused to open an unexpected address.');
        await shell.openExternal(url);
      },
      devSandboxFhirBaseUrl: env.CHARTDESK_DEV_SANDBOX_URL ?? null,
      env,
      extraLogSink: app.isPackaged ? undefined : (line) => process.stdout.write(`${line}\n`),
    });
    booted = main;
    hardenWebContents(main.log);
    connectIpc(main.dispatch, main.events, () => window, main.log);
    window = new BrowserWindow({
      title: PRODUCT_NAME,
      width: 1280,
      height: 860,
      show: false,
      webPreferences: secureWebPreferences(path.join(__dirname, '..', 'preload', 'index.cjs'), {
        // DevTools would let anyone at the keyboard script the window: packaged, only where IT's policy allows them.
        devTools: !app.isPackaged || main.policy.policy?.allowDevTools === true,
      }),
    });
    window.once('ready-to-show', () => window?.show());
    // The title stays "ChartDesk": a patient's name in it would show in task bars and screen shares.
    window.on('page-title-updated', (event) => event.preventDefault());
    window.on('closed', () => {
      window = null;
    });
    void window.loadURL(`${RENDERER_ORIGIN}/index.html`);
    intake.deliverTo((url) => main.services.handleDeepLink(parseDeepLink(url)));
    await main.start();
    app.on('before-quit', () => main.dispose());
  };

  // Without this, a failed start leaves no window and no word: say what failed, then quit with a failure status.
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // bootMainApp logs its own failures; a later one is logged here.
      booted?.log.error('shell.start-failed', { error });
      const userDataDir = app.getPath('userData');
      dialog.showErrorBox('ChartDesk could not start', bootFailureMessage(error, userDataDir));
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
}

runShell();
