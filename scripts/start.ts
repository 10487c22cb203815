import { spawn } from 'node:child_process';
import path from 'node:path';
import { runBrowserView } from './browser-view-cli';
import { buildAll } from './build';
import { startDevSandbox } from './dev-sandbox';
import { findElectronBinary } from './electron-binary';
import { stopOnSignal } from './stop-on-signal';

const root = path.resolve(import.meta.dirname, '..');
await buildAll();
const sandbox = await startDevSandbox();
const electron = findElectronBinary(root);
if (electron) {
  const child = spawn(electron, [root], {
    stdio: 'inherit',
    env: { ...process.env, CHARTDESK_DEV_SANDBOX_URL: sandbox.fhirBaseUrl },
  });
  child.on('exit', (code) => void sandbox.stop().then(() => process.exit(code ?? 0)));
} else {
  console.log('No Electron binary on this machine (set ELECTRON_PATH to use one); opening the browser view instead.');
  const view = await runBrowserView(sandbox.fhirBaseUrl);
  stopOnSignal([view, sandbox]);
}
