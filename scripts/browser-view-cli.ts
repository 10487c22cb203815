import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLogger } from '../main/logging/logger';
import { startBrowserView } from '../main/web/browser-view';

const root = path.resolve(import.meta.dirname, '..');

/** Runs the browser view until Ctrl-C: the renderer in a browser tab, the real main services behind it. */
export async function runBrowserView(): Promise<void> {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const log = createLogger((line) => process.stderr.write(`${line}\n`), 'warn');
  const view = await startBrowserView({
    distDir: path.join(root, 'dist'),
    version,
    log,
    port: process.env.CHARTDESK_WEB_PORT ? Number(process.env.CHARTDESK_WEB_PORT) : undefined,
  });
  console.log(`ChartDesk browser view: ${view.server.openUrl}`);
  console.log("Open that link in a browser on this computer (it holds this run's secret). Ctrl-C stops.");
  const stop = () => {
    void view.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
