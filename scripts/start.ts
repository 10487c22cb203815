import { spawn } from 'node:child_process';
import path from 'node:path';
import { runBrowserView } from './browser-view-cli';
import { buildAll } from './build';
import { findElectronBinary } from './electron-binary';

const root = path.resolve(import.meta.dirname, '..');
await buildAll();
const electron = findElectronBinary(root);
if (electron) {
  const child = spawn(electron, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('No Electron binary on this machine (set ELECTRON_PATH to use one); opening the browser view instead.');
  await runBrowserView();
}
