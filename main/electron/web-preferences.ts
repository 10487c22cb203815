import type { WebPreferences } from 'electron';

/** The only web preferences ChartDesk windows are created with; asserted by the shell tests. */
export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload: preloadPath,
    devTools: options.devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    // Middle-click opens links outside the navigation handlers' reach.
    disableBlinkFeatures: 'Auxclick',
  };
}
