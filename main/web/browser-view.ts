import path from 'node:path';
import { PRODUCT_NAME } from '../../common/app-identity';
import { composeMainApp, type MainApp } from '../compose';
import type { Logger } from '../logging/logger';
import { startBridgeServer, type BridgeServer, type OutgoingTap } from './bridge-server';

export interface BrowserViewOptions {
  /** Folder holding the build: `renderer/` and `web-bridge/bridge.js`. */
  distDir: string;
  version: string;
  log: Logger;
  port?: number;
  tap?: OutgoingTap;
}

export interface BrowserView extends MainApp {
  server: BridgeServer;
  close(): Promise<void>;
}

/** The real main-process services behind the bridge server, as `npm run dev:web` and the e2e tests run them. */
export async function startBrowserView(options: BrowserViewOptions): Promise<BrowserView> {
  const main = composeMainApp(
    { name: PRODUCT_NAME, version: options.version, platform: process.platform, shell: 'web' },
    options.log,
  );
  const server = await startBridgeServer({
    rendererDir: path.join(options.distDir, 'renderer'),
    bridgeScriptPath: path.join(options.distDir, 'web-bridge', 'bridge.js'),
    dispatch: main.dispatch,
    events: main.events,
    log: options.log,
    port: options.port,
    tap: options.tap,
  });
  return { ...main, server, close: () => server.close() };
}
