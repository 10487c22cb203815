import path from 'node:path';
import { PRODUCT_NAME } from '../../common/app-identity';

/**
 * Where ChartDesk keeps its files (connections.json, logs/): the folder Electron's
 * app.getPath('userData') gives on each OS, so the browser view and the desktop app share it.
 * CHARTDESK_USER_DATA overrides it (tests, portable installs).
 */
export function userDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (env.CHARTDESK_USER_DATA) return path.resolve(env.CHARTDESK_USER_DATA);
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), PRODUCT_NAME);
}
