import { spawn } from 'node:child_process';

/**
 * Opens a URL in the system browser without Electron (the browser view): what shell.openExternal
 * does in the desktop app. Only http(s) URLs are handed to the OS opener.
 */
export function openInSystemBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  const protocol = new URL(url).protocol;
  if (protocol !== 'https:' && protocol !== 'http:') return Promise.reject(new Error('Only web addresses can be opened.'));
  const [command, args] =
    platform === 'win32'
      ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
      : [platform === 'darwin' ? 'open' : 'xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', () => reject(new Error(`No system browser could be started (${command} is missing).`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
