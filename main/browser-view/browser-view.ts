import path from 'node:path';
import { PRODUCT_NAME } from '../../common/app-identity';
import { bootMainApp, type BootedApp, type BootOptions } from '../bootstrap';
import { startBridgeServer, type BridgeServer, type OutgoingTap } from './bridge-server';

export interface BrowserViewOptions extends Omit<BootOptions, 'appInfo'> {
  /** Folder holding the build: `renderer/` and `web-bridge/bridge.js`. */
  distDir: string;
  version: string;
  port?: number;
  tap?: OutgoingTap;
}

export interface BrowserView extends BootedApp {
  server: BridgeServer;
  close(): Promise<void>;
}

/** The real main-process services behind the bridge server, as `npm run dev:web` and the e2e tests run them. */
export async function startBrowserView(options: BrowserViewOptions): Promise<BrowserView> {
  const main = await bootMainApp({
    ...options,
    appInfo: { name: PRODUCT_NAME, version: options.version, platform: process.platform, shell: 'web' },
  });
  const server = await startBridgeServer({
    rendererDir: path.join(options.distDir, 'renderer'),
    bridgeScriptPath: path.join(options.distDir, 'web-bridge', 'bridge.js'),
    dispatch: main.dispatch,
    events: main.events,
    log: main.log,
    port: options.port,
    tap: options.tap,
  });
  await main.start();
  return {
    ...main,
    server,
    async close() {
      main.dispose();
      await server.close();
    },
  };
}
