import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openInSystemBrowser } from '../main/browser-view/open-in-browser';
import { userDataDir } from '../main/browser-view/user-data-dir';
import { startBrowserView } from '../main/browser-view/browser-view';

const root = path.resolve(import.meta.dirname, '..');

/** Runs the browser view until Ctrl-C: the renderer in a browser tab, the real main services behind it. */
export async function runBrowserView(devSandboxFhirBaseUrl: string | null): Promise<{ close(): Promise<void> }> {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const view = await startBrowserView({
    distDir: path.join(root, 'dist'),
    version,
    userDataDir: userDataDir(process.platform, process.env, os.homedir()),
    fetch: globalThis.fetch,
    openExternal: async (url) => {
      // Printed too: on a machine without a desktop browser, xdg-open starts and then shows nothing.
      console.log(`Sign-in page (opening it in your browser): ${url}`);
      await openInSystemBrowser(url).catch((error: Error) => console.log(error.message));
    },
    devSandboxFhirBaseUrl,
    port: process.env.CHARTDESK_WEB_PORT ? Number(process.env.CHARTDESK_WEB_PORT) : undefined,
  });
  console.log(`ChartDesk browser view: ${view.server.openUrl}`);
  console.log(
    'Open that link once, in a browser on this computer (Chromium, Firefox and curl resolve *.localhost to it). Ctrl-C stops.',
  );
  return view;
}
