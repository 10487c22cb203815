import { app, session, shell, type WebContents } from 'electron';
import { decideNavigation, isSafeExternalUrl } from '../security/navigation-policy';
import type { Logger } from '../logging/logger';

/** Applies the navigation, window and webview rules to every web contents ever created. */
export function hardenWebContents(log: Logger): void {
  app.on('web-contents-created', (_event, contents) => lockDown(contents, log));
}

function lockDown(contents: WebContents, log: Logger): void {
  const guard = (event: { preventDefault(): void }, url: string, kind: string) => {
    if (decideNavigation(url) === 'deny') {
      event.preventDefault();
      log.warn('navigation.blocked', { kind, origin: safeOrigin(url) });
    }
  };
  contents.on('will-navigate', (event) => guard(event, event.url, 'will-navigate'));
  contents.on('will-redirect', (event) => guard(event, event.url, 'will-redirect'));
  contents.on('will-frame-navigate', (event) => guard(event, event.url, 'will-frame-navigate'));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // A link the clinician clicked goes to the system browser, and only when it is plain https.
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    else log.warn('window-open.blocked', { origin: safeOrigin(url) });
    return { action: 'deny' };
  });
}

/** ChartDesk needs no browser permission: camera, notifications, geolocation… are all refused. */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'unparseable';
  }
}
